//! The content-addressed store of attached files: `<data dir>/attachments/<sha256>`, the
//! original bytes, never re-encoded, never deleted.
//!
//! A file comes in by streaming: it is copied in 1 MB pieces to a staging file in
//! `attachments/.staging/`, hashed while copied, and checked to be the same file after the
//! copy as before (size, modification time, bytes read). Only then is it placed: the staging
//! file is synced, renamed to its hash, and the folder synced. The record naming it commits
//! after that, so a record never names a file that is not on disk. The same bytes twice are
//! stored once.
//!
//! A staging file is locked by the process writing it. Opening a store clears staging files
//! nobody holds that are older than a minute: what a crash or a kill left behind.

use super::dir_sync::sync_dir;
use crate::domain::attachment::CaptureSource;
use crate::media::{self, Capture, sniff};
use crate::storage::error::describe_io;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The store's folder in the data dir.
pub const DIR: &str = "attachments";
/// Where files are copied before they are placed.
pub const STAGING: &str = ".staging";
const PIECE: usize = 1 << 20;
/// A staging file untouched this long and unlocked is what a crash left.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// The store in one data dir.
#[derive(Debug, Clone)]
pub struct Files {
    root: PathBuf,
}

/// A file to attach, checked before anything is copied, and held open.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    file: File,
    /// Its size when checked (a copy of another size is refused).
    pub len: u64,
    modified: Option<SystemTime>,
    pub media_type: &'static str,
    pub file_name: String,
}

/// A file copied to staging and hashed, not yet placed. Dropped unplaced, its staging file
/// is removed.
#[derive(Debug)]
pub struct Staged {
    pub source: PathBuf,
    path: PathBuf,
    file: Option<File>,
    pub sha256: String,
    pub size: u64,
    pub media_type: &'static str,
    pub file_name: String,
    pub capture: Capture,
    /// The capture time to record and where it came from: the file's own, else its
    /// modification time.
    pub captured_at: Option<DateTime<Utc>>,
    pub capture_source: CaptureSource,
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Checks `path` before copying: a regular file (not a folder, not a symlink), readable, not
/// empty, at most `max_bytes`, of a supported type by its first bytes. The refusal in Chinese.
pub fn check_source(path: &Path, max_bytes: u64) -> Result<Source, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        _ => format!("无法读取：{}", describe_io(&e)),
    })?;
    if meta.file_type().is_symlink() {
        return Err("是符号链接（快捷方式），不作为证据接受：请选择它指向的实际文件".into());
    }
    if meta.is_dir() {
        return Err("是文件夹，不是文件：请选择其中的照片或视频".into());
    }
    if !meta.is_file() {
        return Err("不是普通文件".into());
    }
    if meta.len() == 0 {
        return Err("是空文件（0 字节）".into());
    }
    if meta.len() > max_bytes {
        return Err(format!(
            "大小 {}，超过上限 {}（config/rules.toml 的 [attachments] max_file_mb）",
            size_text(meta.len()),
            size_text(max_bytes)
        ));
    }
    let mut file = open_no_follow(path).map_err(|e| format!("无法读取：{}", describe_io(&e)))?;
    let opened = file
        .metadata()
        .map_err(|e| format!("无法读取：{}", describe_io(&e)))?;
    if !same_file(&meta, &opened) {
        return Err("在检查时被替换了：请重新添加".into());
    }
    let mut head = Vec::with_capacity(sniff::HEAD);
    (&mut file)
        .take(sniff::HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| format!("无法读取：{}", describe_io(&e)))?;
    let Some(media_type) = sniff::media_type(&head) else {
        return Err(format!(
            "不是支持的文件类型（按文件内容判断，不看扩展名）。支持：{}",
            sniff::SUPPORTED_TEXT
        ));
    };
    Ok(Source {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        path: path.to_path_buf(),
        file,
        len: opened.len(),
        modified: opened.modified().ok(),
        media_type,
    })
}

/// Opens `path` for reading. Windows: without following a symlink or junction
/// (FILE_FLAG_OPEN_REPARSE_POINT), so a link swapped in after the check is opened as the link
/// itself, and [`same_file`] refuses it. Unix: a plain open (checked by device and inode).
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(windows)]
    std::os::windows::fs::OpenOptionsExt::custom_flags(
        &mut options,
        windows_sys::Win32::Storage::FileSystem::FILE_FLAG_OPEN_REPARSE_POINT,
    );
    options.open(path)
}

