//! The corrections typed in the read-only viewer of a finalized inspection: keys in, state and
//! effects out.

use crate::app::msg::*;
use crate::app::screens::Screen;
use crate::app::state::App;
use crate::app::tests::{acting, catalog, ch, ctrl, ctx_at_now, feed, key, meta, now, typed, view};
use crate::domain::*;
use chrono::TimeDelta;
use crossterm::event::KeyCode;
use std::collections::BTreeMap;

/// A finalized inspection: arrived 08:00, left 09:20, signed 09:30 (Beijing, 2023-08-15), with
/// one drill record.
pub(crate) fn finalized_view(catalog: &crate::templates::Catalog) -> InspectionView {
    let mut v = view(catalog);
    let i = &mut v.inspection.data;
    i.arrival_at = now() - TimeDelta::minutes(90);
    i.departed_at = Some(now() - TimeDelta::minutes(10));
    i.finalized_at = Some(now());
    i.status = InspectionStatus::Finalized;
    v.evidence.push(Record {
        meta: meta(),
        data: EvidenceRecord {
            inspection_id: v.inspection.id(),
            kind: EvidenceKind::DrillRecord,
            form_version: 2,
            values: BTreeMap::from([
                ("name".into(), FieldValue::Text("火灾疏散演练".into())),
                ("plan_type".into(), FieldValue::Text("现场处置方案".into())),
                ("held_on".into(), FieldValue::Text("2023-06-16".into())),
                ("staff_know_exits".into(), FieldValue::Bool(true)),
            ]),
        },
    });
    v
}

fn opened(catalog: &crate::templates::Catalog) -> App {
    let ctx = ctx_at_now(catalog);
    let mut app = App::default();
    app.update(
        Msg::InspectionOpened(Box::new(finalized_view(catalog)), None),
        &ctx,
    );
    app
}

fn times_form(app: &App) -> &crate::app::form::Form {
    match &app.screen {
        Screen::Checklist(c) => c.times.as_ref().expect("the time form"),
        _ => panic!("not the checklist"),
    }
}

/// Clears the field in focus (its prefilled value) and types `text`.
fn retype(text: &str) -> Vec<Msg> {
    let mut msgs: Vec<Msg> = (0..20).map(|_| key(KeyCode::Backspace)).collect();
    msgs.extend(typed(text));
    msgs
}

#[test]
fn t_opens_the_times_in_force_and_a_departure_after_signing_is_refused_at_the_field() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = opened(&catalog);
    // Keys that would change the record say where corrections are.
    feed(&mut app, &ctx, [ch('1')]);
    let said = app.notice.as_ref().expect("notice").text.clone();
    assert!(said.contains("时间记错按 t 更正"), "{said}");

    feed(&mut app, &ctx, [ch('t')]);
    let form = times_form(&app);
    assert_eq!(form.value("arrived_at"), "2023-08-15 08:00");
    assert_eq!(form.value("departed_at"), "2023-08-15 09:20");
    assert_eq!(form.value("reason"), "");

    let mut msgs = vec![key(KeyCode::Tab)];
    msgs.extend(retype("2023-08-15 09:40"));
    msgs.extend([key(KeyCode::Tab)]);
    msgs.extend(typed("按登记簿"));
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    assert_eq!(effects, vec![], "nothing saved");
    let form = times_form(&app);
    let departed = form
        .fields
        .iter()
        .find(|f| f.key == "departed_at")
        .expect("field");
    let why = departed.error.clone().expect("error at the field");
    assert!(why.contains("晚于定稿签名时间 2023-08-15 09:30"), "{why}");
    assert_eq!(form.focus, 1);

    // A departure within the visit lands as one effect stating both times.
    let mut msgs = retype("2023-08-15 09:05");
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let inspection = match &app.screen {
        Screen::Checklist(c) => c.view.id(),
        _ => panic!("checklist"),
    };
    assert_eq!(
        effects,
        vec![Effect::CorrectTimes {
            inspection,
            arrived_at: now() - TimeDelta::minutes(90),
            departed_at: now() - TimeDelta::minutes(25),
            reason: "按登记簿".into(),
        }]
    );
}

