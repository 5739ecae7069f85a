//! A report as text to read and paste: from the ledger, the Thursday feedback, the list of
//! enterprises to visit next, the campaign-rule warnings; from the monthly table, the records
//! behind a row.

use super::Step;
use crate::app::keymap::{self, Binding, Cmd};
use crossterm::event::KeyEvent;
use std::cell::Cell;

const PAGE: usize = 15;

pub struct ReportView {
    pub title: String,
    /// The keys it answers to (their labels say where Esc goes back to).
    pub keys: &'static [Binding],
    pub text: String,
    /// First (wrapped) line shown.
    pub scroll: usize,
    /// How far down the text can scroll at the current width: set by the renderer, which is
    /// the only one that knows how the lines wrap.
    pub max_scroll: Cell<usize>,
}

/// What the ledger should do after a key in the report.
pub enum After {
    Stay(Vec<Step>),
    Close,
}

impl ReportView {
    pub fn new(title: impl Into<String>, keys: &'static [Binding], text: String) -> Self {
        ReportView {
            title: title.into(),
            keys,
            text,
            scroll: 0,
            max_scroll: Cell::new(usize::MAX),
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent) -> After {
        let last = self.max_scroll.get();
        // The terminal may have grown since the last key: never count down from beyond the end.
        self.scroll = self.scroll.min(last);
        match keymap::lookup(self.keys, ev) {
            Some(Cmd::Down) => self.scroll = (self.scroll + 1).min(last),
            Some(Cmd::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Cmd::PageDown) => self.scroll = (self.scroll + PAGE).min(last),
            Some(Cmd::PageUp) => self.scroll = self.scroll.saturating_sub(PAGE),
            Some(Cmd::Help) => return After::Stay(vec![Step::Help(self.keys)]),
            Some(Cmd::Back) => return After::Close,
            _ => {}
        }
        After::Stay(vec![])
    }
}
