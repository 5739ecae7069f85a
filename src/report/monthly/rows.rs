//! The rule of every row. Each row is computed by selecting records; the figure is derived
//! from the selection (a count, a count of distinct enterprises, a sum), so a cell's records
//! are exactly what it counted.

use super::{Cell, Counted, Figure, Input, Period, Row, Scope, day_of};
use crate::domain::lifecycle::{self, Stage};
use crate::domain::{
    ActivityKind, ActivityLevel, EnforcementKind, HazardGrade, HazardSource, InspectionMode,
};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// A hazard as it stood at the end of the period.
struct HazardAt<'a> {
    facts: &'a crate::report::HazardFacts,
    day: chrono::NaiveDate,
    status: lifecycle::Status,
}

/// The records of the scope and the period, ready for the rows.
pub struct View<'a> {
    input: &'a Input<'a>,
    hazards: Vec<HazardAt<'a>>,
    inspections: Vec<&'a crate::storage::InspectionFact>,
    actions: Vec<(
        &'a crate::domain::Record<crate::domain::EnforcementAction>,
        Option<Uuid>,
    )>,
    activities: Vec<&'a crate::domain::Record<crate::domain::Activity>>,
}

impl<'a> View<'a> {
    pub fn new(input: &'a Input<'a>, scope: &Scope, period: Period) -> View<'a> {
        let in_group = |author: &Uuid, group: &str| {
            input
                .groups
                .get(author)
                .is_some_and(|g| g.as_deref() == Some(group))
        };
        let in_sectors = |enterprise: Option<Uuid>, sectors: &[String]| {
            enterprise
                .and_then(|e| input.enterprises.get(&e))
                .and_then(|e| e.sector_code.as_ref())
                .is_some_and(|s| sectors.contains(s))
        };
        let covers = |author: &Uuid, enterprise: Option<Uuid>| match scope {
            Scope::All => true,
            Scope::Own { group } => in_group(author, group),
            Scope::Sector { sectors, .. } => in_sectors(enterprise, sectors),
        };
        let hazards = input
            .hazards
            .iter()
            .filter(|h| covers(&h.hazard.meta.author_id, Some(h.hazard.data.enterprise_id)))
            .filter_map(|h| {
                let day = day_of(h.hazard.data.found_at);
                if !period.contains(day) {
                    return None;
                }
                // As it stood at the end of the cut-off day: later events do not count yet.
                let events = h
                    .events
                    .iter()
                    .filter(|e| day_of(e.data.occurred_at) <= period.to)
                    .map(|e| &e.data);
                Some(HazardAt {
                    facts: h,
                    day,
                    status: lifecycle::fold(&h.hazard.data, events),
                })
            })
            .collect();
        let inspections = input
            .inspections
            .iter()
            .filter(|i| covers(&i.author_id, Some(i.enterprise_id)))
            .filter(|i| period.contains(day_of(i.arrival_at)))
            .collect();
        // A correction replaces the record it corrects (records are never edited).
        let corrected_actions: HashSet<Uuid> = input
            .actions
            .iter()
            .filter_map(|a| a.data.corrects)
            .collect();
        let hazard_enterprise: std::collections::HashMap<Uuid, Uuid> = input
            .hazards
            .iter()
            .map(|h| (h.hazard.id(), h.hazard.data.enterprise_id))
            .collect();
        let inspection_enterprise: std::collections::HashMap<Uuid, Uuid> = input
            .inspections
            .iter()
            .map(|i| (i.id, i.enterprise_id))
            .collect();
        let actions = input
            .actions
            .iter()
            .filter(|a| !corrected_actions.contains(&a.id()))
            .filter(|a| period.contains(a.data.decided_on))
            .map(|a| {
                let d = &a.data;
                let enterprise = d
                    .enterprise_id
                    .or_else(|| d.hazard_id.and_then(|h| hazard_enterprise.get(&h).copied()))
                    .or_else(|| {
                        d.inspection_id
                            .and_then(|i| inspection_enterprise.get(&i).copied())
                    });
                (a, enterprise)
            })
            .filter(|(a, enterprise)| covers(&a.meta.author_id, *enterprise))
            .collect();
        let corrected_activities: HashSet<Uuid> = input
            .activities
            .iter()
            .filter_map(|a| a.data.corrects)
            .collect();
        let activities = input
            .activities
            .iter()
            .filter(|a| !corrected_activities.contains(&a.id()))
            .filter(|a| period.contains(a.data.held_on))
            .filter(|a| match scope.group() {
                None => true,
                // Organisational work belongs to the group that logged it, in both scopes.
                Some(group) => match &a.data.group_code {
                    Some(g) => g == group,
                    None => in_group(&a.meta.author_id, group),
                },
            })
            .collect();
        View {
            input,
            hazards,
            inspections,
            actions,
            activities,
        }
    }

    fn enterprise_name(&self, id: Option<Uuid>) -> String {
        id.and_then(|e| self.input.enterprises.get(&e))
            .map_or_else(|| "（未关联企业）".to_string(), |e| e.name.clone())
    }
}

