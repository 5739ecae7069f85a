//! The documents screen as a pure state machine: keys and messages in, state and effects out.

use super::*;
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::app::tests::{acting, catalog, ch, ctrl, ctx_at_now, feed, key, now, typed};
use crate::domain::MeasureKind;
use chrono::TimeZone;

fn inspection() -> Uuid {
    Uuid::from_u128(7)
}

fn row(kind: DocumentKind) -> DocRow {
    DocRow {
        kind,
        subject: inspection(),
        detail: String::new(),
        issued: None,
        on_site_at: now(),
        needs_deadline: false,
    }
}

pub(crate) fn list() -> DocList {
    DocList {
        subject: Subject::Inspection(inspection()),
        heading: "方山县圪洞加油站 · 2023-08-15 09:30 到达的检查".into(),
        rows: vec![
            row(DocumentKind::OnsiteRecord),
            DocRow {
                needs_deadline: true,
                ..row(DocumentKind::RectificationOrder)
            },
            row(DocumentKind::OnsiteMeasures),
        ],
        hazards: vec![
            (Uuid::from_u128(11), "卸油口无静电接地".into()),
            (Uuid::from_u128(12), "储罐区未设置警示标志".into()),
        ],
        town: "圪洞镇".into(),
        folder: "/文书".into(),
    }
}

/// The app on the documents screen (offered after finalizing, or opened from `back`).
pub(crate) fn app_on_documents(on_site: bool) -> App {
    let mut docs = Documents::new(Subject::Inspection(inspection()), None, on_site);
    docs.loaded(list());
    App {
        screen: Screen::Documents(Box::new(docs)),
        ..App::default()
    }
}

fn docs(app: &App) -> &Documents {
    match &app.screen {
        Screen::Documents(d) => d,
        _ => panic!("not on the documents screen"),
    }
}

fn issued(effects: &[Effect]) -> Option<IssueRequest> {
    effects.iter().find_map(|e| match e {
        Effect::IssueDocument(r) => Some((**r).clone()),
        _ => None,
    })
}

#[test]
fn the_on_site_record_is_issued_on_site_after_one_question() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(false);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    assert!(effects.is_empty(), "nothing issued before Ctrl-S");
    let (_, form) = docs(&app).form.as_ref().expect("form");
    assert_eq!(form.value("when"), ON_SITE);
    assert_eq!(form.fields.len(), 1, "the on-site record asks nothing else");
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    let request = issued(&effects).expect("issued");
    assert_eq!(request.kind, DocumentKind::OnsiteRecord);
    assert_eq!(request.when, IssueAt::OnSite);
    assert_eq!(request.folder, PathBuf::from("/文书"));
    assert!(!request.reprint);
}

#[test]
fn the_order_asks_for_the_deadline_the_cli_would_and_refuses_without_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(true);
    feed(&mut app, &ctx, [ch('j'), key(KeyCode::Enter)]);
    let (_, form) = docs(&app).form.as_ref().expect("form");
    assert_eq!(
        form.value("when"),
        ON_SITE,
        "on site right after finalizing"
    );
    assert!(acting(feed(&mut app, &ctx, [ctrl('s')])).is_empty());
    let (_, form) = docs(&app).form.as_ref().expect("still open");
    let at = form.fields.iter().position(|f| f.key == "deadline");
    assert_eq!(Some(form.focus), at, "the focus is on the missing deadline");
    assert_eq!(
        form.fields[form.focus].error.as_deref(),
        Some("整改期限不能为空")
    );
    feed(&mut app, &ctx, typed("2023.9.20"));
    let request = issued(&feed(&mut app, &ctx, [ctrl('s')])).expect("issued");
    assert_eq!(request.kind, DocumentKind::RectificationOrder);
    assert_eq!(
        request.deadline,
        chrono::NaiveDate::from_ymd_opt(2023, 9, 20)
    );
    assert_eq!(request.when, IssueAt::OnSite);
}

