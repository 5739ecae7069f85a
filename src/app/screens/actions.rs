//! Enforcement actions recorded on the inspection (order to rectify, fine, suspension,
//! transfer, interview…): what the C rows of the monthly table count.

use super::checklist::Checklist;
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::domain::{EnforcementAction, EnforcementKind, time};
use crossterm::event::KeyEvent;

pub struct ActionsScreen {
    pub back: Checklist,
    pub selected: usize,
    pub form: Option<Form>,
    /// The form corrects this action (a new record naming it; the original stays).
    pub correcting: Option<uuid::Uuid>,
}

const YES: &str = "是";
const NO: &str = "否";

impl ActionsScreen {
    pub fn new(back: Checklist) -> ActionsScreen {
        ActionsScreen {
            back,
            selected: 0,
            form: None,
            correcting: None,
        }
    }

    /// The form of a correction: the same fields, and the reason required.
    pub fn correction_form(ctx: &Ctx) -> Form {
        let mut form = Self::new_form(ctx);
        form.title = "更正执法措施（另存为更正记录，原记录保留）".into();
        if let Some(note) = form.fields.iter_mut().find(|f| f.key == "note") {
            *note = Field::text("note", "更正理由", true)
                .with_help("写明哪里记错了、以什么为准；原记录保留，统计改按更正记录");
        }
        form
    }

    /// Opens the correction of the selected action, filled with what it says; refused (with
    /// where to go) when it was corrected already.
    fn open_correction(&mut self, ctx: &Ctx) -> Vec<Step> {
        let actions = &self.back.view.actions;
        let Some(selected) = actions.get(self.selected) else {
            return vec![Step::Say("没有可更正的执法措施".into())];
        };
        if let Some(newer) = actions
            .iter()
            .find(|a| a.data.corrects == Some(selected.id()))
        {
            return vec![Step::Say(format!(
                "这条已被更正（{} {}）：请选中更正记录再按 c",
                newer.data.decided_on,
                newer.data.kind.label()
            ))];
        }
        self.form = Some(Self::correction_form_for(ctx, &selected.data));
        self.correcting = Some(selected.id());
        vec![]
    }

    /// The correction form filled with what `d` recorded (also opened from the monthly table).
    pub fn correction_form_for(ctx: &Ctx, d: &EnforcementAction) -> Form {
        let mut form = Self::correction_form(ctx);
        let values = [
            ("kind", d.kind.label().to_string()),
            ("decided_on", d.decided_on.format("%Y-%m-%d").to_string()),
            ("document_no", d.document_no.clone()),
            (
                "amount_wan",
                d.amount_fen
                    .map(crate::domain::money::wan_text)
                    .unwrap_or_default(),
            ),
            (
                "persons",
                d.persons.map(|p| p.to_string()).unwrap_or_default(),
            ),
            (
                "crime",
                if d.dangerous_operation_crime { YES } else { NO }.to_string(),
            ),
        ];
        let values: Vec<(String, String)> = values
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        form.restore(&values, 0);
        form
    }

