//! The read-only viewer of a finalized inspection with its corrections: the header's times in
//! force, the time-correction form, the evidence with its history.

use crate::app::msg::Msg;
use crate::app::screens::Screen;
use crate::app::screens::correction::tests::finalized_view;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctx_at_now, feed, meta, now};
use crate::domain::{EvidenceCorrection, EvidenceKind, FieldValue, Record, TimeCorrection};
use chrono::TimeDelta;

#[test]
fn the_time_correction_form_and_the_corrected_header() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let view = finalized_view(&catalog);
    let id = view.id();
    app.update(Msg::InspectionOpened(Box::new(view), None), &ctx);
    let screen = super::tests::render(&app, &ctx, 80, 24);
    assert!(
        screen.contains("【已定稿·只读】08-15 08:00–09:20 ·"),
        "{screen}"
    );
    feed(&mut app, &ctx, [ch('t')]);
    super::tests::snap("time_correction_form", &app, &ctx);
    app.update(
        Msg::TimesCorrected(Record {
            meta: meta(),
            data: TimeCorrection {
                inspection_id: id,
                arrived_at: Some(now() - TimeDelta::minutes(100)),
                departed_at: Some(now() - TimeDelta::minutes(20)),
                reason: "按执法记录仪".into(),
            },
        }),
        &ctx,
    );
    super::tests::snap("finalized_corrected", &app, &ctx);
}

#[test]
fn the_evidence_of_a_finalized_inspection_shows_its_corrections() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let mut view = finalized_view(&catalog);
    let record = view.evidence[0].clone();
    let mut values = record.data.values.clone();
    values.insert("name".into(), FieldValue::Text("消防演练".into()));
    view.evidence_corrections.push(Record {
        meta: meta(),
        data: EvidenceCorrection {
            evidence_id: record.id(),
            form_version: 2,
            values,
            reason: "名称抄错".into(),
        },
    });
    app.update(Msg::InspectionOpened(Box::new(view), None), &ctx);
    feed(&mut app, &ctx, [ch('r')]);
    if let Screen::Evidence(e) = &mut app.screen {
        e.kind = EvidenceKind::DrillRecord;
    }
    let screen = super::tests::render(&app, &ctx, 120, 40);
    assert!(screen.contains("（已更正）演练名称：消防演练"), "{screen}");
    assert!(
        screen.contains("演练名称：火灾疏散演练 → 消防演练"),
        "{screen}"
    );
    super::tests::snap("evidence_finalized", &app, &ctx);
}
