//! The files a bundle carries (`attachments/<sha256>`), in and out. Streamed in 1 MB pieces
//! both ways, so memory stays flat whatever their sizes; hashed as they pass.
//!
//! In: the caps are checked on the signed manifest's sizes before a byte is written; each file
//! is then streamed to a locked staging file in the store's `.staging/`, its SHA-256 and size
//! checked against its name and the manifest. The staged files are placed only once every
//! record check has passed (`Store::import_records_placing`); a refusal drops them.

use super::BundleError;
use super::manifest::Manifest;
use super::read::{Archive, limited};
use crate::domain::attachment::AttachmentRules;
use crate::storage::attachment_files::{Files, Staged, copy_hashed, size_text};
use crate::storage::bundle::import::CarriedFile;
use crate::storage::{Store, StoreError};
use std::collections::BTreeMap;
use std::io::Write;

pub(super) const PREFIX: &str = "attachments/";

/// What the bundle carries, staged (files the store has already are only hashed).
#[derive(Default)]
pub(super) struct Incoming {
    pub carried: BTreeMap<String, CarriedFile>,
    pub staged: Vec<Staged>,
}

/// The bundle's attachment entries (hash, size) as the manifest lists them.
fn listed(manifest: &Manifest) -> impl Iterator<Item = (&str, u64)> {
    manifest
        .entries
        .iter()
        .filter_map(|(name, e)| Some((name.strip_prefix(PREFIX)?, e.bytes)))
}

/// Refuses a bundle over the caps, from the signed manifest, before anything is written.
pub(super) fn check_caps(manifest: &Manifest, rules: &AttachmentRules) -> Result<(), BundleError> {
    let mut total = 0u64;
    for (sha, bytes) in listed(manifest) {
        if bytes > rules.max_file_bytes() {
            return Err(BundleError::Malformed(format!(
                "附件 attachments/{sha} 大小 {}，超过单个附件上限 {}（config/rules.toml 的 [attachments] max_file_mb）",
                size_text(bytes),
                size_text(rules.max_file_bytes())
            )));
        }
        total = total.saturating_add(bytes);
    }
    if total > rules.max_bundle_bytes() {
        return Err(BundleError::Malformed(format!(
            "数据包中的附件共 {}，超过每个数据包的上限 {}（config/rules.toml 的 [attachments] max_bundle_mb）",
            size_text(total),
            size_text(rules.max_bundle_bytes())
        )));
    }
    Ok(())
}

/// Streams every attachment entry to staging (or, if the store has it, through the hash
/// only), checking hash and size against the entry's name and the manifest.
pub(super) fn stage(
    archive: &mut Archive,
    manifest: &Manifest,
    files: &Files,
    read: &mut dyn FnMut(u64),
) -> Result<Incoming, BundleError> {
    let mut incoming = Incoming::default();
    for (sha, bytes) in listed(manifest) {
        let name = format!("{PREFIX}{sha}");
        let mismatch = || BundleError::HashMismatch(name.clone());
        let mut reader = limited(archive, &name, bytes)?;
        let stored = std::fs::metadata(files.path_of(sha)).is_ok_and(|m| m.len() == bytes);
        let (digest, size, media_type, staged) = if stored {
            let (d, s, t) = copy_hashed(&mut reader, None, bytes, read).map_err(|_| mismatch())?;
            (d, s, t, None)
        } else {
            let s = files
                .stage_stream(&mut reader, bytes, &name, read)
                .map_err(|why| match why.starts_with("超过") {
                    true => mismatch(),
                    false => BundleError::Store(StoreError::Invalid(why)),
                })?;
            (s.sha256.clone(), s.size, s.media_type, Some(s))
        };
        if digest != sha || size != bytes {
            return Err(mismatch());
        }
        incoming.carried.insert(
            sha.to_string(),
            CarriedFile {
                bytes,
                media_type: Some(media_type).filter(|t| !t.is_empty()),
            },
        );
        incoming.staged.extend(staged);
    }
    Ok(incoming)
}

/// Places the staged files in the store (each synced, renamed, folder synced).
pub(super) fn place(files: &Files, staged: Vec<Staged>) -> crate::storage::Result<()> {
    for s in staged {
        files.place(s).map_err(StoreError::Invalid)?;
    }
    Ok(())
}

/// Writes the files named by the exported attachment records, each once, streamed from the
/// store and hashed on the way: a store file that no longer matches its name stops the export.
pub(super) fn write<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    store: &Store,
    named: &BTreeMap<String, u64>,
    entries: &mut BTreeMap<String, super::manifest::Entry>,
    written: &mut dyn FnMut(u64),
) -> Result<(), BundleError> {
    let files = store.attachment_files();
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for (sha, size) in named {
        let path = files.path_of(sha);
        let mut file = std::fs::File::open(&path).map_err(|e| BundleError::io(&path, &e))?;
        let name = format!("{PREFIX}{sha}");
        zip.start_file(name.as_str(), stored)
            .map_err(|e| BundleError::Io {
                path: name.clone(),
                reason: e.to_string(),
            })?;
        let (digest, bytes, _) =
            copy_hashed(&mut file, Some(zip as &mut dyn Write), *size, written).map_err(|why| {
                BundleError::Io {
                    path: path.display().to_string(),
                    reason: why,
                }
            })?;
        if digest != *sha || bytes != *size {
            return Err(BundleError::Store(StoreError::Invalid(format!(
                "本机附件存储中的文件 {} 与其校验值或记录的大小不符（已损坏？），没有导出",
                path.display()
            ))));
        }
        entries.insert(
            name,
            super::manifest::Entry {
                sha256: digest,
                bytes,
                lines: 0,
            },
        );
    }
    Ok(())
}