/// Whether the file opened (`opened`) is the one checked (`checked`), not a symlink or another
/// file swapped in meanwhile.
fn same_file(checked: &std::fs::Metadata, opened: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (opened.dev(), opened.ino()) == (checked.dev(), checked.ino())
    }
    // Windows: std's volume serial and file index are unstable (`windows_by_handle`), and
    // the path's metadata carries none. The open did not follow links, so the handle's own
    // type shows a link swapped in; another regular file swapped in shows by its size,
    // creation and modification times (the user chose that path anyway).
    #[cfg(not(unix))]
    {
        opened.is_file()
            && !opened.file_type().is_symlink()
            && opened.len() == checked.len()
            && opened.created().ok() == checked.created().ok()
            && opened.modified().ok() == checked.modified().ok()
    }
}

/// "5.0 MB", "812 KB", "96 字节".
pub fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} 字节")
    }
}

impl Files {
    pub fn in_data_dir(data_dir: &Path) -> Files {
        Files {
            root: data_dir.join(DIR),
        }
    }

    /// Where the file with this hash is (or would be) stored.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join(sha256)
    }

    fn staging(&self) -> PathBuf {
        self.root.join(STAGING)
    }

    /// Removes staging files no process holds and nobody touched for a minute; how many.
    pub fn clear_stale_staging(&self) -> usize {
        let Ok(entries) = std::fs::read_dir(self.staging()) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .is_some_and(|age| age >= STALE_AFTER);
            if !old {
                continue;
            }
            let Ok(file) = OpenOptions::new().write(true).open(&path) else {
                continue;
            };
            if file.try_lock().is_ok() && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// Copies `source` to a staging file, hashing it, and checks it did not change meanwhile;
    /// reads its capture time and place from the copy. The refusal in Chinese.
    pub fn stage(&self, source: Source) -> Result<Staged, String> {
        self.stage_counted(source, &mut |_| {})
    }

    /// [`Files::stage`], telling `read` each piece's size as it is copied (progress by bytes).
    pub fn stage_counted(
        &self,
        mut source: Source,
        read: &mut dyn FnMut(u64),
    ) -> Result<Staged, String> {
        let io = |e: std::io::Error| format!("复制失败：{}", describe_io(&e));
        let staging = self.staging();
        if !staging.is_dir() {
            std::fs::create_dir_all(&staging).map_err(io)?;
            let _ = sync_dir(&self.root);
            let _ = self.root.parent().map(sync_dir);
        }
        let path = staging.join(format!("{}.part", uuid::Uuid::now_v7()));
        let out = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        // From here on, dropping `staged` removes the staging file.
        let mut staged = Staged {
            source: source.path.clone(),
            path,
            file: None,
            sha256: String::new(),
            size: 0,
            media_type: source.media_type,
            file_name: std::mem::take(&mut source.file_name),
            capture: Capture::default(),
            captured_at: None,
            capture_source: CaptureSource::FileTime,
        };
        out.try_lock()
            .map_err(|_| "暂存文件被占用，请重试".to_string())?;
        staged.file = Some(out);
        let changed =
            || "在复制过程中发生了变化（可能还在写入或同步）：请等它完成后再添加".to_string();
        use std::io::Seek;
        source.file.rewind().map_err(io)?;
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(sniff::HEAD);
        let mut buf = vec![0u8; PIECE];
        let mut copied: u64 = 0;
        let file = staged.file.as_mut().ok_or_else(changed)?;
        loop {
            let n = match source.file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("读取失败：{}", describe_io(&e))),
            };
            copied += n as u64;
            if copied > source.len {
                return Err(changed());
            }
            if head.len() < sniff::HEAD {
                let want = (sniff::HEAD - head.len()).min(n);
                head.extend_from_slice(&buf[..want]);
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(io)?;
            read(n as u64);
        }
        let after = source.file.metadata().map_err(io)?;
        if copied != source.len
            || after.len() != source.len
            || after.modified().ok() != source.modified
        {
            return Err(changed());
        }
        // The type is decided again on the bytes copied: those are what is stored.
        if sniff::media_type(&head) != Some(source.media_type) {
            return Err(changed());
        }
        file.flush().map_err(io)?;
        file.rewind().map_err(io)?;
        staged.capture = media::capture(source.media_type, file);
        staged.sha256 = hex(&hasher.finalize());
        staged.size = copied;
        (staged.captured_at, staged.capture_source) = match staged.capture.at {
            Some((t, how)) => (Some(t), how),
            None => (
                source.modified.map(DateTime::<Utc>::from),
                CaptureSource::FileTime,
            ),
        };
        Ok(staged)
    }

    /// Streams a file a bundle carries to a staging file (created exclusive and locked),
    /// hashing it and keeping its first bytes for the type; at most `limit` bytes are taken
    /// (one more is an error). `read` is told each piece's size (progress by bytes). The
    /// type is what the first bytes show (`media_type` empty if none).
    pub fn stage_stream(
        &self,
        from: &mut dyn Read,
        limit: u64,
        name: &str,
        read: &mut dyn FnMut(u64),
    ) -> Result<Staged, String> {
        let io = |e: std::io::Error| format!("暂存附件失败：{}", describe_io(&e));
        let staging = self.staging();
        if !staging.is_dir() {
            std::fs::create_dir_all(&staging).map_err(io)?;
            let _ = sync_dir(&self.root);
            let _ = self.root.parent().map(sync_dir);
        }
        let path = staging.join(format!("{}.part", uuid::Uuid::now_v7()));
        let out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        let mut staged = Staged {
            source: PathBuf::from(name),
            path,
            file: None,
            sha256: String::new(),
            size: 0,
            media_type: "",
            file_name: name.to_string(),
            capture: Capture::default(),
            captured_at: None,
            capture_source: CaptureSource::FileTime,
        };
        out.try_lock()
            .map_err(|_| "暂存文件被占用，请重试".to_string())?;
        staged.file = Some(out);
        let Some(file) = staged.file.as_mut() else {
            return Err("暂存文件已不在".into());
        };
        let (sha256, size, media_type) =
            copy_hashed(from, Some(file as &mut dyn Write), limit, read)?;
        (staged.sha256, staged.size, staged.media_type) = (sha256, size, media_type);
        Ok(staged)
    }

    /// Puts a staged file in the store, durably: synced, renamed to its hash, folder synced.
    /// Bytes already stored are not written again (the staging copy is dropped).
    pub fn place(&self, mut staged: Staged) -> Result<(), String> {
        let io = |e: std::io::Error| format!("写入附件存储失败：{}", describe_io(&e));
        let dest = self.path_of(&staged.sha256);
        if std::fs::metadata(&dest).is_ok_and(|m| m.len() == staged.size) {
            return Ok(()); // the same bytes are stored already; `staged` drops its copy
        }
        let Some(file) = staged.file.take() else {
            return Err("暂存文件已不在".into());
        };
        let placed = (|| {
            file.sync_all()?;
            let mut perms = file.metadata()?.permissions();
            perms.set_readonly(true);
            file.set_permissions(perms)?;
            drop(file); // unlocks; Windows renames no open file
            std::fs::rename(&staged.path, &dest)?;
            sync_dir(&self.root)
        })();
        if placed.is_err() {
            let _ = std::fs::remove_file(&staged.path);
        }
        placed.map_err(io)
    }
}

/// Copies `from` (at most `limit` bytes; one more is an error starting "超过") to `to` if given, in 1 MB pieces: its SHA-256, size
/// and the type its first bytes show ("" if none).
pub fn copy_hashed(
    from: &mut dyn Read,
    mut to: Option<&mut dyn Write>,
    limit: u64,
    read: &mut dyn FnMut(u64),
) -> Result<(String, u64, &'static str), String> {
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(sniff::HEAD);
    let mut buf = vec![0u8; PIECE];
    let mut size: u64 = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("读取失败：{}", describe_io(&e))),
        };
        size += n as u64;
        if size > limit {
            return Err(format!("超过 {} 的上限", size_text(limit)));
        }
        if head.len() < sniff::HEAD {
            let want = (sniff::HEAD - head.len()).min(n);
            head.extend_from_slice(&buf[..want]);
        }
        hasher.update(&buf[..n]);
        if let Some(out) = to.as_mut() {
            out.write_all(&buf[..n])
                .map_err(|e| format!("暂存附件失败：{}", describe_io(&e)))?;
        }
        read(n as u64);
    }
    Ok((
        hex(&hasher.finalize()),
        size,
        sniff::media_type(&head).unwrap_or(""),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
