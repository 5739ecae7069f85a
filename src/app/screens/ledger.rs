//! The hazard ledger: every hazard in one table with filters, sort and pinyin search (only the
//! visible window is drawn, so 100 000 rows stay smooth); a hazard's history and the steps of
//! its closed loop as keyed actions with forms, through the same guards as the CLI.

use super::report::{After, ReportView};
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, LedgerIndex, ReportKind};
use crate::app::search;
use crate::domain::lifecycle::{self, CORRECTABLE, Stage};
use crate::domain::{FiveFixes, HazardGrade, HazardSource};
use crate::storage::LedgerRow;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

const PAGE: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest found first.
    Found,
    /// Soonest deadline first (none last).
    Deadline,
    Enterprise,
}

impl SortBy {
    pub fn label(self) -> &'static str {
        match self {
            SortBy::Found => "发现时间",
            SortBy::Deadline => "整改时限",
            SortBy::Enterprise => "企业",
        }
    }
}

/// Which step a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepForm {
    Transfer,
    Rectify,
    Report,
    Verify,
    Close,
    List,
    Correct,
}

pub struct Detail {
    pub row: Box<LedgerRow>,
    pub form: Option<(StepForm, Form)>,
}

pub struct Ledger {
    pub index: Option<Arc<LedgerIndex>>,
    pub visible: Vec<usize>,
    pub selected: usize,
    pub stage: Option<Stage>,
    pub grade: Option<HazardGrade>,
    pub source: Option<HazardSource>,
    pub overdue_only: bool,
    pub listed_only: bool,
    pub town: Option<String>,
    pub group: Option<String>,
    pub sort: SortBy,
    pub searching: bool,
    pub query: String,
    pub detail: Option<Detail>,
    /// A report opened over the ledger (weekly feedback, targets, warnings).
    pub report: Option<ReportView>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger {
            index: None,
            visible: Vec::new(),
            selected: 0,
            stage: None,
            grade: None,
            source: None,
            overdue_only: false,
            listed_only: false,
            town: None,
            group: None,
            sort: SortBy::Found,
            searching: false,
            query: String::new(),
            detail: None,
            report: None,
        }
    }
}

/// The next value in a cycle that starts and ends with "all" (`None`).
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current.and_then(|c| all.iter().position(|x| *x == c)) {
        None => all.first().copied(),
        Some(i) if i + 1 < all.len() => Some(all[i + 1]),
        Some(_) => None,
    }
}

/// `cycle` over owned text values (towns, groups).
fn cycle_text(current: &Option<String>, all: &[String]) -> Option<String> {
    let at = current
        .as_ref()
        .and_then(|c| all.iter().position(|x| x == c));
    match at {
        None => all.first().cloned(),
        Some(i) => all.get(i + 1).cloned(),
    }
}

impl Ledger {
    pub fn loaded(&mut self, index: Arc<LedgerIndex>) {
        let keep = self
            .visible
            .get(self.selected)
            .and_then(|&i| self.index.as_ref()?.rows.get(i).map(|r| r.id));
        self.index = Some(index);
        self.refilter();
        if let Some(id) = keep
            && let Some(index) = &self.index
            && let Some(pos) = self.visible.iter().position(|&i| index.rows[i].id == id)
        {
            self.selected = pos;
        }
    }