#[test]
fn a_reason_is_required_and_the_form_is_remembered_and_resumed() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = opened(&catalog);
    let mut msgs = vec![ch('t'), key(KeyCode::Tab)];
    msgs.extend(retype("2023-08-15 09:00"));
    let effects = feed(&mut app, &ctx, msgs);
    assert!(acting(effects.clone()).is_empty());
    // Leaving the field remembered the form as a draft of a correction.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let place = effects
        .iter()
        .find_map(|e| match e {
            Effect::RememberPlace(p) => Some(p.clone()),
            _ => None,
        })
        .expect("remembered");
    let draft = place.form.clone().expect("form draft");
    assert_eq!(draft.form, DraftForm::TimeCorrection);
    assert!(draft.form.of_finalized());
    assert!(
        draft
            .values
            .contains(&("departed_at".into(), "2023-08-15 09:00".into()))
    );
    // No reason: refused at the field.
    let effects = acting(feed(&mut app, &ctx, [ctrl('s')]));
    assert!(effects.is_empty());
    let reason = times_form(&app)
        .fields
        .iter()
        .find(|f| f.key == "reason")
        .expect("reason");
    assert!(
        reason
            .error
            .as_deref()
            .is_some_and(|e| e.contains("更正理由不能为空"))
    );

    // After a crash the viewer reopens with the form as it was.
    let mut again = App::default();
    again.update(
        Msg::InspectionOpened(Box::new(finalized_view(&catalog)), Some(place)),
        &ctx,
    );
    let form = times_form(&again);
    assert_eq!(form.value("departed_at"), "2023-08-15 09:00");
    assert_eq!(form.focus, 2);

    // Esc cancels and forgets the draft.
    let effects = feed(&mut again, &ctx, [key(KeyCode::Esc)]);
    assert!(matches!(&again.screen, Screen::Checklist(c) if c.times.is_none()));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RememberPlace(p) if p.form.is_none()))
    );
}

#[test]
fn a_saved_correction_is_in_force_and_shown_as_corrected() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = opened(&catalog);
    feed(&mut app, &ctx, [ch('t')]);
    let inspection = match &app.screen {
        Screen::Checklist(c) => c.view.id(),
        _ => panic!("checklist"),
    };
    let effects = app.update(
        Msg::TimesCorrected(Record {
            meta: meta(),
            data: TimeCorrection {
                inspection_id: inspection,
                arrived_at: Some(now() - TimeDelta::minutes(100)),
                departed_at: Some(now() - TimeDelta::minutes(20)),
                reason: "按执法记录仪".into(),
            },
        }),
        &ctx,
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RememberPlace(p) if p.form.is_none()))
    );
    let Screen::Checklist(c) = &app.screen else {
        panic!("checklist")
    };
    assert!(c.times.is_none());
    assert_eq!(
        c.view.visit().text(),
        "2023-08-15 07:50 至 2023-08-15 09:10（已更正）"
    );
    let said = &app.notice.as_ref().expect("said").text;
    assert!(said.contains("（已更正）"), "{said}");
}

#[test]
fn evidence_of_a_finalized_inspection_is_corrected_not_edited() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = opened(&catalog);
    feed(&mut app, &ctx, [ch('r')]);
    let Screen::Evidence(e) = &mut app.screen else {
        panic!("evidence")
    };
    e.kind = EvidenceKind::DrillRecord;
    let record = e.records()[0].id();
    // Adding or editing is refused with the way to correct.
    feed(&mut app, &ctx, [ch('a')]);
    let said = app.notice.as_ref().expect("said").text.clone();
    assert!(said.contains("按 c 更正"), "{said}");

    feed(&mut app, &ctx, [ch('c')]);
    let Screen::Evidence(e) = &app.screen else {
        panic!("evidence")
    };
    let (id, form) = e.correcting.as_ref().expect("the correction form");
    assert_eq!(*id, record);
    assert_eq!(form.value("name"), "火灾疏散演练");
    assert_eq!(form.value("held_on"), "2023-06-16");
    // The name retyped, a reason, saved: the whole values, corrected.
    let mut msgs = retype("消防演练");
    let reason_at = form
        .fields
        .iter()
        .position(|f| f.key == "reason")
        .expect("reason");
    msgs.extend((0..reason_at).map(|_| key(KeyCode::Tab)));
    msgs.extend(typed("名称抄错"));
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [
        Effect::CorrectEvidence {
            evidence,
            values,
            reason,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(*evidence, record);
    assert_eq!(reason, "名称抄错");
    assert_eq!(
        values.get("name"),
        Some(&FieldValue::Text("消防演练".into()))
    );
    assert_eq!(
        values.get("staff_know_exits"),
        Some(&FieldValue::Bool(true))
    );
    assert!(!values.contains_key("reason"));

    let effects = app.update(
        Msg::EvidenceCorrected(Record {
            meta: meta(),
            data: EvidenceCorrection {
                evidence_id: record,
                form_version: 2,
                values: values.clone(),
                reason: reason.clone(),
            },
        }),
        &ctx,
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RememberPlace(_)))
    );
    let Screen::Evidence(e) = &app.screen else {
        panic!("evidence")
    };
    assert!(e.correcting.is_none());
    let (now_values, corrected) = super::values_of(&e.back.view, e.records()[0]);
    assert!(corrected);
    assert_eq!(
        now_values.get("name"),
        Some(&FieldValue::Text("消防演练".into()))
    );
}
