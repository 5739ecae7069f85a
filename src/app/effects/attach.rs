//! The attach browser's effects: reading a folder off the UI thread (each file's type by its
//! first bytes, its capture time by the phase-1 readers), listing what a record already has,
//! and attaching files through `Store::attach_with_progress` as a background job, all or none,
//! remembering the folder for next time.

use super::Runner;
use crate::app::msg::Msg;
use crate::app::screens::attach::{self, AttachTo, Entry, Listing, Stored};
use crate::domain::Record;
use crate::domain::attachment::Attachment;
use crate::media;
use crate::storage::{Store, StoreError};
use chrono::{DateTime, Utc};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{TryRecvError, channel};

/// How long the UI waits for a folder to be read before going on without it (a small folder
/// then shows at once; a large one, or a slow card, is listed in the background).
const LIST_WAIT: std::time::Duration = std::time::Duration::from_millis(60);

impl Runner<'_> {
    /// Reads the folder `dir`, or (`None`) the one to open on: the last used, else Pictures,
    /// else Documents, else home, else the data folder. The listing is made on a thread; it
    /// is answered here when it came within [`LIST_WAIT`], else later through `poll_job`.
    pub(super) fn list_folder(&mut self, dir: Option<PathBuf>) -> Option<Msg> {
        let dir = match dir {
            Some(d) => d,
            None => self.start_folder(),
        };
        let (tx, rx) = channel();
        let reader = dir.clone();
        let started = std::thread::Builder::new()
            .name("folder".into())
            .spawn(move || {
                let _ = tx.send(list(&reader));
            });
        if started.is_err() {
            return Some(Msg::FolderListed(list(&dir)));
        }
        match rx.recv_timeout(LIST_WAIT) {
            Ok(listed) => {
                self.listing = None;
                Some(Msg::FolderListed(listed))
            }
            Err(_) => {
                // A listing asked before is dropped: only the latest folder is wanted.
                self.listing = Some(rx);
                None
            }
        }
    }

    /// The folder listing made in the background, once it is ready.
    pub(super) fn poll_listing(&mut self) -> Option<Msg> {
        let listed = match self.listing.as_ref()?.try_recv() {
            Ok(listed) => listed,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err("读取文件夹时出错，请重试".to_string()),
        };
        self.listing = None;
        Some(Msg::FolderListed(listed))
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

    /// Starts attaching `files` to `to` in the background (its outcome comes as a job's).
    pub(super) fn start_attach(&mut self, to: AttachTo, files: Vec<PathBuf>) -> Option<Msg> {
        if self.job.is_some() {
            return Some(Msg::Attached(Err(vec![
                "数据包导出或导入还没有结束，请等它完成后再添加附件".into(),
            ])));
        }
        match crate::app::jobs::Job::start(self.store, crate::app::jobs::Work::Attach { to, files })
        {
            Ok(job) => {
                self.job = Some(job);
                None
            }
            Err(why) => Some(Msg::Attached(Err(vec![why]))),
        }
    }

    /// The files already attached to `to`, each with where its stored copy is (for the
    /// preview), in the order they were added.
    pub(super) fn list_attached(&self, to: &AttachTo) -> Result<Vec<Stored>, String> {
        let files = self.store.attachment_files();
        let records = self
            .store
            .attachments_of(to.id)
            .map_err(|e| e.to_string())?;
        Ok(records
            .into_iter()
            .filter(|a| a.data.item_code.as_deref() == to.item.as_deref())
            .map(|record| Stored {
                path: files.path_of(&record.data.sha256),
                record,
            })
            .collect())
    }
}

/// Attaches `files` to the record `to` names, all or none, telling `progress` the bytes
/// copied; every reason for a refusal, one per line. Remembers the folder for next time.
pub fn attach(
    store: &mut Store,
    to: &AttachTo,
    files: &[PathBuf],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<Record<Attachment>>, Vec<String>> {
    let lines =
        |e: StoreError| -> Vec<String> { e.to_string().lines().map(str::to_string).collect() };
    let target = store
        .attachment_target(to.id, to.item.as_deref())
        .map_err(lines)?;
    let rules = store.attachment_rules();
    let added = store
        .attach_with_progress(&target, to.role, "", files, &rules, progress)
        .map_err(lines)?;
    if let Some(dir) = files.first().and_then(|f| f.parent()) {
        // The folder is a convenience: failing to remember it loses nothing.
        let _ = store.remember_attach_folder(&dir.display().to_string());
    }
    Ok(added)
}

/// Windows hides with attributes, not a leading dot: a USB stick's `System Volume
/// Information` and `$RECYCLE.BIN`, `desktop.ini`, `Thumbs.db` are hidden or system files.
fn hidden_on_windows(meta: &std::fs::Metadata) -> bool {
    #[cfg(windows)]
    {
        use std::os::windows::fs::MetadataExt;
        const HIDDEN_OR_SYSTEM: u32 = 0x2 | 0x4; // FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM
        meta.file_attributes() & HIDDEN_OR_SYSTEM != 0
    }
    #[cfg(not(windows))]
    {
        let _ = meta;
        false
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
        if hidden_on_windows(&meta) {
            continue;
        }
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
