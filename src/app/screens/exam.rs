//! 逢查必考: questions drawn at random from the sector's bank; the reference answer is shown
//! to the inspector only; each answer marked right, partly right or wrong; who was examined and
//! the score recorded.

use super::checklist::Checklist;
use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, ExamDraft, Place};
use crate::domain::{ExamOutcome, ExamQuestion, ExamRecord};
use crate::templates::exam_bank::Question;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How many questions are drawn for one exam.
pub const DRAWN: usize = 5;

pub struct ExamScreen {
    pub back: Checklist,
    pub questions: Vec<Question>,
    pub outcomes: Vec<Option<ExamOutcome>>,
    pub name: String,
    pub role: String,
    /// 0: name, 1: role, 2…: questions.
    pub focus: usize,
    /// Typing into 被考人员/职务 (entered with `e`): keys are text there, never grades. Out of
    /// it the focus stays on the questions, so `y/p/n` never land in a name.
    pub editing: bool,
    /// Esc was pressed once with grades given (the second one leaves without saving).
    pub warned: bool,
}

impl ExamScreen {
    /// The checklist back when the enterprise's sector has no question bank.
    pub fn new(back: Checklist, ctx: &Ctx) -> Result<ExamScreen, Box<Checklist>> {
        let bank = back
            .view
            .enterprise
            .data
            .sector_code
            .as_deref()
            .and_then(|sector| ctx.catalog.exam_bank(sector));
        let Some(bank) = bank else {
            return Err(Box::new(back));
        };
        let seed = ctx.now.timestamp_nanos_opt().unwrap_or(1) as u64;
        let questions = draw(&bank.questions, DRAWN, seed);
        let empty = questions.is_empty();
        Ok(ExamScreen {
            outcomes: vec![None; questions.len()],
            questions,
            name: back.view.enterprise.data.principal.clone(),
            role: "主要负责人".to_string(),
            back,
            focus: if empty { 0 } else { 2 },
            editing: empty,
            warned: false,
        })
    }

    /// The exam a crash interrupted: the same questions, the grades already given.
    pub fn reopen(back: Checklist, draft: ExamDraft) -> ExamScreen {
        let mut outcomes = draft.outcomes;
        outcomes.resize(draft.questions.len(), None);
        let rows = 2 + draft.questions.len();
        let focus = draft.focus.clamp(2.min(rows - 1), rows - 1);
        ExamScreen {
            back,
            editing: focus < 2,
            questions: draft.questions,
            outcomes,
            name: draft.name,
            role: draft.role,
            focus,
            warned: false,
        }
    }

    /// Where the app is, with the exam as it stands: remembered on every grade and name
    /// change, so a kill loses nothing given.
    pub fn place(&self) -> Place {
        Place {
            exam: Some(ExamDraft {
                questions: self.questions.clone(),
                outcomes: self.outcomes.clone(),
                name: self.name.clone(),
                role: self.role.clone(),
                focus: self.focus,
            }),
            ..self.back.place()
        }
    }

    fn remember(&self) -> Step {
        Step::Do(Effect::RememberPlace(self.place()))
    }

    /// The first question not graded yet (else the last one), as a focus row.
    fn first_open(&self) -> usize {
        let i = self
            .outcomes
            .iter()
            .position(Option::is_none)
            .unwrap_or(self.questions.len().saturating_sub(1));
        2 + i
    }

    pub fn on_key(&mut self, ev: &KeyEvent, _ctx: &Ctx) -> Vec<Step> {
        if self.editing {
            return self.edit_key(ev);
        }
        let rows = 2 + self.questions.len();
        let cmd = keymap::lookup(keymap::EXAM, ev);
        if cmd != Some(Cmd::Back) {
            self.warned = false;
        }
        match cmd {
            // Between the questions only: the name and role are behind `e`.
            Some(Cmd::NextField) if rows > 2 => {
                self.focus = if self.focus + 1 >= rows {
                    2
                } else {
                    self.focus + 1
                }
            }
            Some(Cmd::PrevField) if rows > 2 => {
                self.focus = if self.focus <= 2 {
                    rows - 1
                } else {
                    self.focus - 1
                }
            }
            Some(Cmd::EditNote) => {
                self.editing = true;
                self.focus = 0;
            }
            Some(Cmd::Back) if self.outcomes.iter().any(Option::is_some) && !self.warned => {
                self.warned = true;
                return vec![Step::Say(
                    "考试还没有保存：再按 Esc 放弃本次考试，按 Ctrl-S 保存".to_string(),
                )];
            }
            Some(Cmd::Back) => return vec![Step::BackToChecklist],
            Some(Cmd::Save) => return self.save(),
            Some(Cmd::Help) => return vec![Step::Help(keymap::EXAM)],
            Some(Cmd::Correct | Cmd::Partial | Cmd::Wrong) if self.focus >= 2 => {
                let outcome = match cmd {
                    Some(Cmd::Correct) => ExamOutcome::Correct,
                    Some(Cmd::Partial) => ExamOutcome::Partial,
                    _ => ExamOutcome::Wrong,
                };
                if let Some(slot) = self.outcomes.get_mut(self.focus - 2) {
                    *slot = Some(outcome);
                }
                self.focus = (self.focus + 1).min(rows - 1);
                return vec![self.remember()];
            }
            _ => {}
        }
        vec![]
    }

