//! Evidence records, spot exams, enforcement actions and activities.

use super::sql::{
    META_COLUMNS, date, get_code, get_date, get_json, get_meta, get_opt_uuid, get_uuid,
    meta_values, query_all, query_first, ts,
};
use super::{Result, Store, StoreError};
use crate::domain::{Activity, EnforcementAction, EvidenceRecord, ExamRecord, Record};
use rusqlite::{Row, params};
use uuid::Uuid;

fn evidence_from_row(row: &Row) -> rusqlite::Result<Record<EvidenceRecord>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: EvidenceRecord {
            inspection_id: get_uuid(row, "inspection_id")?,
            kind: get_code(row, "kind")?,
            form_version: row.get("form_version")?,
            values: get_json(row, "field_values")?,
        },
    })
}

fn exam_from_row(row: &Row) -> rusqlite::Result<Record<ExamRecord>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: ExamRecord {
            inspection_id: get_uuid(row, "inspection_id")?,
            examinee_name: row.get("examinee_name")?,
            examinee_role: row.get("examinee_role")?,
            questions: get_json(row, "questions")?,
        },
    })
}

fn enforcement_from_row(row: &Row) -> rusqlite::Result<Record<EnforcementAction>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: EnforcementAction {
            kind: get_code(row, "kind")?,
            enterprise_id: get_opt_uuid(row, "enterprise_id")?,
            inspection_id: get_opt_uuid(row, "inspection_id")?,
            hazard_id: get_opt_uuid(row, "hazard_id")?,
            decided_on: get_date(row, "decided_on")?,
            document_no: row.get("document_no")?,
            amount_fen: row.get("amount_fen")?,
            persons: row.get("persons")?,
            dangerous_operation_crime: row.get("dangerous_operation_crime")?,
            note: row.get("note")?,
            corrects: get_opt_uuid(row, "corrects")?,
        },
    })
}

fn activity_from_row(row: &Row) -> rusqlite::Result<Record<Activity>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: Activity {
            kind: get_code(row, "kind")?,
            level: get_code(row, "level")?,
            group_code: row.get("group_code")?,
            held_on: get_date(row, "held_on")?,
            title: row.get("title")?,
            amount_fen: row.get("amount_fen")?,
            count: row.get("count")?,
            anonymous: row.get("anonymous")?,
            note: row.get("note")?,
            corrects: get_opt_uuid(row, "corrects")?,
        },
    })
}

pub(crate) fn read_evidence(
    conn: &rusqlite::Connection,
    id: Uuid,
) -> Result<Record<EvidenceRecord>> {
    query_first(
        conn,
        &format!(
            "SELECT {META_COLUMNS}, inspection_id, kind, form_version, field_values
             FROM evidence_records WHERE id = ?1"
        ),
        [id.to_string()],
        evidence_from_row,
    )?
    .ok_or_else(|| StoreError::NotFound(format!("证据记录 {id}")))
}

