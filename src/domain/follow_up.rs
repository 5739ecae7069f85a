//! 复查: a follow-up check of an enterprise's open hazards, done as items of an inspection.
//!
//! Each open hazard becomes one checklist item ("原隐患是否已整改到位？"). Answering it 符合
//! or 不符合 is the verification outcome; when the inspection is finalized, storage records it
//! as the hazard's 验收 event (see `storage::inspections`). The item code is derived from the
//! hazard id alone, so it can be matched back without a lookup table.

use super::{AnswerResult, Hazard, ItemSnapshot, Record};
use uuid::Uuid;

/// The pseudo template the follow-up items belong to (not in the catalog).
pub const TEMPLATE_ID: &str = "follow-up";
pub const SECTION: &str = "复查：本企业待验收隐患";
const PREFIX: &str = "FU-";

/// The item code for a hazard: `FU-` and the last 12 hex digits of its id (the random part of
/// a UUIDv7, so two hazards of one enterprise do not share it in practice).
pub fn code(hazard_id: Uuid) -> String {
    let simple = hazard_id.simple().to_string();
    format!("{PREFIX}{}", &simple[simple.len() - 12..])
}

pub fn is_follow_up(item_code: &str) -> bool {
    item_code.starts_with(PREFIX)
}

/// One checklist item per open hazard.
pub fn items(open_hazards: &[Record<Hazard>]) -> Vec<ItemSnapshot> {
    open_hazards
        .iter()
        .map(|h| ItemSnapshot {
            code: code(h.id()),
            template_id: TEMPLATE_ID.to_string(),
            template_version: 1,
            section: SECTION.to_string(),
            question: format!(
                "原隐患是否已整改到位（符合＝验收通过，不符合＝未通过）：{}（{}）",
                h.data.description,
                h.data.grade.label()
            ),
            basis: h.data.basis.clone(),
        })
        .collect()
}

/// The verification an answer stands for: passed, not passed, or none (不适用 / 未查).
pub fn verdict(result: AnswerResult) -> Option<bool> {
    match result {
        AnswerResult::Compliant => Some(true),
        AnswerResult::NonCompliant => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_stable_short_and_recognised() {
        let id = Uuid::parse_str("0190aabb-ccdd-7eef-8123-456789abcdef").unwrap();
        assert_eq!(code(id), "FU-456789abcdef");
        assert!(is_follow_up(&code(id)));
        assert!(!is_follow_up("E3"));
        let other = Uuid::parse_str("0190aabb-ccdd-7eef-8123-456789abcdee").unwrap();
        assert_ne!(code(id), code(other));
    }

    #[test]
    fn only_compliant_and_non_compliant_are_verdicts() {
        assert_eq!(verdict(AnswerResult::Compliant), Some(true));
        assert_eq!(verdict(AnswerResult::NonCompliant), Some(false));
        assert_eq!(verdict(AnswerResult::NotApplicable), None);
        assert_eq!(verdict(AnswerResult::Unchecked), None);
    }
}
