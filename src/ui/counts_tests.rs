//! "附件 N" on every row a file can be attached to in the checklist's screens: evidence
//! records, enforcement actions, and the hazards the review lists. A row with none says
//! nothing; a long row is cut before its count, never the count.

use super::tests::{render, snap};
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::app::tests::{
    attachment, catalog, ch, corrected_hazard, ctx_at_now, feed, key, meta, view,
};
use crate::domain::attachment::TargetKind;
use crate::domain::{
    EnforcementAction, EnforcementKind, EvidenceKind, EvidenceRecord, FieldValue, Record,
};
use crossterm::event::KeyCode;

fn certificate(inspection: uuid::Uuid, name: &str, no: &str) -> Record<EvidenceRecord> {
    Record {
        meta: meta(),
        data: EvidenceRecord {
            inspection_id: inspection,
            kind: EvidenceKind::SpecialOperationCertificate,
            form_version: 1,
            values: [
                ("holder_name", name),
                ("cert_no", no),
                ("issuing_system", "应急管理（特种作业操作证）"),
                ("valid_until", "2025-05-01"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), FieldValue::Text(v.to_string())))
            .collect(),
        },
    }
}

fn order(inspection: uuid::Uuid, no: &str) -> Record<EnforcementAction> {
    Record {
        meta: meta(),
        data: EnforcementAction {
            kind: EnforcementKind::InterviewNotice,
            enterprise_id: None,
            inspection_id: Some(inspection),
            hazard_id: None,
            decided_on: chrono::NaiveDate::from_ymd_opt(2023, 8, 15).expect("day"),
            document_no: no.into(),
            amount_fen: None,
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        },
    }
}

/// The row of `screen` that holds `text`, its border and padding taken off.
fn row<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no row with {text}: {screen}"))
        .trim_end_matches([' ', '│'])
}

#[test]
fn evidence_actions_and_hazards_show_their_file_counts() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut v = view(&catalog);
    let id = v.id();
    v.evidence = vec![
        certificate(id, "赵六", "T11010519491231002X"),
        certificate(id, "钱七", "T110105194912310038"),
    ];
    let long = "方应急约谈〔2023〕12号（约谈主要负责人：储罐区紧急切断装置、卸油口防静电接地、油气回收系统）";
    v.actions = vec![order(id, long), order(id, "方应急约谈〔2023〕13号")];
    let (hazard, _, _) = corrected_hazard();
    v.hazards = vec![hazard.clone()];
    v.attachments = vec![
        attachment(v.evidence[0].id(), TargetKind::Evidence, None),
        attachment(v.evidence[0].id(), TargetKind::Evidence, None),
        attachment(v.actions[0].id(), TargetKind::Action, None),
        attachment(hazard.id(), TargetKind::Hazard, None),
        attachment(hazard.id(), TargetKind::Hazard, None),
        attachment(hazard.id(), TargetKind::Hazard, None),
    ];
    let mut app = App::default();
    app.update(Msg::InspectionOpened(Box::new(v), None), &ctx);

    feed(&mut app, &ctx, [ch('r'), key(KeyCode::Tab)]);
    snap("evidence_counts", &app, &ctx);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, &ctx, w, h);
        assert!(
            row(&screen, "赵六").ends_with("附件 2"),
            "{w}x{h}: {screen}"
        );
        assert!(!row(&screen, "钱七").contains("附件"), "{w}x{h}: {screen}");
    }

    feed(&mut app, &ctx, [key(KeyCode::Esc), ch('f')]);
    snap("actions_counts", &app, &ctx);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, &ctx, w, h);
        assert!(
            row(&screen, "12号").ends_with("附件 1"),
            "{w}x{h}: {screen}"
        );
        assert!(!row(&screen, "13号").contains("附件"), "{w}x{h}: {screen}");
    }

    feed(&mut app, &ctx, [key(KeyCode::Esc), ch('v')]);
    // Tall enough for the hazards below the 28 unanswered items.
    let screen = render(&app, &ctx, 120, 80);
    assert!(
        row(&screen, "储罐区紧急切断装置失效").ends_with("附件 3"),
        "{screen}"
    );
}
