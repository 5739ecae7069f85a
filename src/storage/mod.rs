//! SQLite storage: one file per data directory, durable commits, append-only records.
//!
//! The rest of the program speaks in domain types; only this module knows SQL. Every public
//! write is one transaction that is durable (WAL + `synchronous=FULL`) when the call returns.

mod enterprises;
pub mod error;
mod hazards;
mod inspections;
pub mod migrations;
mod profile;
mod records;
mod sql;

pub use enterprises::RosterSummary;
pub use error::{Result, StoreError};

use crate::domain::{Clock, RecordMeta};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// The database file inside a data directory.
pub const DB_FILE: &str = "paicha.db";

/// How long a write waits for another paicha process before saying the data is busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    replica_id: Uuid,
    clock: Arc<dyn Clock>,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
    ///
    /// Refuses, without writing anything, a file that is not a SQLite database and a database
    /// from a newer paicha.
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::CreateDir {
            path: data_dir.to_path_buf(),
            reason: error::describe_io(&e),
        })?;
        let path = data_dir.join(DB_FILE);
        let exists = path.exists();
        if exists {
            check_header(&path)?;
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(e, &path, data_dir))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;

        // Read the version before anything writes to the file.
        let version = migrations::schema_version(&conn).map_err(|e| at_path(e, &path, data_dir))?;
        if version > migrations::LATEST {
            return Err(StoreError::NewerSchema {
                path,
                found: version,
                supported: migrations::LATEST,
            });
        }
        // Parse the schema before anything is written: a damaged file fails here, untouched, and
        // another program's SQLite file (tables but no paicha version) is not ours to change.
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| at_path(e.into(), &path, data_dir))?;
        if version == 0 && objects > 0 {
            return Err(StoreError::Corrupt { path });
        }
        configure(&conn).map_err(|e| at_path(e, &path, data_dir))?;
        if exists && version > 0 && version < migrations::LATEST {
            backup_before_upgrade(&conn, &path, version)?;
        }
        migrations::migrate(&mut conn, migrations::LATEST)
            .map_err(|e| at_path(e, &path, data_dir))?;
        let replica_id = profile::ensure_replica(&conn, clock.now())?;
        Ok(Store {
            conn,
            path,
            replica_id,
            clock,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This device's id, made on first run.
    pub fn replica_id(&self) -> Uuid {
        self.replica_id
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Provenance for a new record by `author_id` on this device, now.
    fn new_meta(&self, author_id: Uuid) -> RecordMeta {
        RecordMeta::new(author_id, self.replica_id, self.clock.now())
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// The journal mode in force ("wal").
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }
}

/// A write transaction that takes the write lock up front, so a concurrent writer makes it
/// wait (busy timeout) instead of failing halfway with a stale snapshot.
fn write_tx(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

fn configure(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Invalid(format!(
            "数据库无法切换到 WAL 日志模式（当前为 {mode}），数据目录可能在不支持的文件系统上"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Keeps a consistent copy of the database before a schema upgrade.
fn backup_before_upgrade(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let backup = path.with_file_name(format!("{DB_FILE}.v{version}.bak"));
    if !backup.exists() {
        conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()])?;
    }
    Ok(())
}

/// A non-empty file that does not start with the SQLite header is not ours to touch.
fn check_header(path: &Path) -> Result<()> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|_| StoreError::ReadOnly {
        path: path.to_path_buf(),
    })?;
    let n = read_up_to(&mut file, &mut header);
    if n == 0 {
        return Ok(());
    }
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    filled
}

fn classify_open_error(e: rusqlite::Error, path: &Path, dir: &Path) -> StoreError {
    at_path(StoreError::from(e), path, dir)
}

/// Puts the real paths into errors that were classified without them.
fn at_path(e: StoreError, path: &Path, dir: &Path) -> StoreError {
    match e {
        StoreError::Corrupt { .. } => StoreError::Corrupt {
            path: path.to_path_buf(),
        },
        StoreError::ReadOnly { .. } => StoreError::ReadOnly {
            path: dir.to_path_buf(),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests;
