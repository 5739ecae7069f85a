//! The campaign's own rules about penalties, shown where they apply (方案 三(二)3.(4)(5)):
//! self-reported majors under rectification are not penalised; a major that persists past its
//! deadline is a "一案双罚" candidate; repeated penalties for majors propose closure exactly as
//! 安全生产法（2021）第一百一十三条第（一）项 says: 存在重大事故隐患，一百八十日内三次或者一年内
//! 四次受到本法规定的行政处罚的 → 提请地方人民政府予以关闭 (see docs/rules.md).

use super::HazardFacts;
use crate::domain::lifecycle::Stage;
use crate::domain::{EnforcementAction, EnforcementKind, HazardGrade, HazardSource, Record};
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
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
    // A correction replaces the record it corrects (records are never edited).
    let corrected: HashSet<Uuid> = actions.iter().filter_map(|a| a.data.corrects).collect();
    let penalties = || {
        actions.iter().filter(|a| {
            !corrected.contains(&a.id())
                && a.data.decided_on <= today
                && matches!(
                    a.data.kind,
                    EnforcementKind::Penalty | EnforcementKind::DualPenalty
                )
        })
    };
    let penalised = |h: Uuid| penalties().any(|a| a.data.hazard_id == Some(h));
    let mut out = Vec::new();
    // Enterprise → (name, days of the penalties for its major hazards).
    let mut penalised_majors: HashMap<Uuid, (String, Vec<NaiveDate>)> = HashMap::new();
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
        if major {
            let days = penalties()
                .filter(|a| a.data.hazard_id == Some(h.id()))
                .map(|a| a.data.decided_on);
            penalised_majors
                .entry(h.data.enterprise_id)
                .or_insert_with(|| (f.enterprise_name.clone(), Vec::new()))
                .1
                .extend(days);
        }
    }
    let mut repeat: Vec<(String, String)> = penalised_majors
        .into_values()
        .filter_map(|(name, mut days)| {
            days.sort();
            closure_grounds(&days).map(|why| (name, why))
        })
        .collect();
    repeat.sort();
    for (name, why) in repeat {
        out.push(Warning {
            enterprise_name: name,
            hazard_id: None,
            text: format!(
                "存在重大事故隐患，{why}：依安全生产法第一百一十三条第（一）项，应当提请地方人民政府予以关闭，有关部门依法吊销其有关证照，主要负责人五年内不得担任任何生产经营单位的主要负责人"
            ),
        });
    }
    out
}

