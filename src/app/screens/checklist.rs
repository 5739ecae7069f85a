//! The checklist: sections with progress on the left, items on the right, the selected item's
//! guidance and basis below. One key per answer; the next unanswered item follows.

use super::overlays::{NoteEditor, Overlay};
use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, InspectionView, Place, PlaceScreen};
use crate::domain::{AnswerResult, InspectionStatus, ItemSnapshot};
use crossterm::event::KeyEvent;

/// What a key that would change a finalized inspection says instead.
const FROZEN: &str = "这次检查已定稿，记录已冻结：只能查看。补充情况按 e 补记，时间记错按 t 更正，\
                      证据记录按 r 查看和更正（都另存为新记录）；执法文书按 w；隐患的办理在台账（首页按 l）";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Sections,
    Items,
}

/// A run of consecutive items under one section title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSpan {
    pub title: String,
    pub start: usize,
    pub end: usize,
}

pub struct Checklist {
    pub view: InspectionView,
    pub sections: Vec<SectionSpan>,
    pub selected: usize,
    pub pane: Pane,
    /// An addendum being written to a finalized inspection (a new record beside it).
    pub addendum: Option<crate::app::form::Form>,
    /// A correction of a finalized inspection's times being typed (a new record beside it).
    pub times: Option<crate::app::form::Form>,
}

impl Checklist {
    pub fn new(view: InspectionView, at_item: Option<&str>) -> Checklist {
        let sections = spans(&view.inspection.data.items);
        let mut c = Checklist {
            view,
            sections,
            selected: 0,
            pane: Pane::Items,
            addendum: None,
            times: None,
        };
        c.selected = at_item
            .and_then(|code| c.items().iter().position(|i| i.code == code))
            .or_else(|| c.find_from(0, |r| r == AnswerResult::Unchecked))
            .unwrap_or(0);
        c
    }

    pub fn items(&self) -> &[ItemSnapshot] {
        &self.view.inspection.data.items
    }

    pub fn current(&self) -> Option<&ItemSnapshot> {
        self.items().get(self.selected)
    }

    pub fn section_of(&self, index: usize) -> usize {
        self.sections
            .iter()
            .position(|s| s.start <= index && index < s.end)
            .unwrap_or(0)
    }

    /// The first item at or after `from` (wrapping) whose answer satisfies `want`.
    fn find_from(&self, from: usize, want: impl Fn(AnswerResult) -> bool) -> Option<usize> {
        let n = self.items().len();
        (0..n)
            .map(|k| (from + k) % n)
            .find(|&i| want(self.view.result(&self.items()[i].code)))
    }

    pub fn place(&self) -> Place {
        Place {
            inspection: self.view.id(),
            screen: PlaceScreen::Checklist,
            item: self.current().map(|i| i.code.clone()),
            form: None,
            note: None,
            exam: None,
        }
    }

    fn answer(&mut self, result: AnswerResult) -> Vec<Step> {
        let Some(item) = self.current() else {
            return vec![];
        };
        let code = item.code.clone();
        let note = self.view.note(&code).to_string();
        let mut steps = vec![Step::Do(Effect::SaveAnswer {
            inspection: self.view.id(),
            code: code.clone(),
            result,
            note,
        })];
        if result != AnswerResult::Unchecked {
            // On to the next unanswered item, counting this one as answered.
            let n = self.items().len();
            let next = (1..n)
                .map(|k| (self.selected + k) % n)
                .find(|&i| self.view.result(&self.items()[i].code) == AnswerResult::Unchecked);
            if let Some(next) = next {
                self.selected = next;
            }
        }
        steps.push(Step::Do(Effect::RememberPlace(self.place())));
        steps
    }

    /// A finalized inspection opened from the home screen's list: shown, never changed.
    pub fn read_only(&self) -> bool {
        self.view.inspection.data.status != InspectionStatus::Draft
    }

