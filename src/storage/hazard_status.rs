//! The `hazard_status` projection: each hazard's folded lifecycle state as one row, rewritten in
//! the same transaction as every event it depends on. The events stay the truth; this table
//! only saves folding a million of them to list, count or filter hazards, and can be rebuilt
//! from them at any time (`Store::rebuild_hazard_status`).

use super::hazards::{LedgerRow, read_all_hazards, read_status};
use super::profile::read_meta;
use super::sql::{date, query_all, ts};
use super::{Result, Store};
use crate::domain::lifecycle::{Stage, Status};
use crate::domain::{Hazard, HazardEvent, HazardGrade, HazardSource, Record};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

/// One hazard as lists show it: its founding facts and where it stands, without its events.
#[derive(Debug, Clone, PartialEq)]
pub struct HazardSummary {
    pub id: Uuid,
    pub enterprise_id: Uuid,
    pub stage: Stage,
    pub grade: HazardGrade,
    pub source: HazardSource,
    pub deadline: Option<NaiveDate>,
    /// 挂牌督办 tracking person, when listed.
    pub tracking_person: Option<String>,
    pub number: Option<String>,
    pub description: String,
    pub found_at: DateTime<Utc>,
}

impl HazardSummary {
    /// 逾期, by the same rule as [`Status::overdue`].
    pub fn overdue(&self, today: NaiveDate) -> bool {
        crate::domain::lifecycle::overdue(self.stage, self.deadline, today)
    }

    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        crate::domain::lifecycle::days_left(self.deadline, today)
    }

    pub fn listed(&self) -> bool {
        self.tracking_person.is_some()
    }
}

/// The version of what the rows mean: bump it whenever `lifecycle::fold` or the columns
/// change, and every database is rebuilt from its events the next time it is opened.
const VERSION: &str = "3";
const VERSION_KEY: &str = "hazard_status_version";

/// Rebuilds the projection, under the write lock, unless it was made by this version.
/// Runs when a store is opened, after the migrations (which only create the table: a shipped
/// migration must not call code that later versions change).
pub(super) fn ensure_current(conn: &mut Connection) -> Result<()> {
    if read_meta(conn, VERSION_KEY)?.as_deref() == Some(VERSION) {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if read_meta(&tx, VERSION_KEY)?.as_deref() != Some(VERSION) {
        rebuild(&tx)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [VERSION_KEY, VERSION],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Rewrites the row of `hazard_id` from its record and every event so far.
pub(super) fn refresh(conn: &Connection, hazard_id: Uuid) -> Result<()> {
    let (hazard, events, status) = read_status(conn, hazard_id)?;
    upsert(conn, &hazard, &events, &status)
}

/// Rewrites the row of a hazard whose record and events (in fold order) were just read.
pub(super) fn refresh_with(
    conn: &Connection,
    hazard: &Record<Hazard>,
    events: &[Record<HazardEvent>],
) -> Result<()> {
    let status = crate::domain::lifecycle::fold(&hazard.data, events.iter().map(|e| &e.data));
    upsert(conn, hazard, events, &status)
}

/// Rewrites every row from the events (a new fold version, or a repair).
pub(super) fn rebuild(conn: &Connection) -> Result<()> {
    // Hazards withdrawn with a discarded draft are in no list.
    conn.execute(
        &format!(
            "DELETE FROM hazard_status WHERE hazard_id IN (SELECT id FROM hazards WHERE {})",
            super::hazards::WITHDRAWN
        ),
        [],
    )?;
    for (hazard, events, status) in read_all_hazards(conn)? {
        upsert(conn, &hazard, &events, &status)?;
    }
    Ok(())
}

fn upsert(
    conn: &Connection,
    hazard: &Record<Hazard>,
    events: &[Record<HazardEvent>],
    s: &Status,
) -> Result<()> {
    let last = events
        .last()
        .map(|e| e.id().to_string())
        .unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO hazard_status (hazard_id, enterprise_id, stage, grade, source, deadline,
             tracking_person, number, description, found_at, event_count, last_event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (hazard_id) DO UPDATE SET
             stage = excluded.stage, grade = excluded.grade, deadline = excluded.deadline,
             tracking_person = excluded.tracking_person, number = excluded.number,
             description = excluded.description, event_count = excluded.event_count,
             last_event_id = excluded.last_event_id",
    )?
    .execute(params![
        hazard.id().to_string(),
        hazard.data.enterprise_id.to_string(),
        s.stage.code(),
        s.grade.code(),
        hazard.data.source.code(),
        s.deadline.map(date),
        s.tracking_person,
        s.number,
        s.description,
        ts(hazard.data.found_at),
        events.len() as i64,
        last,
    ])?;
    Ok(())
}

const SUMMARY_COLUMNS: &str = "hazard_id, enterprise_id, stage, grade, source, deadline,
    tracking_person, number, description, found_at";

fn summary_from_row(row: &Row) -> rusqlite::Result<HazardSummary> {
    // By position (the order of SUMMARY_COLUMNS): a name lookup per column per row is a good
    // part of reading 100 000 rows.
    let text = |i: usize| row.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
    let parsed = |i: usize, e: &dyn std::fmt::Display| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            e.to_string().into(),
        )
    };
    let uuid = |i: usize| Uuid::parse_str(text(i)?).map_err(|e| parsed(i, &e));
    Ok(HazardSummary {
        id: uuid(0)?,
        enterprise_id: uuid(1)?,
        stage: text(2)?.parse().map_err(|e| parsed(2, &e))?,
        grade: text(3)?.parse().map_err(|e| parsed(3, &e))?,
        source: text(4)?.parse().map_err(|e| parsed(4, &e))?,
        deadline: row
            .get_ref(5)?
            .as_str_or_null()?
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|e| parsed(5, &e)))
            .transpose()?,
        tracking_person: row.get(6)?,
        number: row.get(7)?,
        description: text(8)?.to_string(),
        found_at: DateTime::parse_from_rfc3339(text(9)?)
            .map_err(|e| parsed(9, &e))?
            .to_utc(),
    })
}