/// The form's rows, in order, with their rules.
pub fn all(v: &View) -> Vec<Row> {
    use HazardSource::*;
    let mut rows = Vec::with_capacity(36);
    let mut row = |code, label, cells| rows.push(Row { code, label, cells });
    let pairs: [(&str, &str, &str, &str, HazardSource); 4] = [
        (
            "A1",
            "企业自查发现的重大事故隐患（个）",
            "A2",
            "企业自查发现重大事故隐患中已完成整改的（个）",
            SelfCheck,
        ),
        (
            "A3",
            "执法检查发现的重大事故隐患（个）",
            "A4",
            "执法检查发现重大事故隐患中已完成整改的（个）",
            Inspection,
        ),
        (
            "A5",
            "群众举报的重大事故隐患（个）",
            "A6",
            "群众举报的重大事故隐患中已完成整改的（个）",
            PublicReport,
        ),
        (
            "A7",
            "上级交办的重大事故隐患（个）",
            "A8",
            "上级交办的重大事故隐患中已完成整改的（个）",
            Assigned,
        ),
    ];
    for (found, found_label, done, done_label, source) in pairs {
        let of = |h: &HazardAt| h.facts.hazard.data.source == source;
        row(found, found_label, vec![hazards(v, "", |h| of(h))]);
        row(
            done,
            done_label,
            vec![hazards(v, "", |h| of(h) && rectified(h))],
        );
    }
    row(
        "A9",
        "政府部门挂牌督办的重大事故隐患（个）",
        vec![hazards(v, "", |h| h.status.listed())],
    );
    row(
        "A10",
        "挂牌督办重大事故隐患中已完成整改的（个）",
        vec![hazards(v, "", |h| h.status.listed() && rectified(h))],
    );

    row(
        "B1",
        "抽查检查的企业总数（家）",
        vec![spot_checked(v, None)],
    );
    let b: [(&str, &str); 7] = [
        ("B2", "企业主要负责人未按要求亲自研究排查整治工作（家）"),
        ("B3", "企业主要负责人未带队检查（家）"),
        ("B4", "企业未制定分管负责人职责清单（家）"),
        ("B5", "企业未依法建立安全管理机构和配足安全管理人员（家）"),
        ("B6", "电焊等特种作业岗位人员无证上岗作业（家）"),
        ("B7", "外包外租安全管理混乱（家）"),
        ("B8", "未按规定开展应急演练、员工不熟悉逃生出口（家）"),
    ];
    for (code, label) in b {
        row(code, label, vec![spot_checked(v, Some(code))]);
    }

    use EnforcementKind as K;
    row(
        "C1",
        "帮扶指导重点镇（个次）",
        vec![activities(
            v,
            "",
            ActivityKind::TownGuidance,
            None,
            Tally::Entries,
        )],
    );
    row("C2", "帮扶指导重点企业（家次）", vec![guidance_visits(v)]);
    row(
        "C3",
        "行政处罚（次，万元）",
        vec![
            actions(
                v,
                "次",
                &[K::Penalty, K::DualPenalty],
                Sum::Entries,
                |_| true,
            ),
            actions(
                v,
                "万元",
                &[K::Penalty, K::DualPenalty],
                Sum::Amount,
                |_| true,
            ),
        ],
    );
    row(
        "C4",
        "企业和企业主要负责人“一案双罚”（次）",
        vec![actions(v, "", &[K::DualPenalty], Sum::Entries, |_| true)],
    );
    row(
        "C5",
        "移送司法机关（人）",
        vec![actions(v, "", &[K::JudicialTransfer], Sum::Persons, |_| {
            true
        })],
    );
    row(
        "C6",
        "责令停产整顿/关闭取缔（家）",
        vec![
            actions(v, "停产", &[K::Suspension], Sum::Enterprises, |_| true),
            actions(v, "关闭", &[K::Closure], Sum::Enterprises, |_| true),
        ],
    );
    row(
        "C7",
        "曝光、约谈、联合惩戒企业（家）",
        vec![actions(v, "", &[K::Exposure], Sum::Enterprises, |_| true)],
    );
    row(
        "C8",
        "公布典型案例（个），其中危险作业罪案例（个）",
        vec![
            actions(v, "", &[K::CasePublication], Sum::Entries, |_| true),
            actions(
                v,
                "其中危险作业罪",
                &[K::CasePublication],
                Sum::Entries,
                |a| a.dangerous_operation_crime,
            ),
        ],
    );
    row(
        "C9",
        "责任倒查追责问责（人）",
        vec![actions(v, "", &[K::Accountability], Sum::Persons, |_| true)],
    );
    row(
        "C10",
        "约谈通报企业（次）",
        vec![actions(v, "", &[K::InterviewNotice], Sum::Entries, |_| {
            true
        })],
    );

    use ActivityLevel::{County, Department, Town};
    let three = |kind| {
        vec![
            activities(v, "县", kind, Some(County), Tally::Entries),
            activities(v, "镇", kind, Some(Town), Tally::Entries),
            activities(v, "部门", kind, Some(Department), Tally::Entries),
        ]
    };
    row(
        "D1",
        "专项行动小组组织专题学习安全生产十五条硬措施（次）",
        three(ActivityKind::GroupStudy),
    );
    row(
        "D2",
        "股室负责人分别专题研究（次）",
        three(ActivityKind::SectionStudy),
    );
    row(
        "D3",
        "领导小组负责同志分别现场督导检查（次）",
        three(ActivityKind::LeaderSupervision),
    );
    row(
        "D4",
        "分管领导分别到企业宣讲（次）",
        vec![activities(
            v,
            "",
            ActivityKind::LeaderBriefing,
            None,
            Tally::Entries,
        )],
    );
    row(
        "D5",
        "举报奖励（万元），其中匿名举报查实奖励（万元）",
        vec![
            activities(
                v,
                "",
                ActivityKind::ReportReward,
                None,
                Tally::Amount {
                    anonymous_only: false,
                },
            ),
            activities(
                v,
                "其中匿名举报",
                ActivityKind::ReportReward,
                None,
                Tally::Amount {
                    anonymous_only: true,
                },
            ),
        ],
    );
    let mut media = activities(v, "", ActivityKind::MediaColumn, None, Tally::Entries);
    media.figure = Figure::YesNo(!media.records.is_empty());
    row("D6", "是否在本级主流媒体播放安全生产专题栏目", vec![media]);
    row(
        "D7",
        "配备专兼职技术检查员数量（人）",
        vec![
            activities(
                v,
                "县",
                ActivityKind::TechInspectors,
                Some(County),
                Tally::Persons,
            ),
            activities(
                v,
                "镇",
                ActivityKind::TechInspectors,
                Some(Town),
                Tally::Persons,
            ),
        ],
    );
    row(
        "D8",
        "组织开展考核巡查督导检查（次）",
        vec![activities(
            v,
            "",
            ActivityKind::AssessmentTour,
            None,
            Tally::Entries,
        )],
    );
    rows
}

