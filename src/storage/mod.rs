//! SQLite storage: one file per data directory, durable commits, append-only records.
//!
//! The rest of the program speaks in domain types; only this module knows SQL. Every public
//! write is one transaction that is durable (WAL + `synchronous=FULL`) when the call returns.

pub mod attachment_files;
pub mod attachments;
mod authority;
pub mod backup;
pub mod bundle;
pub(crate) mod corrections;
pub mod dir_sync;
mod documents;
mod enterprises;
pub mod error;
mod follow_up;
mod hazard_status;
mod hazards;
mod held;
pub(crate) mod inspections;
pub mod migrations;
mod monthly;
mod open;
mod profile;
pub(crate) mod records;
mod roster;
mod session;
mod sql;

pub use attachments::Target as AttachmentTarget;
pub use documents::IssuedNumber;
pub use enterprises::RosterSummary;
pub use error::{Result, StoreError, describe_io};
pub use hazard_status::HazardSummary;
pub use hazards::LedgerRow;
pub use held::HeldBundle;
pub use inspections::DraftSummary;
pub use monthly::{EnterpriseFact, InspectionFact};
pub use profile::UNNAMED_PROFILE;
pub use roster::new_person_id;

/// A time as records store it (fixed-width RFC 3339 UTC).
pub fn sql_time(t: chrono::DateTime<chrono::Utc>) -> String {
    sql::ts(t)
}

use crate::domain::trust::{Permissions, Roster};
use crate::domain::{Clock, RecordMeta};
use rusqlite::{Connection, OpenFlags, Transaction};
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
    /// Who may take which step (`config/rules.toml`); the built-in table until the caller
    /// sets the configured one.
    permissions: Arc<Permissions>,
    /// The evidence forms in force (`config/forms`): what a correction of evidence is checked
    /// against, here and on import. The shipped ones until the caller sets the configured.
    forms: Option<Arc<Vec<crate::templates::forms::FormDef>>>,
    /// Size caps on attachments (`[attachments]`): per file, and per bundle on export/import.
    attachment_rules: crate::domain::attachment::AttachmentRules,
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
        let here = |e: StoreError| open::at_path(e, &path, data_dir);
        // One process at a time creates, checks or upgrades the file; held only while opening.
        let _opening = open::OpeningLock::acquire(data_dir)?;
        if path.exists() {
            open::inspect_existing(&path, data_dir)?;
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| here(e.into()))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| here(e.into()))?;
        configure(&conn).map_err(here)?;
        let (version, objects) = open::version_and_objects(&conn).map_err(|e| here(e.into()))?;
        open::refuse_unless_ours(version, objects, &path)?;
        if version > 0 && version < migrations::LATEST {
            open::prepare_upgrade(&conn, &path, version).map_err(here)?;
        }
        migrations::migrate(&mut conn, migrations::LATEST, &path).map_err(here)?;
        hazard_status::ensure_current(&mut conn).map_err(here)?;
        bundle::sign::ensure_backfilled(&mut conn, clock.now()).map_err(here)?;
        let replica_id = profile::ensure_replica(&mut conn, clock.now()).map_err(here)?;
        attachment_files::Files::in_data_dir(data_dir).clear_stale_staging();
        backup::clear_stale_backup_staging(data_dir);
        Ok(Store {
            conn,
            path,
            replica_id,
            clock,
            permissions: Arc::new(Permissions::default()),
            forms: None,
            attachment_rules: Default::default(),
        })
    }

    /// A second, read-only handle on the same database, for reading on another thread while
    /// this one writes (WAL lets readers and one writer run together). Any write through it
    /// fails.
    pub fn reader(&self) -> Result<Store> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "query_only", "ON")?;
        Ok(Store {
            conn,
            path: self.path.clone(),
            replica_id: self.replica_id,
            clock: self.clock.clone(),
            permissions: self.permissions.clone(),
            forms: self.forms.clone(),
            attachment_rules: self.attachment_rules,
        })
    }

    /// A second read-write handle on the same database, for a long write (a bundle import or
    /// export) on another thread while this one stays responsive. Writes through either are
    /// serialised by SQLite's lock and the busy timeout.
    pub fn twin(&self) -> Result<Store> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        configure(&conn)?;
        Ok(Store {
            conn,
            path: self.path.clone(),
            replica_id: self.replica_id,
            clock: self.clock.clone(),
            permissions: self.permissions.clone(),
            forms: self.forms.clone(),
            attachment_rules: self.attachment_rules,
        })
    }

    /// Changes whenever another connection (another window, a CLI command, an import) has
    /// committed to the database since the last call; this connection's own commits leave it
    /// alone. What cached views check before they are reused.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Sets the table of who may take which step (from the configuration in force).
    pub fn set_permissions(&mut self, permissions: Permissions) {
        self.permissions = Arc::new(permissions);
    }

    /// Sets the size caps on attachments (from the configuration).
    pub fn set_attachment_rules(&mut self, rules: crate::domain::attachment::AttachmentRules) {
        self.attachment_rules = rules;
    }

    /// The size caps on attachments in force.
    pub fn attachment_rules(&self) -> crate::domain::attachment::AttachmentRules {
        self.attachment_rules
    }

    /// Sets the evidence forms in force (from the configuration).
    pub fn set_forms(&mut self, forms: Vec<crate::templates::forms::FormDef>) {
        self.forms = Some(Arc::new(forms));
    }

    /// The evidence forms in force: the configured ones, else the shipped ones.
    pub fn forms(&self) -> Arc<Vec<crate::templates::forms::FormDef>> {
        self.forms
            .clone()
            .unwrap_or_else(|| Arc::new(crate::templates::forms::shipped().unwrap_or_default()))
    }

    /// This data dir's private keys (`keys/` beside the database).
    pub fn keys(&self) -> crate::identity::Keys {
        crate::identity::Keys::in_data_dir(self.path.parent().unwrap_or(Path::new(".")))
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

    /// Runs one user action as one write transaction (taking the write lock up front): all of
    /// it is on disk when this returns, or none of it.
    fn write<T>(&mut self, action: impl FnOnce(&Transaction, &Stamp) -> Result<T>) -> Result<T> {
        let stamp = Stamp {
            replica: self.replica_id,
            now: self.clock.now(),
            permissions: self.permissions.clone(),
            roster: std::cell::OnceCell::new(),
        };
        let tx = write_tx(&mut self.conn)?;
        let out = action(&tx, &stamp)?;
        tx.commit()?;
        Ok(out)
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

/// Where and when the records of one write are made; who comes from the profile.
struct Stamp {
    replica: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    permissions: Arc<Permissions>,
    /// The roster, read once per write when a step needs it.
    roster: std::cell::OnceCell<Option<Roster>>,
}

impl Stamp {
    /// The author of records written in `tx`.
    fn author(&self, tx: &Connection) -> Result<Uuid> {
        profile::author_in(tx, self.replica, self.now)
    }

    /// Provenance for a new record written in `tx`.
    fn meta(&self, tx: &Connection) -> Result<RecordMeta> {
        Ok(RecordMeta::new(self.author(tx)?, self.replica, self.now))
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
    // Imports cycle through a statement per kind and check: keep them all prepared.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

#[cfg(test)]
mod tests;
