//! Hazards and their events. There is deliberately no method that updates or deletes either:
//! the schema's triggers refuse it too.

use super::sql::{
    META_COLUMNS, get_code, get_json, get_meta, get_opt_json, get_opt_uuid, get_time, get_uuid,
    meta_values, query_all, query_first, ts,
};
use super::{Result, Store, StoreError};
use crate::domain::lifecycle::{self, Status, Step};
use crate::domain::{Hazard, HazardEvent, HazardEventKind, Record, RecordMeta};
use rusqlite::{Connection, Row, params};
use uuid::Uuid;

const HAZARD_COLUMNS: &str = "enterprise_id, inspection_id, item_code, grade, source, description,
    location, basis, found_at, rectify_immediately, fixes, supervision, anonymous_report,
    assigning_document";

fn hazard_from_row(row: &Row) -> rusqlite::Result<Record<Hazard>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: Hazard {
            enterprise_id: get_uuid(row, "enterprise_id")?,
            inspection_id: get_opt_uuid(row, "inspection_id")?,
            item_code: row.get("item_code")?,
            grade: get_code(row, "grade")?,
            source: get_code(row, "source")?,
            description: row.get("description")?,
            location: row.get("location")?,
            basis: row.get("basis")?,
            found_at: get_time(row, "found_at")?,
            rectify_immediately: row.get("rectify_immediately")?,
            fixes: get_opt_json(row, "fixes")?,
            supervision: get_opt_json(row, "supervision")?,
            anonymous_report: row.get("anonymous_report")?,
            assigning_document: row.get("assigning_document")?,
        },
    })
}

fn event_from_row(row: &Row) -> rusqlite::Result<Record<HazardEvent>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: HazardEvent {
            hazard_id: get_uuid(row, "hazard_id")?,
            kind: get_code(row, "kind")?,
            occurred_at: get_time(row, "occurred_at")?,
            payload: get_json(row, "payload")?,
            note: row.get("note")?,
        },
    })
}

pub(super) fn insert_event(conn: &Connection, meta: &RecordMeta, e: &HazardEvent) -> Result<()> {
    let [id, created, updated, author, replica] = meta_values(meta);
    conn.execute(
        &format!(
            "INSERT INTO hazard_events ({META_COLUMNS}, hazard_id, kind, occurred_at, payload, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ),
        params![
            id,
            created,
            updated,
            author,
            replica,
            e.hazard_id.to_string(),
            e.kind.code(),
            ts(e.occurred_at),
            serde_json::to_string(&e.payload)?,
            e.note
        ],
    )?;
    super::bundle::sign::sign_record(
        conn,
        &super::bundle::kinds::HAZARD_EVENTS,
        &meta.id.to_string(),
        meta.created_at,
    )?;
    super::hazard_status::refresh(conn, e.hazard_id)
}

/// A hazard, its events in recording order, and where it stands.
pub type LedgerRow = (Record<Hazard>, Vec<Record<HazardEvent>>, Status);

/// Which hazards `read_hazards` reads.
#[derive(Debug, Clone, Copy)]
enum Which {
    All,
    OfEnterprise(Uuid),
}

/// Hazards withdrawn with the inspection draft they were found in, when it was discarded:
/// kept (records are never deleted) but in no list, count or table.
/// (COALESCE: a hazard with no inspection is never withdrawn — `NULL IN (…)` is not false.)
pub(super) const WITHDRAWN: &str = "COALESCE(inspection_id IN
    (SELECT id FROM inspections WHERE status = 'discarded'), 0)";