/// 已完成整改: verified on a follow-up (or closed out) by the end of the cut-off day. A
/// rectification the enterprise only reported done is not yet counted.
fn rectified(h: &HazardAt) -> bool {
    matches!(h.status.stage, Stage::Verified | Stage::ClosedOut)
}

/// Major hazards (grade as it stood at the cut-off) that `pick` selects.
fn hazards(v: &View, split: &'static str, pick: impl Fn(&HazardAt) -> bool) -> Cell {
    let records: Vec<Counted> = v
        .hazards
        .iter()
        .filter(|h| h.status.grade == HazardGrade::Major && pick(h))
        .map(|h| Counted {
            id: h.facts.hazard.id(),
            day: h.day,
            what: format!(
                "{}{} {}：{}（{}）",
                h.status
                    .number
                    .as_deref()
                    .map_or(String::new(), |n| format!("{n} ")),
                h.facts.hazard.data.source.label(),
                h.facts.enterprise_name,
                h.status.description,
                h.status.stage.label()
            ),
        })
        .collect();
    Cell {
        split,
        figure: Figure::Count(records.len() as u64),
        records,
    }
}

/// Whether an inspection is a spot check of the enterprise's self-check (the B rows): not a
/// guidance visit (C2) and not a follow-up that verifies rectification.
fn is_spot_check(mode: InspectionMode) -> bool {
    !matches!(mode, InspectionMode::Guidance | InspectionMode::FollowUp)
}

