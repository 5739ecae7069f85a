//! Corrections of a finalized inspection's times and of its evidence records: new records
//! beside the signed ones (`domain::correction`), signed by their author, authorized as an
//! addendum is (`Action::Record`), never edited or deleted (migration 12).

use super::sql::{
    META_COLUMNS, get_json, get_meta, get_opt_time, get_uuid, meta_values, query_all, ts,
};
use super::{Result, Store, StoreError};
use crate::domain::correction::{self, EvidenceCorrection, TimeCorrection, VisitTimes};
use crate::domain::trust::Action;
use crate::domain::{FieldValue, Record};
use crate::templates::forms::FormDef;
use rusqlite::{Connection, Row, params};
use std::collections::BTreeMap;
use uuid::Uuid;

fn time_from_row(row: &Row) -> rusqlite::Result<Record<TimeCorrection>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: TimeCorrection {
            inspection_id: get_uuid(row, "inspection_id")?,
            arrived_at: get_opt_time(row, "arrived_at")?,
            departed_at: get_opt_time(row, "departed_at")?,
            reason: row.get("reason")?,
        },
    })
}

fn evidence_from_row(row: &Row) -> rusqlite::Result<Record<EvidenceCorrection>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: EvidenceCorrection {
            evidence_id: get_uuid(row, "evidence_id")?,
            form_version: row.get("form_version")?,
            values: get_json(row, "field_values")?,
            reason: row.get("reason")?,
        },
    })
}

pub(super) fn time_corrections(
    conn: &Connection,
    inspection_id: Uuid,
) -> Result<Vec<Record<TimeCorrection>>> {
    query_all(
        conn,
        &format!(
            "SELECT {META_COLUMNS}, inspection_id, arrived_at, departed_at, reason
             FROM inspection_time_corrections WHERE inspection_id = ?1 ORDER BY created_at, id"
        ),
        [inspection_id.to_string()],
        time_from_row,
    )
}

fn evidence_corrections(
    conn: &Connection,
    evidence_id: Uuid,
) -> Result<Vec<Record<EvidenceCorrection>>> {
    query_all(
        conn,
        &format!(
            "SELECT {META_COLUMNS}, evidence_id, form_version, field_values, reason
             FROM evidence_corrections WHERE evidence_id = ?1 ORDER BY created_at, id"
        ),
        [evidence_id.to_string()],
        evidence_from_row,
    )
}

/// Everything wrong with `values` as a correction of an evidence record of the form `form`
/// (exactly the check of a record first entered), or a form of another version.
pub(crate) fn form_problems(
    forms: &[FormDef],
    kind: crate::domain::EvidenceKind,
    version: u32,
    values: &BTreeMap<String, FieldValue>,
) -> Vec<String> {
    match forms.iter().find(|f| f.kind == kind) {
        None => vec![format!("本机没有“{}”的表单配置", kind.label())],
        Some(f) if f.version != version => vec![format!(
            "按“{}”表单第 {version} 版填写，本机的表单是第 {} 版：请先统一表单配置",
            f.title, f.version
        )],
        Some(f) => f.check_values(values),
    }
}

impl Store {
    /// The corrections of an inspection's times, oldest first.
    pub fn time_corrections(&self, inspection_id: Uuid) -> Result<Vec<Record<TimeCorrection>>> {
        time_corrections(&self.conn, inspection_id)
    }

    /// The arrival and departure in force: as signed, or as last corrected.
    pub fn visit_times(&self, inspection_id: Uuid) -> Result<VisitTimes> {
        let inspection = self.inspection(inspection_id)?;
        let corrections = self.time_corrections(inspection_id)?;
        Ok(correction::effective_times(&inspection.data, &corrections))
    }