/// Hazards, their events and status: two queries however many there are.
fn read_hazards(conn: &Connection, which: Which) -> Result<Vec<LedgerRow>> {
    // One spelling per case rather than `?1 IS NULL OR …`, which would keep SQLite off the index.
    let (only_hazards, only_events, key) = match which {
        Which::OfEnterprise(e) => (
            format!("WHERE enterprise_id = ?1 AND NOT ({WITHDRAWN})"),
            "WHERE hazard_id IN (SELECT id FROM hazards WHERE enterprise_id = ?1)".to_string(),
            e.to_string(),
        ),
        Which::All => (
            format!("WHERE ?1 = '' AND NOT ({WITHDRAWN})"),
            "WHERE ?1 = ''".into(),
            String::new(),
        ),
    };
    let hazards = query_all(
        conn,
        &format!("SELECT {META_COLUMNS}, {HAZARD_COLUMNS} FROM hazards {only_hazards} ORDER BY id"),
        [&key],
        hazard_from_row,
    )?;
    let events = query_all(
        conn,
        &format!(
            "SELECT {META_COLUMNS}, hazard_id, kind, occurred_at, payload, note
             FROM hazard_events {only_events} ORDER BY hazard_id, occurred_at, id"
        ),
        [&key],
        event_from_row,
    )?;
    // Both lists are in hazard id order: walk them together instead of hashing a million events.
    let mut events = events.into_iter().peekable();
    Ok(hazards
        .into_iter()
        .map(|h| {
            // Events of hazards not in the list (cannot happen: foreign keys) are skipped.
            while events.next_if(|e| e.data.hazard_id < h.id()).is_some() {}
            let mut own = Vec::new();
            while let Some(e) = events.next_if(|e| e.data.hazard_id == h.id()) {
                own.push(e);
            }
            let status = lifecycle::fold(&h.data, own.iter().map(|e| &e.data));
            (h, own, status)
        })
        .collect())
}

/// Every hazard with its events and status (for rebuilding the projection).
pub(super) fn read_all_hazards(conn: &Connection) -> Result<Vec<LedgerRow>> {
    read_hazards(conn, Which::All)
}

/// A hazard, its events and where it stands.
pub(super) fn read_status(conn: &Connection, id: Uuid) -> Result<LedgerRow> {
    let hazard = read_hazard(conn, id)?;
    let events = read_events(conn, id)?;
    let status = lifecycle::fold(&hazard.data, events.iter().map(|e| &e.data));
    Ok((hazard, events, status))
}

/// Appends `step` to a hazard (read again in this transaction), if the lifecycle allows it
/// where it stands and the author may take it (refused: `StoreError::Invalid` with the reason,
/// nothing written). A step is never dated before the last one in effect: the history reads
/// in the order it was lived.
pub(super) fn append_step(
    tx: &Connection,
    stamp: &super::Stamp,
    hazard_id: Uuid,
    step: Step,
    occurred_at: chrono::DateTime<chrono::Utc>,
    note: &str,
) -> Result<Record<HazardEvent>> {
    let (hazard, events, status) = read_status(tx, hazard_id)?;
    if let Some(inspection) = hazard.data.inspection_id {
        let discarded: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM inspections WHERE id = ?1 AND status = 'discarded')",
            [inspection.to_string()],
            |r| r.get(0),
        )?;
        if discarded {
            return Err(StoreError::Invalid(
                "这个隐患是在已作废的检查草稿中登记的，随草稿一并撤回，不能再办理".into(),
            ));
        }
    }
    if let Some(last) = events.last()
        && occurred_at < last.data.occurred_at
    {
        return Err(StoreError::Invalid(format!(
            "办理时间不能早于上一步（{}）",
            crate::domain::time::local(last.data.occurred_at).format("%Y-%m-%d %H:%M")
        )));
    }
    lifecycle::check(&status, &step).map_err(StoreError::Invalid)?;
    super::authority::authorize_here(
        tx,
        stamp,
        &crate::domain::trust::Action::Step {
            step: &step,
            grade: status.close_out_grade(),
            hazard_author: hazard.meta.author_id,
        },
    )?;
    let event = HazardEvent {
        hazard_id,
        kind: step.kind(),
        occurred_at,
        payload: step.payload(),
        note: note.trim().to_string(),
    };
    let meta = stamp.meta(tx)?;
    insert_event(tx, &meta, &event)?;
    Ok(Record { meta, data: event })
}

pub(super) fn read_hazard(conn: &Connection, id: Uuid) -> Result<Record<Hazard>> {
    query_first(
        conn,
        &format!("SELECT {META_COLUMNS}, {HAZARD_COLUMNS} FROM hazards WHERE id = ?1"),
        [id.to_string()],
        hazard_from_row,
    )?
    .ok_or_else(|| StoreError::NotFound(format!("隐患 {id}")))
}

pub(super) fn read_events(conn: &Connection, hazard_id: Uuid) -> Result<Vec<Record<HazardEvent>>> {
    query_all(
        conn,
        &format!(
            "SELECT {META_COLUMNS}, hazard_id, kind, occurred_at, payload, note
             FROM hazard_events WHERE hazard_id = ?1 ORDER BY occurred_at, id"
        ),
        [hazard_id.to_string()],
        event_from_row,
    )
}

