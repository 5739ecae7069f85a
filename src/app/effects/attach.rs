//! The attach browser's effects: reading a folder (each file's type by its first bytes, its
//! capture time by the phase-1 readers) and attaching files through `Store::attach`, all or
//! none, remembering the folder for next time.

use super::Runner;
use crate::app::screens::attach::{self, AttachTo, Entry, Listing};
use crate::domain::Record;
use crate::domain::attachment::Attachment;
use crate::media;
use crate::storage::StoreError;
use chrono::{DateTime, Utc};
use std::io::Read;
use std::path::{Path, PathBuf};

impl Runner<'_> {
    /// The folder `dir`, or (`None`) the one to open on: the last used, else Pictures, else
    /// Documents, else home, else the data folder.
    pub(super) fn list_folder(&self, dir: Option<PathBuf>) -> Result<Listing, String> {
        let dir = match dir {
            Some(d) => d,
            None => self.start_folder(),
        };
        list(&dir)
    }

    fn start_folder(&self) -> PathBuf {
        let remembered = self
            .store
            .attach_folder()
            .ok()
            .flatten()
            .map(PathBuf::from)
            .filter(|d| d.is_dir());
        remembered
            .or_else(|| {
                let user = directories::UserDirs::new()?;
                [
                    user.picture_dir(),
                    user.document_dir(),
                    Some(user.home_dir()),
                ]
                .into_iter()
                .flatten()
                .find(|d| d.is_dir())
                .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| PathBuf::from(&self.data_dir))
    }

    /// Attaches `files` to the record `to` names; every reason for a refusal, one per line.
    pub(super) fn attach(
        &mut self,
        to: &AttachTo,
        files: &[PathBuf],
    ) -> Result<Vec<Record<Attachment>>, Vec<String>> {
        let lines =
            |e: StoreError| -> Vec<String> { e.to_string().lines().map(str::to_string).collect() };
        let target = self
            .store
            .attachment_target(to.id, to.item.as_deref())
            .map_err(lines)?;
        let rules = &self.catalog.rules.attachments;
        let added = self
            .store
            .attach(&target, to.role, "", files, rules)
            .map_err(lines)?;
        if let Some(dir) = files.first().and_then(|f| f.parent()) {
            // The folder is a convenience: failing to remember it loses nothing.
            let _ = self
                .store
                .remember_attach_folder(&dir.display().to_string());
        }
        Ok(added)
    }
}

/// Reads `dir`: its folders (not hidden ones, not symlinks) and the files whose first bytes
/// are a supported type, sorted by [`attach::sort`].
pub fn list(dir: &Path) -> Result<Listing, String> {
    let read = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "无法打开文件夹 {}：{}",
            dir.display(),
            crate::storage::error::describe_io(&e)
        )
    })?;
    let mut entries = Vec::new();
    let mut skipped = 0;
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = item.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            skipped += 1;
            continue;
        };
        if meta.is_dir() {
            entries.push(Entry {
                name,
                path,
                media_type: None,
                time: None,
                file_time: false,
                size: 0,
            });
        } else if meta.is_file() && meta.len() > 0 {
            match file_entry(&path, meta.len(), meta.modified().ok()) {
                Some(mut e) => {
                    e.name = name;
                    entries.push(e);
                }
                None => skipped += 1,
            }
        } else {
            skipped += 1;
        }
    }
    attach::sort(&mut entries);
    Ok(Listing {
        dir: dir.to_path_buf(),
        entries,
        skipped,
    })
}

/// A file's row: its type by its first bytes (`None`: not one paicha takes), its capture time.
fn file_entry(path: &Path, size: u64, modified: Option<std::time::SystemTime>) -> Option<Entry> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = Vec::with_capacity(media::sniff::HEAD);
    (&mut file)
        .take(media::sniff::HEAD as u64)
        .read_to_end(&mut head)
        .ok()?;
    let media_type = media::sniff::media_type(&head)?;
    let capture = media::capture(media_type, &mut file);
    let (time, file_time) = match capture.at {
        Some((t, _)) => (Some(t), false),
        None => (modified.map(DateTime::<Utc>::from), true),
    };
    Some(Entry {
        name: String::new(),
        path: path.to_path_buf(),
        media_type: Some(media_type),
        time,
        file_time,
        size,
    })
}
