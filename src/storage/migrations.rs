//! Versioned schema migrations on `PRAGMA user_version`.
//!
//! Migration N (1-based) takes the schema from version N-1 to N. Each runs in its own
//! transaction together with the version bump, so a crash mid-upgrade leaves the previous
//! version intact. Migrations are append-only: a shipped one is never edited.

use super::error::{Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_registry.sql"),
    include_str!("migrations/0002_inspections.sql"),
    include_str!("migrations/0003_hazards.sql"),
    include_str!("migrations/0004_records.sql"),
    include_str!("migrations/0005_addenda.sql"),
    include_str!("migrations/0006_hazard_status.sql"),
    include_str!("migrations/0007_bundles.sql"),
    include_str!("migrations/0008_documents.sql"),
    include_str!("migrations/0009_roster.sql"),
    include_str!("migrations/0010_departure_and_issue.sql"),
    include_str!("migrations/0011_referral.sql"),
    include_str!("migrations/0012_corrections.sql"),
    include_str!("migrations/0013_attachments.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the schema up to `target`, one migration per transaction. The version is read again
/// under the write lock, so two processes starting together never apply a step twice.
pub fn migrate(conn: &mut Connection, target: i64, path: &Path) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (version, objects) = super::open::version_and_objects(&tx)?;
        super::open::refuse_unless_ours(version, objects, path)?;
        if version >= target {
            return Ok(()); // nothing written: the transaction just ends
        }
        let step = MIGRATIONS
            .get(version as usize)
            .ok_or_else(|| StoreError::Invalid(format!("缺少数据版本 {version} 的升级步骤")))?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}
