//! The guard before the form: a step the hazard is not ready for (or the profile may not take)
//! is refused on its key, naming the key to press first, and no form opens.

use super::{StepForm, permission_probes, refusal};
use crate::app::msg::{HazardNotes, Msg};
use crate::app::screens::Screen;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctx_at_now, feed, ledger_index, meta, now};
use crate::domain::lifecycle::{self, Stage, Status};
use crate::domain::{FiveFixes, Hazard, HazardEventKind, HazardGrade, HazardSource, Record};

fn hazard(grade: HazardGrade) -> Record<Hazard> {
    Record {
        meta: meta(),
        data: Hazard {
            enterprise_id: uuid::Uuid::nil(),
            inspection_id: None,
            item_code: None,
            grade,
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

fn status_at(h: &Record<Hazard>, stage: Stage) -> Status {
    let mut s = lifecycle::fold(&h.data, &[]);
    s.stage = stage;
    s
}

/// The app on a hazard's detail, the hazard at `stage`.
fn opened(stage: Stage, grade: HazardGrade, notes: HazardNotes) -> App {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Ledger(Default::default()),
        ..App::default()
    };
    app.update(Msg::LedgerLoaded(ledger_index(3)), &ctx);
    let h = hazard(grade);
    let status = status_at(&h, stage);
    app.update(
        Msg::HazardLoaded(Box::new((h, vec![], status)), notes),
        &ctx,
    );
    app
}

/// Presses `key` on the detail: what was said, and whether a form opened.
fn press(app: &mut App, key: char) -> (String, bool) {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    app.notice = None;
    let effects = feed(app, &ctx, [ch(key)]);
    assert!(effects.is_empty(), "nothing written: {effects:?}");
    let Screen::Ledger(l) = &app.screen else {
        panic!("ledger")
    };
    let form = l.detail.as_ref().expect("detail").form.is_some();
    (
        app.notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default(),
        form,
    )
}

#[test]
fn a_step_the_hazard_is_not_ready_for_is_refused_on_its_key_naming_the_key_first() {
    let cases = [
        (
            Stage::Rectifying,
            'x',
            "隐患在“整改中”：先按 b 报告整改完成，再按 y 复查验收，然后才能销号",
        ),
        (
            Stage::Registered,
            'y',
            "隐患在“登记”：先按 z 进入整改中，再按 b 报告整改完成，然后才能复查验收",
        ),
        (
            Stage::Transferred,
            'b',
            "隐患在“已移交”：先按 z 进入整改中，然后才能报告整改完成",
        ),
        (
            Stage::RectificationReported,
            'x',
            "隐患在“待验收”：先按 y 复查验收，然后才能销号",
        ),
        (
            Stage::Rectifying,
            'm',
            "隐患已在“整改中”阶段，不能再移交；下一步：按 b 报告整改完成",
        ),
        (Stage::Verified, 'y', "隐患已经验收；下一步：按 x 销号"),
        (
            Stage::ClosedOut,
            'z',
            "隐患已销号，不能再进入整改中；如有记错，按 c 更正",
        ),
        (
            Stage::Registered,
            'f',
            "隐患在“登记”：先按 z 进入整改中，再按 b 报告整改完成，然后才能复查（开始检查）",
        ),
    ];
    for (stage, key, said) in cases {
        let mut app = opened(stage, HazardGrade::Major, HazardNotes::default());
        let (text, form) = press(&mut app, key);
        assert_eq!(text, said, "{key} at {stage:?}");
        assert!(!form, "{key} at {stage:?}: no form to fill in");
    }
}

#[test]
fn listing_a_general_or_listed_hazard_is_refused_before_the_form() {
    let mut app = opened(
        Stage::Registered,
        HazardGrade::General,
        HazardNotes::default(),
    );
    let (text, form) = press(&mut app, 'p');
    assert_eq!(
        text,
        "只有重大事故隐患才挂牌督办；如等级记错，按 c 更正等级"
    );
    assert!(!form);
    let h = hazard(HazardGrade::Major);
    let mut status = status_at(&h, Stage::Rectifying);
    status.tracking_person = Some("李建华".into());
    assert_eq!(
        refusal(StepForm::List, &status, &HazardNotes::default()).as_deref(),
        Some("隐患已经挂牌督办（跟踪督办责任人：李建华）")
    );
}

#[test]
fn a_step_the_profile_may_not_take_is_refused_before_the_form_saying_who_may() {
    let who = "“挂牌督办”须由组长、内勤办理；张三的角色是检查人员".to_string();
    let notes = HazardNotes {
        warnings: vec![],
        not_permitted: vec![(HazardEventKind::ListedForSupervision, who.clone())],
        ..Default::default()
    };
    let mut app = opened(Stage::Rectifying, HazardGrade::Major, notes);
    let (text, form) = press(&mut app, 'p');
    assert_eq!(text, who);
    assert!(!form);
    // Where the hazard stands comes first: a closed hazard says so, not who may.
    let h = hazard(HazardGrade::Major);
    let closed = status_at(&h, Stage::ClosedOut);
    let notes = HazardNotes {
        warnings: vec![],
        not_permitted: vec![(HazardEventKind::ClosedOut, who)],
        ..Default::default()
    };
    assert!(refusal(StepForm::Close, &closed, &notes).is_some_and(|r| r.starts_with("隐患已销号")));
}

#[test]
fn a_step_the_hazard_is_ready_for_opens_its_form() {
    for (stage, key) in [
        (Stage::Verified, 'x'),
        (Stage::RectificationReported, 'y'),
        (Stage::Rectifying, 'b'),
        (Stage::Registered, 'z'),
        (Stage::Registered, 'm'),
        (Stage::ClosedOut, 'c'),
    ] {
        let mut app = opened(stage, HazardGrade::Major, HazardNotes::default());
        let (text, form) = press(&mut app, key);
        assert!(form, "{key} at {stage:?}: {text}");
        assert_eq!(text, "");
    }
}

#[test]
fn blank_five_fixes_fields_say_they_keep_what_was_recorded() {
    let h = hazard(HazardGrade::Major);
    let mut status = status_at(&h, Stage::Registered);
    let deadline = chrono::NaiveDate::from_ymd_opt(2023, 10, 1).expect("date");
    status.deadline = Some(deadline);
    status.fixes = Some(FiveFixes {
        deadline,
        responsible_person: "王五".into(),
        measures: "更换阀门".into(),
        funds: "2万元".into(),
        emergency_plan: "停止卸油".into(),
    });
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let form = super::form_for(StepForm::Rectify, &status, &ctx);
    let help: Vec<Option<&str>> = form.fields.iter().map(|f| f.help.as_deref()).collect();
    assert_eq!(
        help[..5],
        [
            Some("留空：沿用已登记的“2023-10-01”"),
            Some("留空：沿用已登记的“王五”"),
            Some("留空：沿用已登记的“更换阀门”"),
            Some("留空：沿用已登记的“2万元”"),
            Some("留空：沿用已登记的“停止卸油”"),
        ]
    );
    assert!(form.fields.iter().take(5).all(|f| !f.required));
    // Without a deadline they are required, and no hint says blank is fine.
    let fresh = status_at(&h, Stage::Registered);
    let form = super::form_for(StepForm::Rectify, &fresh, &ctx);
    assert!(
        form.fields
            .iter()
            .take(5)
            .all(|f| f.required && f.help.is_none())
    );
}

#[test]
fn who_may_is_asked_up_front_only_where_the_form_does_not_decide_it() {
    let kinds = |grade, roster| -> Vec<HazardEventKind> {
        permission_probes(grade, roster)
            .iter()
            .map(|s| s.kind())
            .collect()
    };
    assert!(kinds(HazardGrade::General, true).contains(&HazardEventKind::ClosedOut));
    assert!(
        !kinds(HazardGrade::Major, true).contains(&HazardEventKind::ClosedOut),
        "a major hazard's close-out depends on the leader named"
    );
    assert!(kinds(HazardGrade::Major, false).contains(&HazardEventKind::ClosedOut));
    for kind in [
        HazardEventKind::Transferred,
        HazardEventKind::Rectifying,
        HazardEventKind::RectificationReported,
        HazardEventKind::Verified,
        HazardEventKind::ListedForSupervision,
        HazardEventKind::Corrected,
    ] {
        assert!(kinds(HazardGrade::Major, true).contains(&kind), "{kind:?}");
    }
}

#[test]
fn home_and_end_go_to_the_first_and_last_row_of_the_ledger() {
    use crate::app::tests::key;
    use crossterm::event::KeyCode;
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Ledger(Default::default()),
        ..App::default()
    };
    app.update(Msg::LedgerLoaded(ledger_index(60)), &ctx);
    let selected = |app: &App| match &app.screen {
        Screen::Ledger(l) => l.selected,
        _ => panic!("ledger"),
    };
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    assert_eq!(selected(&app), 59);
    feed(&mut app, &ctx, [key(KeyCode::Home)]);
    assert_eq!(selected(&app), 0);
    feed(&mut app, &ctx, [ch('d'), key(KeyCode::End)]);
    assert_eq!(selected(&app), 19, "the last of what is shown (20 overdue)");
}

/// `w` opens the hazard's documents; Esc comes back to the same hazard.
#[test]
fn w_opens_the_hazards_documents_and_esc_comes_back_to_it() {
    use crate::app::msg::Effect;
    use crate::app::screens::documents::{DocList, Subject};
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = opened(Stage::Verified, HazardGrade::Major, HazardNotes::default());
    let id = match &app.screen {
        Screen::Ledger(l) => l.detail.as_ref().map(|d| d.row.0.id()),
        _ => None,
    }
    .expect("detail");
    let effects = feed(&mut app, &ctx, [ch('w')]);
    assert_eq!(effects, [Effect::LoadDocuments(Subject::Hazard(id))]);
    let list = DocList {
        subject: Subject::Hazard(id),
        heading: "隐患：[重大] 储罐区紧急切断装置失效".into(),
        rows: vec![],
        hazards: vec![],
        town: String::new(),
        folder: "/文书".into(),
    };
    app.update(Msg::DocumentsLoaded(Box::new(list)), &ctx);
    assert!(matches!(app.screen, Screen::Documents(_)));
    feed(
        &mut app,
        &ctx,
        [crate::app::tests::key(crossterm::event::KeyCode::Esc)],
    );
    assert!(
        matches!(&app.screen, Screen::Ledger(l) if l.detail.as_ref().is_some_and(|d| d.row.0.id() == id)),
        "back on the hazard"
    );
}
