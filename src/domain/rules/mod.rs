//! Rules over evidence records: pure functions, the inspection date passed in, that propose an
//! answer for the checklist items the evidence bears on and say why, in Chinese. The inspector
//! confirms or overrides; a rule never records an answer itself.
//!
//! Every rule knows its scope (the campaign sectors it binds, `config/rules.toml`): for an
//! enterprise outside it the rule proposes nothing and says so. Where a rule cannot judge a
//! record (a certificate of an issuing system it does not know), it also holds back and says why.
//! Sources of every rule: `docs/rules.md`.

mod certificate;
mod config;
mod drill;
mod hot_work;
mod outsourcing;
mod permit_certificate;
mod values;

pub use certificate::certificates;
pub use config::{
    CertificateRules, CertificateSystem, DrillClock, DrillRules, HotWorkLevel, HotWorkRules,
    OutsourcingRules, PermitCertificateRules, RulesConfig, SectorItems, TargetingWeights, binds,
};
pub use drill::drills;
pub use hot_work::hot_work_permits;
pub use outsourcing::outsourcing;
pub use permit_certificate::permit_certificates;

use crate::domain::{AnswerResult, EvidenceKind, EvidenceRecord};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Whether a sector's units are among those 应急管理部令第2号 第三十三条第二款 lists (drill every
/// six months and report each drill): always, never, or depending on the unit's use (a 人防
/// work or high-rise let as a shop, hotel or entertainment venue is; an office is not), which the
/// drill record then says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listed {
    Yes,
    #[default]
    No,
    ByUse,
}

/// The enterprise the evidence belongs to, as far as the rules need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    /// Its campaign sector code (`config/sectors.toml`), if it has one.
    pub sector: Option<&'a str>,
    /// The sector's name, for reasons.
    pub sector_name: Option<&'a str>,
    /// Whether the sector is listed in 第三十三条第二款.
    pub listed: Listed,
}

impl Subject<'_> {
    /// How the enterprise's sector is named in a reason.
    fn described(&self) -> String {
        match (self.sector_name, self.sector) {
            (Some(name), _) => format!("本企业所属行业领域（{name}）"),
            (None, Some(code)) => format!("本企业所属行业领域（{code}）"),
            (None, None) => "本企业未归入专项行动的行业领域，".to_string(),
        }
    }

    /// The note a rule leaves when the enterprise is outside its scope.
    fn outside(&self, rule: &str, basis: &str) -> String {
        format!(
            "{rule}依据{basis}；{}不在其适用范围内，规则不提出建议，由检查人员判断",
            self.described()
        )
    }
}

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
    (Cert, "holder_name", Reads::Text),
    (Cert, "id_number", Reads::Text),
    (Cert, "cert_no", Reads::Text),
    (Cert, "issuing_system", Reads::Text),
    (Cert, "category", Reads::Text),
    (Cert, "valid_until", Reads::Date),
    (Cert, "review_due_on", Reads::Date),
    (Cert, "reviewed_on", Reads::Date),
    (Cert, "review_extended", Reads::YesNo),
    (Permit, "permit_no", Reads::Text),
    (Permit, "level", Reads::Text),
    (Permit, "method", Reads::Text),
    (Permit, "upgraded", Reads::YesNo),
    (Permit, "welder", Reads::Text),
    (Permit, "welder_cert_no", Reads::Text),
    (Permit, "start_at", Reads::DateTime),
    (Permit, "end_at", Reads::DateTime),
    (Permit, "gas_sampled_at", Reads::DateTime),
    (Permit, "fire_watch", Reads::Text),
    (Outsourcing, "contractor_name", Reads::Text),
    (Outsourcing, "contractor_qualified", Reads::YesNo),
    (Outsourcing, "agreement_signed", Reads::YesNo),
    (Outsourcing, "agreement_signed_on", Reads::Date),
    (Outsourcing, "entered_site_on", Reads::Date),
    (Outsourcing, "duties_clear", Reads::YesNo),
    (Outsourcing, "unified_management", Reads::YesNo),
    (Outsourcing, "regular_inspections", Reads::YesNo),
    (Drill, "name", Reads::Text),
    (Drill, "plan_type", Reads::Text),
    (Drill, "held_on", Reads::Date),
    (Drill, "listed_unit", Reads::YesNo),
    (Drill, "reported_to", Reads::Text),
    (Drill, "staff_know_exits", Reads::YesNo),
];

use EvidenceKind::{
    DrillRecord as Drill, HotWorkPermit as Permit, OutsourcingAgreement as Outsourcing,
    SpecialOperationCertificate as Cert,
};

