//! Signing an inspection at finalization, and the keys this device records as its own.

use super::canonical;
use crate::identity::{Keys, keys};
use crate::storage::sql::ts;
use crate::storage::{Result, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use uuid::Uuid;

/// Signs the finalized inspection's canonical form with the key of `author` (made now if
/// this device has none) and of every other inspector on it whose key is on this device.
pub fn sign_finalized(
    tx: &Connection,
    keys: &Keys,
    inspection: Uuid,
    author: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = inspection.to_string();
    let form = canonical::inspection(tx, &id)?;
    let mut stmt = tx.prepare_cached(
        "SELECT inspector_id FROM inspection_inspectors WHERE inspection_id = ?1
         ORDER BY position",
    )?;
    let mut signers: Vec<Uuid> = vec![author];
    for text in stmt.query_map([&id], |r| r.get::<_, String>(0))? {
        if let Ok(other) = Uuid::parse_str(&text?)
            && !signers.contains(&other)
        {
            signers.push(other);
        }
    }
    for signer in signers {
        let key = if signer == author {
            Some(keys.get_or_make(signer).map_err(key_error)?.0)
        } else {
            keys.get(signer).map_err(key_error)?
        };
        let Some(key) = key else { continue };
        let public = keys::public_hex(&key);
        record_own_key(tx, signer, &public, now)?;
        tx.execute(
            "INSERT INTO inspection_signatures
                 (inspection_id, inspector_id, public_key, signature, signed_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                signer.to_string(),
                public,
                keys::sign_hex(&key, form.as_bytes()),
                ts(now)
            ],
        )?;
    }
    Ok(())
}

/// Records this device's public key of `inspector` (once).
pub fn record_own_key(
    tx: &Connection,
    inspector: Uuid,
    public: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO inspector_keys (inspector_id, public_key, origin, recorded_at)
         VALUES (?1, ?2, 'own', ?3) ON CONFLICT (inspector_id) DO NOTHING",
        params![inspector.to_string(), public, ts(now)],
    )?;
    Ok(())
}

pub fn key_error(e: crate::identity::KeyError) -> StoreError {
    StoreError::Invalid(e.to_string())
}