/// Every hazard with where it stands, oldest first: one query over the projection.
pub(super) fn summaries(conn: &Connection) -> Result<Vec<HazardSummary>> {
    query_all(
        conn,
        &format!("SELECT {SUMMARY_COLUMNS} FROM hazard_status ORDER BY hazard_id"),
        [],
        summary_from_row,
    )
}

impl Store {
    /// Every hazard with where it stands, oldest first: one query over the projection.
    pub fn hazard_summaries(&self) -> Result<Vec<HazardSummary>> {
        summaries(&self.conn)
    }

    /// The hazards of one enterprise with where they stand (an index lookup).
    pub fn hazard_summaries_of(&self, enterprise_id: Uuid) -> Result<Vec<HazardSummary>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {SUMMARY_COLUMNS} FROM hazard_status WHERE enterprise_id = ?1
                 ORDER BY hazard_id"
            ),
            [enterprise_id.to_string()],
            summary_from_row,
        )
    }

    /// The hazard with this ledger number, if any.
    pub fn hazard_by_number(&self, number: &str) -> Result<Option<Uuid>> {
        self.conn
            .query_row(
                "SELECT hazard_id FROM hazard_status WHERE number = ?1",
                [number],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|id| {
                Uuid::parse_str(&id).map_err(|_| {
                    super::StoreError::Invalid(format!("隐患台账中的编号“{id}”已损坏"))
                })
            })
            .transpose()
    }

    /// One hazard with where it stands.
    pub fn hazard_summary(&self, id: Uuid) -> Result<HazardSummary> {
        super::sql::query_first(
            &self.conn,
            &format!("SELECT {SUMMARY_COLUMNS} FROM hazard_status WHERE hazard_id = ?1"),
            [id.to_string()],
            summary_from_row,
        )?
        .ok_or_else(|| super::StoreError::NotFound(format!("隐患 {id}")))
    }

    /// Major hazards not closed out, and of those the overdue ones, as of `today`.
    pub fn major_hazard_counts(&self, today: NaiveDate) -> Result<(u64, u64)> {
        let before_verification = Stage::ALL
            .iter()
            .filter(|s| s.is_before_verification())
            .map(|s| format!("'{}'", s.code()))
            .collect::<Vec<_>>()
            .join(", ");
        let (open, overdue): (i64, i64) = self.conn.query_row(
            &format!(
                "SELECT COUNT(*), COALESCE(SUM(stage IN ({before_verification}) AND deadline < ?1), 0)
                 FROM hazard_status WHERE grade = 'major' AND stage <> 'closed_out'"
            ),
            [date(today)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((open as u64, overdue as u64))
    }

    /// Rebuilds the projection from the events, in one write transaction.
    pub fn rebuild_hazard_status(&mut self) -> Result<()> {
        self.write(|tx, _| rebuild(tx))
    }

    /// Hazards whose projected row differs from folding their events now: empty unless a
    /// write path forgot to refresh it (the storage tests check this after every kind of write).
    pub fn stale_hazard_status(&self) -> Result<Vec<Uuid>> {
        let projected: std::collections::HashMap<Uuid, HazardSummary> = self
            .hazard_summaries()?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        Ok(read_all_hazards(&self.conn)?
            .into_iter()
            .filter(|row| projected.get(&row.0.id()) != Some(&summary_of(row)))
            .map(|row| row.0.id())
            .collect())
    }
}

/// What the projection should hold for a hazard folded from its events.
fn summary_of((hazard, _, s): &LedgerRow) -> HazardSummary {
    HazardSummary {
        id: hazard.id(),
        enterprise_id: hazard.data.enterprise_id,
        stage: s.stage,
        grade: s.grade,
        source: hazard.data.source,
        deadline: s.deadline,
        tracking_person: s.tracking_person.clone(),
        number: s.number.clone(),
        description: s.description.clone(),
        found_at: hazard.data.found_at,
    }
}
