//! The office's hazard entry (ledger `A`): a hazard found outside an inspection — 企业自查,
//! 群众举报 (anonymous, with a reward), 上级交办 (with the document number) — at an enterprise
//! chosen in the picker. The rules are `domain::office_hazard`'s, the very ones of
//! `paicha hazard add`; a refusal is shown at its field. The fields follow the source: only a
//! public report asks for 匿名 and 举报奖励, only an assigned one for 交办文号.

use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap;
use crate::app::msg::{DraftForm, Effect, FormDraft};
use crate::domain::office_hazard::{self, Part, Problem};
use crate::domain::{Enterprise, HazardGrade, HazardSource, Record, time};
use crossterm::event::KeyEvent;
use uuid::Uuid;

const NO: &str = "否";
const YES: &str = "是";
/// What the five fixes are marked with: optional, but all or none.
const FIXES_HELP: &str =
    "五落实（整改时限、责任人、措施、资金、应急预案）：五项一起填写，或都不填（以后按 z 登记）";

pub struct OfficeHazardForm {
    pub enterprise: Uuid,
    pub form: Form,
}

/// What a key did to the entry.
pub enum After {
    Stay(Vec<Step>),
    /// Given up (Esc): the ledger closes it.
    Close(Vec<Step>),
}

impl OfficeHazardForm {
    /// The entry at `enterprise`, dated today; `draft` puts back what a crash interrupted.
    pub fn new(enterprise: &Record<Enterprise>, ctx: &Ctx, draft: Option<&FormDraft>) -> Self {
        let title = format!(
            "登记隐患（企业自查/群众举报/上级交办）· {}",
            enterprise.data.name
        );
        let mut form = Form::new(title, Vec::new());
        let source = draft
            .and_then(|d| d.values.iter().find(|(k, _)| k == "source"))
            .map_or(HazardSource::SelfCheck.label(), |(_, v)| v.as_str())
            .to_string();
        form.fields = fields(&source, ctx);
        if let Some(d) = draft {
            form.restore(&d.values, d.focus);
        }
        OfficeHazardForm {
            enterprise: enterprise.id(),
            form,
        }
    }

    fn which(&self) -> DraftForm {
        DraftForm::OfficeHazard {
            enterprise: self.enterprise,
        }
    }

    /// Remembered as it opens (the enterprise chosen is part of it).
    pub fn opened(&self) -> Vec<Step> {
        super::remember_loose_form(&self.form, self.which(), usize::MAX)
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> After {
        let before = self.form.focus;
        let source_before = self.form.value("source").to_string();
        match self.form.handle(ev) {
            Outcome::Editing => {
                if self.form.value("source") != source_before {
                    self.follow_source(ctx);
                    // A change of source changes the fields: remembered at once.
                    return After::Stay(super::remember_loose_form(
                        &self.form,
                        self.which(),
                        usize::MAX,
                    ));
                }
                After::Stay(super::remember_loose_form(&self.form, self.which(), before))
            }
            Outcome::Help => After::Stay(vec![Step::Help(keymap::FORM)]),
            Outcome::Cancel => After::Close(vec![
                super::forget_loose_form(),
                Step::Say("已取消登记".into()),
            ]),
            Outcome::Submit => match self.checked(ctx) {
                Ok(effect) => After::Stay(vec![Step::Do(effect)]),
                Err(why) => After::Stay(vec![Step::Say(why)]),
            },
        }
    }

    /// The fields for the source now chosen, keeping what was typed in those that stay.
    fn follow_source(&mut self, ctx: &Ctx) {
        let (values, _) = self.form.snapshot();
        let source = self.form.value("source").to_string();
        self.form.fields = fields(&source, ctx);
        self.form.restore(&values, 0);
        self.form.focus = 0;
    }

    /// The write the form describes, by the shared rules; a refusal is set at its field.
    fn checked(&mut self, ctx: &Ctx) -> Result<Effect, String> {
        let f = &self.form;
        let typed = office_hazard::Typed {
            source: f.value("source").into(),
            grade: f.value("grade").into(),
            description: f.value("description").into(),
            location: f.value("location").into(),
            basis: f.value("basis").into(),
            // Today (as offered): the moment it is registered, as the CLI without --found.
            found: match f.value("found") {
                day if day == time::day_text(time::local(ctx.now).date()) => String::new(),
                day => day.into(),
            },
            deadline: f.value("deadline").into(),
            responsible: f.value("responsible").into(),
            measures: f.value("measures").into(),
            funds: f.value("funds").into(),
            plan: f.value("plan").into(),
            anonymous: f.value("anonymous") == YES,
            reward: f.value("reward").into(),
            document: f.value("document").into(),
            // The form asked already: an amount above the ceiling is saved on a second Ctrl-S.
            confirm_large: true,
        };
        match office_hazard::check(&typed, &ctx.catalog.rules.money) {
            Ok(checked) => Ok(Effect::RecordOfficeHazard {
                hazard: checked.hazard(self.enterprise, ctx.now),
                reward_fen: checked.reward_fen,
            }),
            Err(problem) => Err(self.show(problem)),
        }
    }

    /// Puts a refusal under its field and the focus there; what to say below.
    fn show(&mut self, problem: Problem) -> String {
        let key = key_of(problem.part);
        if let Some(i) = self.form.fields.iter().position(|f| f.key == key) {
            self.form.fields[i].error = Some(problem.text.clone());
            self.form.focus = i;
        }
        format!("未登记：{}", problem.text)
    }
}

/// The form's field for a part of the entry.
fn key_of(part: Part) -> &'static str {
    match part {
        Part::Source => "source",
        Part::Grade => "grade",
        Part::Description => "description",
        Part::Found => "found",
        Part::Deadline => "deadline",
        Part::Responsible => "responsible",
        Part::Measures => "measures",
        Part::Funds => "funds",
        Part::Plan => "plan",
        Part::Anonymous => "anonymous",
        Part::Reward => "reward",
        Part::Document => "document",
    }
}

