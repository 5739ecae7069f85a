//! The monthly progress table (调度表) on screen: ←/→ change the month, Tab the scope (the
//! bureau, then each group's own section and its sectors), Enter on a row lists the records
//! it counted (`c` there corrects one), `h` and `g` open the month's hazard and disclosure
//! lists. The table is computed by the effect runner; this screen only asks for it.

use super::explain::{self, Explain};
use super::month_list::{self, MonthListView, next, previous};
use super::monthly_forms::{Editing, activity_form};
use super::{Ctx, Step};
use crate::app::form::{Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{CorrectionTarget, Effect, FormDraft};
use crate::report::month_lists::Which;
use crate::report::monthly::{Period, Scope, Table};
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
    pub explain: Option<Explain>,
    /// Logging an activity (C1, D rows) or correcting a record, when open.
    pub form: Option<Form>,
    /// What the open form does.
    pub editing: Editing,
    /// The month's hazard or disclosure list, when open.
    pub list: Option<MonthListView>,
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
            editing: Editing::Activity,
            list: None,
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
            let before = form.focus;
            let group = self.choices[self.choice].scope.group().map(String::from);
            return match form.handle(ev) {
                Outcome::Editing => super::remember_loose_form(form, self.editing.draft(), before),
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.form = None;
                    vec![super::forget_loose_form()]
                }
                Outcome::Submit => match self.editing.submit(form, group) {
                    Ok(effect) => vec![Step::Do(effect)],
                    Err(why) => vec![Step::Say(why)],
                },
            };
        }
        if let Some(list) = &mut self.list {
            return match list.on_key(ev, ctx) {
                month_list::After::Stay(steps) => steps,
                month_list::After::Close => {
                    self.list = None;
                    vec![]
                }
            };
        }
        if let Some(explain) = &mut self.explain {
            return match explain.on_key(ev, ctx) {
                explain::After::Stay(steps) => steps,
                explain::After::Close => {
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
                    self.explain = Some(Explain::new(table, row));
                }
                vec![]
            }
            Some(Cmd::Add) => self.open_form(Editing::Activity, activity_form(ctx), None),
            Some(Cmd::HazardList) => self.open_list(Which::Hazards),
            Some(Cmd::DisclosureList) => self.open_list(Which::Disclosure),
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

    /// Opens a form (what a crash interrupted: with its values back) and remembers it.
    pub fn open_form(
        &mut self,
        editing: Editing,
        mut form: Form,
        draft: Option<&FormDraft>,
    ) -> Vec<Step> {
        if let Some(d) = draft {
            form.restore(&d.values, d.focus);
        }
        let steps = super::remember_loose_form(&form, editing.draft(), usize::MAX);
        self.editing = editing;
        self.form = Some(form);
        steps
    }

    /// The record to correct was found (or why not).
    pub fn correction_ready(
        &mut self,
        target: Result<CorrectionTarget, String>,
        draft: Option<&FormDraft>,
        ctx: &Ctx,
    ) -> Vec<Step> {
        match target {
            Ok(target) => {
                let (editing, form) = Editing::correcting(target, ctx);
                self.open_form(editing, form, draft)
            }
            Err(why) => vec![Step::Say(why)],
        }
    }

    /// The month's list for the month shown.
    fn open_list(&mut self, which: Which) -> Vec<Step> {
        let list = MonthListView::new(which, self.year, self.month);
        let steps = list.load();
        self.list = Some(list);
        steps
    }
}

#[cfg(test)]
#[path = "monthly_tests.rs"]
mod tests;