/// Hazards of an enterprise not yet closed out (销号), oldest first.
pub(super) fn read_open_hazards(
    conn: &Connection,
    enterprise_id: Uuid,
) -> Result<Vec<Record<Hazard>>> {
    query_all(
        conn,
        &format!(
            "SELECT {META_COLUMNS}, {HAZARD_COLUMNS} FROM hazards h
             WHERE enterprise_id = ?1 AND NOT ({WITHDRAWN}) AND NOT EXISTS (
                 SELECT 1 FROM hazard_events e WHERE e.hazard_id = h.id AND e.kind = 'closed_out')
             ORDER BY id"
        ),
        [enterprise_id.to_string()],
        hazard_from_row,
    )
}

impl Store {
    /// Records a hazard together with its first event (登记), in one transaction.
    pub fn record_hazard(&mut self, hazard: Hazard) -> Result<Record<Hazard>> {
        self.write(|tx, stamp| insert_hazard(tx, stamp, hazard))
    }

    /// Registers a hazard at the office and, for a public report with a reward, books the
    /// reward on it (see [`crate::domain::office_hazard::reward_activity`]): both or neither.
    pub fn record_office_hazard(
        &mut self,
        hazard: Hazard,
        reward_fen: Option<i64>,
    ) -> Result<(Record<Hazard>, Option<Record<crate::domain::Activity>>)> {
        self.write(|tx, stamp| {
            let saved = insert_hazard(tx, stamp, hazard)?;
            let reward = match reward_fen {
                Some(fen) => Some(super::records::insert_activity(
                    tx,
                    stamp,
                    crate::domain::office_hazard::reward_activity(saved.id(), &saved.data, fen),
                )?),
                None => None,
            };
            Ok((saved, reward))
        })
    }

    pub fn hazard(&self, id: Uuid) -> Result<Record<Hazard>> {
        read_hazard(&self.conn, id)
    }

    /// All hazards, oldest first.
    pub fn hazards(&self) -> Result<Vec<Record<Hazard>>> {
        query_all(
            &self.conn,
            &format!("SELECT {META_COLUMNS}, {HAZARD_COLUMNS} FROM hazards ORDER BY id"),
            [],
            hazard_from_row,
        )
    }

    /// Appends one step to a hazard's history.
    pub fn append_hazard_event(&mut self, event: HazardEvent) -> Result<Record<HazardEvent>> {
        self.hazard(event.hazard_id)?;
        self.write(|tx, stamp| {
            let meta = stamp.meta(tx)?;
            insert_event(tx, &meta, &event)?;
            Ok(Record { meta, data: event })
        })
    }

    /// Gives ledger numbers `<prefix><seq:03>` to the hazards `pick`s from the ledger (in the
    /// order given), continuing after the highest number with that prefix. All in one write
    /// transaction: two offices or windows numbering at once cannot hand out one number twice.
    pub fn number_hazards(
        &mut self,
        prefix: &str,
        pick: impl Fn(&[super::HazardSummary]) -> Vec<Uuid>,
    ) -> Result<Vec<String>> {
        self.write(|tx, stamp| {
            let ledger = super::hazard_status::summaries(tx)?;
            let mut next = ledger
                .iter()
                .filter_map(|s| {
                    s.number
                        .as_deref()?
                        .strip_prefix(prefix)?
                        .parse::<u32>()
                        .ok()
                })
                .max()
                .unwrap_or(0);
            let mut given = Vec::new();
            for id in pick(&ledger) {
                if !ledger.iter().any(|s| s.id == id) {
                    continue;
                }
                next += 1;
                let number = format!("{prefix}{next:03}");
                let step = Step::Number {
                    number: number.clone(),
                };
                // The guard sees the full fold, read in this transaction.
                append_step(tx, stamp, id, step, stamp.now, "")?;
                given.push(number);
            }
            Ok(given)
        })
    }

    /// Every hazard with its events and where it stands (folded now), in recording order: two
    /// queries however many there are. Lists read the `hazard_status` projection instead.
    pub fn ledger_with_events(&self) -> Result<Vec<LedgerRow>> {
        read_hazards(&self.conn, Which::All)
    }