    /// Recomputes the visible rows from the filters, the sort and the search.
    pub fn refilter(&mut self) {
        let Some(index) = &self.index else { return };
        let mut rows: Vec<usize> = (0..index.rows.len())
            .filter(|&i| {
                let r = &index.rows[i];
                self.stage.is_none_or(|s| r.stage == s)
                    && self.grade.is_none_or(|g| r.grade == g)
                    && self.source.is_none_or(|s| r.source == s)
                    && (!self.overdue_only || r.overdue)
                    && (!self.listed_only || r.listed)
                    && self.town.as_ref().is_none_or(|t| &r.town == t)
                    && self.group.as_ref().is_none_or(|g| &r.group == g)
            })
            .collect();
        match self.sort {
            SortBy::Found => {
                rows.sort_by(|a, b| index.rows[*b].found_at.cmp(&index.rows[*a].found_at))
            }
            SortBy::Deadline => {
                rows.sort_by_key(|&i| (index.rows[i].deadline.is_none(), index.rows[i].deadline))
            }
            SortBy::Enterprise => {
                rows.sort_by(|a, b| index.rows[*a].enterprise.cmp(&index.rows[*b].enterprise))
            }
        }
        self.visible = if self.query.trim().is_empty() {
            rows
        } else {
            search::rank_within(&index.keys, &self.query, rows)
        };
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(report) = &mut self.report {
            return match report.on_key(ev) {
                After::Stay(steps) => steps,
                After::Close => {
                    self.report = None;
                    vec![]
                }
            };
        }
        if self.detail.is_some() {
            return self.detail_key(ev, ctx);
        }
        if self.searching {
            match ev.code {
                KeyCode::Enter | KeyCode::Esc => self.searching = false,
                KeyCode::Backspace => {
                    self.query.pop();
                    self.refilter();
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.query.push(c);
                    self.refilter();
                }
                _ => {}
            }
            return vec![];
        }
        let n = self.visible.len();
        match keymap::lookup(keymap::LEDGER, ev) {
            Some(Cmd::Down) => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Some(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Cmd::PageDown) => self.selected = (self.selected + PAGE).min(n.saturating_sub(1)),
            Some(Cmd::PageUp) => self.selected = self.selected.saturating_sub(PAGE),
            Some(Cmd::Search) => self.searching = true,
            Some(Cmd::FilterStage) => {
                self.stage = cycle(self.stage, &Stage::ALL);
                self.refilter();
            }
            Some(Cmd::FilterGrade) => {
                self.grade = cycle(self.grade, HazardGrade::ALL);
                self.refilter();
            }
            Some(Cmd::FilterSource) => {
                self.source = cycle(self.source, HazardSource::ALL);
                self.refilter();
            }
            Some(Cmd::FilterOverdue) => {
                self.overdue_only = !self.overdue_only;
                self.refilter();
            }
            Some(Cmd::FilterListed) => {
                self.listed_only = !self.listed_only;
                self.refilter();
            }
            Some(Cmd::FilterTown) => {
                self.town = self
                    .index
                    .as_ref()
                    .and_then(|i| cycle_text(&self.town, &i.towns));
                self.refilter();
            }
            Some(Cmd::FilterGroup) => {
                self.group = self
                    .index
                    .as_ref()
                    .and_then(|i| cycle_text(&self.group, &i.groups));
                self.refilter();
            }
            Some(Cmd::Sort) => {
                self.sort = match self.sort {
                    SortBy::Found => SortBy::Deadline,
                    SortBy::Deadline => SortBy::Enterprise,
                    SortBy::Enterprise => SortBy::Found,
                };
                self.refilter();
            }
            Some(Cmd::Select) => {
                let id = self
                    .index
                    .as_ref()
                    .and_then(|index| self.visible.get(self.selected).map(|&i| index.rows[i].id));
                if let Some(id) = id {
                    return vec![Step::Do(Effect::LoadHazard(id))];
                }
            }
            Some(Cmd::ReportWeekly) => {
                return vec![Step::Do(Effect::LoadReport(ReportKind::Weekly))];
            }
            Some(Cmd::ReportTargets) => {
                return vec![Step::Do(Effect::LoadReport(ReportKind::Targets))];
            }
            Some(Cmd::ReportWarnings) => {
                return vec![Step::Do(Effect::LoadReport(ReportKind::Warnings))];
            }
            Some(Cmd::Help) => return vec![Step::Help(keymap::LEDGER)],
            Some(Cmd::Back) => {
                return vec![
                    Step::go(super::Screen::Home(Default::default())),
                    Step::Do(Effect::LoadHome),
                ];
            }
            _ => {}
        }
        vec![]
    }

    fn detail_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        let Some(detail) = &mut self.detail else {
            return vec![];
        };
        let hazard_id = detail.row.0.id();
        if let Some((which, form)) = &mut detail.form {
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    detail.form = None;
                    vec![]
                }
                Outcome::Submit => match step_from(*which, form, ctx) {
                    Ok(step) => vec![Step::Do(Effect::ApplyStep {
                        hazard: hazard_id,
                        step,
                        note: form.value("note").to_string(),
                    })],
                    Err(reason) => vec![Step::Say(reason)],
                },
            };
        }
        let status = &detail.row.2;
        let which = match keymap::lookup(keymap::HAZARD_DETAIL, ev) {
            Some(Cmd::StepTransfer) => StepForm::Transfer,
            Some(Cmd::StepRectify) => StepForm::Rectify,
            Some(Cmd::StepReport) => StepForm::Report,
            Some(Cmd::StepVerify) => StepForm::Verify,
            Some(Cmd::StepClose) => StepForm::Close,
            Some(Cmd::StepList) => StepForm::List,
            Some(Cmd::StepCorrect) => StepForm::Correct,
            Some(Cmd::FollowUp) => {
                return vec![Step::Do(Effect::LoadFollowUp {
                    enterprise: detail.row.0.data.enterprise_id,
                    hazard: hazard_id,
                })];
            }
            Some(Cmd::Help) => return vec![Step::Help(keymap::HAZARD_DETAIL)],
            Some(Cmd::Back) => {
                self.detail = None;
                return vec![];
            }
            _ => return vec![],
        };
        detail.form = Some((which, form_for(which, status, ctx)));
        vec![]
    }

    pub fn hazard_loaded(&mut self, row: Box<LedgerRow>) {
        self.detail = Some(Detail { row, form: None });
    }
}

