//! Review and finalize: everything recorded in one summary; finalizing asks every listed
//! inspector to confirm by typing their name, then the inspection is read-only.

use super::checklist::Checklist;
use super::overlays::{Overlay, Sign};
use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Place, PlaceScreen};
use crate::domain::AnswerResult;
use crossterm::event::KeyEvent;
use std::cell::Cell;

pub struct Review {
    pub back: Checklist,
    /// First (wrapped) row shown.
    pub scroll: usize,
    /// How far the summary can scroll at the current size: set by the renderer, which is the
    /// only one that knows how its lines wrap.
    pub max_scroll: Cell<usize>,
    /// Rows a page holds (also set by the renderer).
    pub page: Cell<usize>,
}

/// The figures the review shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    pub unanswered: Vec<String>,
    pub non_compliant: Vec<String>,
    pub not_applicable: usize,
    pub hazards: usize,
    pub major_hazards: usize,
    pub evidence: usize,
    /// (examinee, score %) of each spot exam.
    pub exams: Vec<(String, u32)>,
    pub actions: Vec<String>,
    /// Failed items whose failure is a major hazard by definition, with no hazard recorded.
    pub major_without_hazard: Vec<String>,
}

impl Review {
    pub fn new(back: Checklist) -> Review {
        Review {
            back,
            scroll: 0,
            max_scroll: Cell::new(usize::MAX),
            page: Cell::new(10),
        }
    }

    pub fn summary_with(&self, ctx: &Ctx) -> Summary {
        let mut s = self.summary();
        let view = &self.back.view;
        s.major_without_hazard = view
            .inspection
            .data
            .items
            .iter()
            .filter(|i| view.result(&i.code) == AnswerResult::NonCompliant)
            .filter(|i| {
                !view
                    .hazards
                    .iter()
                    .any(|h| h.data.item_code.as_deref() == Some(i.code.as_str()))
            })
            .filter(|i| {
                let day = crate::domain::time::local(view.inspection.data.arrival_at).date();
                ctx.catalog
                    .item(&i.template_id, &i.code, Some(day))
                    .is_some_and(|it| it.major_hazard)
            })
            .map(|i| i.code.clone())
            .collect();
        s
    }

    pub fn summary(&self) -> Summary {
        let view = &self.back.view;
        let items = &view.inspection.data.items;
        let with = |r: AnswerResult| -> Vec<String> {
            items
                .iter()
                .filter(|i| view.result(&i.code) == r)
                .map(|i| format!("{} {}", i.code, i.question))
                .collect()
        };
        Summary {
            total: items.len(),
            unanswered: with(AnswerResult::Unchecked),
            non_compliant: with(AnswerResult::NonCompliant),
            not_applicable: with(AnswerResult::NotApplicable).len(),
            hazards: view.hazards.len(),
            major_hazards: view
                .hazards
                .iter()
                .filter(|h| h.data.grade == crate::domain::HazardGrade::Major)
                .count(),
            evidence: view.evidence.len(),
            exams: view
                .exams
                .iter()
                .map(|e| (e.data.examinee_name.clone(), e.data.score_percent()))
                .collect(),
            actions: view
                .actions
                .iter()
                .map(|a| format!("{} {}", a.data.decided_on, a.data.kind.label()))
                .collect(),
            major_without_hazard: Vec::new(),
        }
    }

    pub fn place(&self) -> Place {
        Place {
            screen: PlaceScreen::Review,
            ..self.back.place()
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        match keymap::lookup(keymap::REVIEW, ev) {
            Some(Cmd::Back) => vec![Step::BackToChecklist],
            Some(Cmd::Down) => {
                // As far as the summary's rows go (the unanswered, failed and hazard lists).
                self.scroll = (self.scroll + 1).min(self.max_scroll.get());
                vec![]
            }
            Some(Cmd::Up) => {
                self.scroll = self.scroll.min(self.max_scroll.get()).saturating_sub(1);
                vec![]
            }
            Some(Cmd::PageDown) => {
                self.scroll = (self.scroll + self.page.get().max(1)).min(self.max_scroll.get());
                vec![]
            }
            Some(Cmd::PageUp) => {
                let top = self.scroll.min(self.max_scroll.get());
                self.scroll = top.saturating_sub(self.page.get().max(1));
                vec![]
            }
            Some(Cmd::Help) => vec![Step::Help(keymap::REVIEW)],
            Some(Cmd::Finalize) => {
                let s = self.summary();
                if !s.unanswered.is_empty() {
                    return vec![Step::Say(format!(
                        "还有 {} 项未作答：逐项作答（不检查的判“不适用”）后才能定稿",
                        s.unanswered.len()
                    ))];
                }
                let view = &self.back.view;
                vec![Step::Open(Overlay::Sign(Sign::new(
                    view.id(),
                    view.inspector_names.clone(),
                    view.inspection.data.arrival_at,
                    ctx.now,
                )))]
            }
            _ => vec![],
        }
    }
}