    /// As [`Store::ledger_with_events`], for one enterprise.
    pub fn hazards_of_enterprise(&self, enterprise: Uuid) -> Result<Vec<LedgerRow>> {
        read_hazards(&self.conn, Which::OfEnterprise(enterprise))
    }

    /// Hazards found at one inspection, oldest first.
    pub fn hazards_of_inspection(&self, inspection_id: Uuid) -> Result<Vec<Record<Hazard>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, {HAZARD_COLUMNS} FROM hazards
                 WHERE inspection_id = ?1 ORDER BY id"
            ),
            [inspection_id.to_string()],
            hazard_from_row,
        )
    }

    /// Hazards of an enterprise not yet closed out (销号), oldest first.
    pub fn open_hazards_of(&self, enterprise_id: Uuid) -> Result<Vec<Record<Hazard>>> {
        read_open_hazards(&self.conn, enterprise_id)
    }

    /// A hazard's events in the order the lifecycle folds them in: by when they happened,
    /// ties by id.
    pub fn hazard_events(&self, hazard_id: Uuid) -> Result<Vec<Record<HazardEvent>>> {
        read_events(&self.conn, hazard_id)
    }

    /// One hazard event, by its id.
    pub fn hazard_event(&self, id: Uuid) -> Result<Record<HazardEvent>> {
        super::sql::query_first(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, hazard_id, kind, occurred_at, payload, note
                 FROM hazard_events WHERE id = ?1"
            ),
            [id.to_string()],
            event_from_row,
        )?
        .ok_or_else(|| StoreError::NotFound(format!("隐患事件 {id}")))
    }

    /// A hazard, its events and where it stands.
    pub fn hazard_status(
        &self,
        id: Uuid,
    ) -> Result<(Record<Hazard>, Vec<Record<HazardEvent>>, Status)> {
        read_status(&self.conn, id)
    }

    /// Takes one step of a hazard's closed loop, checked against every event so far inside the
    /// same transaction (so two laptops or windows cannot both pass the same guard), and
    /// against who may take it (the roster and the permissions table).
    pub fn apply_step(
        &mut self,
        hazard_id: Uuid,
        step: Step,
        occurred_at: chrono::DateTime<chrono::Utc>,
        note: &str,
    ) -> Result<Record<HazardEvent>> {
        self.write(|tx, stamp| append_step(tx, stamp, hazard_id, step, occurred_at, note))
    }
}

/// A hazard and its first event (登记), written in `tx` once the profile may register it.
fn insert_hazard(
    tx: &rusqlite::Transaction,
    stamp: &super::Stamp,
    hazard: Hazard,
) -> Result<Record<Hazard>> {
    let inspectors = match hazard.inspection_id {
        Some(i) => Some(
            super::bundle::rows::inspectors_of(tx, &i.to_string())?
                .iter()
                .filter_map(|s| Uuid::parse_str(s).ok())
                .collect::<Vec<_>>(),
        ),
        None => None,
    };
    super::authority::authorize_here(
        tx,
        stamp,
        &crate::domain::trust::Action::RegisterHazard {
            source: hazard.source,
            inspectors: inspectors.as_deref(),
        },
    )?;
    let meta = stamp.meta(tx)?;
    let [id, created, updated, author_text, replica] = meta_values(&meta);
    let h = &hazard;
    tx.execute(
        &format!(
            "INSERT INTO hazards ({META_COLUMNS}, {HAZARD_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19)"
        ),
        params![
            id,
            created,
            updated,
            author_text,
            replica,
            h.enterprise_id.to_string(),
            h.inspection_id.map(|i| i.to_string()),
            h.item_code,
            h.grade.code(),
            h.source.code(),
            h.description,
            h.location,
            h.basis,
            ts(h.found_at),
            h.rectify_immediately,
            h.fixes.as_ref().map(serde_json::to_string).transpose()?,
            h.supervision
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
            h.anonymous_report,
            h.assigning_document
        ],
    )?;
    super::bundle::sign::sign_record(
        tx,
        &super::bundle::kinds::HAZARDS,
        &meta.id.to_string(),
        stamp.now,
    )?;
    let registered = HazardEvent {
        hazard_id: meta.id,
        kind: HazardEventKind::Registered,
        occurred_at: h.found_at,
        payload: serde_json::Value::Object(Default::default()),
        note: String::new(),
    };
    insert_event(tx, &stamp.meta(tx)?, &registered)?;
    Ok(Record { meta, data: hazard })
}
