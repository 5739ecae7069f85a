//! One hazard of the ledger: its history, and the steps of its closed loop as keyed forms
//! that go through the store's guards (the same as the CLI's). From here a 复查 starts.

use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, HazardNotes};
use crate::domain::lifecycle::{self, CORRECTABLE, Stage, Status};
use crate::domain::{FiveFixes, HazardEventKind, HazardGrade};
use crate::storage::LedgerRow;
use crossterm::event::KeyEvent;

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
    /// Campaign rules that apply (不予处罚, 一案双罚, 关闭) and the steps not permitted here.
    pub notes: HazardNotes,
    pub form: Option<(StepForm, Form)>,
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
            return Some(match form.handle(ev) {
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
            Some(Cmd::Help) => return Some(vec![Step::Help(keymap::HAZARD_DETAIL)]),
            Some(Cmd::Back) => return None,
            _ => return Some(vec![]),
        };
        // The guard before the form: nothing is typed for a step that would be refused.
        if let Some(reason) = refusal(which, status, &detail.notes) {
            return Some(vec![Step::Say(reason)]);
        }
        detail.form = Some((which, form_for(which, status, ctx)));
        Some(vec![])
    }
}

fn form_for(which: StepForm, status: &lifecycle::Status, ctx: &Ctx) -> Form {
    let note = Field::text("note", "说明", false);
    let fields = match which {
        StepForm::Transfer => vec![Field::text("to_unit", "移交责任单位", true), note],
        StepForm::Rectify => {
            // The five fixes are needed only when the hazard has none yet.
            let needed = status.deadline.is_none() && !status.rectify_immediately;
            let fixes = status.fixes.as_ref();
            // Blank means: keep what was recorded (said on each field, with what it is).
            let keep = |now: Option<String>| match now.filter(|v| !v.trim().is_empty()) {
                Some(v) => format!("留空：沿用已登记的“{v}”"),
                None => "留空：不填（已立即整改或已有整改时限）".to_string(),
            };
            let field = |f: Field, now: Option<String>| {
                if needed { f } else { f.with_help(keep(now)) }
            };
            vec![
                field(
                    Field::of_kind("deadline", "整改时限", FieldKind::Date, needed),
                    status.deadline.map(|d| d.to_string()),
                ),
                field(
                    Field::text("responsible", "整改责任人", needed),
                    fixes.map(|f| f.responsible_person.clone()),
                ),
                field(
                    Field::text("measures", "整改措施", needed),
                    fixes.map(|f| f.measures.clone()),
                ),
                field(
                    Field::funds("funds", "整改资金", needed, ctx.catalog.rules.money),
                    fixes.map(|f| f.funds.clone()),
                ),
                field(
                    Field::text("plan", "应急预案", needed),
                    fixes.map(|f| f.emergency_plan.clone()),
                ),
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
            Field::of_kind(
                "then",
                "未通过时",
                FieldKind::Choice(vec!["重新限期".into(), "立案查处".into()]),
                false,
            )
            .with_help("复查不合格须有下文：重新限期整改，或立案查处"),
            Field::of_kind("new_deadline", "新的整改期限", FieldKind::Date, false)
                .with_help("选“重新限期”时填写，格式 2023-09-15"),
            note,
        ],
        StepForm::Close => {
            // A major hazard's signer is checked against the roster's close-out leaders when
            // the step is taken (trust::authorize), with a message naming them.
            let label = if status.grade == HazardGrade::Major {
                "签字确认的县分管领导"
            } else {
                "签字确认人"
            };
            let today = crate::domain::time::local(ctx.now)
                .date()
                .format("%Y-%m-%d");
            vec![
                Field::text("signer", label, true),
                Field::of_kind("signed_on", "签字日期", FieldKind::Date, true)
                    .with_value(today.to_string())
                    .with_help("领导在整改销号材料上签字的日期"),
                note,
            ]
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

/// A correctable field's name in Chinese (the history and the 更正 form say it so).
pub fn correct_label(field: &str) -> &'static str {
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
                    deadline: crate::domain::time::parse_day(form.value("deadline"))
                        .ok_or_else(|| "整改时限应为日期，格式如 2023-09-15".to_string())?,
                    responsible_person: form.value("responsible").to_string(),
                    measures: form.value("measures").to_string(),
                    funds: form.value("funds").to_string(),
                    emergency_plan: form.value("plan").to_string(),
                })
            };
            S::Rectify { fixes }
        }
        StepForm::Report => S::ReportRectified,
        StepForm::Verify => {
            let passed = form.value("passed") == "通过";
            let new_deadline = match form.value("new_deadline").trim() {
                "" => None,
                text => Some(
                    crate::domain::time::parse_day(text)
                        .ok_or_else(|| "新的整改期限应为日期，格式如 2023-09-15".to_string())?,
                ),
            };
            let then = form.value("then");
            if !passed && then == "重新限期" && new_deadline.is_none() {
                return Err("选了“重新限期”：请填写新的整改期限".to_string());
            }
            lifecycle::verification(
                passed,
                form.value("by").to_string(),
                new_deadline.filter(|_| then != "立案查处"),
                then == "立案查处",
                crate::domain::time::local(ctx.now).date(),
            )?
        }
        StepForm::Close => S::CloseOut {
            signer: form.value("signer").to_string(),
            // The day the leader signed (at noon, Beijing), or now for today.
            signed_at: crate::domain::time::parse_day(form.value("signed_on"))
                .filter(|d| *d != crate::domain::time::local(ctx.now).date())
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map_or(ctx.now, crate::domain::time::from_local),
            signer_id: None,
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

#[cfg(test)]
#[path = "hazard_detail_tests.rs"]
mod tests;