/// Distinct enterprises spot-checked (`row` None) or spot-checked with a non-compliant item
/// that feeds `row`. Each enterprise counts once, on its first such inspection.
fn spot_checked(v: &View, row: Option<&str>) -> Cell {
    let mut first: BTreeMap<Uuid, (chrono::NaiveDate, Vec<String>)> = BTreeMap::new();
    for i in v.inspections.iter().filter(|i| is_spot_check(i.mode)) {
        let items: Vec<String> = match row {
            None => Vec::new(),
            Some(code) => i
                .non_compliant
                .iter()
                .filter(|key| {
                    v.input
                        .item_rows
                        .get(*key)
                        .is_some_and(|rows| rows.iter().any(|r| r == code))
                })
                .map(|(_, item)| item.clone())
                .collect(),
        };
        if row.is_some() && items.is_empty() {
            continue;
        }
        let day = day_of(i.arrival_at);
        let entry = first.entry(i.enterprise_id).or_insert((day, Vec::new()));
        entry.0 = entry.0.min(day);
        for item in items {
            if !entry.1.contains(&item) {
                entry.1.push(item);
            }
        }
    }
    let records: Vec<Counted> = first
        .into_iter()
        .map(|(enterprise, (day, items))| Counted {
            id: enterprise,
            day,
            what: if items.is_empty() {
                format!("{}（首次抽查）", v.enterprise_name(Some(enterprise)))
            } else {
                format!(
                    "{}：{} 不符合",
                    v.enterprise_name(Some(enterprise)),
                    items.join("、")
                )
            },
        })
        .collect();
    Cell {
        split: "",
        figure: Figure::Count(records.len() as u64),
        records,
    }
}

