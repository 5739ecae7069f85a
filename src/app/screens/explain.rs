//! The records behind a row of the monthly table, one of them selected: ↑/↓ move between the
//! records, `c` corrects the selected one (an activity or an enforcement action, by a new record
//! naming it). The text is the CLI's `report explain`.

use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::report::monthly::{Row, Table, render};
use crossterm::event::KeyEvent;
use uuid::Uuid;

const PAGE: usize = 10;

pub struct Explain {
    pub title: String,
    /// The text's lines, each with the record it names, if any.
    pub lines: Vec<(String, Option<Uuid>)>,
    /// Which record line is selected (an index into `lines`), when there are records.
    pub selected: Option<usize>,
}

/// What the monthly table should do after a key.
pub enum After {
    Stay(Vec<Step>),
    Close,
}

impl Explain {
    pub fn new(table: &Table, row: &Row) -> Explain {
        let lines: Vec<(String, Option<Uuid>)> = render::explain(table, row)
            .lines()
            .map(|line| {
                // A record's line ends with its id.
                let id = line
                    .rsplit(' ')
                    .next()
                    .and_then(|last| Uuid::parse_str(last).ok());
                (line.to_string(), id)
            })
            .collect();
        let selected = lines.iter().position(|(_, id)| id.is_some());
        Explain {
            title: format!("{} 计入的记录", row.code),
            lines,
            selected,
        }
    }

    /// The whole text, as `report explain` prints it.
    pub fn text(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|(l, _)| l.as_str()).collect();
        lines.join("\n")
    }

    /// The record selected.
    pub fn record(&self) -> Option<Uuid> {
        self.lines.get(self.selected?)?.1
    }

    /// Moves the selection `by` records (negative: up), stopping at the ends.
    fn step(&mut self, by: isize) {
        let records: Vec<usize> = (0..self.lines.len())
            .filter(|&i| self.lines[i].1.is_some())
            .collect();
        let Some(at) = self
            .selected
            .and_then(|s| records.iter().position(|&i| i == s))
        else {
            return;
        };
        let to = (at as isize + by).clamp(0, records.len() as isize - 1) as usize;
        self.selected = Some(records[to]);
    }

    pub fn on_key(&mut self, ev: &KeyEvent, _ctx: &Ctx) -> After {
        match keymap::lookup(keymap::EXPLAIN, ev) {
            Some(Cmd::Down) => self.step(1),
            Some(Cmd::Up) => self.step(-1),
            Some(Cmd::PageDown) => self.step(PAGE as isize),
            Some(Cmd::PageUp) => self.step(-(PAGE as isize)),
            Some(Cmd::StepCorrect) => {
                return After::Stay(match self.record() {
                    Some(record) => vec![Step::Do(Effect::OpenCorrection {
                        record,
                        draft: None,
                    })],
                    None => vec![Step::Say("这一行没有计入记录，没有可更正的".into())],
                });
            }
            Some(Cmd::Help) => return After::Stay(vec![Step::Help(keymap::EXPLAIN)]),
            Some(Cmd::Back) => return After::Close,
            _ => {}
        }
        After::Stay(vec![])
    }
}
