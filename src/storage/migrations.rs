//! Versioned schema migrations on `PRAGMA user_version`.
//!
//! Migration N (1-based) takes the schema from version N-1 to N. Each runs in its own
//! transaction together with the version bump, so a crash mid-upgrade leaves the previous
//! version intact. Migrations are append-only: a shipped one is never edited.

use super::error::Result;
use rusqlite::{Connection, TransactionBehavior};

pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_registry.sql"),
    include_str!("migrations/0002_inspections.sql"),
    include_str!("migrations/0003_hazards.sql"),
    include_str!("migrations/0004_records.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies the migrations after `current` up to and including `target`.
pub fn migrate(conn: &mut Connection, target: i64) -> Result<()> {
    let current = schema_version(conn)?;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current || version > target {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