#[test]
fn a_stated_time_is_typed_whole_never_in_the_future() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(false);
    feed(&mut app, &ctx, [ch('j'), key(KeyCode::Enter)]);
    let (_, form) = docs(&app).form.as_ref().expect("form");
    assert_eq!(form.value("when"), NOW, "later, at the office: now");
    // 现在 → 指定时间, then the time, one digit short.
    feed(&mut app, &ctx, [key(KeyCode::Right), key(KeyCode::Tab)]);
    feed(&mut app, &ctx, typed("2023-08-15 09:3"));
    feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    feed(&mut app, &ctx, typed("2023-09-20"));
    assert!(issued(&feed(&mut app, &ctx, [ctrl('s')])).is_none());
    let (_, form) = docs(&app).form.as_ref().expect("form");
    assert_eq!(form.fields[form.focus].key, "at");
    assert!(
        form.fields[form.focus]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("完整的日期和时间")),
        "{:?}",
        form.fields[form.focus].error
    );
    // Completed, but after now (09:30 Beijing): refused at the field.
    feed(&mut app, &ctx, typed("5"));
    assert!(issued(&feed(&mut app, &ctx, [ctrl('s')])).is_none());
    let (_, form) = docs(&app).form.as_ref().expect("form");
    assert_eq!(
        form.fields[form.focus].error.as_deref(),
        Some("出具时间不能晚于现在")
    );
    for _ in 0..2 {
        feed(&mut app, &ctx, [key(KeyCode::Backspace)]);
    }
    feed(&mut app, &ctx, typed("20"));
    let request = issued(&feed(&mut app, &ctx, [ctrl('s')])).expect("issued");
    let at = chrono::Utc
        .with_ymd_and_hms(2023, 8, 15, 1, 20, 0)
        .single()
        .expect("time");
    assert_eq!(request.when, IssueAt::At(at));
}

#[test]
fn the_measures_decision_needs_a_measure_and_names_the_hazards_chosen() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(true);
    feed(&mut app, &ctx, [ch('j'), ch('j'), key(KeyCode::Enter)]);
    // 出具时间, 指定时间, then 危险情况.
    feed(&mut app, &ctx, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    feed(&mut app, &ctx, typed("储罐区可燃气体浓度超标"));
    let focus_scope = {
        let (_, form) = docs(&app).form.as_ref().expect("form");
        form.fields
            .iter()
            .position(|f| f.key == "scope")
            .expect("scope")
    };
    if let Screen::Documents(d) = &mut app.screen
        && let Some((_, form)) = &mut d.form
    {
        form.focus = focus_scope;
    }
    feed(&mut app, &ctx, typed("储罐区"));
    assert!(issued(&feed(&mut app, &ctx, [ctrl('s')])).is_none());
    let (_, form) = docs(&app).form.as_ref().expect("form");
    assert_eq!(form.fields[form.focus].key, "m_withdraw");
    assert_eq!(
        form.fields[form.focus].error.as_deref(),
        Some("请至少选择一项措施（选“是”）")
    );
    // 撤出作业人员: 是; the second hazard only.
    feed(&mut app, &ctx, [key(KeyCode::Right)]);
    if let Screen::Documents(d) = &mut app.screen
        && let Some((_, form)) = &mut d.form
    {
        form.focus = form.fields.len() - 1;
    }
    feed(
        &mut app,
        &ctx,
        [
            key(KeyCode::Right),
            key(KeyCode::Right),
            key(KeyCode::Right),
        ],
    );
    let request = issued(&feed(&mut app, &ctx, [ctrl('s')])).expect("issued");
    let decision = request.measures.expect("decision");
    assert_eq!(decision.measures, [MeasureKind::Withdraw]);
    assert_eq!(decision.danger, "储罐区可燃气体浓度超标");
    assert_eq!(decision.scope, "储罐区");
    assert_eq!(decision.lifting, OnsiteMeasures::LAWFUL_LIFTING);
    assert_eq!(decision.hazard_ids, [Uuid::from_u128(12)]);
}

#[test]
fn an_issued_document_is_reprinted_at_once_and_shown_with_its_file() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(false);
    let written = Written {
        kind: DocumentKind::OnsiteRecord,
        subject: inspection(),
        number: "方应急检记〔2023〕5号".into(),
        issued_at: now(),
        path: PathBuf::from("/文书/方应急检记〔2023〕5号-现场检查记录.html"),
        first: true,
        warnings: vec!["只有一名执法人员".into()],
    };
    let effects = app.update(Msg::DocumentIssued(Ok(Box::new(written.clone()))), &ctx);
    assert_eq!(
        effects,
        [Effect::RememberLooseForm(None)],
        "the form is done with"
    );
    assert_eq!(
        docs(&app).list.as_ref().expect("list").rows[0].issued,
        Some((written.number.clone(), now()))
    );
    assert_eq!(docs(&app).result, Some(Panel::Written(written.clone())));
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已出具"))
    );
    // Enter again: the same document written again, no form.
    let request = issued(&feed(&mut app, &ctx, [key(KeyCode::Enter)])).expect("reprint");
    assert!(request.reprint);
    assert!(docs(&app).form.is_none());
    // o opens the file written, detached.
    let effects = feed(&mut app, &ctx, [ch('o')]);
    assert_eq!(effects, [Effect::OpenDocument(written.path)]);
}

