//! Signing an inspection at finalization, and the keys this device records as its own.

use super::kinds::{self, Kind};
use super::{canonical, rows};
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
    let form = canonical::inspection_form(tx, &id)?;
    let mut signers: Vec<Uuid> = vec![author];
    for other in form.signers.iter().filter_map(|s| Uuid::parse_str(s).ok()) {
        if !signers.contains(&other) {
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
                keys::sign_hex(&key, form.text.as_bytes()),
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

/// The kinds whose records carry their author's own signature.
pub const SIGNED: [&Kind; 9] = [
    &kinds::HAZARDS,
    &kinds::HAZARD_EVENTS,
    &kinds::ACTIONS,
    &kinds::ACTIVITIES,
    &kinds::ADDENDA,
    &kinds::TIME_CORRECTIONS,
    &kinds::EVIDENCE_CORRECTIONS,
    &kinds::DOCUMENTS,
    &kinds::ATTACHMENTS,
];

pub fn is_signed(kind: &Kind) -> bool {
    SIGNED.iter().any(|k| k.name == kind.name)
}

/// What an author signs of a record: its fields as JSON, keys in order, no spaces.
pub fn record_form(object: &rows::Object) -> String {
    serde_json::Value::Object(object.clone()).to_string()
}

/// Signs the record `id` of `kind` just written in `tx` with its author's key (made now if
/// this device has none: the author of a record written here is this device's profile).
pub fn sign_record(tx: &Connection, kind: &Kind, id: &str, now: DateTime<Utc>) -> Result<()> {
    let Some(record) = rows::existing(tx, kind, id)? else {
        return Err(StoreError::NotFound(format!("{} {id}", kind.label)));
    };
    let author = record
        .get("author_id")
        .and_then(|v| v.as_str())
        .and_then(|a| Uuid::parse_str(a).ok())
        .ok_or_else(|| StoreError::Invalid(format!("{} {id} 没有作者", kind.label)))?;
    let keys = keys_of(tx);
    let (key, _) = keys.get_or_make(author).map_err(key_error)?;
    let public = keys::public_hex(&key);
    record_own_key(tx, author, &public, now)?;
    tx.prepare_cached(
        "INSERT INTO record_signatures (record_table, record_id, inspector_id, public_key,
             signature)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        kind.table,
        id,
        author.to_string(),
        public,
        keys::sign_hex(&key, record_form(&record).as_bytes())
    ])?;
    Ok(())
}

/// The key folder beside the database `conn` is open on.
pub(crate) fn keys_of(conn: &Connection) -> Keys {
    let db = conn
        .path()
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    Keys::in_data_dir(db.parent().unwrap_or(std::path::Path::new(".")))
}

const BACKFILLED: &str = "record_signatures_backfilled";
/// Document numbers are signed from schema 9 on: those given before are signed once.
const DOCUMENTS_BACKFILLED: &str = "document_signatures_backfilled";

/// Once per database: signs the records written before records were signed (all of them made
/// on this device, since nothing could be imported before). Runs when a store is opened.
pub fn ensure_backfilled(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    backfill(conn, now, &SIGNED, BACKFILLED)?;
    backfill(conn, now, &[&kinds::DOCUMENTS], DOCUMENTS_BACKFILLED)
}

/// Signs, once per database (`flag` in `meta`), the records of `kinds` without a signature.
fn backfill(conn: &mut Connection, now: DateTime<Utc>, kinds: &[&Kind], flag: &str) -> Result<()> {
    let done = |c: &Connection| -> Result<bool> {
        Ok(c.query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)",
            [flag],
            |r| r.get(0),
        )?)
    };
    if done(conn)? {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if !done(&tx)? {
        for kind in kinds {
            let ids: Vec<String> = tx
                .prepare(&format!(
                    "SELECT id FROM {t} WHERE NOT EXISTS (SELECT 1 FROM record_signatures s
                         WHERE s.record_table = '{t}' AND s.record_id = {t}.id)",
                    t = kind.table
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                sign_record(&tx, kind, &id, now)?;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![flag, ts(now)],
        )?;
    }
    tx.commit()?;
    Ok(())
}
