//! Cell builders: select the records of a view for one figure and add them up (a count, a
//! count of distinct enterprises, persons, money), keeping what was counted.

use super::view::{HazardAt, View};
use super::{Cell, Counted, Figure, day_of};
use crate::domain::lifecycle::Stage;
use crate::domain::{ActivityKind, ActivityLevel, EnforcementKind, HazardGrade, InspectionMode};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// 已完成整改: verified on a follow-up (or closed out) by the end of the cut-off day. A
/// rectification the enterprise only reported done is not yet counted.
pub(super) fn rectified(h: &HazardAt) -> bool {
    matches!(h.status.stage, Stage::Verified | Stage::ClosedOut)
}

/// Major hazards (grade as it stood at the cut-off) that `pick` selects.
pub(super) fn hazards(v: &View, split: &'static str, pick: impl Fn(&HazardAt) -> bool) -> Cell {
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
                // `report explain` prints these: a reporter's contact details never show.
                crate::report::hazard_list::mask_personal(&h.status.description),
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
pub(super) fn is_spot_check(mode: InspectionMode) -> bool {
    !matches!(mode, InspectionMode::Guidance | InspectionMode::FollowUp)
}

/// Distinct enterprises spot-checked (`row` None) or spot-checked with a non-compliant item
/// that feeds `row`. Each enterprise counts once, on its first such inspection.
pub(super) fn spot_checked(v: &View, row: Option<&str>) -> Cell {
    let mut first: BTreeMap<Uuid, (chrono::NaiveDate, Vec<String>)> = BTreeMap::new();
    for i in v
        .inspections
        .iter()
        .filter(|i| is_spot_check(i.mode) && !v.is_village(i.enterprise_id))
    {
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
pub(super) fn guidance_visits(v: &View) -> Cell {
    let records: Vec<Counted> = v
        .inspections
        .iter()
        .filter(|i| i.mode == InspectionMode::Guidance && !v.is_village(i.enterprise_id))
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
pub(super) enum Sum {
    /// One per action (次, 个).
    Entries,
    /// Penalty decisions (次): an 一案双罚 is two, on the enterprise and on its principal.
    Decisions,
    /// Distinct enterprises (家).
    Enterprises,
    /// Persons named on each action (人); an action without a number counts one.
    Persons,
    /// The penalty amounts (万元).
    Amount,
}

pub(super) fn actions(
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
            Sum::Decisions if d.kind == EnforcementKind::DualPenalty => 2,
            Sum::Entries | Sum::Enterprises | Sum::Decisions => 1,
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
            Sum::Decisions if amount == 2 => "，企业和主要负责人各一次".to_string(),
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
pub(super) enum Tally {
    Entries,
    /// A stock, not a flow (D7, staff in post): the head count of the latest entry by day
    /// (re-logging the same staff does not count them twice).
    Stock,
    /// The reward amounts (D5), all or only those for anonymous reports.
    Amount {
        anonymous_only: bool,
    },
}

pub(super) fn activities(
    v: &View,
    split: &'static str,
    kind: ActivityKind,
    level: Option<ActivityLevel>,
    tally: Tally,
) -> Cell {
    let mut total: i64 = 0;
    let mut records = Vec::new();
    // For a stock, only the latest entry counts.
    let latest = (tally == Tally::Stock)
        .then(|| {
            v.activities
                .iter()
                .filter(|a| {
                    a.entry.data.kind == kind && level.is_none_or(|l| a.entry.data.level == l)
                })
                .max_by_key(|a| (a.day, a.entry.id()))
                .map(|a| a.entry.id())
        })
        .flatten();
    for a in &v.activities {
        let d = &a.entry.data;
        if d.kind != kind || level.is_some_and(|l| d.level != l) {
            continue;
        }
        if tally == Tally::Stock && Some(a.entry.id()) != latest {
            continue;
        }
        let amount = match tally {
            Tally::Entries => 1,
            Tally::Stock => i64::from(d.count.unwrap_or(0)),
            Tally::Amount { anonymous_only } => {
                if anonymous_only && !d.anonymous {
                    continue;
                }
                d.amount_fen.unwrap_or(0)
            }
        };
        total = total.saturating_add(amount);
        let mut extra = match tally {
            Tally::Entries => String::new(),
            Tally::Stock => format!("，{amount}人"),
            Tally::Amount { .. } => format!("，{}万元", Figure::Fen(amount).text()),
        };
        if a.verified_report {
            extra.push_str("，举报经复查验收查实");
        }
        records.push(Counted {
            id: a.entry.id(),
            day: a.day,
            // `report explain` prints these: contact details typed into a title never show.
            what: format!(
                "{}（{}）{extra}",
                crate::report::hazard_list::mask_personal(&d.title),
                d.level.label()
            ),
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
