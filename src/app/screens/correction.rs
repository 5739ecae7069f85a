//! The two corrections of a finalized inspection typed in the TUI: its arrival/departure times
//! (from the read-only viewer, `t`) and one of its evidence records (from its evidence, `c`).
//! Each is a form prefilled with what is in force now plus a required reason; it is saved as a
//! new record beside the signed one, and remembered while typed like every other form.

use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::msg::{DraftForm, Effect, InspectionView};
use crate::domain::correction::{self, TimeCorrection};
use crate::domain::{EvidenceRecord, FieldValue, Record, time};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The key of the reason field in both forms.
pub const REASON: &str = "reason";

fn reason_field() -> Field {
    Field::text(REASON, "更正理由", true)
        .with_help("写明哪里记错了、以什么为准；原记录保留，更正另存为新记录")
}

/// "更正到达/离开时间", prefilled with the times in force.
pub fn times_form(view: &InspectionView) -> Form {
    let visit = view.visit();
    let minute = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(time::record_minute);
    Form::new(
        "更正到达/离开时间（另存为更正记录，原记录不变）",
        vec![
            Field::of_kind("arrived_at", "到达时间", FieldKind::DateTime, true)
                .with_value(time::record_minute(visit.arrival))
                .with_help("北京时间，格式如 2023-08-15 09:30"),
            Field::of_kind("departed_at", "离开现场时间", FieldKind::DateTime, true)
                .with_value(minute(visit.departure).unwrap_or_default())
                .with_help(format!(
                    "不能晚于定稿签名时间 {}",
                    minute(view.inspection.data.finalized_at).unwrap_or_default()
                )),
            reason_field(),
        ],
    )
}

/// What a key does to the time-correction form of `view` (`None` form: closed).
pub fn times_key(
    slot: &mut Option<Form>,
    view: &InspectionView,
    place: crate::app::msg::Place,
    ev: &crossterm::event::KeyEvent,
    ctx: &Ctx,
) -> Vec<Step> {
    let Some(form) = slot else { return vec![] };
    let before = form.focus;
    match form.handle(ev) {
        Outcome::Editing => remembered(form, DraftForm::TimeCorrection, place, before),
        Outcome::Help => vec![Step::Help(crate::app::keymap::FORM)],
        Outcome::Cancel => {
            *slot = None;
            // The draft of the form is forgotten with it.
            vec![Step::Do(Effect::RememberPlace(place))]
        }
        Outcome::Submit => match times_effect(form, view, ctx) {
            Some(effect) => vec![Step::Do(effect)],
            None => vec![],
        },
    }
}

/// The form remembered as it stands once the focus moved (a crash loses one field at most).
fn remembered(
    form: &Form,
    which: DraftForm,
    place: crate::app::msg::Place,
    before: usize,
) -> Vec<Step> {
    if form.focus == before {
        return vec![];
    }
    let (values, focus) = form.snapshot();
    vec![Step::Do(Effect::RememberPlace(crate::app::msg::Place {
        form: Some(crate::app::msg::FormDraft {
            form: which,
            values,
            focus,
        }),
        ..place
    }))]
}

/// The correction the form states, checked by the rule the store and every import apply; a
/// refusal is shown at the field it concerns and nothing is saved.
pub fn times_effect(form: &mut Form, view: &InspectionView, ctx: &Ctx) -> Option<Effect> {
    let (Some(arrived_at), Some(departed_at)) = (
        time::parse_minute(form.value("arrived_at")),
        time::parse_minute(form.value("departed_at")),
    ) else {
        return None; // the fields' own check already says why
    };
    let wanted = TimeCorrection {
        inspection_id: view.id(),
        arrived_at: Some(arrived_at),
        departed_at: Some(departed_at),
        reason: form.value(REASON).to_string(),
    };
    let data = &view.inspection.data;
    let problem = correction::check_time_correction(data, &wanted, ctx.now)
        .err()
        .or_else(|| {
            (!correction::changes_times(&view.visit(), data, &wanted))
                .then(|| "更正后的时间与现在的相同：没有需要更正的内容".to_string())
        });
    if let Some(why) = problem {
        let at = if why.contains("到达时间") && !why.contains("离开现场时间") {
            "arrived_at"
        } else {
            "departed_at"
        };
        if let Some(i) = form.fields.iter().position(|f| f.key == at) {
            form.fields[i].error = Some(why);
            form.focus = i;
        }
        return None;
    }
    Some(Effect::CorrectTimes {
        inspection: view.id(),
        arrived_at,
        departed_at,
        reason: wanted.reason,
    })
}

/// The values of `record` in force, and whether they were corrected.
pub fn values_of(
    view: &InspectionView,
    record: &Record<EvidenceRecord>,
) -> (BTreeMap<String, FieldValue>, bool) {
    let mine = view.corrections_of(record.id());
    let (values, corrected) = correction::effective_values(&record.data.values, &mine);
    (values.clone(), corrected)
}

/// The correction form of an evidence record: its configured fields prefilled with the values
/// in force, and the reason.
pub fn evidence_form(
    ctx: &Ctx,
    view: &InspectionView,
    record: &Record<EvidenceRecord>,
) -> Option<Form> {
    let def = ctx.catalog.form(record.data.kind)?;
    let (values, _) = values_of(view, record);
    let mut fields: Vec<Field> = def
        .fields
        .iter()
        .map(|f| {
            Field::from_def(
                f,
                values
                    .get(&f.key)
                    .map(FieldValue::shown)
                    .unwrap_or_default(),
            )
        })
        .collect();
    fields.push(reason_field());
    Some(Form::new(
        format!("更正{}（另存为更正记录，原记录保留）", def.title),
        fields,
    ))
}

/// What a key does to the correction form of the evidence record `evidence`.
pub fn evidence_key(
    slot: &mut Option<(Uuid, Form)>,
    place: crate::app::msg::Place,
    ev: &crossterm::event::KeyEvent,
) -> Vec<Step> {
    let Some((evidence, form)) = slot else {
        return vec![];
    };
    let evidence = *evidence;
    let before = form.focus;
    match form.handle(ev) {
        Outcome::Editing => remembered(
            form,
            DraftForm::EvidenceCorrection { evidence },
            place,
            before,
        ),
        Outcome::Help => vec![Step::Help(crate::app::keymap::FORM)],
        Outcome::Cancel => {
            *slot = None;
            vec![Step::Do(Effect::RememberPlace(place))]
        }
        Outcome::Submit => {
            // Every field passed its own check (the form's definition) on Ctrl-S.
            let values = form
                .fields
                .iter()
                .filter(|f| f.def.is_some())
                .filter_map(|f| Some((f.key.clone(), f.typed_value().ok()??)))
                .collect();
            vec![Step::Do(Effect::CorrectEvidence {
                evidence,
                values,
                reason: form.value(REASON).to_string(),
            })]
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
