//! A hazard registered at the office (企业自查, 群众举报, 上级交办): the one set of rules for what
//! must be given, checked alike for `paicha hazard add` and the TUI's ledger form. Each refusal
//! names the field it concerns, so the CLI can name its option and the form mark its field.

use super::activity::{Activity, ActivityKind, ActivityLevel};
use super::hazard::{FiveFixes, Hazard, HazardGrade, HazardSource};
use super::money::{self, MoneyRules};
use super::time;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A part of the entry, as the CLI's option and the form's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Source,
    Grade,
    Description,
    Found,
    Deadline,
    Responsible,
    Measures,
    Funds,
    Plan,
    Anonymous,
    Reward,
    Document,
}

impl Part {
    /// The five fixes, in the order they are listed when some are missing.
    pub const FIXES: [Part; 5] = [
        Part::Deadline,
        Part::Responsible,
        Part::Measures,
        Part::Funds,
        Part::Plan,
    ];

    /// The command-line option that gives it.
    pub fn option(self) -> &'static str {
        match self {
            Part::Source => "--source",
            Part::Grade => "--grade",
            Part::Description => "--description",
            Part::Found => "--found",
            Part::Deadline => "--deadline",
            Part::Responsible => "--responsible",
            Part::Measures => "--measures",
            Part::Funds => "--funds",
            Part::Plan => "--plan",
            Part::Anonymous => "--anonymous",
            Part::Reward => "--reward",
            Part::Document => "--document",
        }
    }

    /// Its name in Chinese (the form's label).
    pub fn label(self) -> &'static str {
        match self {
            Part::Source => "来源",
            Part::Grade => "隐患等级",
            Part::Description => "隐患描述",
            Part::Found => "发现日期",
            Part::Deadline => "整改时限",
            Part::Responsible => "整改责任人",
            Part::Measures => "整改措施",
            Part::Funds => "整改资金",
            Part::Plan => "整改期间的应急预案",
            Part::Anonymous => "举报人要求匿名",
            Part::Reward => "举报奖励",
            Part::Document => "交办文件文号",
        }
    }
}

/// Why an entry is refused, and at which part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub part: Part,
    pub text: String,
    /// An amount above the configured ceiling: accepted once confirmed.
    pub unconfirmed: bool,
}

impl Problem {
    fn at(part: Part, text: impl Into<String>) -> Problem {
        Problem {
            part,
            text: text.into(),
            unconfirmed: false,
        }
    }
}

/// The entry as typed (blank text: not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    pub source: String,
    pub grade: String,
    pub description: String,
    pub location: String,
    pub basis: String,
    /// Blank: today.
    pub found: String,
    pub deadline: String,
    pub responsible: String,
    pub measures: String,
    pub funds: String,
    pub plan: String,
    pub anonymous: bool,
    pub reward: String,
    pub document: String,
    /// An amount above the configured ceiling was confirmed (`--confirm-large`, a second
    /// Ctrl-S).
    pub confirm_large: bool,
}

/// An entry that passed every rule: what to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub source: HazardSource,
    pub grade: HazardGrade,
    pub description: String,
    pub location: String,
    pub basis: String,
    pub found_on: Option<NaiveDate>,
    pub fixes: Option<FiveFixes>,
    pub anonymous: bool,
    /// 群众举报: the reward in fen, booked on the hazard.
    pub reward_fen: Option<i64>,
    pub document: Option<String>,
}

/// The rules of an office entry, in the order the CLI has always applied them.
pub fn check(t: &Typed, money: &MoneyRules) -> Result<Checked, Problem> {
    let source =
        HazardSource::parse(&t.source).map_err(|e| Problem::at(Part::Source, e.to_string()))?;
    if source == HazardSource::Inspection {
        return Err(Problem::at(
            Part::Source,
            "执法检查发现的隐患请在检查界面中从不符合的检查项登记",
        ));
    }
    let grade =
        HazardGrade::parse(&t.grade).map_err(|e| Problem::at(Part::Grade, e.to_string()))?;
    if t.description.trim().is_empty() {
        return Err(Problem::at(Part::Description, "隐患描述不能为空"));
    }
    let document = Some(t.document.trim().to_string()).filter(|d| !d.is_empty());
    if source == HazardSource::Assigned && document.is_none() {
        return Err(Problem::at(
            Part::Document,
            "上级交办的隐患须填写交办文件文号",
        ));
    }
    if source != HazardSource::Assigned && document.is_some() {
        return Err(Problem::at(Part::Document, "交办文件文号只用于上级交办"));
    }
    let reward = t.reward.trim();
    if source != HazardSource::PublicReport && (t.anonymous || !reward.is_empty()) {
        let part = if t.anonymous {
            Part::Anonymous
        } else {
            Part::Reward
        };
        return Err(Problem::at(part, "匿名和举报奖励只用于群众举报"));
    }
    let reward_fen = if reward.is_empty() {
        None
    } else {
        let fen = money::parse_wan(reward).map_err(|e| Problem::at(Part::Reward, e))?;
        confirm(fen, Part::Reward, money, t.confirm_large)?;
        Some(fen)
    };
    let found_on = match t.found.trim() {
        "" => None,
        text => Some(day(text, Part::Found)?),
    };
    Ok(Checked {
        source,
        grade,
        description: t.description.trim().to_string(),
        location: t.location.trim().to_string(),
        basis: t.basis.trim().to_string(),
        found_on,
        fixes: fixes(t, money)?,
        anonymous: t.anonymous,
        reward_fen,
        document,
    })
}

