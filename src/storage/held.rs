//! Bundles held for a clerk's review: not applied, kept in the data dir's `held/` folder and
//! listed here until they are imported (after the clerk enrolled or released the keys) or
//! rejected.

use super::sql::ts;
use super::{Result, Store};
use rusqlite::params;

/// One held bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBundle {
    pub sha256: String,
    pub file_name: String,
    /// Path relative to the data dir.
    pub stored_as: String,
    pub held_at: String,
    pub reason: String,
    /// `None` while waiting; `imported` or `rejected` once decided.
    pub resolution: Option<String>,
}

impl Store {
    /// Lists a bundle as held (once per file: holding it again keeps the first reason).
    pub fn record_held(
        &mut self,
        sha256: &str,
        file_name: &str,
        stored_as: &str,
        reason: &str,
    ) -> Result<()> {
        self.write(|tx, stamp| {
            tx.execute(
                "INSERT INTO held_bundles (sha256, file_name, stored_as, held_at, held_by, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
                params![
                    sha256,
                    file_name,
                    stored_as,
                    ts(stamp.now),
                    stamp.author(tx)?.to_string(),
                    reason
                ],
            )?;
            Ok(())
        })
    }

    /// Every held bundle, oldest first.
    pub fn held_bundles(&self) -> Result<Vec<HeldBundle>> {
        super::sql::query_all(
            &self.conn,
            "SELECT sha256, file_name, stored_as, held_at, reason, resolution FROM held_bundles
             ORDER BY held_at, sha256",
            [],
            |r| {
                Ok(HeldBundle {
                    sha256: r.get(0)?,
                    file_name: r.get(1)?,
                    stored_as: r.get(2)?,
                    held_at: r.get(3)?,
                    reason: r.get(4)?,
                    resolution: r.get(5)?,
                })
            },
        )
    }

    /// Marks a held bundle as imported or rejected.
    pub fn resolve_held(&mut self, sha256: &str, imported: bool) -> Result<bool> {
        self.write(|tx, stamp| {
            let n = tx.execute(
                "UPDATE held_bundles SET resolved_at = ?2, resolution = ?3
                 WHERE sha256 = ?1 AND resolution IS NULL",
                params![
                    sha256,
                    ts(stamp.now),
                    if imported { "imported" } else { "rejected" }
                ],
            )?;
            Ok(n > 0)
        })
    }

    /// Ids of every record the key `public_key` signed that this database holds: what the
    /// office lists as received when it revokes the key.
    pub fn records_signed_by(&self, public_key: &str) -> Result<Vec<uuid::Uuid>> {
        let ids: Vec<String> = super::sql::query_all(
            &self.conn,
            "SELECT record_id FROM record_signatures WHERE public_key = ?1
             UNION SELECT inspection_id FROM inspection_signatures WHERE public_key = ?1
             ORDER BY 1",
            [public_key],
            |r| r.get(0),
        )?;
        Ok(ids
            .iter()
            .filter_map(|s| uuid::Uuid::parse_str(s).ok())
            .collect())
    }
}

impl Store {
    /// Keys recorded on first sight (before any roster): (inspector id, name, public key).
    pub fn first_sight_keys(&self) -> Result<Vec<(String, String, String)>> {
        super::sql::query_all(
            &self.conn,
            "SELECT k.inspector_id, COALESCE(i.name, ''), k.public_key FROM inspector_keys k
             LEFT JOIN inspectors i ON i.id = k.inspector_id
             WHERE k.origin = 'imported' ORDER BY k.recorded_at",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }
}
