//! The forms of a hazard's steps on its ledger detail: what each step asks (the five fixes
//! say what a blank keeps), and the lifecycle step a filled form stands for.

use super::StepForm;
use crate::app::form::{Field, FieldKind, Form};
use crate::app::screens::Ctx;
use crate::domain::lifecycle::{self, CORRECTABLE};
use crate::domain::{FiveFixes, HazardGrade};

pub(super) fn form_for(which: StepForm, status: &lifecycle::Status, ctx: &Ctx) -> Form {
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

pub(super) fn step_from(
    which: StepForm,
    form: &Form,
    ctx: &Ctx,
) -> Result<lifecycle::Step, String> {
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