impl Store {
    /// Saves an evidence record of a draft inspection: a new one when `id` is `None`, else the
    /// working copy with that id is replaced.
    pub fn save_evidence(
        &mut self,
        id: Option<Uuid>,
        record: EvidenceRecord,
    ) -> Result<Record<EvidenceRecord>> {
        let values = serde_json::to_string(&record.values)?;
        self.write(|tx, stamp| {
            let mut meta = stamp.meta(tx)?;
            match id {
                None => {
                    let [id, created, updated, author, replica] = meta_values(&meta);
                    tx.execute(
                        &format!(
                            "INSERT INTO evidence_records ({META_COLUMNS}, inspection_id, kind,
                             form_version, field_values)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                        ),
                        params![
                            id,
                            created,
                            updated,
                            author,
                            replica,
                            record.inspection_id.to_string(),
                            record.kind.code(),
                            record.form_version,
                            values
                        ],
                    )?;
                }
                Some(existing) => {
                    let changed = tx.execute(
                    "UPDATE evidence_records SET updated_at = ?2, author_id = ?3, replica_id = ?4,
                         form_version = ?5, field_values = ?6
                     WHERE id = ?1 AND inspection_id = ?7 AND kind = ?8",
                    params![
                        existing.to_string(),
                        ts(meta.updated_at),
                        meta.author_id.to_string(),
                        meta.replica_id.to_string(),
                        record.form_version,
                        values,
                        record.inspection_id.to_string(),
                        record.kind.code()
                    ],
                )?;
                    if changed == 0 {
                        return Err(StoreError::NotFound(format!("证据记录 {existing}")));
                    }
                    meta = read_evidence(tx, existing)?.meta;
                }
            }
            Ok(Record { meta, data: record })
        })
    }

    pub fn evidence(&self, id: Uuid) -> Result<Record<EvidenceRecord>> {
        read_evidence(&self.conn, id)
    }

    pub fn evidence_for(&self, inspection_id: Uuid) -> Result<Vec<Record<EvidenceRecord>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, inspection_id, kind, form_version, field_values
             FROM evidence_records WHERE inspection_id = ?1 ORDER BY kind, id"
            ),
            [inspection_id.to_string()],
            evidence_from_row,
        )
    }

    /// Records a spot exam (逢查必考) of a draft inspection.
    pub fn record_exam(&mut self, exam: ExamRecord) -> Result<Record<ExamRecord>> {
        self.write(|tx, stamp| {
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            tx.execute(
                &format!(
                    "INSERT INTO exam_records ({META_COLUMNS}, inspection_id, examinee_name,
                     examinee_role, questions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ),
                params![
                    id,
                    created,
                    updated,
                    author,
                    replica,
                    exam.inspection_id.to_string(),
                    exam.examinee_name,
                    exam.examinee_role,
                    serde_json::to_string(&exam.questions)?
                ],
            )?;
            Ok(Record { meta, data: exam })
        })
    }

    pub fn exams_for(&self, inspection_id: Uuid) -> Result<Vec<Record<ExamRecord>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, inspection_id, examinee_name, examinee_role, questions
             FROM exam_records WHERE inspection_id = ?1 ORDER BY id"
            ),
            [inspection_id.to_string()],
            exam_from_row,
        )
    }

    /// Records an enforcement action. Corrections are new actions with `corrects` set.
    pub fn record_enforcement(
        &mut self,
        action: EnforcementAction,
    ) -> Result<Record<EnforcementAction>> {
        self.write(|tx, stamp| {
            authorize_record(tx, stamp, "enforcement_actions", action.corrects)?;
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            let a = &action;
            tx.execute(
                &format!(
                    "INSERT INTO enforcement_actions ({META_COLUMNS}, kind, enterprise_id,
                     inspection_id, hazard_id, decided_on, document_no, amount_fen, persons,
                     dangerous_operation_crime, note, corrects)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
                ),
                params![
                    id,
                    created,
                    updated,
                    author,
                    replica,
                    a.kind.code(),
                    a.enterprise_id.map(|x| x.to_string()),
                    a.inspection_id.map(|x| x.to_string()),
                    a.hazard_id.map(|x| x.to_string()),
                    date(a.decided_on),
                    a.document_no,
                    a.amount_fen,
                    a.persons,
                    a.dangerous_operation_crime,
                    a.note,
                    a.corrects.map(|x| x.to_string())
                ],
            )?;
            super::bundle::sign::sign_record(
                tx,
                &super::bundle::kinds::ACTIONS,
                &meta.id.to_string(),
                stamp.now,
            )?;
            Ok(Record { meta, data: action })
        })
    }

    pub fn enforcement_actions(&self) -> Result<Vec<Record<EnforcementAction>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, kind, enterprise_id, inspection_id, hazard_id, decided_on,
                    document_no, amount_fen, persons, dangerous_operation_crime, note, corrects
             FROM enforcement_actions ORDER BY decided_on, id"
            ),
            [],
            enforcement_from_row,
        )
    }

    /// Logs an activity. Corrections are new entries with `corrects` set.
    pub fn record_activity(&mut self, activity: Activity) -> Result<Record<Activity>> {
        self.write(|tx, stamp| insert_activity(tx, stamp, activity))
    }

    pub fn activities(&self) -> Result<Vec<Record<Activity>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, kind, level, group_code, held_on, title, amount_fen, count,
                    anonymous, note, corrects
             FROM activities ORDER BY held_on, id"
            ),
            [],
            activity_from_row,
        )
    }
}

/// May the profile record this action or activity (a correction: of its own record, or as a
/// clerk)? The same rule an import applies.
fn authorize_record(
    tx: &rusqlite::Connection,
    stamp: &super::Stamp,
    table: &str,
    corrects: Option<uuid::Uuid>,
) -> Result<()> {
    let action = match corrects {
        Some(original) => {
            let author: String = tx
                .query_row(
                    &format!("SELECT author_id FROM {table} WHERE id = ?1"),
                    [original.to_string()],
                    |r| r.get(0),
                )
                .map_err(|_| super::StoreError::NotFound(format!("被更正的记录 {original}")))?;
            crate::domain::trust::Action::Correction {
                original_author: uuid::Uuid::parse_str(&author).unwrap_or_default(),
            }
        }
        None => crate::domain::trust::Action::Record,
    };
    super::authority::authorize_here(tx, stamp, &action)
}

/// An activity written in `tx` (a correction names the entry it corrects).
pub(super) fn insert_activity(
    tx: &rusqlite::Transaction,
    stamp: &super::Stamp,
    activity: Activity,
) -> Result<Record<Activity>> {
    authorize_record(tx, stamp, "activities", activity.corrects)?;
    let meta = stamp.meta(tx)?;
    let [id, created, updated, author, replica] = meta_values(&meta);
    let a = &activity;
    tx.execute(
        &format!(
            "INSERT INTO activities ({META_COLUMNS}, kind, level, group_code, held_on, title,
             amount_fen, count, anonymous, note, corrects)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ),
        params![
            id,
            created,
            updated,
            author,
            replica,
            a.kind.code(),
            a.level.code(),
            a.group_code,
            date(a.held_on),
            a.title,
            a.amount_fen,
            a.count,
            a.anonymous,
            a.note,
            a.corrects.map(|x| x.to_string())
        ],
    )?;
    super::bundle::sign::sign_record(
        tx,
        &super::bundle::kinds::ACTIVITIES,
        &meta.id.to_string(),
        stamp.now,
    )?;
    Ok(Record {
        meta,
        data: activity,
    })
}