/// Whether penalty days (sorted) meet 安全生产法 第一百一十三条第（一）项: three within 180 days
/// or four within a year, and which. Periods are counted as 民法典 第二百零一条、第二百零二条
/// count them: the first penalty's day is not counted, so 180 days run to the 180th day after
/// it, and a year to the same date a year later.
fn closure_grounds(days: &[NaiveDate]) -> Option<String> {
    let within = |n: usize, last_day: &dyn Fn(NaiveDate) -> Option<NaiveDate>| {
        days.windows(n).find_map(|w| {
            let (first, last) = (w[0], w[n - 1]);
            (last <= last_day(first)?).then_some((first, last))
        })
    };
    let list = |first: NaiveDate, last: NaiveDate| {
        days.iter()
            .filter(|d| first <= **d && **d <= last)
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("、")
    };
    if let Some((first, last)) = within(3, &|d| d.checked_add_days(Days::new(180))) {
        return Some(format!(
            "一百八十日内三次受到行政处罚（{}）",
            list(first, last)
        ));
    }
    within(4, &|d| d.checked_add_months(Months::new(12)))
        .map(|(first, last)| format!("一年内四次受到行政处罚（{}）", list(first, last)))
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
        penalty_on(on, "2023-09-05")
    }

    fn penalty_on(hazard: Uuid, day: &str) -> Record<EnforcementAction> {
        Record {
            meta: RecordMeta::new(Uuid::now_v7(), Uuid::nil(), Utc::now()),
            data: EnforcementAction {
                kind: EnforcementKind::Penalty,
                enterprise_id: Some(Uuid::nil()),
                inspection_id: None,
                hazard_id: Some(hazard),
                decided_on: d(day),
                document_no: String::new(),
                amount_fen: Some(1_000_000),
                persons: None,
                dangerous_operation_crime: false,
                note: String::new(),
                corrects: None,
            },
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
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
        // Two penalised majors are not yet grounds for closure (安全生产法 第一百一十三条).
        let a = facts(HazardSource::Inspection, &[]);
        let b = facts(HazardSource::Inspection, &[]);
        let found = warnings(
            &[a.clone(), b.clone()],
            &[penalty(a.hazard.id()), penalty(b.hazard.id())],
            before_deadline,
        );
        assert!(!found.iter().any(|w| w.text.contains("关闭")), "{found:?}");
        // None of it for a general hazard fixed in time.
        assert!(warnings(&[], &[], after).is_empty());
    }

    fn closure(found: &[Warning]) -> Option<&str> {
        found
            .iter()
            .find(|w| w.hazard_id.is_none() && w.text.contains("提请地方人民政府予以关闭"))
            .map(|w| w.text.as_str())
    }

    #[test]
    fn three_penalties_within_180_days_propose_closure_and_on_the_181st_do_not() {
        let h = facts(HazardSource::Inspection, &[]);
        let id = h.hazard.id();
        let hs = std::slice::from_ref(&h);
        let today = d("2024-06-30");
        // 2023-01-01 + 180 days = 2023-06-30: the third penalty on that day counts.
        let on_180th = [
            penalty_on(id, "2023-01-01"),
            penalty_on(id, "2023-03-01"),
            penalty_on(id, "2023-06-30"),
        ];
        assert_eq!(
            closure(&warnings(hs, &on_180th, today)),
            Some(
                "存在重大事故隐患，一百八十日内三次受到行政处罚（2023-01-01、2023-03-01、2023-06-30）：依安全生产法第一百一十三条第（一）项，应当提请地方人民政府予以关闭，有关部门依法吊销其有关证照，主要负责人五年内不得担任任何生产经营单位的主要负责人"
            )
        );
        let on_181st = [
            penalty_on(id, "2023-01-01"),
            penalty_on(id, "2023-03-01"),
            penalty_on(id, "2023-07-01"),
        ];
        assert_eq!(closure(&warnings(hs, &on_181st, today)), None);
        // A penalty dated after today does not count yet, nor does a corrected one.
        assert_eq!(closure(&warnings(hs, &on_180th, d("2023-06-29"))), None);
        let mut corrected = on_180th.to_vec();
        let mut fix = penalty_on(id, "2023-01-02");
        fix.data.kind = EnforcementKind::Exposure;
        fix.data.corrects = Some(corrected[1].id());
        corrected.push(fix);
        assert_eq!(closure(&warnings(hs, &corrected, today)), None);
    }

    #[test]
    fn four_penalties_within_a_year_propose_closure_and_a_day_later_do_not() {
        let h = facts(HazardSource::Inspection, &[]);
        let id = h.hazard.id();
        let hs = std::slice::from_ref(&h);
        let today = d("2024-12-31");
        // Spread so that no three fall within 180 days; the fourth on 2024-03-01, the last day
        // of the year that began after 2023-03-01.
        let within_year = [
            penalty_on(id, "2023-03-01"),
            penalty_on(id, "2023-07-01"),
            penalty_on(id, "2023-11-01"),
            penalty_on(id, "2024-03-01"),
        ];
        let found = warnings(hs, &within_year, today);
        let text = closure(&found).expect("closure");
        assert!(
            text.contains(
                "一年内四次受到行政处罚（2023-03-01、2023-07-01、2023-11-01、2024-03-01）"
            ),
            "{text}"
        );
        let a_day_late = [
            penalty_on(id, "2023-03-01"),
            penalty_on(id, "2023-07-01"),
            penalty_on(id, "2023-11-01"),
            penalty_on(id, "2024-03-02"),
        ];
        assert_eq!(closure(&warnings(hs, &a_day_late, today)), None);
    }
}
