//! Recording the outcome of a 复查 when its inspection is finalized: each follow-up item
//! answered 符合 / 不符合 becomes the hazard's 验收 event, in the same transaction as the
//! finalization, through the same guard as every other step.

use super::hazards::{append_step, read_open_hazards, read_status};
use super::inspections::read_answers;
use super::profile::read_inspector;
use super::{Result, Stamp, StoreError};
use crate::domain::lifecycle::{Stage, Step};
use crate::domain::{Inspection, Record, follow_up, time};
use rusqlite::Connection;

/// Records the verifications; returns one line per follow-up item saying what became of it.
pub(super) fn record_verifications(
    tx: &Connection,
    stamp: &Stamp,
    inspection: &Record<Inspection>,
) -> Result<Vec<String>> {
    let answers: Vec<_> = read_answers(tx, inspection.id())?
        .into_iter()
        .filter(|a| follow_up::is_follow_up(&a.data.item_code))
        .collect();
    if answers.is_empty() {
        return Ok(Vec::new());
    }
    let by = inspection
        .data
        .inspector_ids
        .iter()
        .map(|id| read_inspector(tx, *id).map(|i| i.data.name))
        .collect::<Result<Vec<_>>>()?
        .join("、");
    let visit = time::local(inspection.data.arrival_at).format("%Y-%m-%d");
    let hazards = read_open_hazards(tx, inspection.data.enterprise_id)?;
    let mut outcomes = Vec::new();
    for answer in answers {
        let Some(passed) = follow_up::verdict(answer.data.result) else {
            continue;
        };
        let Some(hazard) = hazards
            .iter()
            .find(|h| follow_up::code(h.id()) == answer.data.item_code)
        else {
            outcomes.push("有一项复查对应的隐患已在别处销号，未记验收".to_string());
            continue;
        };
        let (_, events, status) = read_status(tx, hazard.id())?;
        let step = Step::Verify {
            passed,
            by: by.clone(),
            new_deadline: None,
            case_opened: false,
        };
        let mut note = format!("{visit} 复查");
        if !answer.data.note.trim().is_empty() {
            note.push('：');
            note.push_str(answer.data.note.trim());
        }
        let what = &hazard.data.description;
        // Verified on the visit, not when the record was signed later — unless the step it
        // follows was recorded later than the arrival (the enterprise's report typed in while
        // the inspector was on the way): a history reads in the order it was lived.
        let last = events.last().map(|e| e.data.occurred_at);
        let at = last.map_or(inspection.data.arrival_at, |l| {
            l.max(inspection.data.arrival_at)
        });
        match append_step(tx, stamp, hazard.id(), step, at, &note) {
            Ok(_) => {}
            Err(StoreError::Invalid(reason)) => {
                let seen = if passed {
                    "已整改"
                } else {
                    "未整改到位"
                };
                outcomes.push(format!(
                    "“{what}”复查结论为{seen}，但未记验收：{reason}（当前“{}”）",
                    status.stage.label()
                ));
                continue;
            }
            Err(other) => return Err(other),
        }
        let after = if passed {
            Stage::Verified
        } else {
            Stage::Rectifying
        };
        outcomes.push(format!(
            "“{what}”复查{}，现为“{}”",
            if passed {
                "验收通过"
            } else {
                "验收未通过"
            },
            after.label()
        ));
    }
    Ok(outcomes)
}
