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
};
pub use drill::drills;
pub use hot_work::hot_work_permits;
pub use outsourcing::outsourcing;

use crate::domain::AnswerResult;
use serde::Serialize;

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

#[cfg(test)]
mod tests;
