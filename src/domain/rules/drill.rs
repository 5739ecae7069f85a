//! Emergency drills (E15): frequency for the sector, and staff knowing the escape exits.

use super::Verdict;
use super::config::DrillRules;
use super::values::{Values, date, flag, label};
use chrono::{Months, NaiveDate};

/// Checks the drill records of an enterprise at an inspection on `on`. `drills_per_year` is
/// the sector's minimum (twice for high-risk sectors). Called with no records it finds "no
/// drill"; [`super::evaluate`] calls it only once a drill record has been entered, so that an
/// inspector who has not got to the drill records yet is not told there are none.
pub fn drills(
    records: &[&Values],
    rules: &DrillRules,
    drills_per_year: Option<u32>,
    on: NaiveDate,
) -> Verdict {
    let months = rules.max_months(drills_per_year);
    let latest = records
        .iter()
        .filter_map(|v| date(v, "held_on").map(|d| (d, *v)))
        .filter(|(d, _)| *d <= on)
        .max_by_key(|(d, _)| *d);
    let mut findings = Vec::new();
    match latest {
        None => findings.push(format!("未见近 {months} 个月内的应急演练记录")),
        Some((held, values)) => {
            let deadline = held.checked_add_months(Months::new(months)).unwrap_or(held);
            if on > deadline {
                findings.push(format!(
                    "最近一次演练在 {held}，已超过 {months} 个月（应每 {months} 个月至少一次）"
                ));
            }
            if flag(values, "staff_know_exits") == Some(false) {
                let name = label(values, &["name"], "最近一次演练");
                findings.push(format!("{name}记录显示从业人员不熟悉安全逃生出口"));
            }
        }
    }
    let all_clear = match latest {
        Some((held, _)) => format!("最近一次演练在 {held}，在 {months} 个月内，员工熟悉逃生出口"),
        None => String::new(),
    };
    Verdict::from_findings(&rules.item, findings, all_clear)
}