    /// Corrects the times of a finalized inspection: a new record stating both times (`None`:
    /// as signed). Refused, in Chinese, when the times break the visit's order, change
    /// nothing, or the profile may not record (the rule of an addendum).
    pub fn correct_times(
        &mut self,
        inspection_id: Uuid,
        arrived_at: Option<chrono::DateTime<chrono::Utc>>,
        departed_at: Option<chrono::DateTime<chrono::Utc>>,
        reason: &str,
    ) -> Result<Record<TimeCorrection>> {
        let data = TimeCorrection {
            inspection_id,
            arrived_at,
            departed_at,
            reason: reason.trim().to_string(),
        };
        self.write(|tx, stamp| {
            let inspection = super::inspections::read_inspection(tx, inspection_id)?.data;
            correction::check_time_correction(&inspection, &data, stamp.now)
                .map_err(StoreError::Invalid)?;
            let current =
                correction::effective_times(&inspection, &time_corrections(tx, inspection_id)?);
            if !correction::changes_times(&current, &inspection, &data) {
                return Err(StoreError::Invalid(
                    "更正后的时间与现在的相同：没有需要更正的内容".into(),
                ));
            }
            super::authority::authorize_here(tx, stamp, &Action::Record)?;
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            tx.execute(
                &format!(
                    "INSERT INTO inspection_time_corrections ({META_COLUMNS}, inspection_id,
                         arrived_at, departed_at, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ),
                params![
                    id,
                    created,
                    updated,
                    author,
                    replica,
                    inspection_id.to_string(),
                    data.arrived_at.map(ts),
                    data.departed_at.map(ts),
                    data.reason
                ],
            )?;
            super::bundle::sign::sign_record(
                tx,
                &super::bundle::kinds::TIME_CORRECTIONS,
                &meta.id.to_string(),
                stamp.now,
            )?;
            Ok(Record { meta, data })
        })
    }

    /// The corrections of the evidence records of an inspection, oldest first.
    pub fn evidence_corrections_for(
        &self,
        inspection_id: Uuid,
    ) -> Result<Vec<Record<EvidenceCorrection>>> {
        query_all(
            &self.conn,
            &format!(
                "SELECT {META_COLUMNS}, evidence_id, form_version, field_values, reason
                 FROM evidence_corrections WHERE evidence_id IN
                     (SELECT id FROM evidence_records WHERE inspection_id = ?1)
                 ORDER BY created_at, id"
            ),
            [inspection_id.to_string()],
            evidence_from_row,
        )
    }

    /// Corrects an evidence record of a finalized inspection: a new record with the whole
    /// corrected values, checked against the form as when first entered (the form in force
    /// here, `set_forms`). Refused, in Chinese, when a value is wrong, nothing changes or the
    /// profile may not record.
    pub fn correct_evidence(
        &mut self,
        evidence_id: Uuid,
        values: BTreeMap<String, FieldValue>,
        reason: &str,
    ) -> Result<Record<EvidenceCorrection>> {
        let forms = self.forms();
        self.write(|tx, stamp| {
            let original = super::records::read_evidence(tx, evidence_id)?;
            let status = super::inspections::read_inspection(tx, original.data.inspection_id)?
                .data
                .status;
            let version = forms
                .iter()
                .find(|f| f.kind == original.data.kind)
                .map_or(original.data.form_version, |f| f.version);
            let data = EvidenceCorrection {
                evidence_id,
                form_version: version,
                values,
                reason: reason.trim().to_string(),
            };
            let problems = form_problems(&forms, original.data.kind, version, &data.values);
            correction::check_evidence_correction(status, &data, &problems)
                .map_err(StoreError::Invalid)?;
            let earlier = evidence_corrections(tx, evidence_id)?;
            let (current, _) = correction::effective_values(&original.data.values, &earlier);
            if *current == data.values {
                return Err(StoreError::Invalid(
                    "更正后的内容与现在的相同：没有需要更正的内容".into(),
                ));
            }
            super::authority::authorize_here(tx, stamp, &Action::Record)?;
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            tx.execute(
                &format!(
                    "INSERT INTO evidence_corrections ({META_COLUMNS}, evidence_id, form_version,
                         field_values, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ),
                params![
                    id,
                    created,
                    updated,
                    author,
                    replica,
                    evidence_id.to_string(),
                    data.form_version,
                    serde_json::to_string(&data.values)?,
                    data.reason
                ],
            )?;
            super::bundle::sign::sign_record(
                tx,
                &super::bundle::kinds::EVIDENCE_CORRECTIONS,
                &meta.id.to_string(),
                stamp.now,
            )?;
            Ok(Record { meta, data })
        })
    }
}
