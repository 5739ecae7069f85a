//! One module per screen: its state and how keys change it. Pure: keys and messages in,
//! [`Step`]s out; the app applies them and the effect runner does the I/O.

pub mod actions;
pub mod attach;
pub mod backup;
pub mod checklist;
pub mod correction;
pub mod documents;
pub mod evidence;
pub mod exam;
pub mod exchange;
pub mod explain;
pub mod hazard;
pub mod hazard_detail;
pub mod home;
pub mod ledger;
pub mod loose_form;
pub mod month_list;
pub mod monthly;
pub mod monthly_forms;
pub mod office;
pub mod office_hazard;
pub mod overlays;
pub mod path_completion;
pub mod picker;
pub mod report;
pub mod review;
pub mod roster;
pub mod setup;

use super::keymap::Binding;
use super::msg::Effect;
use crate::templates::Catalog;
use chrono::{DateTime, Utc};

/// What screens read but never change: the configuration and the clock.
pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub now: DateTime<Utc>,
}

/// What a screen asks of the app.
pub enum Step {
    Do(Effect),
    Go(Box<Screen>),
    Open(overlays::Overlay),
    Close,
    Say(String),
    Help(&'static [Binding]),
    /// A message too long for the status line, in a window that scrolls: title, lines.
    Show(String, Vec<String>),
    /// From the checklist to the hazard form for the selected item.
    ToHazard,
    /// From the checklist to its evidence records.
    ToEvidence,
    ToExam,
    ToActions,
    /// From the checklist to review and finalize.
    ToReview,
    /// Back to the checklist this screen was opened from.
    BackToChecklist,
}

/// When a key moved the focus to another field of a form, remember the form as it stands:
/// a crash then loses at most the field being typed.
pub fn remember_form(
    back: &checklist::Checklist,
    form: &crate::app::form::Form,
    which: crate::app::msg::DraftForm,
    focus_before: usize,
) -> Vec<Step> {
    if form.focus == focus_before {
        return vec![];
    }
    let (values, focus) = form.snapshot();
    let place = crate::app::msg::Place {
        form: Some(crate::app::msg::FormDraft {
            form: which,
            values,
            focus,
        }),
        ..back.place()
    };
    vec![Step::Do(Effect::RememberPlace(place))]
}

/// [`remember_form`] for a loose form (no draft inspection behind it: the ledger's, the
/// monthly table's, the documents screen's): remembered when the focus moves, and when it
/// opens (`focus_before` = `usize::MAX`). One key holds it; see [`loose_form::resumed`].
pub fn remember_loose_form(
    form: &crate::app::form::Form,
    which: crate::app::msg::DraftForm,
    focus_before: usize,
) -> Vec<Step> {
    if form.focus == focus_before {
        return vec![];
    }
    let (values, focus) = form.snapshot();
    vec![Step::Do(Effect::RememberLooseForm(Some(
        crate::app::msg::FormDraft {
            form: which,
            values,
            focus,
        },
    )))]
}

/// The loose form was saved or given up: nothing to reopen.
pub fn forget_loose_form() -> Step {
    Step::Do(Effect::RememberLooseForm(None))
}

impl Step {
    pub fn go(screen: Screen) -> Step {
        Step::Go(Box::new(screen))
    }

    /// Back to the home screen, its counts read afresh.
    pub fn home() -> Vec<Step> {
        vec![
            Step::go(Screen::Home(Default::default())),
            Step::Do(Effect::LoadHome),
        ]
    }
}

pub enum Screen {
    Home(home::Home),
    Setup(setup::Setup),
    Checklist(checklist::Checklist),
    Hazard(hazard::HazardScreen),
    Evidence(evidence::EvidenceScreen),
    Exam(exam::ExamScreen),
    Actions(actions::ActionsScreen),
    Review(review::Review),
    Ledger(Box<ledger::Ledger>),
    Exchange(Box<exchange::Exchange>),
    Monthly(Box<monthly::Monthly>),
    Roster(Box<roster::RosterScreen>),
    Documents(Box<documents::Documents>),
}
