//! Loose forms as pure state: the ledger's step forms and the documents screen's forms are
//! remembered when the focus leaves a field, forgotten when done with, and a restart reopens
//! the same screen with the same form and what had been typed.

use crate::app::msg::{DraftForm, Effect, FormDraft, HazardNotes, Msg};
use crate::app::screens::Screen;
use crate::app::screens::documents::tests::{app_on_documents, list};
use crate::app::screens::documents::{Documents, Subject};
use crate::app::screens::hazard_detail::StepForm;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, feed, key, ledger_index, meta, now, typed};
use crate::domain::lifecycle::{self, Stage};
use crate::domain::{Hazard, HazardGrade, HazardSource, Record};
use crate::templates::campaign::DocumentKind;
use crossterm::event::KeyCode;
use uuid::Uuid;

fn hazard() -> Record<Hazard> {
    Record {
        meta: meta(),
        data: Hazard {
            enterprise_id: Uuid::nil(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "储罐区紧急切断装置失效".into(),
            location: "储罐区".into(),
            basis: "GB 50156".into(),
            found_at: now(),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        },
    }
}

fn loaded(h: &Record<Hazard>, stage: Stage) -> Msg {
    let mut status = lifecycle::fold(&h.data, &[]);
    status.stage = stage;
    Msg::HazardLoaded(
        Box::new((h.clone(), vec![], status)),
        HazardNotes::default(),
    )
}

/// What was remembered last (`Some(None)`: forgotten).
fn remembered(effects: &[Effect]) -> Option<Option<FormDraft>> {
    effects.iter().rev().find_map(|e| match e {
        Effect::RememberLooseForm(d) => Some(d.clone()),
        _ => None,
    })
}

/// The step form open on the detail: which, its values, its focus.
type Open = (StepForm, Vec<(String, String)>, usize);

fn step_form(app: &App) -> Option<Open> {
    let Screen::Ledger(l) = &app.screen else {
        return None;
    };
    let (which, form) = l.detail.as_ref()?.form.as_ref()?;
    let (values, focus) = form.snapshot();
    Some((*which, values, focus))
}

fn value<'a>(values: &'a [(String, String)], key: &str) -> &'a str {
    values
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn a_step_form_is_remembered_as_the_focus_leaves_a_field_and_forgotten_when_done() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let h = hazard();
    let mut app = App {
        screen: Screen::Ledger(Default::default()),
        ..App::default()
    };
    feed(
        &mut app,
        &ctx,
        [
            Msg::LedgerLoaded(ledger_index(3)),
            loaded(&h, Stage::Registered),
        ],
    );
    // Opening the form and typing in its first field write nothing yet.
    let mut msgs = vec![ch('z')];
    msgs.extend(typed("2023-10-01"));
    assert_eq!(feed(&mut app, &ctx, msgs), []);
    // Tab: the form as it stands, naming the hazard and the step.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let Some(Some(draft)) = remembered(&effects) else {
        panic!("remembered: {effects:?}")
    };
    assert_eq!(
        draft.form,
        DraftForm::HazardStep {
            hazard: h.id(),
            step: StepForm::Rectify
        }
    );
    assert_eq!(value(&draft.values, "deadline"), "2023-10-01");
    assert_eq!(draft.focus, 1);
    // Typing within a field writes nothing; the next Tab has it.
    assert_eq!(feed(&mut app, &ctx, typed("王五")), []);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let Some(Some(draft)) = remembered(&effects) else {
        panic!("{effects:?}")
    };
    assert_eq!(value(&draft.values, "responsible"), "王五");
    // Esc gives it up: forgotten.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert_eq!(remembered(&effects), Some(None));
    assert!(step_form(&app).is_none());
    // A form sent is remembered as sent, and forgotten once the step is recorded.
    let mut msgs = vec![ch('m')];
    msgs.extend(typed("圪洞镇人民政府"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    assert!(matches!(remembered(&effects), Some(Some(_))), "{effects:?}");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ApplyStep { .. })),
        "{effects:?}"
    );
    let effects = app.update(Msg::StepApplied(h.id()), &ctx);
    assert_eq!(remembered(&effects), Some(None));
}

