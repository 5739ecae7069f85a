//! What a backup needs of the database: a consistent copy taken while others may write, and
//! when the last backup and the last export were made (the home screen's reminder).

use super::profile::read_meta;
use super::sql::ts;
use super::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, params};
use std::path::Path;

const LAST_BACKUP_KEY: &str = "last_backup_at";

impl Store {
    /// Copies the whole database to the new file `to` in one step of SQLite's online backup
    /// (one read transaction: a consistent state even while the TUI writes), then checks the
    /// copy (`PRAGMA integrity_check`). Returns the hashes of the stored files it names.
    pub fn snapshot_to(&self, to: &Path) -> Result<Vec<String>> {
        let mut copy = Connection::open_with_flags(
            to,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        {
            use rusqlite::backup::StepResult;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
            // -1: every page in one step, under one read transaction. Busy or locked only
            // while another connection holds a write lock on the copy's side: wait and retry.
            for _ in 0..600 {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More | StepResult::Busy | StepResult::Locked => {
                        std::thread::sleep(std::time::Duration::from_millis(50))
                    }
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
        }
        // One file, no -wal beside it: the copy stands alone.
        copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Invalid(format!(
                "数据库副本未通过完整性检查：{check}"
            )));
        }
        let mut stmt = copy.prepare("SELECT DISTINCT sha256 FROM attachments ORDER BY sha256")?;
        let hashes = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hashes)
    }

    /// Notes that a backup was written and checked now.
    pub fn record_backup(&mut self) -> Result<()> {
        let now = ts(self.now());
        // An immediate transaction waits for another writer (the TUI, a CLI command); a bare
        // statement may be told "busy" at once when its read snapshot is stale.
        let tx = super::write_tx(&mut self.conn)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![LAST_BACKUP_KEY, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// When data last left this machine: the later of the last backup and the last export.
    pub fn last_safeguard(&self) -> Result<Option<DateTime<Utc>>> {
        let backup = read_meta(&self.conn, LAST_BACKUP_KEY)?;
        let export: Option<String> =
            self.conn
                .query_row("SELECT max(exported_at) FROM export_log", [], |r| r.get(0))?;
        Ok([backup, export]
            .into_iter()
            .flatten()
            .filter_map(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc))
            .max())
    }
}

/// Removes the database copies of backups that were cut short (a kill -9, a dead battery):
/// `<data dir>/.backup-*` folders untouched for an hour (a backup running now is younger).
pub fn clear_stale_backup_staging(data_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600));
        if stale && entry.file_name().to_string_lossy().starts_with(".backup-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Makes a restored database this machine's own: a new device id, and a new profile record for
/// the same person, so what is signed from now on is signed by a new key (the old key stayed on
/// the lost machine; what it signed stays valid). `conn` is the restored file, not yet opened as
/// a store.
pub fn make_restored_copy_new_device(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'replica_id'",
        [uuid::Uuid::now_v7().to_string()],
    )?;
    // The unnamed author of a machine without a profile is made again on first write.
    conn.execute("DELETE FROM meta WHERE key = 'unnamed_author_id'", [])?;
    Ok(())
}
