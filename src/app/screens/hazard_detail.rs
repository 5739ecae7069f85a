//! One hazard of the ledger: its history, and the steps of its closed loop as keyed forms
//! that go through the store's guards (the same as the CLI's). From here a 复查 starts.

use super::{Ctx, Step};
use crate::app::form::{Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{DraftForm, Effect, FormDraft, HazardNotes};
use crate::domain::lifecycle::{self, Stage, Status};
use crate::domain::{FiveFixes, HazardEventKind, HazardGrade};
use crate::storage::LedgerRow;
use crossterm::event::KeyEvent;

/// Which step a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Campaign rules that apply (不予处罚, 一案双罚, 关闭) and the steps not permitted here.
    pub notes: HazardNotes,
    pub form: Option<(StepForm, Form)>,
    /// The step (办理记录 row) under the cursor; `None`: the hazard itself.
    pub selected: Option<usize>,
}

impl StepForm {
    /// The kind of event the step records.
    fn kind(self) -> HazardEventKind {
        match self {
            StepForm::Transfer => HazardEventKind::Transferred,
            StepForm::Rectify => HazardEventKind::Rectifying,
            StepForm::Report => HazardEventKind::RectificationReported,
            StepForm::Verify => HazardEventKind::Verified,
            StepForm::Close => HazardEventKind::ClosedOut,
            StepForm::List => HazardEventKind::ListedForSupervision,
            StepForm::Correct => HazardEventKind::Corrected,
        }
    }

    /// What the step is called in a sentence ("然后才能销号").
    fn what(self) -> &'static str {
        match self {
            StepForm::Transfer => "移交",
            StepForm::Rectify => "进入整改中",
            StepForm::Report => "报告整改完成",
            StepForm::Verify => "复查验收",
            StepForm::Close => "销号",
            StepForm::List => "挂牌督办",
            StepForm::Correct => "更正",
        }
    }

    /// The step as it would be taken, with every typed value filled in: what the lifecycle's
    /// guard says of it depends only on where the hazard stands (`None`: a correction, which
    /// the lifecycle allows at any stage).
    fn probe(self) -> Option<lifecycle::Step> {
        use lifecycle::Step as S;
        let typed = "-".to_string();
        Some(match self {
            StepForm::Transfer => S::Transfer { to_unit: typed },
            StepForm::Rectify => S::Rectify {
                fixes: Some(FiveFixes {
                    deadline: chrono::NaiveDate::MAX,
                    responsible_person: typed.clone(),
                    measures: typed.clone(),
                    funds: typed.clone(),
                    emergency_plan: typed,
                }),
            },
            StepForm::Report => S::ReportRectified,
            StepForm::Verify => S::Verify {
                passed: true,
                by: typed,
                new_deadline: None,
                case_opened: false,
            },
            StepForm::Close => S::CloseOut {
                signer: typed,
                signed_at: chrono::DateTime::UNIX_EPOCH,
                signer_id: None,
            },
            StepForm::List => S::ListForSupervision {
                tracking_person: typed,
            },
            StepForm::Correct => return None,
        })
    }
}

/// The steps whose permission is known before their form is filled, as probes for
/// `trust::authorize`: who may take them does not depend on what the form will say. (A major
/// hazard's 销号 depends on the leader named, so it is asked only when there is no roster,
/// which refuses it whoever is named; a 更正 of anything but the grade is the one asked: who
/// may not make that may make none.)
pub fn permission_probes(grade: HazardGrade, has_roster: bool) -> Vec<lifecycle::Step> {
    let mut forms = vec![
        StepForm::Transfer,
        StepForm::Rectify,
        StepForm::Report,
        StepForm::Verify,
        StepForm::List,
    ];
    if grade == HazardGrade::General || !has_roster {
        forms.push(StepForm::Close);
    }
    let mut probes: Vec<lifecycle::Step> = forms.into_iter().filter_map(StepForm::probe).collect();
    probes.push(lifecycle::Step::Correct {
        field: "description".into(),
        value: "-".into(),
    });
    probes
}

