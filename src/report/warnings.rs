//! The campaign's own rules about penalties, shown where they apply (方案 三(二)3.(4)(5)):
//! self-reported majors under rectification are not penalised; a major that persists past its
//! deadline is a "一案双罚" candidate; repeated penalised majors propose closure.

use super::HazardFacts;
use crate::domain::lifecycle::Stage;
use crate::domain::{EnforcementAction, EnforcementKind, HazardGrade, HazardSource, Record};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub enterprise_name: String,
    pub hazard_id: Option<Uuid>,
    pub text: String,
}

pub fn warnings(
    hazards: &[HazardFacts],
    actions: &[Record<EnforcementAction>],
    today: NaiveDate,
) -> Vec<Warning> {
    let penalised = |h: Uuid| {
        actions.iter().any(|a| {
            a.data.hazard_id == Some(h)
                && matches!(
                    a.data.kind,
                    EnforcementKind::Penalty | EnforcementKind::DualPenalty
                )
        })
    };
    let mut out = Vec::new();
    let mut penalised_majors: HashMap<Uuid, (String, u32)> = HashMap::new();
    for f in hazards {
        let h = &f.hazard;
        let major = f.status.grade == HazardGrade::Major;
        let under_way = f.status.stage < Stage::Verified;
        if major && h.data.source == HazardSource::SelfCheck && under_way && penalised(h.id()) {
            out.push(Warning {
                enterprise_name: f.enterprise_name.clone(),
                hazard_id: Some(h.id()),
                text:
                    "企业自查发现并已报告、正在整改的重大事故隐患依方案不予行政处罚，但已记录了处罚"
                        .to_string(),
            });
        }
        if major && f.status.overdue(today) {
            out.push(Warning {
                enterprise_name: f.enterprise_name.clone(),
                hazard_id: Some(h.id()),
                text: format!(
                    "重大事故隐患整改逾期仍未消除（时限 {}）：可依法对企业和主要负责人实行“一案双罚”",
                    f.status.deadline.map(|d| d.to_string()).unwrap_or_default()
                ),
            });
        }
        if major && penalised(h.id()) {
            let entry = penalised_majors
                .entry(h.data.enterprise_id)
                .or_insert((f.enterprise_name.clone(), 0));
            entry.1 += 1;
        }
    }
    let mut repeat: Vec<_> = penalised_majors
        .into_values()
        .filter(|(_, n)| *n >= 2)
        .collect();
    repeat.sort();
    for (name, n) in repeat {
        out.push(Warning {
            enterprise_name: name,
            hazard_id: None,
            text: format!("{n} 个重大事故隐患受到处罚：重大事故隐患长期存在并多次受到处罚的，可提请县政府予以关闭并落实行业禁入"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::{self, Step};
    use crate::domain::*;
    use chrono::{TimeZone, Utc};

    fn facts(source: HazardSource, steps: &[Step]) -> HazardFacts {
        let at = Utc
            .with_ymd_and_hms(2023, 9, 1, 2, 0, 0)
            .single()
            .expect("t");
        let hazard = Hazard {
            enterprise_id: Uuid::nil(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source,
            description: "粉尘未清理".into(),
            location: String::new(),
            basis: String::new(),
            found_at: at,
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "赵六".into(),
                measures: "清理".into(),
                funds: "无".into(),
                deadline: NaiveDate::from_ymd_opt(2023, 9, 10).expect("d"),
                emergency_plan: "停产".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        };
        let events: Vec<Record<HazardEvent>> = steps
            .iter()
            .map(|s| Record {
                meta: RecordMeta::new(Uuid::now_v7(), Uuid::nil(), at),
                data: HazardEvent {
                    hazard_id: Uuid::nil(),
                    kind: s.kind(),
                    occurred_at: at,
                    payload: s.payload(),
                    note: String::new(),
                },
            })
            .collect();
        HazardFacts {
            status: lifecycle::fold(&hazard, events.iter().map(|e| &e.data)),
            hazard: Record {
                meta: RecordMeta::new(Uuid::now_v7(), Uuid::nil(), at),
                data: hazard,
            },
            events,
            enterprise_name: "方山县粮食储备库".into(),
        }
    }

    fn penalty(on: Uuid) -> Record<EnforcementAction> {
        Record {
            meta: RecordMeta::new(Uuid::now_v7(), Uuid::nil(), Utc::now()),
            data: EnforcementAction {
                kind: EnforcementKind::Penalty,
                enterprise_id: Some(Uuid::nil()),
                inspection_id: None,
                hazard_id: Some(on),
                decided_on: NaiveDate::from_ymd_opt(2023, 9, 5).expect("d"),
                document_no: String::new(),
                amount_fen: Some(1_000_000),
                persons: None,
                dangerous_operation_crime: false,
                note: String::new(),
                corrects: None,
            },
        }
    }

    #[test]
    fn each_campaign_rule_is_pointed_out_where_it_applies() {
        let before_deadline = NaiveDate::from_ymd_opt(2023, 9, 5).expect("d");
        let self_reported = facts(HazardSource::SelfCheck, &[Step::Rectify { fixes: None }]);
        let found = warnings(
            std::slice::from_ref(&self_reported),
            &[penalty(self_reported.hazard.id())],
            before_deadline,
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .text
                .starts_with("企业自查发现并已报告、正在整改的重大事故隐患依方案不予行政处罚")
        );
        // Past the deadline: 一案双罚 candidate.
        let after = NaiveDate::from_ymd_opt(2023, 9, 11).expect("d");
        let found = warnings(std::slice::from_ref(&self_reported), &[], after);
        assert!(found[0].text.contains("一案双罚"), "{found:?}");
        // Two penalised majors of one enterprise: closure proposal.
        let a = facts(HazardSource::Inspection, &[]);
        let b = facts(HazardSource::Inspection, &[]);
        let found = warnings(
            &[a.clone(), b.clone()],
            &[penalty(a.hazard.id()), penalty(b.hazard.id())],
            before_deadline,
        );
        assert!(
            found
                .iter()
                .any(|w| w.text.starts_with("2 个重大事故隐患受到处罚") && w.hazard_id.is_none()),
            "{found:?}"
        );
        // None of it for a general hazard fixed in time.
        assert!(warnings(&[], &[], after).is_empty());
    }
}