#[test]
fn a_refusal_keeps_the_form_and_says_why_under_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(false);
    feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    let why = "未出具：这次检查尚未定稿".to_string();
    app.update(Msg::DocumentIssued(Err(why.clone())), &ctx);
    assert!(docs(&app).form.is_some(), "the form stays to be put right");
    assert_eq!(docs(&app).result, Some(Panel::Refused(why)));
    // o before anything was written says what to do first.
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert!(feed(&mut app, &ctx, [ch('o')]).is_empty());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("先按 Enter"))
    );
}

#[test]
fn the_folder_is_changed_on_the_screen_and_remembered() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(false);
    feed(&mut app, &ctx, [ch('d')]);
    assert!(docs(&app).folder_form.is_some());
    for _ in 0.."/文书".chars().count() {
        feed(&mut app, &ctx, [key(KeyCode::Backspace)]);
    }
    feed(&mut app, &ctx, typed("/media/u盘/文书"));
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert_eq!(
        effects,
        [
            Effect::RememberLooseForm(None),
            Effect::RememberDocumentFolder("/media/u盘/文书".into())
        ]
    );
    assert_eq!(docs(&app).folder(), "/media/u盘/文书");
    let request = issued(&feed(&mut app, &ctx, [key(KeyCode::Enter), ctrl('s')])).expect("issued");
    assert_eq!(request.folder, PathBuf::from("/media/u盘/文书"));
}

#[test]
fn finalizing_offers_the_documents_and_esc_goes_home() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let effects = app.update(Msg::Finalized(inspection(), vec![]), &ctx);
    assert!(effects.contains(&Effect::LoadDocuments(Subject::Inspection(inspection()))));
    assert!(effects.contains(&Effect::ForgetPlace));
    assert!(docs(&app).on_site_default);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("检查已定稿"))
    );
    app.update(Msg::DocumentsLoaded(Box::new(list())), &ctx);
    assert_eq!(docs(&app).list, Some(list()));
    let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert!(matches!(app.screen, Screen::Home(_)));
    assert_eq!(effects, [Effect::LoadHome]);
}

#[test]
fn opened_from_the_read_only_view_esc_goes_back_to_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut view = crate::app::tests::view(&catalog);
    view.inspection.data.status = crate::domain::InspectionStatus::Finalized;
    let id = view.id();
    let mut app = App {
        screen: Screen::Checklist(super::super::checklist::Checklist::new(view, None)),
        ..App::default()
    };
    let effects = feed(&mut app, &ctx, [ch('w')]);
    assert_eq!(effects, [Effect::LoadDocuments(Subject::Inspection(id))]);
    let mut loaded = list();
    loaded.subject = Subject::Inspection(id);
    app.update(Msg::DocumentsLoaded(Box::new(loaded)), &ctx);
    assert!(!docs(&app).on_site_default);
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert!(
        matches!(&app.screen, Screen::Checklist(c) if c.read_only()),
        "back on the viewer"
    );
}

#[test]
fn a_draft_has_no_documents_yet() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Checklist(super::super::checklist::Checklist::new(
            crate::app::tests::view(&catalog),
            None,
        )),
        ..App::default()
    };
    assert!(acting(feed(&mut app, &ctx, [ch('w')])).is_empty());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("复核定稿"))
    );
}

#[test]
fn p_writes_the_photo_supplement_of_the_inspection_and_o_opens_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app_on_documents(false);
    let effects = feed(&mut app, &ctx, [ch('p')]);
    assert_eq!(
        effects,
        [Effect::WritePhotoSupplement {
            inspection: inspection(),
            folder: PathBuf::from("/文书"),
        }]
    );
    // Nothing new to print: why, in red; nothing to open.
    let why = "未写入：现场检查记录出具后这次检查没有新增照片或其他附件".to_string();
    app.update(Msg::PhotosWritten(Err(why.clone())), &ctx);
    assert_eq!(docs(&app).result, Some(Panel::Refused(why)));
    let written = PhotosWritten {
        path: PathBuf::from("/文书/方应急检记〔2023〕5号-现场照片补充页.html"),
        count: 3,
        warnings: vec![],
    };
    app.update(Msg::PhotosWritten(Ok(Box::new(written.clone()))), &ctx);
    assert_eq!(docs(&app).result, Some(Panel::Photos(written.clone())));
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("3 份附件"))
    );
    assert_eq!(
        feed(&mut app, &ctx, [ch('o')]),
        [Effect::OpenDocument(written.path)]
    );
    // A hazard's documents have no photo supplement: p says where it is.
    let mut docs_of_hazard = Documents::new(Subject::Hazard(Uuid::from_u128(11)), None, false);
    docs_of_hazard.loaded(DocList {
        subject: Subject::Hazard(Uuid::from_u128(11)),
        ..list()
    });
    let mut app = App {
        screen: Screen::Documents(Box::new(docs_of_hazard)),
        ..App::default()
    };
    assert!(feed(&mut app, &ctx, [ch('p')]).is_empty());
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("按 w")));
}