/// The key of a command on the hazard detail, as the footer shows it.
fn key(cmd: Cmd) -> String {
    keymap::HAZARD_DETAIL
        .iter()
        .find(|b| b.cmd == cmd)
        .and_then(|b| b.keys.first())
        .map(|k| k.label())
        .unwrap_or_default()
}

/// How far along the closed loop a stage is (移交 is beside 登记, not after it).
fn rank(stage: Stage) -> u8 {
    match stage {
        Stage::Registered | Stage::Transferred => 0,
        Stage::Rectifying => 1,
        Stage::RectificationReported => 2,
        Stage::Verified => 3,
        Stage::ClosedOut => 4,
    }
}

/// The next step of the loop from where the hazard stands: its key, its name, and the rank it
/// leads to.
fn next_step(status: &Status, at: u8) -> Option<(String, &'static str, u8)> {
    Some(match at {
        0 if status.rectify_immediately => (key(Cmd::StepReport), "报告整改完成", 2),
        0 => (key(Cmd::StepRectify), "进入整改中", 1),
        1 => (key(Cmd::StepReport), "报告整改完成", 2),
        2 => (key(Cmd::StepVerify), "复查验收", 3),
        3 => (key(Cmd::StepClose), "销号", 4),
        _ => return None,
    })
}

/// The steps to take, in order, before a step that needs the hazard at rank `need`:
/// "先按 b 报告整改完成，再按 y 复查验收" (empty when it is there or past it).
fn steps_first(status: &Status, need: u8) -> Vec<String> {
    let mut at = rank(status.stage);
    let mut path = Vec::new();
    while at < need {
        let Some((key, what, next)) = next_step(status, at) else {
            break;
        };
        path.push(format!("按 {key} {what}"));
        at = next;
    }
    path
}

/// A refusal that says where the hazard stands and which key comes first.
fn first_then(status: &Status, path: &[String], what: &str) -> String {
    format!(
        "隐患在“{}”：先{}，然后才能{what}",
        status.stage.label(),
        path.join("，再")
    )
}

/// Why `which` cannot be taken now, known before its form is opened: the lifecycle's guard
/// where the hazard stands, then who may take it. The refusal names the key to press.
pub fn refusal(which: StepForm, status: &Status, notes: &HazardNotes) -> Option<String> {
    if let Some(step) = which.probe()
        && let Err(reason) = lifecycle::check(status, &step)
    {
        let correct = key(Cmd::StepCorrect);
        if status.stage == Stage::ClosedOut {
            return Some(format!(
                "隐患已销号，不能再{}；如有记错，按 {correct} 更正",
                which.what()
            ));
        }
        if which == StepForm::List {
            return Some(match &status.tracking_person {
                Some(person) => format!("隐患已经挂牌督办（跟踪督办责任人：{person}）"),
                None => format!("{reason}；如等级记错，按 {correct} 更正等级"),
            });
        }
        let need = match which {
            StepForm::Report => 1,
            StepForm::Verify => 2,
            StepForm::Close => 3,
            _ => 0,
        };
        let path = steps_first(status, need);
        if !path.is_empty() {
            return Some(first_then(status, &path, which.what()));
        }
        // Done already, or past it: what comes next instead.
        return Some(match next_step(status, rank(status.stage)) {
            Some((key, what, _)) => format!("{reason}；下一步：按 {key} {what}"),
            None => reason,
        });
    }
    notes
        .not_permitted
        .iter()
        .find(|(kind, _)| *kind == which.kind())
        .map(|(_, reason)| reason.clone())
}

