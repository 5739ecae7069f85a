//! The monthly progress table (调度表) on screen: ←/→ change the month, Tab the scope (the
//! bureau, then each group's own section and its sectors), Enter on a row lists the records
//! it counted. The table is computed by the effect runner; this screen only asks for it.

use super::report::{After, ReportView};
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::domain::{Activity, ActivityKind, ActivityLevel};
use crate::report::monthly::{Period, Scope, Table, render};
use chrono::Datelike;
use crossterm::event::KeyEvent;

const PAGE: usize = 10;

/// A scope to pick, with the unit that files it.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub scope: Scope,
    pub unit: String,
}

pub struct Monthly {
    pub year: i32,
    pub month: u32,
    pub choices: Vec<Choice>,
    pub choice: usize,
    /// The table for the month and scope shown, once computed.
    pub table: Option<Table>,
    pub selected: usize,
    /// The records behind the selected row, when opened.
    pub explain: Option<ReportView>,
    /// Logging an activity (C1, D rows), when open.
    pub form: Option<Form>,
}

impl Monthly {
    /// The current month's table for the bureau; `group` first when the profile has one.
    pub fn new(ctx: &Ctx, group: Option<&str>) -> Monthly {
        let campaign = &ctx.catalog.campaign;
        let mut choices = vec![Choice {
            scope: Scope::All,
            unit: campaign.bureau.clone(),
        }];
        for g in &campaign.groups {
            choices.push(Choice {
                scope: Scope::Own {
                    group: g.code.clone(),
                },
                unit: g.name.clone(),
            });
            choices.push(Choice {
                scope: Scope::Sector {
                    group: g.code.clone(),
                    sectors: g.sectors.clone(),
                },
                unit: g.name.clone(),
            });
        }
        let choice = group
            .and_then(|code| {
                choices
                    .iter()
                    .position(|c| matches!(&c.scope, Scope::Own { group } if group == code))
            })
            .unwrap_or(0);
        // The last table due: this month's once past the 28th, else last month's.
        let today = crate::domain::time::local(ctx.now).date();
        let (mut year, mut month) = (today.year(), today.month());
        if today.day() < crate::report::monthly::CUTOFF_DAY {
            (year, month) = previous(year, month);
        }
        // Within the campaign: not after its last month, not before its first 28th.
        if (year, month) > (campaign.end.year(), campaign.end.month()) {
            (year, month) = (campaign.end.year(), campaign.end.month());
        }
        while Period::month(campaign.start, year, month).is_some_and(|p| p.to < p.from) {
            (year, month) = next(year, month);
        }
        Monthly {
            year,
            month,
            choices,
            choice,
            table: None,
            selected: 0,
            explain: None,
            form: None,
        }
    }

    pub fn period(&self, ctx: &Ctx) -> Option<Period> {
        Period::month(ctx.catalog.campaign.start, self.year, self.month)
    }

    /// The effect that computes the table shown.
    pub fn load(&self, ctx: &Ctx) -> Vec<Step> {
        let Some(period) = self.period(ctx) else {
            return vec![];
        };
        let c = &self.choices[self.choice];
        vec![Step::Do(Effect::LoadMonthly {
            scope: c.scope.clone(),
            period,
            unit: c.unit.clone(),
        })]
    }