/// The five fixes (五落实): all given or none; 资金 starts with its amount (or is "无").
/// Also what `hazard step … rectify` checks.
pub fn fixes(t: &Typed, money: &MoneyRules) -> Result<Option<FiveFixes>, Problem> {
    let parts = [&t.deadline, &t.responsible, &t.measures, &t.funds, &t.plan];
    if parts.iter().all(|p| p.trim().is_empty()) {
        return Ok(None);
    }
    let missing: Vec<Part> = Part::FIXES
        .into_iter()
        .zip(parts)
        .filter(|(_, p)| p.trim().is_empty())
        .map(|(part, _)| part)
        .collect();
    if let Some(first) = missing.first() {
        return Err(Problem::at(
            *first,
            format!(
                "五落实须一起填写，缺少：{}",
                missing
                    .iter()
                    .map(|p| p.label())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ));
    }
    let (funds, fen) = money::parse_funds(&t.funds).map_err(|e| Problem::at(Part::Funds, e))?;
    if let Some(fen) = fen {
        confirm(fen, Part::Funds, money, t.confirm_large)?;
    }
    Ok(Some(FiveFixes {
        deadline: day(&t.deadline, Part::Deadline)?,
        responsible_person: t.responsible.trim().to_string(),
        measures: t.measures.trim().to_string(),
        funds,
        emergency_plan: t.plan.trim().to_string(),
    }))
}

fn day(text: &str, part: Part) -> Result<NaiveDate, Problem> {
    time::parse_day_loose(text).ok_or_else(|| {
        Problem::at(
            part,
            format!(
                "{}应为日期，如 2023-09-05 或 2023.9.5，不是“{}”",
                part.label(),
                text.trim()
            ),
        )
    })
}

/// An amount above the ceiling needs confirming.
fn confirm(fen: i64, part: Part, money: &MoneyRules, confirmed: bool) -> Result<(), Problem> {
    match money.needs_confirmation(fen) {
        Some(why) if !confirmed => Err(Problem {
            unconfirmed: true,
            ..Problem::at(part, why)
        }),
        _ => Ok(()),
    }
}

impl Checked {
    /// When it was found: the day given at 09:00 Beijing time, or `now`.
    pub fn found_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.found_on {
            Some(day) => time::from_local(day.and_hms_opt(9, 0, 0).unwrap_or_default()),
            None => now,
        }
    }

    /// The hazard to record at `enterprise`.
    pub fn hazard(&self, enterprise: Uuid, now: DateTime<Utc>) -> Hazard {
        Hazard {
            enterprise_id: enterprise,
            inspection_id: None,
            item_code: None,
            grade: self.grade,
            source: self.source,
            description: self.description.clone(),
            location: self.location.clone(),
            basis: self.basis.clone(),
            found_at: self.found_at(now),
            rectify_immediately: false,
            fixes: self.fixes.clone(),
            supervision: None,
            anonymous_report: self.anonymous,
            assigning_document: self.document.clone(),
        }
    }
}

/// The report reward booked on `hazard` (D5): counted by the monthly table only from the day
/// the report is verified true. Its title names the hazard, never the reporter: what the public
/// list would show of the description, contact details masked.
pub fn reward_activity(hazard_id: Uuid, hazard: &Hazard, fen: i64) -> Activity {
    Activity {
        kind: ActivityKind::ReportReward,
        level: ActivityLevel::County,
        group_code: None,
        held_on: time::local(hazard.found_at).date(),
        title: match crate::report::hazard_list::public_text(&hazard.description) {
            text if text.is_empty() => "群众举报奖励".to_string(),
            text => format!("举报奖励：{text}"),
        },
        amount_fen: Some(fen),
        count: None,
        anonymous: hazard.anonymous_report,
        note: Activity::reward_note(hazard_id),
        corrects: None,
    }
}

#[cfg(test)]
#[path = "office_hazard_tests.rs"]
mod tests;
