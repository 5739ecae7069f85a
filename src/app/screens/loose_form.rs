//! Loose forms: the forms typed with no draft inspection behind them — the ledger's hazard
//! entry and the steps of a hazard's closed loop, the monthly table's activity and correction
//! forms, the documents screen's issue and folder forms. Each is remembered under one key as
//! its focus leaves a field ([`super::remember_loose_form`]) and forgotten when saved or given
//! up; after a crash the app starts on the same screen with the same form and what had been
//! typed. (An inspection's own forms travel with its `Place` instead.)

use super::documents::{Documents, Subject};
use super::ledger::Ledger;
use super::monthly_forms::{Editing, activity_form};
use super::{Ctx, Screen, Step};
use crate::app::msg::{DraftForm, Effect, FormDraft};
use crate::app::state::App;

/// The form a crash interrupted: read again what it needs, then reopen it.
pub fn resumed(app: &mut App, draft: FormDraft, ctx: &Ctx) -> Vec<Step> {
    match draft.form {
        DraftForm::OfficeHazard { enterprise } => vec![Step::Do(Effect::OpenOfficeHazard {
            enterprise,
            draft: Some(draft),
        })],
        DraftForm::ActivityCorrection { corrects } | DraftForm::ActionCorrection { corrects } => {
            vec![Step::Do(Effect::OpenCorrection {
                record: corrects,
                draft: Some(draft),
            })]
        }
        DraftForm::Activity => {
            let mut steps = super::office::to_monthly(app, ctx);
            if let Screen::Monthly(m) = &mut app.screen {
                steps.extend(m.open_form(Editing::Activity, activity_form(ctx), Some(&draft)));
            }
            steps
        }
        // The ledger, the hazard selected, its detail read: the form reopens on it.
        DraftForm::HazardStep { hazard, .. } => {
            let ledger = Ledger {
                select: Some(hazard),
                resume: Some(draft),
                ..Ledger::default()
            };
            vec![
                Step::go(Screen::Ledger(Box::new(ledger))),
                Step::Do(Effect::LoadLedger),
                Step::Do(Effect::LoadHazard(hazard)),
            ]
        }
        DraftForm::Document {
            subject, on_site, ..
        }
        | DraftForm::DocumentFolder { subject, on_site } => {
            let docs = documents(subject, on_site, draft);
            let load = docs.load();
            vec![Step::go(Screen::Documents(Box::new(docs))), load]
        }
        // An inspection's forms come back with its place.
        DraftForm::Hazard
        | DraftForm::Evidence { .. }
        | DraftForm::Action
        | DraftForm::TimeCorrection
        | DraftForm::EvidenceCorrection { .. } => vec![],
    }
}

/// The documents screen of `subject` as it was, the form reopened once its list is read. Esc
/// goes back where the screen was opened from: the hazard's detail in the ledger, the
/// finalized inspection's read-only view, or home when it was offered right after finalizing.
fn documents(subject: Subject, on_site: bool, draft: FormDraft) -> Documents {
    let (back, back_load) = match subject {
        Subject::Hazard(hazard) => (
            Some(Box::new(Screen::Ledger(Box::new(Ledger {
                select: Some(hazard),
                ..Ledger::default()
            })))),
            vec![Effect::LoadLedger, Effect::LoadHazard(hazard)],
        ),
        Subject::Inspection(_) if on_site => (None, vec![]),
        Subject::Inspection(id) => (None, vec![Effect::OpenInspection(id, None)]),
    };
    let mut docs = Documents::new(subject, back, on_site);
    docs.resume = Some(draft);
    docs.back_load = back_load;
    docs
}

#[cfg(test)]
#[path = "loose_form_tests.rs"]
mod tests;
