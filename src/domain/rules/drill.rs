//! Emergency drills (E15 and the sector's drill item): each clock of `[drill]` by plan type
//! (应急管理部令第2号 第三十三条第一款: a 综合 or 专项 plan drill every year, a 现场处置方案
//! drill every six months), every plan every six months and each drill reported for the units of
//! 第三十三条第二款, sector clocks (高层民用建筑: 应急管理部令第5号 第四十四条), and staff knowing
//! the escape exits.

use super::config::{DrillRules, binds, targets};
use super::values::{Values, date, flag, label, text};
use super::{Assessment, Listed, Subject};
use crate::domain::EvidenceKind;
use chrono::{Months, NaiveDate};

/// Checks the drill records of an enterprise at an inspection on `on`. Called with no records it
/// finds "no drill"; [`super::assess`] calls it only once a drill record has been entered, so
/// that an inspector who has not got to the drill records yet is not told there are none.
pub fn drills(
    records: &[&Values],
    rules: &DrillRules,
    subject: Subject<'_>,
    on: NaiveDate,
) -> Assessment {
    let mut out = Assessment::default();
    if !binds(&rules.sectors, subject.sector) {
        out.note(subject.outside("应急演练规则", &rules.basis));
        return out;
    }
    let held: Vec<(NaiveDate, &Values)> = records
        .iter()
        .filter_map(|v| date(v, "held_on").map(|d| (d, *v)))
        .filter(|(d, _)| *d <= on)
        .collect();
    let listed = match subject.listed {
        Listed::Yes => Some(true),
        Listed::No => Some(false),
        Listed::ByUse => {
            let answers: Vec<bool> = records
                .iter()
                .filter_map(|v| flag(v, "listed_unit"))
                .collect();
            if answers.contains(&true) {
                Some(true)
            } else if answers.is_empty() {
                None
            } else {
                Some(false)
            }
        }
    };
    if listed.is_none() {
        out.note(format!(
            "演练记录未填本单位是否属{}所列单位（宾馆、商场、娱乐场所等人员密集场所经营单位），按第三十三条第一款核对",
            rules.listed_basis
        ));
    }
    let mut findings = Vec::new();
    let mut clear = Vec::new();
    for clock in rules.clocks.iter().filter(|c| {
        c.sectors.is_empty()
            || subject
                .sector
                .is_some_and(|s| c.sectors.iter().any(|c| c == s))
    }) {
        let months = if listed == Some(true) && !clock.plan_types.is_empty() {
            clock.months.min(rules.listed_months)
        } else {
            clock.months
        };
        let latest = held
            .iter()
            .filter(|(_, v)| {
                text(v, "plan_type").is_some_and(|t| clock.plan_types.iter().any(|p| p == t))
                    || clock
                        .flag
                        .as_deref()
                        .is_some_and(|f| flag(v, f) == Some(true))
            })
            .map(|(d, _)| *d)
            .max();
        match latest {
            None => findings.push(format!(
                "未见近 {months} 个月内的{}记录（{}：每 {months} 个月至少一次）",
                clock.name, clock.basis
            )),
            Some(last) => {
                let deadline = last.checked_add_months(Months::new(months)).unwrap_or(last);
                if on > deadline {
                    findings.push(format!(
                        "最近一次{}在 {last}，已超过 {months} 个月（{}：每 {months} 个月至少一次）",
                        clock.name, clock.basis
                    ));
                } else {
                    clear.push(format!("{}最近一次在 {last}", clock.name));
                }
            }
        }
    }
    if listed == Some(true) {
        let year_ago = on.checked_sub_months(Months::new(12)).unwrap_or(on);
        let mut recent: Vec<&(NaiveDate, &Values)> =
            held.iter().filter(|(d, _)| *d > year_ago).collect();
        recent.sort_by_key(|(d, _)| *d);
        for (day, values) in recent {
            if text(values, "reported_to").is_none() {
                let name = label(values, &["name"], "演练");
                findings.push(format!(
                    "{name}（{day}）未见报送县级以上负有安全生产监督管理职责的部门（{}）",
                    rules.listed_basis
                ));
            }
        }
    }
    if let Some((_, values)) = held.iter().max_by_key(|(d, _)| *d)
        && flag(values, "staff_know_exits") == Some(false)
    {
        let name = label(values, &["name"], "最近一次演练");
        findings.push(format!("{name}记录显示从业人员不熟悉安全逃生出口"));
    }
    let all_clear = format!("{}，均在规定期限内；员工熟悉逃生出口", clear.join("，"));
    let items = targets(&rules.item, &rules.sector_items, subject.sector);
    out.propose(&items, EvidenceKind::DrillRecord, &findings, &all_clear);
    out
}
