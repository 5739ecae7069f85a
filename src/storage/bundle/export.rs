//! Which records a bundle carries, streamed kind by kind from one read snapshot.
//!
//! A findings bundle holds what became final since a point in time (an inspection when it was
//! finalized; other records when they were made) plus everything those records refer to, so
//! that any bundle can be imported on its own, in any order. Drafts never leave: a hazard
//! found in an inspection still in draft waits for that inspection.

use super::kinds::{self, ITEM_COLUMNS, Kind};
use super::rows::{self, Object};
use super::selection::{ATTACHMENTS_OF_TARGETS, LEDGER_ATTACHMENTS, NEW_ATTACHMENTS};
use crate::storage::sql::ts;
use crate::storage::{Result, Store};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Records final at or after this instant; `None` for everything.
    pub since: Option<DateTime<Utc>>,
    /// The office's ledger for the laptops: every enterprise, hazard and event as well.
    pub ledger: bool,
}

/// Records written per kind name.
pub type Counts = BTreeMap<&'static str, u64>;

/// The selection, as temp tables of ids (x_<table>), built in SQL.
const SELECT: &str = "
DROP TABLE IF EXISTS temp.x_inspections; DROP TABLE IF EXISTS temp.x_hazards;
DROP TABLE IF EXISTS temp.x_hazard_events; DROP TABLE IF EXISTS temp.x_enforcement_actions;
DROP TABLE IF EXISTS temp.x_activities; DROP TABLE IF EXISTS temp.x_inspection_addenda;
DROP TABLE IF EXISTS temp.x_enterprises; DROP TABLE IF EXISTS temp.x_inspectors;
DROP TABLE IF EXISTS temp.x_issued_documents;
DROP TABLE IF EXISTS temp.x_inspection_time_corrections;
DROP TABLE IF EXISTS temp.x_evidence_corrections;
DROP TABLE IF EXISTS temp.x_attachments;
CREATE TEMP TABLE x_attachments (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_issued_documents (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_inspection_time_corrections (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_evidence_corrections (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_inspections (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_hazards (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_hazard_events (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_enforcement_actions (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_activities (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_inspection_addenda (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_enterprises (id TEXT PRIMARY KEY);
CREATE TEMP TABLE x_inspectors (id TEXT PRIMARY KEY);

-- A hazard may travel once its inspection (if any) is final.
CREATE TEMP VIEW IF NOT EXISTS x_shippable_hazards AS
    SELECT h.id, h.created_at, h.inspection_id FROM hazards h
    WHERE h.inspection_id IS NULL
       OR (SELECT status FROM inspections i WHERE i.id = h.inspection_id) = 'finalized';

INSERT INTO x_inspections SELECT id FROM inspections
    WHERE status = 'finalized' AND finalized_at >= :since;
INSERT OR IGNORE INTO x_hazards SELECT id FROM x_shippable_hazards
    WHERE created_at >= :since OR :ledger
       OR inspection_id IN (SELECT id FROM x_inspections);
INSERT INTO x_hazard_events SELECT e.id FROM hazard_events e
    WHERE e.hazard_id IN (SELECT id FROM x_shippable_hazards)
      AND (e.created_at >= :since OR :ledger OR e.hazard_id IN (SELECT id FROM x_hazards));
INSERT OR IGNORE INTO x_hazards SELECT hazard_id FROM hazard_events
    WHERE id IN (SELECT id FROM x_hazard_events);
INSERT INTO x_enforcement_actions SELECT a.id FROM enforcement_actions a
    WHERE a.created_at >= :since
      AND (a.inspection_id IS NULL
           OR (SELECT status FROM inspections i WHERE i.id = a.inspection_id) = 'finalized')
      AND (a.hazard_id IS NULL OR a.hazard_id IN (SELECT id FROM x_shippable_hazards));
INSERT INTO x_activities SELECT id FROM activities WHERE created_at >= :since;
INSERT INTO x_inspection_addenda SELECT id FROM inspection_addenda WHERE created_at >= :since;
INSERT INTO x_issued_documents SELECT id FROM issued_documents WHERE created_at >= :since OR :ledger;
INSERT INTO x_inspection_time_corrections SELECT id FROM inspection_time_corrections
    WHERE created_at >= :since;
INSERT INTO x_evidence_corrections SELECT id FROM evidence_corrections WHERE created_at >= :since;
-- A correction travels with what it corrects (an inspection carries its evidence).
INSERT OR IGNORE INTO x_inspections SELECT inspection_id FROM inspection_time_corrections
    WHERE id IN (SELECT id FROM x_inspection_time_corrections);
INSERT OR IGNORE INTO x_inspections SELECT e.inspection_id FROM evidence_records e
    WHERE e.id IN (SELECT evidence_id FROM evidence_corrections
                   WHERE id IN (SELECT id FROM x_evidence_corrections));
";

/// Follows references to parents until nothing new is added (corrections may chain).
const CLOSE: &str = "
INSERT OR IGNORE INTO x_enforcement_actions SELECT corrects FROM enforcement_actions
    WHERE id IN (SELECT id FROM x_enforcement_actions) AND corrects IS NOT NULL;
INSERT OR IGNORE INTO x_activities SELECT corrects FROM activities
    WHERE id IN (SELECT id FROM x_activities) AND corrects IS NOT NULL;
INSERT OR IGNORE INTO x_hazards SELECT hazard_id FROM enforcement_actions
    WHERE id IN (SELECT id FROM x_enforcement_actions) AND hazard_id IS NOT NULL;
INSERT OR IGNORE INTO x_inspections SELECT inspection_id FROM hazards
    WHERE id IN (SELECT id FROM x_hazards) AND inspection_id IS NOT NULL;
INSERT OR IGNORE INTO x_inspections SELECT inspection_id FROM enforcement_actions
    WHERE id IN (SELECT id FROM x_enforcement_actions) AND inspection_id IS NOT NULL;
INSERT OR IGNORE INTO x_inspections SELECT inspection_id FROM inspection_addenda
    WHERE id IN (SELECT id FROM x_inspection_addenda);
INSERT OR IGNORE INTO x_hazards SELECT follow_up_of FROM inspections
    WHERE id IN (SELECT id FROM x_inspections) AND follow_up_of IS NOT NULL;
-- Actions recorded during an inspection (while it was a draft) travel with it.
INSERT OR IGNORE INTO x_enforcement_actions SELECT a.id FROM enforcement_actions a
    WHERE (a.inspection_id IN (SELECT id FROM x_inspections)
           OR a.hazard_id IN (SELECT id FROM x_hazards))
      AND (a.inspection_id IS NULL
           OR (SELECT status FROM inspections i WHERE i.id = a.inspection_id) = 'finalized');
";

/// Enterprises and inspectors that the selected records name, and what changed in the registry.
const PARTIES: &str = "
INSERT OR IGNORE INTO x_enterprises SELECT id FROM enterprises
    WHERE updated_at >= :since OR :ledger;
INSERT OR IGNORE INTO x_enterprises SELECT enterprise_id FROM inspections
    WHERE id IN (SELECT id FROM x_inspections);
INSERT OR IGNORE INTO x_enterprises SELECT enterprise_id FROM hazards
    WHERE id IN (SELECT id FROM x_hazards);
INSERT OR IGNORE INTO x_enterprises SELECT enterprise_id FROM enforcement_actions
    WHERE id IN (SELECT id FROM x_enforcement_actions) AND enterprise_id IS NOT NULL;
INSERT OR IGNORE INTO x_inspectors SELECT inspector_id FROM inspection_inspectors
    WHERE inspection_id IN (SELECT id FROM x_inspections);
INSERT OR IGNORE INTO x_inspectors SELECT inspector_id FROM inspection_signatures
    WHERE inspection_id IN (SELECT id FROM x_inspections);
";

const AUTHORED: [&str; 14] = [
    "enterprises",
    "inspections",
    "answers",
    "evidence_records",
    "exam_records",
    "hazards",
    "hazard_events",
    "enforcement_actions",
    "activities",
    "inspection_addenda",
    "inspection_time_corrections",
    "evidence_corrections",
    "issued_documents",
    "attachments",
];

impl Store {
    /// Streams the selected records to `sink`, kind by kind in application order, from one
    /// read snapshot; `exporter` (an inspector) is always included with its key.
    pub fn export_records(
        &mut self,
        selection: &Selection,
        exporter: uuid::Uuid,
        mut sink: impl FnMut(&'static Kind, Object) -> Result<()>,
    ) -> Result<Counts> {
        let tx = self.conn.transaction()?;
        let since = selection.since.map(ts).unwrap_or_default();
        let named = |sql: &str| {
            sql.replace(":since", &quote(&since))
                .replace(":ledger", if selection.ledger { "1" } else { "0" })
        };
        tx.execute_batch(&named(SELECT))?;
        if !selection.ledger {
            tx.execute_batch(&named(NEW_ATTACHMENTS))?;
        }
        for _ in 0..64 {
            let before = total(&tx)?;
            tx.execute_batch(CLOSE)?;
            if total(&tx)? == before {
                break;
            }
        }
        tx.execute_batch(if selection.ledger {
            LEDGER_ATTACHMENTS
        } else {
            ATTACHMENTS_OF_TARGETS
        })?;
        tx.execute_batch(&named(PARTIES))?;
        for table in AUTHORED {
            let filter = match table {
                "answers" | "evidence_records" | "exam_records" => {
                    "inspection_id IN (SELECT id FROM x_inspections)".to_string()
                }
                other => format!("id IN (SELECT id FROM x_{other})"),
            };
            tx.execute(
                &format!(
                    "INSERT OR IGNORE INTO x_inspectors SELECT author_id FROM {table} WHERE {filter}"
                ),
                [],
            )?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO x_inspectors VALUES (?1)",
            [exporter.to_string()],
        )?;

        let mut counts = Counts::new();
        for kind in kinds::ALL {
            if kind.name == kinds::ROSTER.name {
                // The whole roster travels: a laptop checks every entry from the first.
                let chain = crate::storage::roster::read_chain(&tx)?;
                for signed in &chain {
                    let mut object = match serde_json::to_value(&signed.entry)? {
                        Value::Object(o) => o,
                        _ => Object::new(),
                    };
                    let mut signature = Object::new();
                    signature.insert(
                        "public_key".into(),
                        Value::String(signed.public_key.clone()),
                    );
                    signature.insert("signature".into(), Value::String(signed.signature.clone()));
                    object.insert("signature".into(), Value::Object(signature));
                    sink(kind, object)?;
                }
                counts.insert(kind.name, chain.len() as u64);
                continue;
            }
            let (filter, order) = match kind.name {
                "answers" | "evidence" | "exams" => (
                    "inspection_id IN (SELECT id FROM x_inspections)".to_string(),
                    "ORDER BY id",
                ),
                "keys" => (
                    "inspector_id IN (SELECT id FROM x_inspectors)".to_string(),
                    "ORDER BY inspector_id",
                ),
                // Drafts never leave, whatever pulled them in.
                "inspections" => (
                    "id IN (SELECT id FROM x_inspections) AND status = 'finalized'".to_string(),
                    "ORDER BY id",
                ),
                _ => (
                    format!("id IN (SELECT id FROM x_{})", kind.table),
                    "ORDER BY id",
                ),
            };
            let mut n = 0;
            rows::for_each(
                &tx,
                kind.columns,
                kind.table,
                &format!("WHERE {filter} {order}"),
                &[],
                |mut object| {
                    if kind.name == "inspections" {
                        nest_inspection(&tx, &mut object)?;
                    }
                    if super::sign::is_signed(kind) {
                        nest_signature(&tx, kind, &mut object)?;
                    }
                    n += 1;
                    sink(kind, object)
                },
            )?;
            counts.insert(kind.name, n);
        }
        tx.execute_batch(
            "DROP VIEW IF EXISTS temp.x_shippable_hazards;
             DROP TABLE temp.x_inspections; DROP TABLE temp.x_hazards;
             DROP TABLE temp.x_hazard_events; DROP TABLE temp.x_enforcement_actions;
             DROP TABLE temp.x_activities; DROP TABLE temp.x_inspection_addenda;
             DROP TABLE temp.x_enterprises; DROP TABLE temp.x_inspectors;
             DROP TABLE temp.x_issued_documents;
             DROP TABLE temp.x_inspection_time_corrections;
             DROP TABLE temp.x_evidence_corrections;
             DROP TABLE temp.x_attachments;",
        )?;
        tx.commit()?;
        Ok(counts)
    }
}

impl Store {
    /// Where the last export to `destination` ended: the next one starts there.
    pub fn last_export_until(&self, destination: &str) -> Result<Option<DateTime<Utc>>> {
        let until: Option<String> = self.conn.query_row(
            "SELECT MAX(covers_until) FROM export_log WHERE destination = ?1 AND ledger = 0",
            [destination],
            |r| r.get(0),
        )?;
        Ok(until.and_then(|t| DateTime::parse_from_rfc3339(&t).ok().map(|t| t.to_utc())))
    }

    /// Logs a bundle written to `destination`.
    pub fn record_export(
        &mut self,
        destination: &str,
        from: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        sha256: &str,
        ledger: bool,
    ) -> Result<()> {
        self.write(|tx, stamp| {
            tx.execute(
                "INSERT INTO export_log (id, destination, exported_at, exported_by, covers_from,
                     covers_until, sha256, ledger)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    uuid::Uuid::now_v7().to_string(),
                    destination,
                    ts(stamp.now),
                    stamp.author(tx)?.to_string(),
                    from.map(ts),
                    ts(until),
                    sha256,
                    ledger
                ],
            )?;
            Ok(())
        })
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn total(tx: &rusqlite::Transaction) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT (SELECT COUNT(*) FROM x_inspections) + (SELECT COUNT(*) FROM x_hazards)
              + (SELECT COUNT(*) FROM x_enforcement_actions) + (SELECT COUNT(*) FROM x_activities)
              + (SELECT COUNT(*) FROM x_inspection_addenda)",
        [],
        |r| r.get(0),
    )?)
}

/// Adds an inspection's inspectors, item snapshots and signatures to its line.
fn nest_inspection(conn: &rusqlite::Connection, object: &mut Object) -> Result<()> {
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let inspectors: Vec<Value> = rows::inspectors_of(conn, &id)?
        .into_iter()
        .map(Value::String)
        .collect();
    let items = rows::all(
        conn,
        ITEM_COLUMNS,
        "inspection_items",
        "WHERE inspection_id = ?1 ORDER BY position",
        &[&id],
    )?;
    let signatures = rows::all(
        conn,
        SIGNATURE_COLUMNS,
        "inspection_signatures",
        "WHERE inspection_id = ?1 ORDER BY inspector_id",
        &[&id],
    )?;
    object.insert("inspectors".into(), Value::Array(inspectors));
    object.insert(
        "items".into(),
        Value::Array(items.into_iter().map(Value::Object).collect()),
    );
    object.insert(
        "signatures".into(),
        Value::Array(signatures.into_iter().map(Value::Object).collect()),
    );
    Ok(())
}

/// Adds the author's signature of a record to its line (`null` if it has none).
fn nest_signature(conn: &rusqlite::Connection, kind: &Kind, object: &mut Object) -> Result<()> {
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let found = rows::all(
        conn,
        RECORD_SIGNATURE_COLUMNS,
        "record_signatures",
        "WHERE record_table = ?1 AND record_id = ?2",
        &[&kind.table, &id],
    )?;
    object.insert(
        "signature".into(),
        found.into_iter().next().map_or(Value::Null, Value::Object),
    );
    Ok(())
}

/// An author's signature nested in the record's line.
pub const RECORD_SIGNATURE_COLUMNS: &[&str] = &["inspector_id", "public_key", "signature"];

/// A signature nested in its inspection's line.
pub const SIGNATURE_COLUMNS: &[&str] = &["inspector_id", "public_key", "signature", "signed_at"];