    /// The attach browser for the selected item.
    fn attach(&self) -> Vec<Step> {
        match self.current() {
            Some(item) => super::attach::Browser::open(super::attach::AttachTo {
                id: self.view.id(),
                item: Some(item.code.clone()),
                role: None,
                hazard: false,
                label: format!("检查项 {}", item.code),
            }),
            None => vec![Step::Say("没有检查项可附照片".into())],
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        let n = self.items().len();
        let before = self.selected;
        if self.times.is_some() {
            let place = self.place();
            return super::correction::times_key(&mut self.times, &self.view, place, ev, ctx);
        }
        if let Some(form) = &mut self.addendum {
            use crate::app::form::Outcome;
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.addendum = None;
                    vec![]
                }
                Outcome::Submit => vec![Step::Do(Effect::AddAddendum {
                    inspection: self.view.id(),
                    text: form.value("text").trim().to_string(),
                })],
            };
        }
        let cmd = if self.read_only() {
            keymap::lookup(keymap::FINALIZED, ev)
        } else {
            keymap::lookup(keymap::CHECKLIST, ev)
        };
        if self.read_only() {
            match cmd {
                Some(
                    Cmd::Up
                    | Cmd::Down
                    | Cmd::SwitchPane
                    | Cmd::NextUnanswered
                    | Cmd::NextNonCompliant,
                ) => {}
                Some(Cmd::Help) => return vec![Step::Help(keymap::FINALIZED)],
                // Times and evidence are corrected by new records; the signed ones stay.
                Some(Cmd::CorrectTimes) => {
                    self.times = Some(super::correction::times_form(&self.view));
                    return vec![];
                }
                Some(Cmd::Evidence) => return vec![Step::ToEvidence],
                // Photos usually come off the camera after finalization: attached beside the
                // record, never into it.
                Some(Cmd::Attach) => return self.attach(),
                None => {
                    // A key of the checklist proper (an answer, a hazard…): say why not.
                    if keymap::lookup(keymap::CHECKLIST, ev).is_some() {
                        return vec![Step::Say(FROZEN.into())];
                    }
                }
                // Leaving forgets no place: a finalized inspection is never a place to resume.
                Some(Cmd::Back) => return Step::home(),
                // What came to light later is added beside the record, never into it.
                Some(Cmd::EditNote) => {
                    use crate::app::form::{Field, Form};
                    self.addendum =
                        Some(Form::new(
                            "补记（定稿后的补充说明：另存为新记录，原记录不变）",
                            vec![Field::text("text", "补记内容", true).with_help(
                                "如：企业负责人当场拒绝签字，见证人某某；现场照片另行归档",
                            )],
                        ));
                    return vec![];
                }
                Some(Cmd::Documents) => {
                    return vec![Step::Do(Effect::LoadDocuments(
                        super::documents::Subject::Inspection(self.view.id()),
                    ))];
                }
                Some(_) => return vec![Step::Say(FROZEN.into())],
            }
        }
        match cmd {
            Some(Cmd::Compliant) => return self.answer(AnswerResult::Compliant),
            Some(Cmd::NonCompliant) => return self.answer(AnswerResult::NonCompliant),
            Some(Cmd::NotApplicable) => return self.answer(AnswerResult::NotApplicable),
            Some(Cmd::ClearAnswer) => return self.answer(AnswerResult::Unchecked),
            Some(Cmd::Down) if self.pane == Pane::Items => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1))
            }
            Some(Cmd::Up) if self.pane == Pane::Items => {
                self.selected = self.selected.saturating_sub(1)
            }
            Some(Cmd::Down) => {
                let s =
                    (self.section_of(self.selected) + 1).min(self.sections.len().saturating_sub(1));
                self.selected = self.sections.get(s).map_or(0, |s| s.start);
            }
            Some(Cmd::Up) => {
                let s = self.section_of(self.selected).saturating_sub(1);
                self.selected = self.sections.get(s).map_or(0, |s| s.start);
            }
            Some(Cmd::SwitchPane) => {
                self.pane = match self.pane {
                    Pane::Items => Pane::Sections,
                    Pane::Sections => Pane::Items,
                }
            }
            Some(Cmd::NextUnanswered) => {
                match self.find_from(self.selected + 1, |r| r == AnswerResult::Unchecked) {
                    Some(i) => self.selected = i,
                    None => return vec![Step::Say("所有检查项都已作答".to_string())],
                }
            }
            Some(Cmd::NextNonCompliant) => {
                match self.find_from(self.selected + 1, |r| r == AnswerResult::NonCompliant) {
                    Some(i) => self.selected = i,
                    None => return vec![Step::Say("没有“不符合”的检查项".to_string())],
                }
            }
            Some(Cmd::EditNote) => {
                if let Some(item) = self.current() {
                    let code = item.code.clone();
                    let editor = NoteEditor::new(
                        self.view.id(),
                        &code,
                        self.view.result(&code),
                        self.view.note(&code),
                    );
                    return vec![Step::Open(Overlay::Note(Box::new(editor)))];
                }
            }
            Some(Cmd::NewHazard) => {
                return match self.current() {
                    Some(item) if self.view.result(&item.code) == AnswerResult::NonCompliant => {
                        vec![Step::ToHazard]
                    }
                    _ => vec![Step::Say(
                        "先把此项判为“不符合”（按 2），再登记隐患".to_string(),
                    )],
                };
            }
            Some(Cmd::Attach) => return self.attach(),
            Some(Cmd::Review) => return vec![Step::ToReview],
            Some(Cmd::Evidence) => return vec![Step::ToEvidence],
            Some(Cmd::Exam) => return vec![Step::ToExam],
            Some(Cmd::Actions) => return vec![Step::ToActions],
            Some(Cmd::Documents) => {
                return vec![Step::Say(
                    "执法文书从已定稿的检查出具：按 v 复核定稿后即可出具".into(),
                )];
            }
            Some(Cmd::Help) => return vec![Step::Help(keymap::CHECKLIST)],
            Some(Cmd::Back) => {
                let mut steps = Step::home();
                steps.push(Step::Do(Effect::ForgetPlace));
                return steps;
            }
            _ => {}
        }
        if self.selected != before && !self.read_only() {
            vec![Step::Do(Effect::RememberPlace(self.place()))]
        } else {
            vec![]
        }
    }

    /// An answer the store has made durable: now it shows.
    pub fn saved(&mut self, code: String, result: AnswerResult, note: String) {
        self.view.answers.insert(code, (result, note));
    }
}

/// Consecutive items with the same section title.
fn spans(items: &[ItemSnapshot]) -> Vec<SectionSpan> {
    let mut out: Vec<SectionSpan> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.title == item.section => last.end = i + 1,
            _ => out.push(SectionSpan {
                title: item.section.clone(),
                start: i,
                end: i + 1,
            }),
        }
    }
    out
}
