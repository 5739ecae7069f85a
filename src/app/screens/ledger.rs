//! The hazard ledger: every hazard in one table with filters, sort and pinyin search (only the
//! visible window is drawn, so 100 000 rows stay smooth). One hazard opens as a `Detail`
//! (see `hazard_detail`), the reports as a `ReportView`.

pub use super::hazard_detail::{Detail, StepForm};
use super::report::{After, ReportView};
use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, HazardNotes, LedgerIndex, ReportKind};
use crate::app::search;
use crate::domain::lifecycle::Stage;
use crate::domain::{HazardGrade, HazardSource};
use crate::storage::LedgerRow;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
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
    /// The office's hazard entry (`A`), when open.
    pub office: Option<super::office_hazard::OfficeHazardForm>,
    /// The hazard to select once the ledger is read again (one just registered).
    pub select: Option<uuid::Uuid>,
    /// A step form a crash interrupted, reopened when its hazard's detail is read.
    pub resume: Option<crate::app::msg::FormDraft>,
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
            office: None,
            select: None,
            resume: None,
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
        if let Some(id) = self.select.take() {
            self.show(id);
            return;
        }
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
                    && (!self.listed_only || r.listed())
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

    /// Selects the hazard `id`; when the filters or the search hide it, they are cleared.
    fn show(&mut self, id: uuid::Uuid) {
        let Some(index) = self.index.clone() else {
            return;
        };
        let at = |visible: &[usize]| visible.iter().position(|&i| index.rows[i].id == id);
        if at(&self.visible).is_none() {
            *self = Ledger {
                index: self.index.take(),
                sort: self.sort,
                resume: self.resume.take(),
                ..Ledger::default()
            };
            self.refilter();
        }
        if let Some(pos) = at(&self.visible) {
            self.selected = pos;
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(office) = &mut self.office {
            return match office.on_key(ev, ctx) {
                super::office_hazard::After::Stay(steps) => steps,
                super::office_hazard::After::Close(steps) => {
                    self.office = None;
                    steps
                }
            };
        }
        if let Some(report) = &mut self.report {
            return match report.on_key(ev) {
                After::Stay(steps) => steps,
                After::Close => {
                    self.report = None;
                    vec![]
                }
            };
        }
        if let Some(detail) = &mut self.detail {
            return detail.on_key(ev, ctx).unwrap_or_else(|| {
                self.detail = None;
                vec![]
            });
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
        // Home/End: the first and the last row (listed in the help as 第一行/最后一行).
        if ev.kind == KeyEventKind::Press && ev.modifiers.is_empty() {
            match ev.code {
                KeyCode::Home => {
                    self.selected = 0;
                    return vec![];
                }
                KeyCode::End => {
                    self.selected = n.saturating_sub(1);
                    return vec![];
                }
                _ => {}
            }
        }
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
            Some(Cmd::OfficeHazard) => {
                return vec![
                    Step::Open(super::overlays::Overlay::Picker(
                        super::picker::Picker::for_office(),
                    )),
                    Step::Do(Effect::LoadEnterprises),
                    Step::Say("选择登记隐患的企业（企业自查、群众举报、上级交办）".into()),
                ];
            }
            Some(Cmd::Help) => return vec![Step::Help(keymap::LEDGER)],
            Some(Cmd::Back) => {
                return Step::home();
            }
            _ => {}
        }
        vec![]
    }

    /// A hazard's detail read: shown, with the step form a crash interrupted if it was this
    /// hazard's.
    pub fn hazard_loaded(
        &mut self,
        row: Box<LedgerRow>,
        notes: HazardNotes,
        ctx: &Ctx,
    ) -> Vec<Step> {
        // Read again (a step taken, files attached): the cursor stays on its step.
        let selected = self
            .detail
            .as_ref()
            .filter(|d| d.row.0.id() == row.0.id())
            .and_then(|d| d.selected)
            .filter(|&i| i < row.1.len());
        let mut detail = Detail {
            row,
            notes,
            form: None,
            selected,
        };
        let steps = match self.resume.take() {
            Some(draft) => detail.reopen(&draft, ctx),
            None => vec![],
        };
        self.detail = Some(detail);
        steps
    }
}

/// The hazard detail under the attach browser, read again so its counts include the files
/// just attached (`None`: the ledger is not showing a detail).
pub fn reload_detail(screen: &super::Screen) -> Option<Step> {
    match screen {
        super::Screen::Ledger(l) => l
            .detail
            .as_ref()
            .map(|d| Step::Do(Effect::LoadHazard(d.row.0.id()))),
        _ => None,
    }
}
