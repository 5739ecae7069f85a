//! `paicha export`: writes a bundle to a temp file beside the target and renames it into place
//! only when complete and on disk, so a pulled USB stick never leaves a half bundle under the
//! final name.

use super::BundleError;
use super::manifest::{self, Covers, Entry, Exporter, Manifest};
use crate::identity::{hex, keys};
use crate::storage::Store;
use crate::storage::bundle::export::{Counts, Selection};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Everything, not just what is new since the last export to this destination.
    pub all: bool,
    /// Records final from this instant on (overrides the last export).
    pub since: Option<DateTime<Utc>>,
    /// The office's ledger for the laptops.
    pub ledger: bool,
}

#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub counts: Counts,
    pub from: Option<DateTime<Utc>>,
    pub sha256: String,
}

pub fn export(
    store: &mut Store,
    out: &Path,
    options: &ExportOptions,
) -> Result<ExportSummary, BundleError> {
    export_with_progress(store, out, options, &|_, _| {})
}

/// As [`export`], telling `progress` how many bytes are written so far, and of how many
/// (0 while the records are written, whose size is known only at their end).
pub fn export_with_progress(
    store: &mut Store,
    out: &Path,
    options: &ExportOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<ExportSummary, BundleError> {
    let destination = absolute(out);
    let exporter = store.author_id()?;
    let name = store
        .profile()?
        .filter(|p| p.id() == exporter)
        .map(|p| p.data.name)
        .unwrap_or_else(|| crate::storage::UNNAMED_PROFILE.to_string());
    let public_key = store.own_public_key(exporter)?;
    let signing = store
        .keys()
        .get(exporter)
        .map_err(|e| BundleError::Store(crate::storage::StoreError::Invalid(e.to_string())))?
        .ok_or(BundleError::MissingSignature)?;
    let from = match (options.all, options.since) {
        (true, _) => None,
        (false, Some(t)) => Some(t),
        (false, None) => store.last_export_until(&destination.display().to_string())?,
    };
    let until = store.now();

    let part = destination.with_file_name(format!(
        ".{}.part",
        destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let file = File::create(&part).map_err(|e| BundleError::io(&destination, &e))?;
    let mut zip = zip::ZipWriter::new(file);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut current: Option<(String, Sha256, u64, u64)> = None;
    let io_error = |e: std::io::Error| {
        crate::storage::StoreError::Invalid(format!(
            "无法写入 {}：{}",
            destination.display(),
            crate::storage::error::describe_io(&e)
        ))
    };
    let zip_error = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(e) => io_error(e),
        other => crate::storage::StoreError::Invalid(format!("无法写入压缩包：{other}")),
    };
    let selection = Selection {
        since: from,
        ledger: options.ledger,
    };
    let mut written = 0u64;
    let mut lines = 0u64;
    // The files the exported attachment records name, by hash, with their size.
    let mut named: BTreeMap<String, u64> = BTreeMap::new();
    let counts = store.export_records(&selection, exporter, |kind, object| {
        lines += 1;
        if lines.is_multiple_of(512) {
            progress(written, 0);
        }
        if kind.name == crate::storage::bundle::kinds::ATTACHMENTS.name
            && let (Some(sha), Some(size)) = (
                object.get("sha256").and_then(|v| v.as_str()),
                object.get("size").and_then(|v| v.as_u64()),
            )
        {
            named.insert(sha.to_string(), size);
        }
        let entry = manifest::records_entry(kind.name);
        if current.as_ref().map(|c| &c.0) != Some(&entry) {
            if let Some((name, hasher, bytes, lines)) = current.take() {
                entries.insert(name, finished(hasher, bytes, lines));
            }
            zip.start_file(entry.as_str(), deflated)
                .map_err(zip_error)?;
            current = Some((entry, Sha256::new(), 0, 0));
        }
        let mut line = serde_json::to_vec(&object)?;
        line.push(b'\n');
        zip.write_all(&line).map_err(io_error)?;
        written += line.len() as u64;
        if let Some((_, hasher, bytes, lines)) = current.as_mut() {
            hasher.update(&line);
            *bytes += line.len() as u64;
            *lines += 1;
        }
        Ok(())
    });
    let counts = match counts {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(e.into());
        }
    };
    if let Some((name, hasher, bytes, lines)) = current.take() {
        entries.insert(name, finished(hasher, bytes, lines));
    }
    let carried = (|| {
        let rules = store.attachment_rules();
        let total: u64 = named.values().sum();
        if total > rules.max_bundle_bytes() {
            let remedy = if options.ledger {
                "台账数据包只带未销号隐患的照片：请调高上限"
            } else {
                "请分几次导出（--since），或调高上限"
            };
            return Err(BundleError::Store(crate::storage::StoreError::Invalid(
                format!(
                    "要导出的附件共 {}，超过每个数据包的上限 {}（config/rules.toml 的 [attachments] max_bundle_mb）：{remedy}",
                    crate::storage::attachment_files::size_text(total),
                    crate::storage::attachment_files::size_text(rules.max_bundle_bytes())
                ),
            )));
        }
        let of = written + total;
        super::attach::write(&mut zip, store, &named, &mut entries, &mut |n| {
            written += n;
            progress(written, of);
        })
    })();
    if let Err(e) = carried {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    let manifest = Manifest {
        format: manifest::FORMAT.into(),
        format_version: manifest::FORMAT_VERSION,
        producer: format!("paicha {}", env!("CARGO_PKG_VERSION")),
        kind: if options.ledger { "ledger" } else { "findings" }.into(),
        replica_id: store.replica_id().to_string(),
        exporter: Exporter {
            inspector_id: exporter.to_string(),
            name,
            public_key,
        },
        created_at: crate::storage::sql_time(until),
        covers: Covers {
            from: from.map(crate::storage::sql_time),
            until: crate::storage::sql_time(until),
        },
        counts: counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.to_string(), *n))
            .collect(),
        entries,
    };
    let mut text =
        serde_json::to_vec_pretty(&manifest).map_err(crate::storage::StoreError::from)?;
    text.push(b'\n');
    let written = (|| -> Result<File, BundleError> {
        let fail = |e: zip::result::ZipError| match e {
            zip::result::ZipError::Io(e) => BundleError::io(&destination, &e),
            other => BundleError::Io {
                path: destination.display().to_string(),
                reason: other.to_string(),
            },
        };
        zip.start_file(manifest::MANIFEST, deflated).map_err(fail)?;
        zip.write_all(&text)
            .map_err(|e| BundleError::io(&part, &e))?;
        zip.start_file(manifest::SIGNATURE, deflated)
            .map_err(fail)?;
        zip.write_all(keys::sign_hex(&signing, &text).as_bytes())
            .map_err(|e| BundleError::io(&destination, &e))?;
        let file = zip.finish().map_err(fail)?;
        file.sync_all()
            .map_err(|e| BundleError::io(&destination, &e))?;
        Ok(file)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    if let Err(e) = std::fs::rename(&part, &destination) {
        let _ = std::fs::remove_file(&part);
        return Err(BundleError::io(&destination, &e));
    }
    // Best effort: the bundle is complete and synced; only its folder entry may lag.
    if let Some(dir) = destination.parent() {
        let _ = crate::storage::dir_sync::sync_dir(dir);
    }
    let sha256 = super::read::file_sha256(&destination)?;
    store.record_export(
        &destination.display().to_string(),
        from,
        until,
        &sha256,
        options.ledger,
    )?;
    Ok(ExportSummary {
        path: destination,
        counts,
        from,
        sha256,
    })
}

fn finished(hasher: Sha256, bytes: u64, lines: u64) -> Entry {
    Entry {
        sha256: hex::encode(&hasher.finalize()),
        bytes,
        lines,
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