/// The fields of an entry from `source` (its label).
fn fields(source: &str, ctx: &Ctx) -> Vec<Field> {
    let sources = [
        HazardSource::SelfCheck,
        HazardSource::PublicReport,
        HazardSource::Assigned,
    ]
    .iter()
    .map(|s| s.label().to_string())
    .collect();
    let grades = [HazardGrade::General, HazardGrade::Major]
        .iter()
        .map(|g| g.label().to_string())
        .collect();
    let money = ctx.catalog.rules.money;
    let label = |p: Part| p.label();
    let mut out = vec![
        Field::of_kind(
            "source",
            label(Part::Source),
            FieldKind::Choice(sources),
            true,
        )
        .with_value(source)
        .with_help("←/→ 选择：企业自查、群众举报、上级交办（执法检查发现的在检查中登记）"),
        Field::of_kind("grade", label(Part::Grade), FieldKind::Choice(grades), true)
            .with_help("依判定标准确定等级；←/→ 选择"),
        Field::text("description", label(Part::Description), true)
            .with_help("写隐患本身；举报人的姓名、电话不要写在这里（公开清单会去掉）"),
        Field::text("location", "部位", false),
        Field::text("basis", "依据", false).with_help("标准、条款"),
        Field::of_kind("found", label(Part::Found), FieldKind::Date, false)
            .with_value(time::day_text(time::local(ctx.now).date()))
            .with_help("如 2023-9-5、2023.9.5、2023年9月5日；不填为今天"),
    ];
    if source == HazardSource::PublicReport.label() {
        out.push(
            Field::of_kind(
                "anonymous",
                label(Part::Anonymous),
                FieldKind::Choice(vec![NO.into(), YES.into()]),
                true,
            )
            .with_help("匿名举报：举报人信息不登记、不公开"),
        );
        out.push(
            Field::money("reward", label(Part::Reward), false, money)
                .with_help("如 0.5万元 或 5000元；举报查实（复查验收）后计入调度表 D5"),
        );
    }
    if source == HazardSource::Assigned.label() {
        out.push(
            Field::text("document", label(Part::Document), true)
                .with_help("上级交办文件的文号，如 方安委办〔2023〕12号"),
        );
    }
    let fix = |key: &str, part: Part| -> Field {
        let kind = match part {
            Part::Deadline => FieldKind::Date,
            _ => FieldKind::Text,
        };
        Field::of_kind(key, &format!("〔五落实〕{}", part.label()), kind, false)
            .with_help(FIXES_HELP)
    };
    out.push(fix("deadline", Part::Deadline));
    out.push(fix("responsible", Part::Responsible));
    out.push(fix("measures", Part::Measures));
    out.push(
        Field::funds(
            "funds",
            &format!("〔五落实〕{}", Part::Funds.label()),
            false,
            money,
        )
        .with_help("五落实之一：先写金额，如“2万元，企业自筹”或“5000元”；不需要资金写“无”"),
    );
    out.push(fix("plan", Part::Plan));
    out
}

#[cfg(test)]
#[path = "office_tests.rs"]
mod tests;
