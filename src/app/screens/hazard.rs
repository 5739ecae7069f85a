//! The hazard form, opened from a non-compliant item: pre-filled with its code, basis and the
//! grade its template proposes; rectify at once or by a deadline with the five fixes; a
//! 挂牌督办 proposal with the person who tracks it.

use super::checklist::Checklist;
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::msg::Effect;
use crate::domain::{FiveFixes, Hazard, HazardGrade, HazardSource, Supervision};
use crossterm::event::KeyEvent;

const BY_DEADLINE: &str = "限期整改";
const AT_ONCE: &str = "立即整改";
const NOT_LISTED: &str = "不提议";
const LISTED: &str = "提议挂牌督办";
/// The five fixes, required when the hazard is rectified by a deadline.
const FIXES: [&str; 5] = [
    "responsible_person",
    "measures",
    "funds",
    "deadline",
    "emergency_plan",
];

pub struct HazardScreen {
    pub form: Form,
    pub item_code: String,
    pub back: Checklist,
}

impl HazardScreen {
    pub fn new(back: Checklist, ctx: &Ctx) -> Option<HazardScreen> {
        let item = back.current()?.clone();
        let day = crate::domain::time::local(back.view.inspection.data.arrival_at).date();
        let major = ctx
            .catalog
            .item(&item.template_id, &item.code, Some(day))
            .is_some_and(|i| i.major_hazard);
        let grades = vec![
            HazardGrade::Major.label().to_string(),
            HazardGrade::General.label().to_string(),
        ];
        let grade = if major {
            HazardGrade::Major
        } else {
            HazardGrade::General
        };
        let note = back.view.note(&item.code).to_string();
        let form = Form::new(
            format!("登记隐患 · {} {}", item.code, item.question),
            vec![
                Field::of_kind("grade", "隐患等级", FieldKind::Choice(grades), true)
                    .with_value(grade.label())
                    .with_help(if major {
                        "本检查项不符合即属重大事故隐患（见依据）"
                    } else {
                        "依判定标准确定等级"
                    }),
                Field::text("description", "隐患描述", true).with_value(note),
                Field::text("location", "部位", false),
                Field::text("basis", "依据", true).with_value(item.basis.clone()),
                Field::of_kind(
                    "rectify",
                    "整改方式",
                    FieldKind::Choice(vec![BY_DEADLINE.to_string(), AT_ONCE.to_string()]),
                    true,
                ),
                Field::text("responsible_person", "整改责任人", false),
                Field::text("measures", "整改措施", false),
                Field::funds("funds", "整改资金", false, ctx.catalog.rules.money)
                    .with_help("先写金额，如：2万元，企业自筹；或 5000元；不需要资金写“无”"),
                Field::of_kind("deadline", "整改时限", FieldKind::Date, false),
                Field::text("emergency_plan", "整改期间的应急预案", false),
                Field::of_kind(
                    "supervision",
                    "挂牌督办",
                    FieldKind::Choice(vec![NOT_LISTED.to_string(), LISTED.to_string()]),
                    true,
                ),
                Field::text("tracking_person", "跟踪督办责任人", false),
            ],
        );
        let mut screen = HazardScreen {
            form,
            item_code: item.code,
            back,
        };
        // The grade comes proposed by the template: what is typed first is the description.
        screen.form.focus = 1;
        screen.mark_required();
        Some(screen)
    }

    /// Marks (*) the five fixes while the hazard is rectified by a deadline, and the tracking
    /// person while 挂牌督办 is proposed: the form says what it will ask for before Ctrl-S.
    pub fn mark_required(&mut self) {
        let by_deadline = self.form.value("rectify") == BY_DEADLINE;
        let listed = self.form.value("supervision") == LISTED;
        for field in &mut self.form.fields {
            if FIXES.contains(&field.key.as_str()) {
                field.required = by_deadline;
            } else if field.key == "tracking_person" {
                field.required = listed;
            }
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        let before = self.form.focus;
        let outcome = self.form.handle(ev);
        self.mark_required();
        match outcome {
            Outcome::Editing => super::remember_form(
                &self.back,
                &self.form,
                crate::app::msg::DraftForm::Hazard,
                before,
            ),
            Outcome::Help => vec![Step::Help(crate::app::keymap::FORM)],
            Outcome::Cancel => vec![Step::BackToChecklist],
            Outcome::Submit => match self.hazard(ctx) {
                Some(h) => vec![Step::Do(Effect::RecordHazard(h))],
                None => vec![Step::Say("请补全标红的栏目".to_string())],
            },
        }
    }

    /// The hazard the form describes, or `None` with errors set on the fields.
    fn hazard(&mut self, ctx: &Ctx) -> Option<Hazard> {
        let by_deadline = self.form.value("rectify") == BY_DEADLINE;
        let listed = self.form.value("supervision") == LISTED;
        let mut ok = true;
        for field in &mut self.form.fields {
            let needed = (by_deadline && FIXES.contains(&field.key.as_str()))
                || (listed && field.key == "tracking_person");
            if needed && field.value.trim().is_empty() {
                field.error = Some(format!("{}不能为空", field.label));
                ok = false;
            }
        }
        if !ok {
            if let Some(i) = self.form.fields.iter().position(|f| f.error.is_some()) {
                self.form.focus = i;
            }
            return None;
        }
        let found_on = crate::domain::time::local(ctx.now).date();
        if let Some(deadline) = crate::domain::time::parse_day(self.form.value("deadline"))
            && deadline < found_on
            && let Some(i) = self.form.fields.iter().position(|f| f.key == "deadline")
        {
            self.form.fields[i].error = Some(format!("整改时限不能早于发现隐患的日期 {found_on}"));
            self.form.focus = i;
            return None;
        }
        let f = &self.form;
        let fixes = if by_deadline {
            let deadline = crate::domain::time::parse_day(f.value("deadline"))?;
            Some(FiveFixes {
                responsible_person: f.value("responsible_person").to_string(),
                measures: f.value("measures").to_string(),
                funds: f.value("funds").to_string(),
                deadline,
                emergency_plan: f.value("emergency_plan").to_string(),
            })
        } else {
            None
        };
        let view = &self.back.view;
        Some(Hazard {
            enterprise_id: view.enterprise.id(),
            inspection_id: Some(view.id()),
            item_code: Some(self.item_code.clone()),
            grade: HazardGrade::parse(f.value("grade")).unwrap_or(HazardGrade::General),
            source: HazardSource::Inspection,
            description: f.value("description").to_string(),
            location: f.value("location").to_string(),
            basis: f.value("basis").to_string(),
            found_at: ctx.now,
            rectify_immediately: !by_deadline,
            fixes,
            supervision: listed.then(|| Supervision {
                tracking_person: f.value("tracking_person").to_string(),
            }),
            anonymous_report: false,
            assigning_document: None,
        })
    }
}
