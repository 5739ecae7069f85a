//! The monthly progress table (进展情况调度表), cumulative from the campaign's start to the 28th
//! of the chosen month, for one scope: a group's own section (本股室), its sectors (所属行业领域),
//! or the whole bureau. Every cell keeps the records it counted, so `explain` and the count can
//! never disagree. The rule of each row is in `rows.rs` and `docs/reports.md`.

pub mod render;
pub mod xlsx;

pub use load::MonthlyData;
mod cells;
mod load;
mod rows;
mod view;

use super::HazardFacts;
use crate::domain::{Activity, EnforcementAction, Record, time};
use crate::storage::{EnterpriseFact, InspectionFact};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The day of the month the table is cut at (填报说明: 截至当月28日).
pub const CUTOFF_DAY: u32 = 28;

/// Which records a table covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole bureau (全局).
    All,
    /// A group's own section (本股室): inspections its members took part in, what was recorded
    /// on them, hazards reported from its sectors, activities it logged (see `view.rs`).
    Own { group: String },
    /// A group's sectors (所属行业领域): records about enterprises in the group's sectors.
    Sector { group: String, sectors: Vec<String> },
}

impl Scope {
    pub fn label(&self) -> &'static str {
        match self {
            Scope::All => "全局",
            Scope::Own { .. } => "本股室",
            Scope::Sector { .. } => "所属行业领域",
        }
    }

    pub fn group(&self) -> Option<&str> {
        match self {
            Scope::All => None,
            Scope::Own { group } | Scope::Sector { group, .. } => Some(group),
        }
    }
}

/// The days a table counts: from the campaign's start to the 28th of `month`, both included,
/// in Beijing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period of the table for `year`-`month`; `None` for a month that does not exist.
    pub fn month(campaign_start: NaiveDate, year: i32, month: u32) -> Option<Period> {
        Some(Period {
            from: campaign_start,
            to: NaiveDate::from_ymd_opt(year, month, CUTOFF_DAY)?,
        })
    }

    /// Parses `YYYY-MM`.
    pub fn parse_month(campaign_start: NaiveDate, text: &str) -> Result<Period, String> {
        let bad = || month_error(text);
        let (y, m) = time::parse_month(text).ok_or_else(bad)?;
        let period = Period::month(campaign_start, y, m).ok_or_else(bad)?;
        if period.to < period.from {
            return Err(format!(
                "{text} 的 28 日早于专项行动开始日 {campaign_start}，没有可统计的内容"
            ));
        }
        Ok(period)
    }

    /// [`Period::parse_month`] for a month of the campaign: after its end there is no table
    /// (the TUI refuses the same months with the same words).
    pub fn campaign_month(
        campaign_start: NaiveDate,
        campaign_end: NaiveDate,
        text: &str,
    ) -> Result<Period, String> {
        let period = Period::parse_month(campaign_start, text)?;
        if (period.to.year(), period.to.month()) > (campaign_end.year(), campaign_end.month()) {
            return Err(after_campaign(campaign_end));
        }
        Ok(period)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    pub fn month_label(&self) -> String {
        format!("{}年{}月", self.to.year(), self.to.month())
    }
}

/// What a month after the campaign is told.
pub fn after_campaign(end: NaiveDate) -> String {
    format!("专项行动已于 {end} 结束，没有之后的调度表")
}

/// What a month typed in the wrong form is told.
pub fn month_error(text: &str) -> String {
    format!("月份“{text}”应写作 YYYY-MM，例如 2023-09")
}

/// The form's title for a campaign (the attachment's heading).
pub fn form_title(campaign_name: &str) -> String {
    format!("全县{campaign_name}进展情况调度表")
}

/// Everything the table is computed from, loaded once.
pub struct Input<'a> {
    pub hazards: &'a [HazardFacts],
    pub inspections: &'a [InspectionFact],
    pub actions: &'a [Record<EnforcementAction>],
    pub activities: &'a [Record<Activity>],
    /// Inspector id → group code.
    pub groups: &'a HashMap<Uuid, Option<String>>,
    /// Inspection id → the inspectors who took part (`inspector_ids`).
    pub officers: &'a HashMap<Uuid, Vec<Uuid>>,
    /// Sector code → the groups whose `sectors` name it (the groups responsible for it).
    pub sector_groups: &'a HashMap<String, Vec<String>>,
    pub enterprises: &'a HashMap<Uuid, EnterpriseFact>,
    /// (checklist id, item code) → the B rows the item feeds.
    pub item_rows: &'a HashMap<(String, String), Vec<String>>,
}

/// A figure in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Figure {
    Count(u64),
    /// An amount of money in fen (分); shown in 万元.
    Fen(i64),
    YesNo(bool),
}

impl Figure {
    /// As the paper form writes it: counts plain, money in 万元 (exact, no trailing zeros),
    /// 是/否.
    pub fn text(&self) -> String {
        match *self {
            Figure::Count(n) => n.to_string(),
            Figure::YesNo(b) => if b { "是" } else { "否" }.to_string(),
            Figure::Fen(fen) => {
                let sign = if fen < 0 { "-" } else { "" };
                let fen = fen.unsigned_abs();
                let (whole, part) = (fen / 1_000_000, fen % 1_000_000);
                if part == 0 {
                    format!("{sign}{whole}")
                } else {
                    let digits = format!("{part:06}");
                    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
                }
            }
        }
    }
}

/// A record counted in a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counted {
    /// The record's id (for an enterprise counted once, the enterprise's).
    pub id: Uuid,
    /// The day that put it in the period.
    pub day: NaiveDate,
    /// What it is, in a line.
    pub what: String,
}

/// One figure of a row, with the records behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The split it belongs to ("县", "停产", "万元"…), or "" for a row's only figure.
    pub split: &'static str,
    pub figure: Figure,
    pub records: Vec<Counted>,
}

/// A row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// A1…D8.
    pub code: &'static str,
    /// The form's wording of the row, unit included.
    pub label: &'static str,
    pub cells: Vec<Cell>,
}

/// The four sections of the form, in order, with their row-code letter.
pub const SECTIONS: [(char, &str); 4] = [
    ('A', "总体情况"),
    ('B', "对企业自查自改进行抽查检查情况"),
    ('C', "部门精准严格执法情况"),
    ('D', "组织领导情况"),
];

/// The whole table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub title: String,
    /// The group's name (专项行动小组), or the bureau's for the whole bureau.
    pub unit: String,
    pub scope: &'static str,
    pub period: Period,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn row(&self, code: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.code == code)
    }
}

/// Computes the table. `unit` names who files it; `title` is the form's title.
pub fn table(input: &Input, scope: &Scope, period: Period, title: &str, unit: &str) -> Table {
    let view = view::View::new(input, scope, period);
    Table {
        title: title.to_string(),
        unit: unit.to_string(),
        scope: scope.label(),
        period,
        rows: rows::all(&view),
    }
}

/// The local (Beijing) day of an instant.
fn day_of(t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    time::local(t).date()
}
