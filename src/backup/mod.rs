//! Backups of a data dir (issue 18): `paicha backup --out FILE` and `paicha restore FILE`.
//!
//! A backup is an age file (passphrase, scrypt) holding a zip: `paicha.db` (a consistent copy
//! by SQLite's online backup), `attachments/<sha256>` (every stored file the records name) and
//! `manifest.json` (each entry's hash and size). No private key is in it: a lost stick leaks
//! nothing that signs, and a restored machine gets a new device id and a new key, which the
//! office enrols; what the old key signed stays valid.

mod read;
mod write;

pub use read::{RestoreSummary, restore, verify};
pub use write::{BackupSummary, backup};

use age::secrecy::SecretString;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "paicha-backup";
pub const VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const DATABASE: &str = "paicha.db";
pub const ATTACHMENTS: &str = "attachments/";
/// An age file's first line: how an existing file is known to be a backup before it is
/// replaced.
pub const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";

/// The shortest passphrase taken: the file may be carried on a stick and lost.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub producer: String,
    pub created_at: DateTime<Utc>,
    /// The device the backup was taken on.
    pub device: String,
    pub database: Entry,
    pub attachments: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] crate::storage::StoreError),
    #[error("{what} {path}：{reason}")]
    Io {
        what: &'static str,
        path: String,
        reason: String,
    },
    #[error("口令不对，无法打开备份文件 {0}")]
    WrongPassphrase(String),
    #[error("{0} 不是 paicha 的备份文件（或已损坏）：{1}")]
    NotABackup(String, String),
    #[error("{0}")]
    Refused(String),
}

/// The passphrase, checked for length (what `backup` takes; `restore` takes any).
pub fn passphrase(text: String) -> Result<SecretString, BackupError> {
    if text.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupError::Refused(format!(
            "口令至少 {MIN_PASSPHRASE_CHARS} 个字符：备份可能随 U 盘丢失，口令是唯一的保护"
        )));
    }
    Ok(SecretString::from(text))
}

/// A staging file or folder, removed when dropped unless the work completed (`.0 = None`):
/// a refused or failed backup or restore leaves nothing behind.
struct Leftover(Option<std::path::PathBuf>);

impl Drop for Leftover {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
}

fn io(what: &'static str, path: &std::path::Path, e: &std::io::Error) -> BackupError {
    BackupError::Io {
        what,
        path: path.display().to_string(),
        reason: crate::storage::error::describe_io(e),
    }
}

fn zip_error(path: &std::path::Path, e: zip::result::ZipError) -> BackupError {
    match e {
        zip::result::ZipError::Io(e) => io("读写备份文件失败", path, &e),
        other => BackupError::NotABackup(path.display().to_string(), other.to_string()),
    }
}
