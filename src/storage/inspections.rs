//! Inspections, their item snapshots and answers.

use super::sql::{
    META_COLUMNS, get_code, get_json, get_meta, get_opt_time, get_opt_uuid, get_time, get_uuid,
    meta_values, query_all, ts,
};
use super::{Result, Store, StoreError};
use crate::domain::{
    Addendum, Answer, AnswerResult, Inspection, InspectionStatus, ItemSnapshot, Record,
};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

pub(crate) fn read_inspection(conn: &Connection, id: Uuid) -> Result<Record<Inspection>> {
    let id_text = id.to_string();
    let head = conn
        .query_row(
            &format!(
                "SELECT {META_COLUMNS}, enterprise_id, mode, arrival_at, templates, status,
                        finalized_at, follow_up_of, departed_at
                 FROM inspections WHERE id = ?1"
            ),
            [&id_text],
            |row| {
                Ok((
                    get_meta(row)?,
                    get_uuid(row, "enterprise_id")?,
                    get_code(row, "mode")?,
                    get_time(row, "arrival_at")?,
                    get_json(row, "templates")?,
                    get_code(row, "status")?,
                    get_opt_time(row, "finalized_at")?,
                    get_opt_uuid(row, "follow_up_of")?,
                    get_opt_time(row, "departed_at")?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("检查记录 {id}")))?;
    let (
        meta,
        enterprise_id,
        mode,
        arrival_at,
        templates,
        status,
        finalized_at,
        follow_up_of,
        departed_at,
    ) = head;

    let inspector_ids = query_all(
        conn,
        "SELECT inspector_id FROM inspection_inspectors WHERE inspection_id = ?1 ORDER BY position",
        [&id_text],
        |row| get_uuid(row, "inspector_id"),
    )?;
    let items = query_all(
        conn,
        "SELECT code, template_id, template_version, section, question, basis
         FROM inspection_items WHERE inspection_id = ?1 ORDER BY position",
        [&id_text],
        |row| {
            Ok(ItemSnapshot {
                code: row.get("code")?,
                template_id: row.get("template_id")?,
                template_version: row.get("template_version")?,
                section: row.get("section")?,
                question: row.get("question")?,
                basis: row.get("basis")?,
            })
        },
    )?;

    Ok(Record {
        meta,
        data: Inspection {
            enterprise_id,
            mode,
            inspector_ids,
            arrival_at,
            templates,
            items,
            status,
            finalized_at,
            departed_at,
            follow_up_of,
        },
    })
}

fn status_of(conn: &Connection, id: Uuid) -> Result<InspectionStatus> {
    conn.query_row(
        "SELECT status FROM inspections WHERE id = ?1",
        [id.to_string()],
        |row| get_code(row, "status"),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("检查记录 {id}")))
}

/// The answers of an inspection, in item order.
pub(super) fn read_answers(conn: &Connection, inspection_id: Uuid) -> Result<Vec<Record<Answer>>> {
    query_all(
        conn,
        &format!(
            "SELECT a.{}, a.inspection_id, a.item_code, a.result, a.note
             FROM answers a JOIN inspection_items i
               ON i.inspection_id = a.inspection_id AND i.code = a.item_code
             WHERE a.inspection_id = ?1 ORDER BY i.position",
            META_COLUMNS.replace(", ", ", a.")
        ),
        [inspection_id.to_string()],
        answer_from_row,
    )
}

impl Store {
    /// Starts an inspection (normally a draft) with its item snapshots, in one transaction.
    pub fn create_inspection(&mut self, inspection: Inspection) -> Result<Record<Inspection>> {
        self.write(|tx, stamp| {
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author_text, replica] = meta_values(&meta);
            let i = &inspection;
            tx.execute(
                &format!(
                    "INSERT INTO inspections ({META_COLUMNS}, enterprise_id, mode, arrival_at,
                     templates, status, finalized_at, follow_up_of)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'draft', NULL, ?10)"
                ),
                params![
                    id,
                    created,
                    updated,
                    author_text,
                    replica,
                    i.enterprise_id.to_string(),
                    i.mode.code(),
                    ts(i.arrival_at),
                    serde_json::to_string(&i.templates)?,
                    i.follow_up_of.map(|h| h.to_string())
                ],
            )?;
            for (pos, inspector) in i.inspector_ids.iter().enumerate() {
                tx.execute(
                    "INSERT INTO inspection_inspectors (inspection_id, position, inspector_id)
                 VALUES (?1, ?2, ?3)",
                    params![id, pos as i64, inspector.to_string()],
                )?;
            }
            for (pos, item) in i.items.iter().enumerate() {
                tx.execute(
                    "INSERT INTO inspection_items (inspection_id, position, code, template_id,
                     template_version, section, question, basis)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        id,
                        pos as i64,
                        item.code,
                        item.template_id,
                        item.template_version,
                        item.section,
                        item.question,
                        item.basis
                    ],
                )?;
            }
            if i.status != InspectionStatus::Draft {
                tx.execute(
                    "UPDATE inspections SET status = ?2, finalized_at = ?3, departed_at = ?4
                     WHERE id = ?1",
                    params![
                        id,
                        i.status.code(),
                        i.finalized_at.map(ts),
                        i.departed_at.map(ts)
                    ],
                )?;
            }
            Ok(Record {
                meta,
                data: inspection,
            })
        })
    }

    pub fn inspection(&self, id: Uuid) -> Result<Record<Inspection>> {
        read_inspection(&self.conn, id)
    }

    /// Ids of inspections still in draft, newest first.
    pub fn draft_inspection_ids(&self) -> Result<Vec<Uuid>> {
        query_all(
            &self.conn,
            "SELECT id FROM inspections WHERE status = 'draft' ORDER BY id DESC",
            [],
            |row| get_uuid(row, "id"),
        )
    }

    /// Drafts with their enterprise's name and the arrival time, newest first.
    pub fn draft_summaries(&self) -> Result<Vec<DraftSummary>> {
        self.inspection_summaries(Some(InspectionStatus::Draft))
    }

    /// Inspections (of one status, or all) with their enterprise's name, newest first.
    pub fn inspection_summaries(
        &self,
        status: Option<InspectionStatus>,
    ) -> Result<Vec<DraftSummary>> {
        query_all(
            &self.conn,
            "SELECT i.id, e.name, i.arrival_at, i.status,
                    (SELECT count(*) FROM answers a WHERE a.inspection_id = i.id
                         AND a.result <> 'unchecked') AS answered,
                    (SELECT count(*) FROM inspection_items t WHERE t.inspection_id = i.id) AS items
             FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id
             WHERE ?1 IS NULL OR i.status = ?1 ORDER BY i.id DESC",
            [status.map(|s| s.code())],
            |row| {
                Ok(DraftSummary {
                    id: get_uuid(row, "id")?,
                    enterprise_name: row.get("name")?,
                    arrival_at: super::sql::get_time(row, "arrival_at")?,
                    status: get_code(row, "status")?,
                    answered: row.get("answered")?,
                    items: row.get("items")?,
                })
            },
        )
    }

    /// The last arrival date (UTC instant) of a non-discarded inspection, per enterprise.
    pub fn last_inspections(
        &self,
    ) -> Result<std::collections::HashMap<Uuid, chrono::DateTime<chrono::Utc>>> {
        let rows = query_all(
            &self.conn,
            "SELECT enterprise_id, max(arrival_at) AS last FROM inspections
             WHERE status <> 'discarded' GROUP BY enterprise_id",
            [],
            |row| {
                Ok((
                    get_uuid(row, "enterprise_id")?,
                    super::sql::get_time(row, "last")?,
                ))
            },
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Records the answer to one item of a draft. Durable when this returns.
    pub fn set_answer(
        &mut self,
        inspection_id: Uuid,
        item_code: &str,
        result: AnswerResult,
        note: &str,
    ) -> Result<Record<Answer>> {
        self.write(|tx, stamp| {
            if status_of(tx, inspection_id)? != InspectionStatus::Draft {
                return Err(StoreError::Frozen);
            }
            let known: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM inspection_items WHERE inspection_id = ?1 AND code = ?2",
                    params![inspection_id.to_string(), item_code],
                    |r| r.get(0),
                )
                .optional()?;
            if known.is_none() {
                return Err(StoreError::Invalid(format!(
                    "检查项 {item_code} 不在本次检查的清单中"
                )));
            }
            let [id, created, updated, author_text, replica] = meta_values(&stamp.meta(tx)?);
            tx.execute(
                &format!(
                    "INSERT INTO answers ({META_COLUMNS}, inspection_id, item_code, result, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (inspection_id, item_code) DO UPDATE SET
                     updated_at = excluded.updated_at, author_id = excluded.author_id,
                     replica_id = excluded.replica_id, result = excluded.result,
                     note = excluded.note"
                ),
                params![
                    id,
                    created,
                    updated,
                    author_text,
                    replica,
                    inspection_id.to_string(),
                    item_code,
                    result.code(),
                    note
                ],
            )?;
            read_answer(tx, inspection_id, item_code)
        })
    }

    /// The answers of an inspection, in item order.
    pub fn answers(&self, inspection_id: Uuid) -> Result<Vec<Record<Answer>>> {
        read_answers(&self.conn, inspection_id)
    }

    /// Adds an addendum to a finalized inspection (drafts are simply edited).
    pub fn add_addendum(&mut self, inspection_id: Uuid, text: &str) -> Result<Record<Addendum>> {
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::Invalid("补充说明不能为空".to_string()));
        }
        self.write(|tx, stamp| {
            if status_of(tx, inspection_id)? != InspectionStatus::Finalized {
                return Err(StoreError::Invalid(
                    "只有已定稿的检查才需要补充说明；草稿可以直接修改".to_string(),
                ));
            }
            // The rule the office applies to an imported addendum, applied here first: a
            // profile whose roles were withdrawn is told now, not when the office refuses.
            super::authority::authorize_here(
                tx,
                stamp,
                &crate::domain::trust::permission::Action::Record,
            )?;
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            tx.execute(
                &format!(
                    "INSERT INTO inspection_addenda ({META_COLUMNS}, inspection_id, text)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    id,
                    created,
                    updated,
                    author,
                    replica,
                    inspection_id.to_string(),
                    text
                ],
            )?;
            super::bundle::sign::sign_record(
                tx,
                &super::bundle::kinds::ADDENDA,
                &meta.id.to_string(),
                stamp.now,
            )?;
            Ok(Record {
                meta,
                data: Addendum {
                    inspection_id,
                    text,
                },
            })
        })
    }

    pub fn addenda(&self, inspection_id: Uuid) -> Result<Vec<Record<Addendum>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, inspection_id, text FROM inspection_addenda
                 WHERE inspection_id = ?1 ORDER BY id"
            ),
            [inspection_id.to_string()],
            |row| {
                Ok(Record {
                    meta: get_meta(row)?,
                    data: Addendum {
                        inspection_id: get_uuid(row, "inspection_id")?,
                        text: row.get("text")?,
                    },
                })
            },
        )
    }

    /// Freezes a draft, the visit ending now: from now on nothing about it can change.
    pub fn finalize_inspection(&mut self, id: Uuid) -> Result<Record<Inspection>> {
        self.finalize_with_follow_ups(id, None).map(|(i, _)| i)
    }

    /// Freezes a draft, recording when the inspectors left the site (`None`: now) and, in the
    /// same transaction, the outcome of its 复查 items as the followed-up hazards' 验收 events.
    /// Returns what became of each follow-up item. The departure is refused (in Chinese) when
    /// it is before the arrival or in the future.
    pub fn finalize_with_follow_ups(
        &mut self,
        id: Uuid,
        departed_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(Record<Inspection>, Vec<String>)> {
        self.close_draft(id, InspectionStatus::Finalized, departed_at)
    }

    /// Throws a draft away. It is kept (records are never deleted) but marked 已作废.
    pub fn discard_draft(&mut self, id: Uuid) -> Result<Record<Inspection>> {
        self.close_draft(id, InspectionStatus::Discarded, None)
            .map(|(i, _)| i)
    }

    fn close_draft(
        &mut self,
        id: Uuid,
        status: InspectionStatus,
        departed_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(Record<Inspection>, Vec<String>)> {
        let keys = self.keys();
        self.write(|tx, stamp| {
            if status_of(tx, id)? != InspectionStatus::Draft {
                return Err(StoreError::Frozen);
            }
            let now = ts(stamp.now);
            let finalized = status == InspectionStatus::Finalized;
            let finalized_at = finalized.then(|| now.clone());
            let departed_at = if finalized {
                let arrival = read_inspection(tx, id)?.data.arrival_at;
                let departed = departed_at.unwrap_or(stamp.now);
                crate::domain::inspection::check_departure(arrival, departed, stamp.now)
                    .map_err(StoreError::Invalid)?;
                Some(ts(departed))
            } else {
                None
            };
            tx.execute(
                "UPDATE inspections SET status = ?2, finalized_at = ?3, updated_at = ?4,
                     author_id = ?5, replica_id = ?6, departed_at = ?7
                 WHERE id = ?1",
                params![
                    id.to_string(),
                    status.code(),
                    finalized_at,
                    now,
                    stamp.author(tx)?.to_string(),
                    stamp.replica.to_string(),
                    departed_at
                ],
            )?;
            let inspection = read_inspection(tx, id)?;
            if status == InspectionStatus::Discarded {
                // Its hazards are withdrawn with it: out of every list (the projection is
                // derived data; the hazards and their events stay on record).
                tx.execute(
                    "DELETE FROM hazard_status WHERE hazard_id IN
                         (SELECT id FROM hazards WHERE inspection_id = ?1)",
                    [id.to_string()],
                )?;
            }
            if status == InspectionStatus::Finalized {
                super::bundle::sign::sign_finalized(tx, &keys, id, stamp.author(tx)?, stamp.now)?;
            }
            let outcomes = if status == InspectionStatus::Finalized {
                super::follow_up::record_verifications(tx, stamp, &inspection)?
            } else {
                Vec::new()
            };
            Ok((inspection, outcomes))
        })
    }
}

/// An inspection as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSummary {
    pub id: Uuid,
    pub enterprise_name: String,
    pub arrival_at: chrono::DateTime<chrono::Utc>,
    pub status: InspectionStatus,
    pub answered: i64,
    pub items: i64,
}

fn answer_from_row(row: &rusqlite::Row) -> rusqlite::Result<Record<Answer>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: Answer {
            inspection_id: get_uuid(row, "inspection_id")?,
            item_code: row.get("item_code")?,
            result: get_code(row, "result")?,
            note: row.get("note")?,
        },
    })
}

fn read_answer(conn: &Connection, inspection_id: Uuid, item_code: &str) -> Result<Record<Answer>> {
    Ok(conn.query_row(
        &format!(
            "SELECT {META_COLUMNS}, inspection_id, item_code, result, note
             FROM answers WHERE inspection_id = ?1 AND item_code = ?2"
        ),
        params![inspection_id.to_string(), item_code],
        answer_from_row,
    )?)
}