#[test]
fn a_step_form_is_reopened_on_its_hazards_detail_in_the_ledger() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let h = hazard();
    let draft = FormDraft {
        form: DraftForm::HazardStep {
            hazard: h.id(),
            step: StepForm::Rectify,
        },
        values: vec![
            ("deadline".into(), "2023-10-01".into()),
            ("responsible".into(), "王五".into()),
        ],
        focus: 2,
    };
    let mut app = App::default();
    let effects = app.update(Msg::LooseFormResumed(draft), &ctx);
    assert_eq!(
        effects,
        [Effect::LoadLedger, Effect::LoadHazard(h.id())],
        "the ledger, then the hazard"
    );
    assert!(matches!(&app.screen, Screen::Ledger(l) if l.select == Some(h.id())));
    feed(
        &mut app,
        &ctx,
        [
            Msg::LedgerLoaded(ledger_index(3)),
            loaded(&h, Stage::Registered),
        ],
    );
    let (which, values, focus) = step_form(&app).expect("the form reopened");
    assert_eq!(which, StepForm::Rectify);
    assert_eq!(value(&values, "deadline"), "2023-10-01");
    assert_eq!(value(&values, "responsible"), "王五");
    assert_eq!(focus, 2, "on the field being typed");
    // Read again later (after a step), the detail comes without it.
    app.update(loaded(&h, Stage::Registered), &ctx);
    assert!(step_form(&app).is_none());
}

#[test]
fn a_step_the_hazard_has_moved_past_is_not_reopened_and_says_why() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let h = hazard();
    let draft = FormDraft {
        form: DraftForm::HazardStep {
            hazard: h.id(),
            step: StepForm::Rectify,
        },
        values: vec![("deadline".into(), "2023-10-01".into())],
        focus: 1,
    };
    let mut app = App::default();
    app.update(Msg::LooseFormResumed(draft), &ctx);
    let effects = feed(
        &mut app,
        &ctx,
        [
            Msg::LedgerLoaded(ledger_index(3)),
            loaded(&h, Stage::ClosedOut),
        ],
    );
    assert_eq!(remembered(&effects), Some(None), "the draft is dropped");
    assert!(step_form(&app).is_none());
    let said = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        said.starts_with("填到一半的“进入整改中”未恢复：隐患已销号"),
        "{said}"
    );
}

fn docs(app: &App) -> &Documents {
    match &app.screen {
        Screen::Documents(d) => d,
        _ => panic!("not on the documents screen"),
    }
}

fn measures_draft(on_site: bool) -> FormDraft {
    let row = &list().rows[2];
    FormDraft {
        form: DraftForm::Document {
            subject: list().subject,
            kind: DocumentKind::OnsiteMeasures,
            of: row.subject,
            on_site,
        },
        values: vec![
            ("danger".into(), "卸油区油气浓度超标".into()),
            ("m_suspend".into(), "是".into()),
        ],
        focus: 4,
    }
}

#[test]
fn the_issue_form_is_remembered_as_the_focus_leaves_a_field_and_forgotten_once_issued() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(true);
    // The measures decision (third row): 出具时间, 指定时间, then 危险情况.
    let effects = feed(&mut app, &ctx, [ch('j'), ch('j'), key(KeyCode::Enter)]);
    assert_eq!(effects, [], "nothing typed yet");
    feed(&mut app, &ctx, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(feed(&mut app, &ctx, typed("卸油区油气浓度超标")), []);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let Some(Some(draft)) = remembered(&effects) else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.form, measures_draft(true).form);
    assert_eq!(value(&draft.values, "danger"), "卸油区油气浓度超标");
    // Esc: forgotten.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert_eq!(remembered(&effects), Some(None));
    // The folder: remembered as Tab completes it, forgotten when chosen.
    feed(&mut app, &ctx, [ch('d')]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let Some(Some(draft)) = remembered(&effects) else {
        panic!("{effects:?}")
    };
    assert_eq!(
        draft.form,
        DraftForm::DocumentFolder {
            subject: list().subject,
            on_site: true
        }
    );
}