/// What a rule proposes for one checklist item, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub item_code: String,
    pub proposed: AnswerResult,
    /// One sentence per finding, naming the record it comes from.
    pub reasons: Vec<String>,
    /// The kinds of evidence the proposal rests on.
    pub from: Vec<EvidenceKind>,
}

/// What the rules make of an inspection's evidence: the proposals, and why they hold back where
/// they do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub verdicts: Vec<Verdict>,
    /// Sentences saying where a rule proposed nothing and why.
    pub notes: Vec<String>,
    /// Items a rule could not judge: no other rule may call them compliant.
    withheld: BTreeSet<String>,
}

impl Assessment {
    /// The proposal for `item_code`, if any.
    pub fn verdict(&self, item_code: &str) -> Option<&Verdict> {
        self.verdicts.iter().find(|v| v.item_code == item_code)
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Holds `items` back: a compliant proposal for them is dropped, now and later.
    fn withhold(&mut self, items: &[String], why: String) {
        self.withheld.extend(items.iter().cloned());
        self.note(why);
    }

    /// Proposes for each of `items`: non-compliant with `findings` when there are any, otherwise
    /// compliant with `all_clear`. A second proposal for the same item is merged into the first
    /// (non-compliant wins; reasons are kept in order).
    fn propose(
        &mut self,
        items: &[String],
        kind: EvidenceKind,
        findings: &[String],
        all_clear: &str,
    ) {
        let (proposed, reasons) = if findings.is_empty() {
            (AnswerResult::Compliant, vec![all_clear.to_string()])
        } else {
            (AnswerResult::NonCompliant, findings.to_vec())
        };
        for item in items {
            if proposed == AnswerResult::Compliant && self.withheld.contains(item) {
                continue;
            }
            match self.verdicts.iter_mut().find(|v| &v.item_code == item) {
                Some(v) => {
                    if !v.from.contains(&kind) {
                        v.from.push(kind);
                    }
                    match (v.proposed, proposed) {
                        (AnswerResult::NonCompliant, AnswerResult::Compliant) => {}
                        (AnswerResult::Compliant, AnswerResult::NonCompliant) => {
                            v.proposed = proposed;
                            v.reasons = reasons.clone();
                        }
                        _ => v.reasons.extend(reasons.iter().cloned()),
                    }
                }
                None => self.verdicts.push(Verdict {
                    item_code: item.clone(),
                    proposed,
                    reasons: reasons.clone(),
                    from: vec![kind],
                }),
            }
        }
    }

    /// Folds another rule's assessment into this one.
    fn absorb(&mut self, other: Assessment) {
        for v in other.verdicts {
            for kind in v.from {
                let findings = if v.proposed == AnswerResult::NonCompliant {
                    v.reasons.clone()
                } else {
                    Vec::new()
                };
                let clear = v.reasons.join("；");
                self.propose(std::slice::from_ref(&v.item_code), kind, &findings, &clear);
            }
        }
        for note in other.notes {
            self.note(note);
        }
        self.withheld.extend(other.withheld);
    }

    /// Drops the compliant proposals for withheld items (their reasons become notes).
    fn settle(mut self) -> Assessment {
        let withheld = &self.withheld;
        self.verdicts.retain(|v| {
            v.proposed == AnswerResult::NonCompliant || !withheld.contains(&v.item_code)
        });
        self
    }
}

/// Runs every rule over the evidence recorded at one inspection on `on` of the enterprise
/// `subject`. Kinds with no records give no proposal: the item is then the inspector's own call.
pub fn assess(
    rules: &RulesConfig,
    records: &[&EvidenceRecord],
    subject: Subject<'_>,
    on: NaiveDate,
) -> Assessment {
    let of = |kind: EvidenceKind| -> Vec<&values::Values> {
        records
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| &r.values)
            .collect()
    };
    let permits = of(Permit);
    let certs = of(Cert);
    let mut all = Assessment::default();
    all.absorb(hot_work_permits(&permits, &rules.hot_work, subject));
    all.absorb(certificates(&certs, &rules.certificate, subject, on));
    all.absorb(permit_certificates(
        &permits,
        &certs,
        &rules.permit_certificate,
        &rules.certificate,
        subject,
        on,
    ));
    all.absorb(outsourcing(&of(Outsourcing), &rules.outsourcing, subject));
    let drill_records = of(Drill);
    if !drill_records.is_empty() {
        all.absorb(drills(&drill_records, &rules.drill, subject, on));
    }
    all.settle()
}

/// The proposals alone (see [`assess`]).
pub fn evaluate(
    rules: &RulesConfig,
    records: &[&EvidenceRecord],
    subject: Subject<'_>,
    on: NaiveDate,
) -> Vec<Verdict> {
    assess(rules, records, subject, on).verdicts
}

#[cfg(test)]
mod tests;