    /// Keys while typing the examinee's name or role: text, except the keys that leave.
    fn edit_key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match keymap::lookup(keymap::EXAM_EDIT, ev) {
            Some(Cmd::NextField) => {
                self.focus = 1 - self.focus.min(1);
                return vec![self.remember()];
            }
            // With no questions drawn there is nothing to grade: stay in the fields.
            Some(Cmd::Back) if !self.questions.is_empty() => {
                self.editing = false;
                self.focus = self.first_open();
                return vec![self.remember()];
            }
            Some(Cmd::Save) => return self.save(),
            Some(Cmd::Help) => return vec![Step::Help(keymap::EXAM_EDIT)],
            _ => {}
        }
        let field = if self.focus == 0 {
            &mut self.name
        } else {
            &mut self.role
        };
        match ev.code {
            KeyCode::Char(c) if !ctrl => field.push(c),
            KeyCode::Backspace => {
                field.pop();
            }
            _ => return vec![],
        }
        vec![self.remember()]
    }

    fn save(&mut self) -> Vec<Step> {
        if self.name.trim().is_empty() {
            self.focus = 0;
            self.editing = true;
            return vec![Step::Say("请填写被考人员姓名".to_string())];
        }
        if let Some(open) = self.outcomes.iter().position(Option::is_none) {
            self.focus = open + 2;
            self.editing = false;
            return vec![Step::Say(
                "还有题目没有评判（y 答对 / p 部分答对 / n 答错）".to_string(),
            )];
        }
        let questions = self
            .questions
            .iter()
            .zip(&self.outcomes)
            .filter_map(|(q, o)| {
                o.map(|outcome| ExamQuestion {
                    question_id: q.id.clone(),
                    question: q.question.clone(),
                    outcome,
                    note: String::new(),
                })
            })
            .collect();
        vec![Step::Do(Effect::RecordExam(ExamRecord {
            inspection_id: self.back.view.id(),
            examinee_name: self.name.trim().to_string(),
            examinee_role: self.role.trim().to_string(),
            questions,
        }))]
    }
}

/// `n` questions drawn without repeats, in an order fixed by `seed` (xorshift shuffle). Only
/// drawable questions are candidates: one flagged unverified (【待核实】) is never drawn.
pub fn draw(bank: &[Question], n: usize, seed: u64) -> Vec<Question> {
    let bank: Vec<&Question> = bank.iter().filter(|q| q.drawable()).collect();
    let mut state = seed | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut order: Vec<usize> = (0..bank.len()).collect();
    for i in (1..order.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order.into_iter().take(n).map(|i| bank[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Catalog;
    use std::collections::HashSet;

    fn question(id: &str, unverified: bool) -> Question {
        Question {
            id: id.to_string(),
            question: format!("{id}？"),
            answer: String::new(),
            basis: String::new(),
            unverified,
        }
    }

    #[test]
    fn drawing_never_yields_an_unverified_question_whatever_the_seed() {
        let catalog = Catalog::builtin().expect("builtin");
        assert!(!catalog.exams.is_empty());
        for (bank, _) in &catalog.exams {
            assert!(
                bank.questions.iter().any(|q| q.unverified) || bank.sector == "grain",
                "{}: expected flagged questions to exercise the filter",
                bank.sector
            );
            let mut seen = HashSet::new();
            for i in 0..2_000u64 {
                // Spread seeds like clock readings: small, large and adjacent values.
                let seed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i;
                let drawn = draw(&bank.questions, DRAWN, seed);
                assert_eq!(drawn.len(), DRAWN, "{} seed {seed}", bank.sector);
                let ids: HashSet<&str> = drawn.iter().map(|q| q.id.as_str()).collect();
                assert_eq!(ids.len(), DRAWN, "no repeats: {} seed {seed}", bank.sector);
                for q in &drawn {
                    assert!(!q.unverified, "{} drawn with seed {seed}", q.id);
                    assert!(bank.questions.contains(q));
                    seen.insert(q.id.clone());
                }
            }
            // Over many seeds every drawable question comes up, so none is silently lost.
            assert_eq!(seen.len(), bank.drawable().count(), "{}", bank.sector);
        }
    }

    #[test]
    fn a_bank_short_of_verified_questions_yields_fewer_rather_than_unverified_ones() {
        let bank = vec![
            question("A", true),
            question("B", false),
            question("C", true),
            question("D", false),
            question("E", true),
            question("F", true),
        ];
        for seed in 0..500 {
            let drawn = draw(&bank, DRAWN, seed);
            let mut ids: Vec<&str> = drawn.iter().map(|q| q.id.as_str()).collect();
            ids.sort_unstable();
            assert_eq!(ids, ["B", "D"], "seed {seed}");
        }
        assert!(draw(&[question("X", true)], DRAWN, 7).is_empty());
    }
}