impl Detail {
    /// Handles a key; `None` when the detail is closed (back to the table).
    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Option<Vec<Step>> {
        let detail = self;
        let hazard_id = detail.row.0.id();
        if let Some((which, form)) = &mut detail.form {
            // Remembered as the focus leaves a field, and as it is sent (kept if the store
            // refuses it; forgotten once the step is recorded or the form given up).
            let draft = DraftForm::HazardStep {
                hazard: hazard_id,
                step: *which,
            };
            let before = form.focus;
            return Some(match form.handle(ev) {
                Outcome::Editing => super::remember_loose_form(form, draft, before),
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    detail.form = None;
                    vec![super::forget_loose_form()]
                }
                Outcome::Submit => match step_from(*which, form, ctx) {
                    Ok(step) => {
                        let mut steps = super::remember_loose_form(form, draft, usize::MAX);
                        steps.push(Step::Do(Effect::ApplyStep {
                            hazard: hazard_id,
                            step,
                            note: form.value("note").to_string(),
                        }));
                        steps
                    }
                    Err(reason) => vec![Step::Say(reason)],
                },
            });
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
            Some(Cmd::FollowUp) if status.stage != lifecycle::Stage::RectificationReported => {
                let path = steps_first(status, 2);
                return Some(vec![Step::Say(if path.is_empty() {
                    format!("隐患在“{}”阶段，不再复查验收", status.stage.label())
                } else {
                    first_then(status, &path, "复查（开始检查）")
                })]);
            }
            Some(Cmd::FollowUp) => {
                return Some(vec![Step::Do(Effect::LoadFollowUp {
                    enterprise: detail.row.0.data.enterprise_id,
                    hazard: hazard_id,
                })]);
            }
            Some(Cmd::Documents) => {
                return Some(vec![Step::Do(Effect::LoadDocuments(
                    super::documents::Subject::Hazard(hazard_id),
                ))]);
            }
            Some(Cmd::Attach) => return Some(super::attach::Browser::open(detail.attach_target())),
            Some(cmd @ (Cmd::Up | Cmd::Down)) => {
                detail.move_cursor(cmd == Cmd::Down);
                return Some(vec![]);
            }
            Some(Cmd::Help) => return Some(vec![Step::Help(keymap::HAZARD_DETAIL)]),
            Some(Cmd::Back) => return None,
            _ => return Some(vec![]),
        };
        // The guard before the form: nothing is typed for a step that would be refused.
        if let Some(reason) = refusal(which, status, &detail.notes) {
            return Some(vec![Step::Say(reason)]);
        }
        detail.form = Some((which, detail.step_form(which, ctx)));
        Some(vec![])
    }

    /// The form of `which`, its title naming the hazard (the form covers the detail; reopened
    /// after a crash, it says which hazard it is for).
    fn step_form(&self, which: StepForm, ctx: &Ctx) -> Form {
        let status = &self.row.2;
        let mut form = form_for(which, status, ctx);
        form.title = format!(
            "{} · [{}] {}",
            form.title,
            status.grade.label(),
            status.description
        );
        form
    }

    /// Reopens the step form a crash interrupted, with what had been typed — unless the hazard
    /// has moved on meanwhile (a bundle imported, another window) and the step would now be
    /// refused: then it says why and the draft is dropped.
    pub fn reopen(&mut self, draft: &FormDraft, ctx: &Ctx) -> Vec<Step> {
        let DraftForm::HazardStep { hazard, step } = draft.form else {
            return vec![];
        };
        if hazard != self.row.0.id() {
            return vec![];
        }
        if let Some(reason) = refusal(step, &self.row.2, &self.notes) {
            return vec![
                super::forget_loose_form(),
                Step::Say(format!("填到一半的“{}”未恢复：{reason}", step.what())),
            ];
        }
        let mut form = self.step_form(step, ctx);
        form.restore(&draft.values, draft.focus);
        self.form = Some((step, form));
        vec![]
    }
}

#[path = "hazard_detail_steps.rs"]
mod steps;
pub use steps::{event_text, steps_hint};

#[path = "hazard_detail_forms.rs"]
mod forms;
pub use forms::correct_label;
use forms::{form_for, step_from};

#[cfg(test)]
#[path = "hazard_detail_tests.rs"]
mod tests;
