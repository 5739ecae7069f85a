//! The 办理记录 of a hazard's detail as rows: what each step says, how many files each has,
//! and which one the cursor is on (none: the hazard itself, which is where `i` attaches then).

use super::Detail;
use crate::app::keymap::Cmd;
use crate::app::screens::attach::AttachTo;
use crate::domain::attachment::PhotoRole;
use crate::domain::lifecycle::Step;
use crate::domain::{HazardEvent, time};
use uuid::Uuid;

/// What a step did, in words ("移交县应急管理局", "更正部位为“3号储罐区”").
pub fn event_text(e: &HazardEvent) -> String {
    match Step::of(e) {
        Some(Step::Transfer { to_unit }) => format!("移交{to_unit}"),
        Some(step @ Step::Verify { .. }) => step.verification_text().unwrap_or_default(),
        Some(Step::CloseOut { signer, .. }) => format!("销号（{signer} 签字）"),
        Some(Step::ListForSupervision { tracking_person }) => {
            format!("挂牌督办（{tracking_person}）")
        }
        Some(Step::Number { number }) => format!("编号 {number}"),
        Some(Step::Correct { field, value }) => {
            format!("更正{}为“{value}”", super::correct_label(&field))
        }
        _ => e.kind.label().to_string(),
    }
}

/// Beside the 办理记录 heading, so the cursor is found without the help (keys from the
/// keymap): "↑↓ 选择，按 i 给所选记录添加附件".
pub fn steps_hint() -> String {
    format!(
        "{}{} 选择，按 {} 给所选记录添加附件",
        super::key(Cmd::Up),
        super::key(Cmd::Down),
        super::key(Cmd::Attach)
    )
}

impl Detail {
    /// How many files are attached to the record `id` (the hazard or one of its steps).
    pub fn attachment_count(&self, id: Uuid) -> usize {
        self.notes
            .attachments
            .iter()
            .filter(|a| a.data.target_id == id)
            .count()
    }

    /// "附件：5 个（整改前 2 · 整改后 3）" for the hazard and its steps together, the zero
    /// parts left out; `None` when nothing is attached.
    pub fn attachment_summary(&self) -> Option<String> {
        let all = &self.notes.attachments;
        if all.is_empty() {
            return None;
        }
        let roles: Vec<String> = [PhotoRole::Before, PhotoRole::After]
            .into_iter()
            .filter_map(|role| {
                let n = all.iter().filter(|a| a.data.role == Some(role)).count();
                (n > 0).then(|| format!("{} {n}", role.label()))
            })
            .collect();
        let parts = if roles.is_empty() {
            String::new()
        } else {
            format!("（{}）", roles.join(" · "))
        };
        Some(format!("附件：{} 个{parts}", all.len()))
    }

    /// Moves the cursor over the steps: down from none to the first, ↑ from the first back
    /// to none (the hazard itself); it stops at the last.
    pub(super) fn move_cursor(&mut self, down: bool) {
        let steps = self.row.1.len();
        self.selected = match (self.selected, down) {
            (_, true) if steps == 0 => None,
            (None, true) => Some(0),
            (Some(i), true) => Some((i + 1).min(steps - 1)),
            (None, false) | (Some(0), false) => None,
            (Some(i), false) => Some(i - 1),
        };
    }

    /// What `i` attaches to: the step under the cursor, or the hazard when none is.
    pub(super) fn attach_target(&self) -> AttachTo {
        match self.selected.and_then(|i| self.row.1.get(i)) {
            Some(event) => AttachTo {
                id: event.id(),
                item: None,
                role: None,
                hazard: true,
                label: format!(
                    "办理记录 {} {}",
                    time::local(event.data.occurred_at).format("%Y-%m-%d"),
                    event_text(&event.data)
                ),
            },
            None => AttachTo {
                id: self.row.0.id(),
                item: None,
                role: None,
                hazard: true,
                label: "隐患".into(),
            },
        }
    }
}

#[cfg(test)]
#[path = "hazard_detail_steps_tests.rs"]
mod tests;
