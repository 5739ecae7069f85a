//! A received correction of a finalized inspection's times or of its evidence is checked by
//! the rule the TUI and the CLI apply (`domain::correction`): a bundle from another program can
//! put no departure after the signing, no arrival after the departure, no value the form would
//! refuse.

use super::super::rows::Object;
use super::Applier;
use super::facts::text;
use crate::domain::correction::{self, EvidenceCorrection, TimeCorrection};
use crate::domain::time::parse_record_time;
use crate::storage::{Result, StoreError};
use serde_json::Value;
use uuid::Uuid;

impl Applier<'_> {
    /// Checks a new correction line of `kind` (other kinds pass).
    pub(super) fn check_correction(&self, kind: &str, object: &Object) -> Result<()> {
        match kind {
            "time_corrections" => self.check_times(object),
            "evidence_corrections" => self.check_evidence(object),
            _ => Ok(()),
        }
    }

    fn check_times(&self, object: &Object) -> Result<()> {
        let time = |column: &str| {
            object
                .get(column)
                .and_then(Value::as_str)
                .and_then(parse_record_time)
        };
        let id = Uuid::parse_str(&text(object, "inspection_id")).unwrap_or_default();
        let inspection = crate::storage::inspections::read_inspection(self.tx, id)?.data;
        let correction = TimeCorrection {
            inspection_id: id,
            arrived_at: time("arrived_at"),
            departed_at: time("departed_at"),
            reason: text(object, "reason"),
        };
        let made = time("created_at").unwrap_or_else(|| self.now_time());
        correction::check_time_correction(&inspection, &correction, made)
            .map_err(StoreError::Invalid)
    }

    fn check_evidence(&self, object: &Object) -> Result<()> {
        let id = Uuid::parse_str(&text(object, "evidence_id")).unwrap_or_default();
        let original = crate::storage::records::read_evidence(self.tx, id)?.data;
        let status = crate::storage::inspections::read_inspection(self.tx, original.inspection_id)?
            .data
            .status;
        let bad = || {
            StoreError::Invalid(
                "字段 field_values（更正后的证据记录内容）应为对象，每项为真假值、数字或文本"
                    .into(),
            )
        };
        let values = object
            .get("field_values")
            .and_then(Value::as_str)
            .and_then(|t| serde_json::from_str(t).ok())
            .ok_or_else(bad)?;
        let version = object
            .get("form_version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| StoreError::Invalid("字段 form_version 应为表单的版本号".into()))?;
        let correction = EvidenceCorrection {
            evidence_id: id,
            form_version: version,
            values,
            reason: text(object, "reason"),
        };
        let problems = crate::storage::corrections::form_problems(
            &self.forms,
            original.kind,
            version,
            &correction.values,
        );
        correction::check_evidence_correction(status, &correction, &problems)
            .map_err(StoreError::Invalid)
    }
}