fn form_for(which: StepForm, status: &lifecycle::Status, ctx: &Ctx) -> Form {
    let note = Field::text("note", "说明", false);
    let fields = match which {
        StepForm::Transfer => vec![Field::text("to_unit", "移交责任单位", true), note],
        StepForm::Rectify => {
            // The five fixes are needed only when the hazard has none yet.
            let needed = status.deadline.is_none() && !status.rectify_immediately;
            vec![
                Field::of_kind("deadline", "整改时限", FieldKind::Date, needed),
                Field::text("responsible", "整改责任人", needed),
                Field::text("measures", "整改措施", needed),
                Field::text("funds", "整改资金", needed),
                Field::text("plan", "应急预案", needed),
                note,
            ]
        }
        StepForm::Report => vec![note],
        StepForm::Verify => vec![
            Field::text("by", "验收人", true),
            Field::of_kind(
                "passed",
                "验收结果",
                FieldKind::Choice(vec!["通过".into(), "未通过".into()]),
                true,
            ),
            note,
        ],
        StepForm::Close => {
            let signers = ctx.catalog.campaign.close_out_signers();
            let signer = if signers.is_empty() || status.grade != HazardGrade::Major {
                Field::text("signer", "签字确认人", true)
            } else {
                Field::of_kind("signer", "签字确认人", FieldKind::Choice(signers), true)
            };
            vec![signer, note]
        }
        StepForm::List => vec![Field::text("tracker", "跟踪督办责任人", true), note],
        StepForm::Correct => vec![
            Field::of_kind(
                "field",
                "更正哪一项",
                FieldKind::Choice(
                    CORRECTABLE
                        .iter()
                        .map(|f| correct_label(f).to_string())
                        .collect(),
                ),
                true,
            ),
            Field::text("value", "更正为", true),
            note,
        ],
    };
    let title = match which {
        StepForm::Transfer => "移交",
        StepForm::Rectify => "进入整改中（五落实）",
        StepForm::Report => "报告整改完成",
        StepForm::Verify => "复查验收",
        StepForm::Close => "销号",
        StepForm::List => "挂牌督办",
        StepForm::Correct => "更正（作为新记录保存，原记录不变）",
    };
    Form::new(title, fields)
}

fn correct_label(field: &str) -> &'static str {
    match field {
        "description" => "隐患描述",
        "location" => "部位",
        "basis" => "依据",
        "grade" => "等级",
        _ => "整改时限",
    }
}

fn step_from(which: StepForm, form: &Form, ctx: &Ctx) -> Result<lifecycle::Step, String> {
    use lifecycle::Step as S;
    Ok(match which {
        StepForm::Transfer => S::Transfer {
            to_unit: form.value("to_unit").to_string(),
        },
        StepForm::Rectify => {
            let fixes = if form.value("deadline").is_empty() {
                None
            } else {
                Some(FiveFixes {
                    deadline: NaiveDate::parse_from_str(form.value("deadline"), "%Y-%m-%d")
                        .map_err(|_| "整改时限应为日期，格式如 2023-09-15".to_string())?,
                    responsible_person: form.value("responsible").to_string(),
                    measures: form.value("measures").to_string(),
                    funds: form.value("funds").to_string(),
                    emergency_plan: form.value("plan").to_string(),
                })
            };
            S::Rectify { fixes }
        }
        StepForm::Report => S::ReportRectified,
        StepForm::Verify => S::Verify {
            passed: form.value("passed") == "通过",
            by: form.value("by").to_string(),
        },
        StepForm::Close => S::CloseOut {
            signer: form.value("signer").to_string(),
            signed_at: ctx.now,
        },
        StepForm::List => S::ListForSupervision {
            tracking_person: form.value("tracker").to_string(),
        },
        StepForm::Correct => {
            let field = CORRECTABLE
                .iter()
                .find(|f| correct_label(f) == form.value("field"))
                .copied()
                .unwrap_or("description");
            S::Correct {
                field: field.to_string(),
                value: form.value("value").to_string(),
            }
        }
    })
}
