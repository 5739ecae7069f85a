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
        let path = store
            .path()
            .parent()
            .unwrap_or(Path::new("."))
            .join(&held.stored_as);
        let outcome = match import_with_progress(
            store,
            &path,
            Trust::default(),
            false,
            Some(&held.sha256),
            ImportLimits::default(),
            &|_, _| {},
        ) {
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