/// C2: every guidance visit to an enterprise (家次: an enterprise visited twice counts twice).
fn guidance_visits(v: &View) -> Cell {
    let records: Vec<Counted> = v
        .inspections
        .iter()
        .filter(|i| i.mode == InspectionMode::Guidance)
        .map(|i| Counted {
            id: i.id,
            day: day_of(i.arrival_at),
            what: format!("帮扶指导 {}", v.enterprise_name(Some(i.enterprise_id))),
        })
        .collect();
    Cell {
        split: "",
        figure: Figure::Count(records.len() as u64),
        records,
    }
}

/// How an action cell adds up its records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sum {
    /// One per action (次, 个).
    Entries,
    /// Distinct enterprises (家).
    Enterprises,
    /// Persons named on each action (人); an action without a number counts one.
    Persons,
    /// The penalty amounts (万元).
    Amount,
}

fn actions(
    v: &View,
    split: &'static str,
    kinds: &[EnforcementKind],
    sum: Sum,
    pick: impl Fn(&crate::domain::EnforcementAction) -> bool,
) -> Cell {
    let mut seen = HashSet::new();
    let mut total: i64 = 0;
    let mut records = Vec::new();
    for (a, enterprise) in &v.actions {
        let d = &a.data;
        if !kinds.contains(&d.kind) || !pick(d) {
            continue;
        }
        let counted_id = match sum {
            Sum::Enterprises => match enterprise {
                Some(e) if seen.insert(*e) => *e,
                _ => continue,
            },
            _ => a.id(),
        };
        let amount = match sum {
            Sum::Entries | Sum::Enterprises => 1,
            Sum::Persons => i64::from(d.persons.unwrap_or(1)),
            Sum::Amount => d.amount_fen.unwrap_or(0),
        };
        total = total.saturating_add(amount);
        let number = if d.document_no.is_empty() {
            String::new()
        } else {
            format!("（{}）", d.document_no)
        };
        let extra = match sum {
            Sum::Persons => format!("，{amount}人"),
            Sum::Amount => format!("，{}万元", Figure::Fen(amount).text()),
            _ => String::new(),
        };
        records.push(Counted {
            id: counted_id,
            day: d.decided_on,
            what: format!(
                "{}{number} {}{extra}",
                d.kind.label(),
                v.enterprise_name(*enterprise)
            ),
        });
    }
    let figure = match sum {
        Sum::Amount => Figure::Fen(total),
        _ => Figure::Count(total.max(0) as u64),
    };
    Cell {
        split,
        figure,
        records,
    }
}

/// How an activity cell adds up its entries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tally {
    Entries,
    /// The head count on each entry (D7).
    Persons,
    /// The reward amounts (D5), all or only those for anonymous reports.
    Amount {
        anonymous_only: bool,
    },
}

fn activities(
    v: &View,
    split: &'static str,
    kind: ActivityKind,
    level: Option<ActivityLevel>,
    tally: Tally,
) -> Cell {
    let mut total: i64 = 0;
    let mut records = Vec::new();
    for a in &v.activities {
        let d = &a.data;
        if d.kind != kind || level.is_some_and(|l| d.level != l) {
            continue;
        }
        let amount = match tally {
            Tally::Entries => 1,
            Tally::Persons => i64::from(d.count.unwrap_or(0)),
            Tally::Amount { anonymous_only } => {
                if anonymous_only && !d.anonymous {
                    continue;
                }
                d.amount_fen.unwrap_or(0)
            }
        };
        total = total.saturating_add(amount);
        let extra = match tally {
            Tally::Entries => String::new(),
            Tally::Persons => format!("，{amount}人"),
            Tally::Amount { .. } => format!("，{}万元", Figure::Fen(amount).text()),
        };
        records.push(Counted {
            id: a.id(),
            day: d.held_on,
            what: format!("{}（{}）{extra}", d.title, d.level.label()),
        });
    }
    let figure = match tally {
        Tally::Amount { .. } => Figure::Fen(total),
        _ => Figure::Count(total.max(0) as u64),
    };
    Cell {
        split,
        figure,
        records,
    }
}
