//! A bundle the import held for a clerk's review (records signed by a revoked key, or by a key
//! trusted on first sight before the roster and not enrolled since): the file is copied into
//! the data dir's `held/` folder and listed, nothing of it applied. Once the clerk has enrolled
//! or released the keys, `paicha import --retry-held` imports what can now be imported.

use super::BundleError;
use super::read::{ImportLimits, Trust, file_sha256, import_with_progress};
use crate::storage::bundle::import::ImportReport;
use crate::storage::{Store, StoreError};
use std::path::{Path, PathBuf};

/// The folder beside the database where held bundles are kept.
pub fn held_dir(store: &Store) -> PathBuf {
    store.path().parent().unwrap_or(Path::new(".")).join("held")
}

/// Whether an import's refusal means "hold for review" (and why).
pub fn held_reason(e: &BundleError) -> Option<&str> {
    match e {
        BundleError::Store(StoreError::Held(reason)) => Some(reason),
        _ => None,
    }
}

/// Keeps `file` for review: copied into `held/<sha256>.paicha` and listed. Returns the copy.
pub fn hold(store: &mut Store, file: &Path, reason: &str) -> Result<PathBuf, BundleError> {
    let sha = file_sha256(file)?;
    let dir = held_dir(store);
    std::fs::create_dir_all(&dir).map_err(|e| BundleError::io(&dir, &e))?;
    let name = format!("{sha}.{}", super::EXTENSION);
    let copy = dir.join(&name);
    if !copy.exists() {
        let part = dir.join(format!(".{name}.part"));
        std::fs::copy(file, &part).map_err(|e| BundleError::io(&part, &e))?;
        std::fs::File::open(&part)
            .and_then(|f| f.sync_all())
            .map_err(|e| BundleError::io(&part, &e))?;
        std::fs::rename(&part, &copy).map_err(|e| BundleError::io(&copy, &e))?;
    }
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store.record_held(&sha, &file_name, &format!("held/{name}"), reason)?;
    Ok(copy)
}

/// The held bundle whose SHA-256 starts with `sha` (at least 8 hex digits).
fn find(store: &Store, sha: &str) -> Result<crate::storage::HeldBundle, BundleError> {
    let sha = sha.trim().to_lowercase();
    let found: Vec<_> = store
        .held_bundles()?
        .into_iter()
        .filter(|h| sha.len() >= 8 && h.sha256.starts_with(&sha) && h.resolution.is_none())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(StoreError::Invalid(format!(
            "没有 SHA-256 以“{sha}”开头、待复核的数据包（至少写 8 位；paicha import --held 列出）"
        ))
        .into()),
        _ => Err(
            StoreError::Invalid(format!("以“{sha}”开头的待复核数据包不止一个，请多写几位")).into(),
        ),
    }
}

/// Imports (or, with `dry_run`, tries) the copy kept of `held`, naming it as that held bundle.
fn import_held(
    store: &mut Store,
    held: &crate::storage::HeldBundle,
    trust: Trust,
    dry_run: bool,
) -> Result<ImportReport, BundleError> {
    let path = store
        .path()
        .parent()
        .unwrap_or(Path::new("."))
        .join(&held.stored_as);
    import_with_progress(
        store,
        &path,
        trust,
        dry_run,
        Some(&held.sha256),
        ImportLimits::default(),
        &|_, _| {},
    )
}

/// After a clerk's review, at the office: accepts the held bundle's records signed by revoked
/// keys — the roster records the release (so every laptop accepts them too) — and imports it.
/// Records held for another reason (a key nobody enrolled) still keep it held.
pub fn release(store: &mut Store, sha: &str) -> Result<ImportReport, BundleError> {
    let held = find(store, sha)?;
    let trial = import_held(
        store,
        &held,
        Trust {
            release_revoked: true,
            ..Trust::default()
        },
        true,
    )?;
    let entries: Vec<crate::domain::trust::Body> = trial
        .released
        .iter()
        .map(|(key, ids)| crate::domain::trust::Body::Release {
            public_key: key.clone(),
            records: ids
                .iter()
                .filter_map(|id| uuid::Uuid::parse_str(id).ok())
                .collect(),
        })
        .collect();
    if !entries.is_empty() {
        store.roster_append(entries)?;
    }
    let report = import_held(store, &held, Trust::default(), false)?;
    store.resolve_held(&held.sha256, true)?;
    Ok(report)
}

/// After a clerk's review: the held bundle is not imported; it stays in `held/` as evidence.
pub fn reject(store: &mut Store, sha: &str) -> Result<String, BundleError> {
    let held = find(store, sha)?;
    store.resolve_held(&held.sha256, false)?;
    Ok(held.file_name)
}

/// What retrying one held bundle gave.
pub enum Retry {
    Imported(ImportReport),
    StillHeld(String),
    Refused(String),
}

/// Tries every waiting held bundle again, oldest first.
pub fn retry_all(store: &mut Store) -> Result<Vec<(String, Retry)>, BundleError> {
    let mut out = Vec::new();
    for held in store.held_bundles()? {
        if held.resolution.is_some() {
            continue;
        }
        let outcome = match import_held(store, &held, Trust::default(), false) {
            Ok(report) => {
                store.resolve_held(&held.sha256, true)?;
                Retry::Imported(report)
            }
            Err(e) => match held_reason(&e) {
                Some(reason) => Retry::StillHeld(reason.to_string()),
                None => Retry::Refused(e.to_string()),
            },
        };
        out.push((held.file_name, outcome));
    }
    Ok(out)
}
