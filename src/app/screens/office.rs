//! The office's forms between screens: the ledger's hazard entry and the monthly table's
//! activity and correction forms — opened once the runner has read what they need, reopened
//! after a crash with what had been typed (see `loose_form`), and closed when their record is
//! saved.

use super::monthly::Monthly;
use super::monthly_forms::Editing;
use super::office_hazard::OfficeHazardForm;
use super::{Ctx, Screen, Step};
use crate::app::msg::{CorrectionTarget, Effect, FormDraft};
use crate::app::state::App;
use crate::domain::{Enterprise, Hazard, Record};

/// The ledger's hazard entry at the enterprise chosen, unless the profile may not register one.
pub fn hazard_ready(
    app: &mut App,
    enterprise: Record<Enterprise>,
    refused: Option<String>,
    draft: Option<FormDraft>,
    ctx: &Ctx,
) -> Vec<Step> {
    if let Some(why) = refused {
        let mut steps = vec![Step::Say(format!("不能登记隐患：{why}"))];
        if draft.is_some() {
            steps.push(super::forget_loose_form());
        }
        return steps;
    }
    let mut steps = Vec::new();
    if !matches!(app.screen, Screen::Ledger(_)) {
        app.overlays.clear();
        app.screen = Screen::Ledger(Box::default());
        steps.push(Step::Do(Effect::LoadLedger));
    }
    if let Screen::Ledger(l) = &mut app.screen {
        let form = OfficeHazardForm::new(&enterprise, ctx, draft.as_ref());
        steps.extend(form.opened());
        l.detail = None;
        l.report = None;
        l.office = Some(form);
    }
    steps
}

/// A hazard registered at the office: the ledger shows it selected.
pub fn hazard_saved(app: &mut App, rec: &Record<Hazard>, reward: Option<i64>) -> Vec<Step> {
    let h = &rec.data;
    let mut said = format!("已登记{}隐患（{}）", h.grade.label(), h.source.label());
    if let Some(fen) = reward {
        said.push_str(&format!(
            "；举报奖励 {} 已登记，待举报查实（复查验收）后计入调度表 D5",
            crate::domain::money::wan_text(fen)
        ));
    }
    if let Screen::Ledger(l) = &mut app.screen {
        l.office = None;
        l.select = Some(rec.id());
    }
    vec![
        super::forget_loose_form(),
        Step::Do(Effect::LoadLedger),
        Step::Say(said),
    ]
}

/// The record to correct, found (or why not): its correction form on the monthly table.
pub fn correction_ready(
    app: &mut App,
    target: Result<CorrectionTarget, String>,
    draft: Option<FormDraft>,
    ctx: &Ctx,
) -> Vec<Step> {
    if let Err(why) = target {
        let mut steps = vec![Step::Say(why)];
        if draft.is_some() {
            steps.push(super::forget_loose_form());
        }
        return steps;
    }
    let mut steps = to_monthly(app, ctx);
    if let Screen::Monthly(m) = &mut app.screen {
        steps.extend(m.correction_ready(target, draft.as_ref(), ctx));
    }
    steps
}

/// A record saved from the monthly table's form: the table counts it, the form is forgotten.
pub fn saved_on_monthly(app: &mut App, ctx: &Ctx, said: &str) -> Vec<Step> {
    let mut steps = vec![super::forget_loose_form()];
    if let Screen::Monthly(m) = &mut app.screen {
        m.form = None;
        m.editing = Editing::Activity;
        // The records behind the row changed: back to the table, counted afresh.
        m.explain = None;
        steps.extend(m.reload(ctx));
    }
    steps.push(Step::Say(said.to_string()));
    steps
}

/// The monthly table (opened for the profile's group when coming from home).
pub(super) fn to_monthly(app: &mut App, ctx: &Ctx) -> Vec<Step> {
    if matches!(app.screen, Screen::Monthly(_)) {
        return vec![];
    }
    let group = match &app.screen {
        Screen::Home(h) => h.data.as_ref().and_then(|d| d.profile_group.clone()),
        _ => None,
    };
    let monthly = Monthly::new(ctx, group.as_deref());
    let steps = monthly.load(ctx);
    app.overlays.clear();
    app.screen = Screen::Monthly(Box::new(monthly));
    steps
}
