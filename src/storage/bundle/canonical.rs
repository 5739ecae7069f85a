//! The canonical form of a finalized inspection: what its inspectors sign at finalization and
//! what an importer recomputes from the records it received to check those signatures.
//! A JSON object with keys in code-point order and no spaces (serde_json's map is ordered),
//! over the records that are frozen with the inspection: the inspection, its inspectors, its
//! item snapshots, answers, evidence and exam records. Hazards and enforcement actions are
//! records of their own (they may follow later), each with its author.

use super::kinds::{ANSWERS, EVIDENCE, EXAMS, INSPECTIONS, ITEM_COLUMNS, Kind};
use super::rows::{all, existing};
use crate::storage::{Result, StoreError};
use rusqlite::Connection;
use serde_json::{Value, json};

/// Names the rules the text below follows; a new rule set gets a new name.
pub const FORM: &str = "paicha-inspection/1";

pub fn inspection(conn: &Connection, id: &str) -> Result<String> {
    Ok(inspection_form(conn, id)?.text)
}

/// The canonical text, with who may sign it: the inspectors on it and its author.
pub struct Form {
    pub text: String,
    pub signers: Vec<String>,
}

pub fn inspection_form(conn: &Connection, id: &str) -> Result<Form> {
    let record = existing(conn, &INSPECTIONS, id)?
        .ok_or_else(|| StoreError::NotFound(format!("检查记录 {id}")))?;
    let mut stmt = conn.prepare_cached(
        "SELECT inspector_id FROM inspection_inspectors WHERE inspection_id = ?1
         ORDER BY position",
    )?;
    let inspectors: Vec<String> = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let items = all(
        conn,
        ITEM_COLUMNS,
        "inspection_items",
        "WHERE inspection_id = ?1 ORDER BY position",
        &[&id],
    )?;
    let children = |kind: &Kind| -> Result<Vec<Value>> {
        Ok(all(
            conn,
            kind.columns,
            kind.table,
            "WHERE inspection_id = ?1 ORDER BY id",
            &[&id],
        )?
        .into_iter()
        .map(Value::Object)
        .collect())
    };
    let mut signers = inspectors.clone();
    if let Some(Value::String(author)) = record.get("author_id") {
        signers.push(author.clone());
    }
    let text = json!({
        "form": FORM,
        "inspection": record,
        "inspectors": inspectors,
        "items": items,
        "answers": children(&ANSWERS)?,
        "evidence": children(&EVIDENCE)?,
        "exams": children(&EXAMS)?,
    })
    .to_string();
    Ok(Form { text, signers })
}
