//! Corrections of a finalized inspection's arrival and departure times and of its evidence
//! records. The signed record never changes: a correction is a new record beside it, naming
//! what it corrects, with its reason. Each correction states the whole corrected value (both
//! times; every field of the form), so the latest one — by `created_at`, then id — is in force
//! on its own, whatever order corrections from several laptops arrive in.

use super::evidence::FieldValue;
use super::inspection::{Inspection, InspectionStatus, check_departure};
use super::record::Record;
use super::time::record_minute;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A correction of when the inspectors arrived at and left the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeCorrection {
    pub inspection_id: Uuid,
    /// `None`: as in the signed record.
    pub arrived_at: Option<DateTime<Utc>>,
    /// `None`: as in the signed record.
    pub departed_at: Option<DateTime<Utc>>,
    pub reason: String,
}

/// A correction of an evidence record: its values as they should have been, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceCorrection {
    pub evidence_id: Uuid,
    /// The version of the form definition the values were checked against.
    pub form_version: u32,
    pub values: BTreeMap<String, FieldValue>,
    pub reason: String,
}

/// The visit as it stands: the signed times, or the latest correction's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitTimes {
    pub arrival: DateTime<Utc>,
    /// The end of the visit (for an inspection finalized before departures were asked: the
    /// finalization); `None` only for a draft.
    pub departure: Option<DateTime<Utc>>,
    /// A correction is in force (the times shown are not those signed).
    pub corrected: bool,
}

/// Marks a corrected time when shown.
pub const CORRECTED_MARK: &str = "（已更正）";

impl VisitTimes {
    /// `"YYYY-MM-DD HH:MM 至 YYYY-MM-DD HH:MM"`, with the mark when corrected.
    pub fn text(&self) -> String {
        let until = self.departure.map(record_minute).unwrap_or_default();
        format!(
            "{} 至 {}{}",
            record_minute(self.arrival),
            until,
            if self.corrected { CORRECTED_MARK } else { "" }
        )
    }
}

/// The correction in force among `corrections` (of one record): the latest by `created_at`,
/// then id.
pub fn latest<T>(corrections: &[Record<T>]) -> Option<&Record<T>> {
    corrections
        .iter()
        .max_by_key(|c| (c.meta.created_at, c.meta.id))
}

/// The times of `inspection` as corrected by the latest of `corrections` (those of this
/// inspection).
pub fn effective_times(
    inspection: &Inspection,
    corrections: &[Record<TimeCorrection>],
) -> VisitTimes {
    match latest(corrections) {
        Some(c) => applied(inspection, &c.data),
        None => VisitTimes {
            arrival: inspection.arrival_at,
            departure: inspection.visit_end(),
            corrected: false,
        },
    }
}

/// The times `correction` states, the signed ones where it states none.
fn applied(inspection: &Inspection, correction: &TimeCorrection) -> VisitTimes {
    VisitTimes {
        arrival: correction.arrived_at.unwrap_or(inspection.arrival_at),
        departure: correction.departed_at.or(inspection.visit_end()),
        corrected: true,
    }
}

/// Whether `correction`, made at `made_at`, may stand beside `inspection`: finalized, a time
/// and a reason given, arrival ≤ departure ≤ the signing, the arrival not after the
/// correction itself. The reason, in Chinese, when not. The same rule holds on every import.
pub fn check_time_correction(
    inspection: &Inspection,
    correction: &TimeCorrection,
    made_at: DateTime<Utc>,
) -> Result<(), String> {
    let signed = match (inspection.status, inspection.finalized_at) {
        (InspectionStatus::Finalized, Some(at)) => at,
        _ => {
            return Err("只有已定稿的检查才能更正到达/离开时间；草稿可以直接修改".into());
        }
    };
    if correction.reason.trim().is_empty() {
        return Err("更正理由不能为空：写明哪里记错了、以什么为准".into());
    }
    if correction.arrived_at.is_none() && correction.departed_at.is_none() {
        return Err("更正须给出到达时间或离开时间".into());
    }
    let t = applied(inspection, correction);
    let departure = t.departure.unwrap_or(signed);
    if departure > signed {
        return Err(format!(
            "离开现场时间 {} 晚于定稿签名时间 {}：离开现场不会晚于签名",
            record_minute(departure),
            record_minute(signed)
        ));
    }
    if t.arrival > made_at {
        return Err(format!(
            "到达时间 {} 晚于现在 {}：不能是将来的时间",
            record_minute(t.arrival),
            record_minute(made_at)
        ));
    }
    check_departure(t.arrival, departure, signed)
}

/// Whether a time correction changes anything against the times in force now.
pub fn changes_times(current: &VisitTimes, inspection: &Inspection, c: &TimeCorrection) -> bool {
    let next = applied(inspection, c);
    next.arrival != current.arrival || next.departure != current.departure
}

/// The values of an evidence record as corrected by the latest of `corrections` (those of this
/// record), and whether they were corrected.
pub fn effective_values<'a>(
    original: &'a BTreeMap<String, FieldValue>,
    corrections: &'a [Record<EvidenceCorrection>],
) -> (&'a BTreeMap<String, FieldValue>, bool) {
    match latest(corrections) {
        Some(c) => (&c.data.values, true),
        None => (original, false),
    }
}

/// Whether an evidence correction may stand: its record's inspection finalized, a reason, and
/// no problem with the values as the form checks them when first entered (`form_problems`,
/// from the form definition's own check). The reason, in Chinese, when not.
pub fn check_evidence_correction(
    inspection_status: InspectionStatus,
    correction: &EvidenceCorrection,
    form_problems: &[String],
) -> Result<(), String> {
    if inspection_status != InspectionStatus::Finalized {
        return Err("只有已定稿检查的证据记录才需要更正；草稿中的证据记录可以直接修改".into());
    }
    if correction.reason.trim().is_empty() {
        return Err("更正理由不能为空：写明哪里记错了、以什么为准".into());
    }
    if !form_problems.is_empty() {
        return Err(format!(
            "更正后的证据记录不完整或有误：{}",
            form_problems.join("；")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
