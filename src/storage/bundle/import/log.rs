//! What imports did here: the log `paicha import --log` lists, and this device's own keys.

use super::super::sign;
use crate::identity::keys;
use crate::storage::{Result, Store};
use uuid::Uuid;

impl Store {
    /// Every import applied here, oldest first.
    pub fn import_log(&self) -> Result<Vec<ImportLogEntry>> {
        crate::storage::sql::query_all(
            &self.conn,
            "SELECT l.file_name, l.sha256, COALESCE(i.name, l.imported_by), l.imported_at,
                    l.result, l.summary
             FROM import_log l LEFT JOIN inspectors i ON i.id = l.imported_by
             ORDER BY l.imported_at, l.id",
            [],
            |r| {
                Ok(ImportLogEntry {
                    file_name: r.get(0)?,
                    sha256: r.get(1)?,
                    imported_by: r.get(2)?,
                    imported_at: r.get(3)?,
                    result: r.get(4)?,
                    summary: r.get(5)?,
                })
            },
        )
    }

    /// Records this device's public key of `inspector` (made if missing) and returns it.
    /// This laptop's profile and its public key, as the card handed to the office.
    pub fn key_card(&mut self) -> Result<crate::identity::card::KeyCard> {
        let inspector = self.author_id()?;
        let name = self
            .profile()?
            .filter(|p| p.id() == inspector)
            .map(|p| p.data.name)
            .unwrap_or_else(|| crate::storage::UNNAMED_PROFILE.to_string());
        let public_key = self.own_public_key(inspector)?;
        Ok(crate::identity::card::KeyCard {
            inspector_id: inspector,
            name,
            public_key,
        })
    }

    pub fn own_public_key(&mut self, inspector: Uuid) -> Result<String> {
        let (key, _) = self
            .keys()
            .get_or_make(inspector)
            .map_err(sign::key_error)?;
        let public = keys::public_hex(&key);
        self.write(|tx, stamp| sign::record_own_key(tx, inspector, &public, stamp.now))?;
        Ok(public)
    }
}

/// One applied import, as `paicha import --log` lists it.
#[derive(Debug, Clone)]
pub struct ImportLogEntry {
    pub file_name: String,
    pub sha256: String,
    /// Name of the importing inspector.
    pub imported_by: String,
    pub imported_at: String,
    pub result: String,
    pub summary: String,
}
