//! Inspection setup: mode (四不两直 by default), inspectors, the real arrival time, and the
//! templates proposed from the enterprise's sector. Open hazards of the enterprise are listed
//! so a follow-up check happens in the same visit.

use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, SetupData};
use crate::domain::{Inspection, InspectionMode};
use crate::domain::{follow_up, time};
use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The focusable rows: mode, arrival time, colleagues, then one per template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Mode,
    Arrival,
    Colleagues,
    Template(usize),
}

pub struct Setup {
    pub data: SetupData,
    pub mode: InspectionMode,
    pub arrival: String,
    pub arrival_error: Option<String>,
    /// Other inspectors on this visit, by name, separated by 、 or commas.
    pub colleagues: String,
    /// (template id, title, item count, chosen)
    pub templates: Vec<(String, String, usize, bool)>,
    pub focus: Focus,
}

pub const ARRIVAL_FORMAT: &str = "%Y-%m-%d %H:%M";

impl Setup {
    pub fn new(data: SetupData, ctx: &Ctx) -> Setup {
        let sector = data.enterprise.data.sector_code.clone();
        let templates = ctx
            .catalog
            .proposed_for(sector.as_deref(), time::local(ctx.now).date())
            .into_iter()
            .map(|c| (c.id.clone(), c.title.clone(), c.item_count(), true));
        // The enterprise's open hazards as one more list to tick: checked by default, so the
        // 复查 happens in the same visit; a 复查 started from the ledger offers only them.
        let follow_ups = (!data.awaiting_verification.is_empty()).then(|| {
            (
                follow_up::TEMPLATE_ID.to_string(),
                follow_up::SECTION.to_string(),
                data.awaiting_verification.len(),
                true,
            )
        });
        let from_ledger = data.follow_up_of.is_some();
        let templates = templates
            .map(|mut t| {
                t.3 = !from_ledger;
                t
            })
            .chain(follow_ups)
            .collect();
        let mode = if from_ledger {
            InspectionMode::FollowUp
        } else {
            InspectionMode::Unannounced
        };
        Setup {
            data,
            mode,
            arrival: time::local(ctx.now).format(ARRIVAL_FORMAT).to_string(),
            arrival_error: None,
            colleagues: String::new(),
            templates,
            focus: Focus::Mode,
        }
    }

    fn rows(&self) -> Vec<Focus> {
        let mut rows = vec![Focus::Mode, Focus::Arrival, Focus::Colleagues];
        rows.extend((0..self.templates.len()).map(Focus::Template));
        rows
    }

    fn move_focus(&mut self, forward: bool, now: chrono::DateTime<Utc>) {
        if self.focus == Focus::Arrival {
            self.arrival_error = checked_arrival(&self.arrival, now).err();
        }
        let rows = self.rows();
        let at = rows.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = rows.len();
        self.focus = rows[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
    }

    pub fn colleague_names(&self) -> Vec<String> {
        self.colleagues
            .split(['、', ',', '，', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        match keymap::lookup(keymap::SETUP, ev) {
            Some(Cmd::Back) => {
                return Step::home();
            }
            Some(Cmd::NextField) => self.move_focus(true, ctx.now),
            Some(Cmd::PrevField) => self.move_focus(false, ctx.now),
            Some(Cmd::Left | Cmd::Right) if self.focus == Focus::Mode => {
                let modes = InspectionMode::ALL;
                let at = modes.iter().position(|m| *m == self.mode).unwrap_or(0);
                let n = modes.len();
                let forward = keymap::lookup(keymap::SETUP, ev) == Some(Cmd::Right);
                self.mode = modes[if forward {
                    (at + 1) % n
                } else {
                    (at + n - 1) % n
                }];
            }
            Some(Cmd::Toggle) if matches!(self.focus, Focus::Template(_)) => {
                if let Focus::Template(i) = self.focus
                    && let Some(t) = self.templates.get_mut(i)
                {
                    t.3 = !t.3;
                }
            }
            Some(Cmd::Save) => return self.start(ctx),
            Some(Cmd::Help) => return vec![Step::Help(keymap::SETUP)],
            _ => self.type_into(ev),
        }
        vec![]
    }

    fn type_into(&mut self, ev: &KeyEvent) {
        let target = match self.focus {
            Focus::Arrival => &mut self.arrival,
            Focus::Colleagues => &mut self.colleagues,
            _ => return,
        };
        match ev.code {
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => target.push(c),
            KeyCode::Backspace => {
                target.pop();
            }
            _ => return,
        }
        self.arrival_error = None;
    }

    fn start(&mut self, ctx: &Ctx) -> Vec<Step> {
        let arrival = match checked_arrival(&self.arrival, ctx.now) {
            Ok(t) => t,
            Err(e) => {
                self.arrival_error = Some(e.clone());
                self.focus = Focus::Arrival;
                return vec![Step::Say(e)];
            }
        };
        let chosen: Vec<&str> = self
            .templates
            .iter()
            .filter(|t| t.3)
            .map(|t| t.0.as_str())
            .collect();
        if chosen.is_empty() {
            return vec![Step::Say("请至少选择一个检查表（空格勾选）".to_string())];
        }
        let mut items = Vec::new();
        let mut refs = Vec::new();
        for id in chosen {
            if id == follow_up::TEMPLATE_ID {
                let awaiting: Vec<_> = self
                    .data
                    .open_hazards
                    .iter()
                    .filter(|h| self.data.awaiting_verification.contains(&h.id()))
                    .cloned()
                    .collect();
                items.extend(follow_up::items(&awaiting));
                continue;
            }
            let Some(c) = ctx.catalog.checklist(id) else {
                continue;
            };
            // The items in force on the arrival day: a visit typed in later keeps the edition
            // of its own day.
            let day = time::local(arrival).date();
            if !c.effective.covers(day) {
                continue;
            }
            let (reference, snapshot) = c.snapshot_on(day);
            refs.push(reference);
            items.extend(snapshot);
        }
        let mut inspection = Inspection::draft(
            self.data.enterprise.id(),
            self.mode,
            Vec::new(), // the runner puts this device's inspector first
            arrival,
            refs,
            items,
        );
        inspection.follow_up_of = self.data.follow_up_of;
        vec![Step::Do(Effect::StartInspection {
            inspection,
            colleagues: self.colleague_names(),
        })]
    }
}

/// The arrival time as typed, checked when the field is left and again at the start: a real
/// arrival, so not in the future (a few minutes' clock difference between devices tolerated).
fn checked_arrival(
    text: &str,
    now: chrono::DateTime<Utc>,
) -> Result<chrono::DateTime<Utc>, String> {
    let t = parse_arrival(text)?;
    if t > now + chrono::TimeDelta::minutes(10) {
        return Err(format!(
            "到达时间 {} 晚于现在：请填写实际到达现场的时间",
            time::record_minute(t)
        ));
    }
    Ok(t)
}

/// The arrival time as typed (Beijing time) in UTC.
pub fn parse_arrival(text: &str) -> Result<chrono::DateTime<Utc>, String> {
    // Typed whole: a deleted digit (09:3) is caught here, never read as another minute.
    time::parse_minute(text)
        .ok_or_else(|| "到达时间应为日期和时间，格式如 2023-08-15 09:30".to_string())
}
