//! Rules over evidence records: pure functions, the inspection date passed in, that propose an
//! answer for the checklist item the evidence bears on and say why, in Chinese. The inspector
//! confirms or overrides; a rule never records an answer itself.

mod certificate;
mod config;
mod drill;
mod hot_work;
mod outsourcing;
mod values;

pub use certificate::certificates;
pub use config::{
    CertificateRules, DrillRules, HotWorkLevel, HotWorkRules, OutsourcingRules, RulesConfig,
    TargetingWeights,
};
pub use drill::drills;
pub use hot_work::hot_work_permits;
pub use outsourcing::outsourcing;

use crate::domain::{AnswerResult, EvidenceKind, EvidenceRecord};
use chrono::NaiveDate;
use serde::Serialize;

/// How a rule reads a field: as text (text, person, enum, ID number…), a date, a date and time,
/// or yes/no. The configuration check makes sure the forms give the rules what they read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    Text,
    Date,
    DateTime,
    YesNo,
}

impl Reads {
    pub fn label(self) -> &'static str {
        match self {
            Reads::Text => "文字",
            Reads::Date => "日期",
            Reads::DateTime => "日期时间",
            Reads::YesNo => "是/否",
        }
    }
}

/// Every evidence field a rule reads.
pub const FIELDS_READ: &[(EvidenceKind, &str, Reads)] = &[
    (
        EvidenceKind::SpecialOperationCertificate,
        "holder_name",
        Reads::Text,
    ),
    (
        EvidenceKind::SpecialOperationCertificate,
        "id_number",
        Reads::Text,
    ),
    (
        EvidenceKind::SpecialOperationCertificate,
        "cert_no",
        Reads::Text,
    ),
    (
        EvidenceKind::SpecialOperationCertificate,
        "issuing_system",
        Reads::Text,
    ),
    (
        EvidenceKind::SpecialOperationCertificate,
        "valid_until",
        Reads::Date,
    ),
    (
        EvidenceKind::SpecialOperationCertificate,
        "review_due_on",
        Reads::Date,
    ),
    (
        EvidenceKind::SpecialOperationCertificate,
        "reviewed_on",
        Reads::Date,
    ),
    (EvidenceKind::HotWorkPermit, "permit_no", Reads::Text),
    (EvidenceKind::HotWorkPermit, "level", Reads::Text),
    (EvidenceKind::HotWorkPermit, "upgraded", Reads::YesNo),
    (EvidenceKind::HotWorkPermit, "start_at", Reads::DateTime),
    (EvidenceKind::HotWorkPermit, "end_at", Reads::DateTime),
    (
        EvidenceKind::HotWorkPermit,
        "gas_sampled_at",
        Reads::DateTime,
    ),
    (EvidenceKind::HotWorkPermit, "fire_watch", Reads::Text),
    (
        EvidenceKind::OutsourcingAgreement,
        "contractor_name",
        Reads::Text,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "contractor_qualified",
        Reads::YesNo,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "agreement_signed",
        Reads::YesNo,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "agreement_signed_on",
        Reads::Date,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "entered_site_on",
        Reads::Date,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "duties_clear",
        Reads::YesNo,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "unified_management",
        Reads::YesNo,
    ),
    (
        EvidenceKind::OutsourcingAgreement,
        "regular_inspections",
        Reads::YesNo,
    ),
    (EvidenceKind::DrillRecord, "name", Reads::Text),
    (EvidenceKind::DrillRecord, "held_on", Reads::Date),
    (EvidenceKind::DrillRecord, "staff_know_exits", Reads::YesNo),
];

/// What a rule proposes for one checklist item, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub item_code: String,
    pub proposed: AnswerResult,
    /// One sentence per finding, naming the record it comes from.
    pub reasons: Vec<String>,
}

impl Verdict {
    /// Non-compliant when any finding was made, otherwise compliant with `all_clear` as reason.
    fn from_findings(item_code: &str, findings: Vec<String>, all_clear: String) -> Verdict {
        if findings.is_empty() {
            Verdict {
                item_code: item_code.to_string(),
                proposed: AnswerResult::Compliant,
                reasons: vec![all_clear],
            }
        } else {
            Verdict {
                item_code: item_code.to_string(),
                proposed: AnswerResult::NonCompliant,
                reasons: findings,
            }
        }
    }
}

/// Runs every rule over the evidence recorded at one inspection on `on`; `drills_per_year` is
/// the enterprise's sector minimum. Kinds with no records give no verdict: the item is then the
/// inspector's own call.
pub fn evaluate(
    rules: &RulesConfig,
    records: &[&EvidenceRecord],
    drills_per_year: Option<u32>,
    on: NaiveDate,
) -> Vec<Verdict> {
    let of = |kind: EvidenceKind| -> Vec<&values::Values> {
        records
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| &r.values)
            .collect()
    };
    let mut verdicts = Vec::new();
    verdicts.extend(hot_work_permits(
        &of(EvidenceKind::HotWorkPermit),
        &rules.hot_work,
    ));
    verdicts.extend(certificates(
        &of(EvidenceKind::SpecialOperationCertificate),
        &rules.certificate,
        on,
    ));
    verdicts.extend(outsourcing(
        &of(EvidenceKind::OutsourcingAgreement),
        &rules.outsourcing,
    ));
    let drill_records = of(EvidenceKind::DrillRecord);
    if !drill_records.is_empty() {
        verdicts.push(drills(&drill_records, &rules.drill, drills_per_year, on));
    }
    verdicts
}

#[cfg(test)]
mod tests;