#[test]
fn the_issue_form_is_reopened_on_its_row_and_esc_goes_back_where_it_came_from() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let Subject::Inspection(inspection) = list().subject else {
        panic!("an inspection's list")
    };
    for on_site in [false, true] {
        let mut app = App::default();
        let effects = app.update(Msg::LooseFormResumed(measures_draft(on_site)), &ctx);
        assert_eq!(effects, [Effect::LoadDocuments(list().subject)]);
        app.update(Msg::DocumentsLoaded(Box::new(list())), &ctx);
        let d = docs(&app);
        let (row, form) = d.form.as_ref().expect("the form reopened");
        assert_eq!((*row, d.selected), (2, 2), "on the measures decision's row");
        assert_eq!(form.value("danger"), "卸油区油气浓度超标");
        assert_eq!(form.value("m_suspend"), "是");
        assert_eq!(form.focus, 4);
        assert_eq!(d.on_site_default, on_site);
        // Esc closes the form, Esc again leaves the screen.
        feed(&mut app, &ctx, [key(KeyCode::Esc)]);
        let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
        if on_site {
            assert_eq!(
                effects,
                [Effect::LoadHome],
                "offered after finalizing: home"
            );
        } else {
            assert_eq!(
                effects,
                [Effect::OpenInspection(inspection, None)],
                "back to the finalized inspection's viewer"
            );
        }
    }
}

#[test]
fn a_hazards_document_form_is_reopened_and_esc_reads_its_detail_again() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let hazard = Uuid::from_u128(2);
    let mut hazard_list = list();
    hazard_list.subject = Subject::Hazard(hazard);
    for r in &mut hazard_list.rows {
        r.subject = hazard;
    }
    let draft = FormDraft {
        form: DraftForm::DocumentFolder {
            subject: Subject::Hazard(hazard),
            on_site: false,
        },
        values: vec![("folder".into(), "/media/u盘/文书".into())],
        focus: 0,
    };
    let mut app = App::default();
    app.update(Msg::LooseFormResumed(draft), &ctx);
    app.update(Msg::DocumentsLoaded(Box::new(hazard_list)), &ctx);
    let form = docs(&app).folder_form.as_ref().expect("the folder form");
    assert_eq!(form.value("folder"), "/media/u盘/文书");
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert_eq!(effects, [Effect::LoadLedger, Effect::LoadHazard(hazard)]);
    assert!(matches!(&app.screen, Screen::Ledger(l) if l.select == Some(hazard)));
}

#[test]
fn a_document_issued_meanwhile_is_not_reopened() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut issued = list();
    issued.rows[2].issued = Some(("方应急现决〔2023〕3号".into(), now()));
    let mut app = App::default();
    app.update(Msg::LooseFormResumed(measures_draft(false)), &ctx);
    let effects = app.update(Msg::DocumentsLoaded(Box::new(issued)), &ctx);
    assert_eq!(effects, [Effect::RememberLooseForm(None)]);
    assert!(docs(&app).form.is_none());
    let said = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(said.contains("已经出具（方应急现决〔2023〕3号）"), "{said}");
}

#[test]
fn the_new_drafts_are_written_and_read_back_as_the_runner_stores_them() {
    let drafts = [
        FormDraft {
            form: DraftForm::HazardStep {
                hazard: Uuid::from_u128(9),
                step: StepForm::Close,
            },
            values: vec![("signer".into(), "王县长".into())],
            focus: 1,
        },
        measures_draft(true),
        FormDraft {
            form: DraftForm::DocumentFolder {
                subject: Subject::Hazard(Uuid::from_u128(9)),
                on_site: false,
            },
            values: vec![],
            focus: 0,
        },
    ];
    for draft in drafts {
        let text = serde_json::to_string(&draft).expect("json");
        let back: FormDraft = serde_json::from_str(&text).expect("read back");
        assert_eq!(back, draft, "{text}");
    }
}