    pub fn new_form(ctx: &Ctx) -> Form {
        let kinds = EnforcementKind::ALL
            .iter()
            .map(|k| k.label().to_string())
            .collect();
        Form::new(
            "新增执法措施",
            vec![
                Field::of_kind("kind", "措施", FieldKind::Choice(kinds), true),
                Field::of_kind("decided_on", "决定日期", FieldKind::Date, true)
                    .with_value(time::local(ctx.now).date().format("%Y-%m-%d").to_string()),
                Field::text("document_no", "文书编号", false),
                Field::money(
                    "amount_wan",
                    "罚款金额（万元）",
                    false,
                    ctx.catalog.rules.money,
                )
                .with_help("行政处罚填写，如 3、0.5万元 或 5000元"),
                Field::of_kind(
                    "persons",
                    "涉及人数（移送司法机关、追责问责）",
                    FieldKind::Number,
                    false,
                ),
                Field::of_kind(
                    "crime",
                    "属危险作业罪案例",
                    FieldKind::Choice(vec![NO.to_string(), YES.to_string()]),
                    true,
                ),
                Field::text("note", "说明", false),
            ],
        )
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(form) = &mut self.form {
            let before = form.focus;
            return match form.handle(ev) {
                Outcome::Editing => super::remember_form(
                    &self.back,
                    form,
                    match self.correcting {
                        Some(corrects) => crate::app::msg::DraftForm::ActionCorrection { corrects },
                        None => crate::app::msg::DraftForm::Action,
                    },
                    before,
                ),
                Outcome::Help => vec![Step::Help(crate::app::keymap::FORM)],
                Outcome::Cancel => {
                    self.form = None;
                    self.correcting = None;
                    vec![]
                }
                Outcome::Submit => match action_from(form, &self.back) {
                    Some(mut a) => {
                        if let Some(corrects) = self.correcting {
                            a.corrects = Some(corrects);
                            a.note = format!("更正：{}", a.note.trim());
                        }
                        vec![Step::Do(Effect::RecordAction(a))]
                    }
                    None => vec![],
                },
            };
        }
        match keymap::lookup(keymap::ACTIONS, ev) {
            Some(Cmd::Add) => self.form = Some(Self::new_form(ctx)),
            Some(Cmd::Attach) => {
                return match self.back.view.actions.get(self.selected) {
                    Some(a) => super::attach::Browser::open(super::attach::AttachTo {
                        id: a.id(),
                        item: None,
                        role: None,
                        hazard: false,
                        label: format!("执法措施（{}）", a.data.kind.label()),
                    }),
                    None => vec![Step::Say(
                        "还没有执法措施：先按 a 新增，再附文书扫描件".into(),
                    )],
                };
            }
            Some(Cmd::StepCorrect) => return self.open_correction(ctx),
            Some(Cmd::Down) => {
                self.selected =
                    (self.selected + 1).min(self.back.view.actions.len().saturating_sub(1))
            }
            Some(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Cmd::Back) => return vec![Step::BackToChecklist],
            Some(Cmd::Help) => return vec![Step::Help(keymap::ACTIONS)],
            _ => {}
        }
        vec![]
    }
}

/// The action the form describes, on the inspection of `back`.
fn action_from(form: &mut Form, back: &Checklist) -> Option<EnforcementAction> {
    let view = &back.view;
    Some(EnforcementAction {
        enterprise_id: Some(view.enterprise.id()),
        inspection_id: Some(view.id()),
        ..ActionsScreen::action_fields(form)?
    })
}

impl ActionsScreen {
    /// What the form says of an action (no enterprise, inspection or hazard yet); a fine needs
    /// its amount (the error is set at the field).
    pub fn action_fields(form: &mut Form) -> Option<EnforcementAction> {
        let kind = EnforcementKind::parse(form.value("kind")).ok()?;
        // Checked at the field (unit, 10 000 万元 refusal, confirmed above the ceiling).
        let amount = form
            .fields
            .iter()
            .find(|f| f.key == "amount_wan")
            .and_then(|f| f.amount_fen());
        if kind == EnforcementKind::Penalty && amount.is_none() {
            if let Some(i) = form.fields.iter().position(|f| f.key == "amount_wan") {
                form.fields[i].error = Some("行政处罚须填写罚款金额".to_string());
                form.focus = i;
            }
            return None;
        }
        Some(EnforcementAction {
            kind,
            enterprise_id: None,
            inspection_id: None,
            hazard_id: None,
            decided_on: crate::domain::time::parse_day(form.value("decided_on"))?,
            document_no: form.value("document_no").to_string(),
            amount_fen: amount,
            persons: form
                .value("persons")
                .parse::<f64>()
                .ok()
                .map(|p| p.round() as u32),
            dangerous_operation_crime: form.value("crime") == YES,
            note: form.value("note").to_string(),
            corrects: None,
        })
    }
}