    /// A computed table: shown if it is still the one asked for (keys may have moved on).
    pub fn loaded(&mut self, table: Table) {
        let c = &self.choices[self.choice];
        if table.unit == c.unit
            && table.scope == c.scope.label()
            && (table.period.to.year(), table.period.to.month()) == (self.year, self.month)
        {
            self.selected = self.selected.min(table.rows.len().saturating_sub(1));
            self.table = Some(table);
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(form) = &mut self.form {
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.form = None;
                    vec![]
                }
                Outcome::Submit => match self.activity() {
                    Ok(activity) => vec![Step::Do(Effect::SaveActivity(activity))],
                    Err(why) => vec![Step::Say(why)],
                },
            };
        }
        if let Some(explain) = &mut self.explain {
            return match explain.on_key(ev) {
                After::Stay(steps) => steps,
                After::Close => {
                    self.explain = None;
                    vec![]
                }
            };
        }
        let rows = self.table.as_ref().map_or(0, |t| t.rows.len());
        match keymap::lookup(keymap::MONTHLY, ev) {
            Some(Cmd::Left) => self.move_month(previous(self.year, self.month), ctx),
            Some(Cmd::Right) => self.move_month(next(self.year, self.month), ctx),
            Some(Cmd::NextField) => {
                self.choice = (self.choice + 1) % self.choices.len();
                self.reload(ctx)
            }
            Some(Cmd::PrevField) => {
                self.choice = (self.choice + self.choices.len() - 1) % self.choices.len();
                self.reload(ctx)
            }
            Some(Cmd::Down) => {
                self.selected = (self.selected + 1).min(rows.saturating_sub(1));
                vec![]
            }
            Some(Cmd::Up) => {
                self.selected = self.selected.saturating_sub(1);
                vec![]
            }
            Some(Cmd::PageDown) => {
                self.selected = (self.selected + PAGE).min(rows.saturating_sub(1));
                vec![]
            }
            Some(Cmd::PageUp) => {
                self.selected = self.selected.saturating_sub(PAGE);
                vec![]
            }
            Some(Cmd::Select) => {
                if let Some(table) = &self.table
                    && let Some(row) = table.rows.get(self.selected)
                {
                    self.explain = Some(ReportView::new(
                        format!("{} 计入的记录", row.code),
                        keymap::EXPLAIN,
                        render::explain(table, row),
                    ));
                }
                vec![]
            }
            Some(Cmd::Add) => {
                self.form = Some(activity_form(ctx));
                vec![]
            }
            Some(Cmd::Help) => vec![Step::Help(keymap::MONTHLY)],
            Some(Cmd::Back) => Step::home(),
            _ => vec![],
        }
    }

    fn move_month(&mut self, (year, month): (i32, u32), ctx: &Ctx) -> Vec<Step> {
        let end = ctx.catalog.campaign.end;
        if (year, month) > (end.year(), end.month()) {
            return vec![Step::Say(crate::report::monthly::after_campaign(end))];
        }
        match Period::month(ctx.catalog.campaign.start, year, month) {
            Some(p) if p.to >= p.from => {
                (self.year, self.month) = (year, month);
                self.reload(ctx)
            }
            _ => vec![Step::Say("专项行动开始之前没有调度表".into())],
        }
    }

    /// Shows the table again, computed afresh (after a key, or an activity logged).
    pub fn reload(&mut self, ctx: &Ctx) -> Vec<Step> {
        self.table = None;
        self.load(ctx)
    }

    /// The activity the open form describes, or why it cannot be logged.
    fn activity(&self) -> Result<Activity, String> {
        let Some(form) = &self.form else {
            return Err("没有打开的登记表".into());
        };
        let kind = ActivityKind::ALL
            .iter()
            .copied()
            .find(|k| kind_choice(*k) == form.value("kind"))
            .ok_or("请选择活动类别")?;
        let level = ActivityLevel::parse(form.value("level")).map_err(|e| e.to_string())?;
        let held_on =
            crate::domain::time::parse_day(form.value("held_on")).ok_or("日期应写作 YYYY-MM-DD")?;
        let amount = form.value("amount").trim();
        let amount_fen = if amount.is_empty() {
            None
        } else {
            Some(crate::domain::activity::wan_to_fen(amount)?)
        };
        let count = match form.value("count").trim() {
            "" => None,
            n => Some(n.parse::<u32>().map_err(|_| "人数应为整数".to_string())?),
        };
        let activity = Activity {
            kind,
            level,
            group_code: self.choices[self.choice].scope.group().map(String::from),
            held_on,
            title: form.value("title").trim().to_string(),
            amount_fen,
            count,
            anonymous: form.value("anonymous") == "是",
            note: form.value("note").trim().to_string(),
            corrects: None,
        };
        activity.check()?;
        Ok(activity)
    }
}

/// How a kind is offered in the form: its row and name ("D1 专题学习十五条硬措施").
fn kind_choice(kind: ActivityKind) -> String {
    format!("{} {}", kind.report_row(), kind.label())
}

/// The activity log form, dated today.
fn activity_form(ctx: &Ctx) -> Form {
    let today = crate::domain::time::local(ctx.now).date().to_string();
    let kinds = ActivityKind::ALL.iter().map(|k| kind_choice(*k)).collect();
    let levels = ActivityLevel::ALL
        .iter()
        .map(|l| l.label().to_string())
        .collect();
    Form::new(
        "登记工作活动（调度表 C1、D 栏）",
        vec![
            Field::of_kind("kind", "活动类别", FieldKind::Choice(kinds), true),
            Field::of_kind("level", "层级", FieldKind::Choice(levels), true),
            Field::of_kind("held_on", "日期", FieldKind::Date, true).with_value(today),
            Field::text("title", "名称", true).with_help("如：专项行动小组学习十五条硬措施"),
            Field::money("amount", "金额（万元）", false, ctx.catalog.rules.money)
                .with_help("举报奖励填写，如 0.5万元 或 5000元"),
            Field::of_kind("count", "人数", FieldKind::Number, false)
                .with_help("配备专兼职技术检查员填写"),
            Field::of_kind(
                "anonymous",
                "匿名举报查实",
                FieldKind::Choice(vec!["否".into(), "是".into()]),
                true,
            ),
            Field::text("note", "备注", false),
        ],
    )
}

fn previous(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

fn next(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

#[cfg(test)]
#[path = "monthly_tests.rs"]
mod tests;
