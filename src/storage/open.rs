//! Opening a data directory safely: refuse what is not ours or is newer, back up before an
//! upgrade, and never write to a file before knowing it is a sound paicha database.

use super::error::{Result, StoreError, describe_io};
use super::migrations;
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Serialises the open sequence between processes: two paicha processes starting together on
/// a new data directory must not both create the schema or switch the journal mode.
pub(super) struct OpeningLock {
    /// Held for its lock; released when dropped.
    _file: std::fs::File,
}

/// The lock file beside the database.
pub const OPENING_LOCK_FILE: &str = "paicha.open.lock";

impl OpeningLock {
    pub(super) fn acquire(dir: &Path) -> Result<OpeningLock> {
        let path = dir.join(OPENING_LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            // The directory is there (it was just created or found), but no file can be made
            // in it: it is not writable, whatever the system's exact reason.
            .map_err(|_| StoreError::ReadOnly {
                path: dir.to_path_buf(),
            })?;
        file.lock().map_err(|e| StoreError::CreateDir {
            path: dir.to_path_buf(),
            reason: describe_io(&e),
        })?;
        Ok(OpeningLock { _file: file })
    }
}

/// The schema version and the number of schema objects, read in one statement so they come
/// from one consistent snapshot even while another process is migrating.
pub(super) fn version_and_objects(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                (SELECT count(*) FROM sqlite_schema)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Checks an existing database file through a read-only connection, which can neither write
/// nor checkpoint: a foreign, damaged or newer file is refused exactly as it was found.
pub(super) fn inspect_existing(path: &Path, dir: &Path) -> Result<()> {
    if !check_header(path)? {
        return Ok(()); // an empty file: SQLite will initialise it
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| at_path(e.into(), path, dir))?;
    let (version, objects) =
        version_and_objects(&conn).map_err(|e| at_path(e.into(), path, dir))?;
    refuse_unless_ours(version, objects, path)
}

/// A paicha database has a known version; tables without a version belong to another program.
pub(super) fn refuse_unless_ours(version: i64, objects: i64, path: &Path) -> Result<()> {
    if version > migrations::LATEST {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    if version == 0 && objects > 0 {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Before the first upgrade step of an existing database: a full check (an upgrade writes
/// everywhere, so a damaged file must be caught first), then a durable copy beside it.
pub(super) fn prepare_upgrade(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    let backup = path.with_file_name(format!("{}.v{version}.bak", super::DB_FILE));
    if backup.exists() {
        return Ok(());
    }
    let partial = path.with_file_name(format!(
        "{}.v{version}.bak.{}.partial",
        super::DB_FILE,
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
    let sync = |p: &Path| std::fs::File::open(p).and_then(|f| f.sync_all());
    sync(&partial)
        .and_then(|()| std::fs::rename(&partial, &backup))
        .and_then(|()| super::dir_sync::sync_dir(path.parent().unwrap_or(Path::new("."))))
        .map_err(|e| StoreError::Invalid(format!("升级前备份失败：{}", describe_io(&e))))
}

/// Is the file non-empty? Errors when it does not start with the SQLite header.
fn check_header(path: &Path) -> Result<bool> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|_| StoreError::ReadOnly {
        path: path.to_path_buf(),
    })?;
    let mut filled = 0;
    while filled < header.len() {
        match file.read(&mut header[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    if filled == 0 {
        return Ok(false);
    }
    if filled < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    Ok(true)
}

/// Puts the real paths into errors classified without them.
pub(super) fn at_path(e: StoreError, path: &Path, dir: &Path) -> StoreError {
    match e {
        StoreError::Damaged | StoreError::Corrupt { .. } => StoreError::Corrupt {
            path: path.to_path_buf(),
        },
        StoreError::NotWritable | StoreError::ReadOnly { .. } => StoreError::ReadOnly {
            path: PathBuf::from(dir),
        },
        other => other,
    }
}
