//! The monthly table's forms: logging an activity (`a`), and correcting a record a row counted
//! (`c` on the records behind a row) — an activity by the activity form filled with what was
//! recorded plus a reason (`paicha activity add --corrects`), an enforcement action by the
//! action correction form of the inspection's 执法措施 screen. Corrections are new records
//! naming the original; the table counts the correction instead.

use super::Ctx;
use super::actions::ActionsScreen;
use crate::app::form::{Field, FieldKind, Form};
use crate::app::msg::{CorrectionTarget, DraftForm, Effect};
use crate::domain::{Activity, ActivityKind, ActivityLevel, EnforcementAction, Record};

/// Which form is open.
#[derive(Debug, Clone, PartialEq)]
pub enum Editing {
    Activity,
    ActivityCorrection(Box<Record<Activity>>),
    ActionCorrection(Box<Record<EnforcementAction>>),
}

impl Editing {
    /// How the form is remembered (kill -9 reopens it).
    pub fn draft(&self) -> DraftForm {
        match self {
            Editing::Activity => DraftForm::Activity,
            Editing::ActivityCorrection(a) => DraftForm::ActivityCorrection { corrects: a.id() },
            Editing::ActionCorrection(a) => DraftForm::ActionCorrection { corrects: a.id() },
        }
    }

    /// The correction of `target`, with its form filled with what was recorded.
    pub fn correcting(target: CorrectionTarget, ctx: &Ctx) -> (Editing, Form) {
        match target {
            CorrectionTarget::Activity(a) => {
                let form = activity_correction_form(ctx, &a.data);
                (Editing::ActivityCorrection(Box::new(a)), form)
            }
            CorrectionTarget::Action(a) => {
                let form = ActionsScreen::correction_form_for(ctx, &a.data);
                (Editing::ActionCorrection(Box::new(a)), form)
            }
        }
    }

    /// The record the form describes, or why not (errors also set at the fields).
    pub fn submit(&self, form: &mut Form, group: Option<String>) -> Result<Effect, String> {
        match self {
            Editing::Activity => Ok(Effect::SaveActivity(activity_from(form, group)?)),
            Editing::ActivityCorrection(original) => {
                let o = &original.data;
                let mut a = activity_from(form, o.group_code.clone())?;
                let reason = form.value("reason").to_string();
                a.corrects = Some(original.id());
                if o.rewarded_hazard().is_some() {
                    // The note books the reward on its hazard: kept, the reason goes in the title.
                    a.note = o.note.clone();
                    a.title = format!("{}（更正：{reason}）", a.title);
                } else {
                    a.note = match a.note.trim() {
                        "" => format!("更正：{reason}"),
                        note => format!("更正：{reason}；{note}"),
                    };
                }
                a.check()?;
                Ok(Effect::SaveActivity(a))
            }
            Editing::ActionCorrection(original) => {
                let o = &original.data;
                let Some(mut a) = ActionsScreen::action_fields(form) else {
                    return Err("请补全标红的栏目".into());
                };
                a.enterprise_id = o.enterprise_id;
                a.inspection_id = o.inspection_id;
                a.hazard_id = o.hazard_id;
                a.corrects = Some(original.id());
                a.note = format!("更正：{}", a.note.trim());
                Ok(Effect::RecordAction(a))
            }
        }
    }
}

/// How a kind is offered in the form: its row and name ("D1 专题学习十五条硬措施").
fn kind_choice(kind: ActivityKind) -> String {
    format!("{} {}", kind.report_row(), kind.label())
}

const NO: &str = "否";
const YES: &str = "是";

/// The activity log form, dated today.
pub fn activity_form(ctx: &Ctx) -> Form {
    let today = crate::domain::time::local(ctx.now).date().to_string();
    let kinds = ActivityKind::ALL.iter().map(|k| kind_choice(*k)).collect();
    let levels = ActivityLevel::ALL
        .iter()
        .map(|l| l.label().to_string())
        .collect();
    Form::new(
        "登记工作活动（调度表 C1、D 栏）",
        vec![
            Field::of_kind("kind", "活动类别", FieldKind::Choice(kinds), true),
            Field::of_kind("level", "层级", FieldKind::Choice(levels), true),
            Field::of_kind("held_on", "日期", FieldKind::Date, true).with_value(today),
            Field::text("title", "名称", true).with_help("如：专项行动小组学习十五条硬措施"),
            Field::money("amount", "金额（万元）", false, ctx.catalog.rules.money)
                .with_help("举报奖励填写，如 0.5万元 或 5000元"),
            Field::of_kind("count", "人数", FieldKind::Number, false)
                .with_help("配备专兼职技术检查员填写"),
            Field::of_kind(
                "anonymous",
                "匿名举报查实",
                FieldKind::Choice(vec![NO.into(), YES.into()]),
                true,
            ),
            Field::text("note", "备注", false),
        ],
    )
}

/// The activity form filled with `a` as recorded, and the reason asked first.
fn activity_correction_form(ctx: &Ctx, a: &Activity) -> Form {
    let mut form = activity_form(ctx);
    form.title = "更正工作活动（另存为更正记录，原记录保留）".into();
    if a.rewarded_hazard().is_some() {
        // Its note books the reward on the hazard: kept as it is.
        form.fields.retain(|f| f.key != "note");
    }
    form.fields.insert(
        0,
        Field::text("reason", "更正理由", true)
            .with_help("写明哪里记错了、以什么为准；原记录保留，调度表改按更正记录统计"),
    );
    let values = [
        ("kind", kind_choice(a.kind)),
        ("level", a.level.label().to_string()),
        ("held_on", crate::domain::time::day_text(a.held_on)),
        ("title", a.title.clone()),
        (
            "amount",
            a.amount_fen
                .map(crate::domain::money::wan_text)
                .unwrap_or_default(),
        ),
        ("count", a.count.map(|c| c.to_string()).unwrap_or_default()),
        ("anonymous", if a.anonymous { YES } else { NO }.to_string()),
        ("note", a.note.clone()),
    ];
    let values: Vec<(String, String)> = values
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    form.restore(&values, 0);
    form
}

/// The activity the form describes (filed under `group`), or why it cannot be logged.
pub fn activity_from(form: &Form, group: Option<String>) -> Result<Activity, String> {
    let kind = ActivityKind::ALL
        .iter()
        .copied()
        .find(|k| kind_choice(*k) == form.value("kind"))
        .ok_or("请选择活动类别")?;
    let level = ActivityLevel::parse(form.value("level")).map_err(|e| e.to_string())?;
    let held_on =
        crate::domain::time::parse_day(form.value("held_on")).ok_or("日期应写作 YYYY-MM-DD")?;
    // Checked at the field: a unit, 10 000 万元 refused, above the ceiling confirmed.
    let amount_fen = form
        .fields
        .iter()
        .find(|f| f.key == "amount")
        .and_then(|f| f.amount_fen());
    let count = match form.value("count").trim() {
        "" => None,
        n => Some(n.parse::<u32>().map_err(|_| "人数应为整数".to_string())?),
    };
    let activity = Activity {
        kind,
        level,
        group_code: group,
        held_on,
        title: form.value("title").trim().to_string(),
        amount_fen,
        count,
        anonymous: form.value("anonymous") == YES,
        note: form.value("note").trim().to_string(),
        corrects: None,
    };
    activity.check()?;
    Ok(activity)
}

#[cfg(test)]
#[path = "monthly_forms_tests.rs"]
mod tests;
