//! Pure update tests: keys and messages in, state and effects out. No terminal, no database.

use super::msg::*;
use super::screens::overlays::Overlay;
use super::screens::{Ctx, Screen};
use super::state::App;
use crate::domain::*;
use crate::templates::Catalog;
use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::sync::Arc;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 8, 15, 1, 30, 0)
        .single()
        .expect("time")
}

pub fn catalog() -> Catalog {
    Catalog::builtin().expect("built-in configuration")
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// What screens read, at the tests' fixed `now`.
pub fn ctx_at_now(catalog: &Catalog) -> Ctx<'_> {
    Ctx {
        catalog,
        now: now(),
    }
}

/// Feeds messages one by one; returns every effect produced.
pub fn feed(app: &mut App, ctx: &Ctx, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| app.update(m, ctx)).collect()
}

/// The effects other than remembering the place or a loose form (which forms send as the focus
/// moves).
pub fn acting(effects: Vec<Effect>) -> Vec<Effect> {
    effects
        .into_iter()
        .filter(|e| !matches!(e, Effect::RememberPlace(_) | Effect::RememberLooseForm(_)))
        .collect()
}

pub fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(ch).collect()
}

pub fn meta() -> RecordMeta {
    RecordMeta::new(uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), now())
}

/// A major hazard listed for supervision, its 部位 and 依据 corrected.
pub fn corrected_hazard() -> crate::storage::LedgerRow {
    let hazard = Record {
        meta: meta(),
        data: Hazard {
            enterprise_id: uuid::Uuid::nil(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "储罐区紧急切断装置失效".into(),
            location: "卸油区".into(),
            basis: "GB 50156".into(),
            found_at: now(),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        },
    };
    let steps = [
        crate::domain::lifecycle::Step::Correct {
            field: "location".into(),
            value: "3号储罐区".into(),
        },
        crate::domain::lifecycle::Step::Correct {
            field: "basis".into(),
            value: "GB 50156-2021 第5.0.10条".into(),
        },
        crate::domain::lifecycle::Step::ListForSupervision {
            tracking_person: "李建华".into(),
        },
    ];
    let events: Vec<Record<HazardEvent>> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| Record {
            meta: RecordMeta {
                id: uuid::Uuid::from_u128(i as u128 + 1),
                ..meta()
            },
            data: HazardEvent {
                hazard_id: hazard.id(),
                kind: step.kind(),
                occurred_at: now() + chrono::Duration::minutes(i as i64),
                payload: step.payload(),
                note: String::new(),
            },
        })
        .collect();
    let status = crate::domain::lifecycle::fold(&hazard.data, events.iter().map(|e| &e.data));
    (hazard, events, status)
}

/// A file attached to the record `target` (a hazard's step: `kind` HazardEvent), with `role`.
pub fn attachment(
    target: uuid::Uuid,
    kind: attachment::TargetKind,
    role: Option<attachment::PhotoRole>,
) -> Record<attachment::Attachment> {
    Record {
        meta: meta(),
        data: attachment::Attachment {
            target_kind: kind,
            target_id: target,
            item_code: None,
            role,
            sha256: "ab".repeat(32),
            size: 1024,
            media_type: "image/jpeg".into(),
            file_name: "IMG_0001.JPG".into(),
            captured_at: Some(now()),
            capture_source: attachment::CaptureSource::Exif,
            place: None,
            note: String::new(),
        },
    }
}

pub fn enterprise() -> Record<Enterprise> {
    Record {
        meta: meta(),
        data: Enterprise {
            name: "方山县圪洞加油站".into(),
            credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
            address: "圪洞镇北街1号".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: Some(RiskLevel::High),
            principal: "王五".into(),
            phone: "0358-6021234".into(),
        },
    }
}

/// A draft of the duties and fuel checklists, nothing answered.
pub fn view(catalog: &Catalog) -> InspectionView {
    let ent = enterprise();
    let mut items = Vec::new();
    let day = crate::domain::time::local(now()).date();
    for id in ["duties", "fuel"] {
        let c = catalog.checklist(id).expect("template");
        for (section, item) in c.items_on(day) {
            items.push(ItemSnapshot {
                code: item.code.clone(),
                template_id: c.id.clone(),
                template_version: c.version,
                section: section.title.clone(),
                question: item.question.clone(),
                basis: item.basis.clone(),
            });
        }
    }
    let inspection = Inspection::draft(
        ent.id(),
        InspectionMode::Unannounced,
        vec![],
        now(),
        vec![],
        items,
    );
    InspectionView {
        inspection: Record {
            meta: meta(),
            data: inspection,
        },
        enterprise: ent,
        inspector_names: vec!["李建山".into(), "高峰翔".into()],
        answers: HashMap::new(),
        hazards: vec![],
        evidence: vec![],
        exams: vec![],
        actions: vec![],
        time_corrections: vec![],
        evidence_corrections: vec![],
        attachments: vec![],
    }
}

fn open_checklist(app: &mut App, ctx: &Ctx, catalog: &Catalog) {
    app.update(Msg::InspectionOpened(Box::new(view(catalog)), None), ctx);
}

fn checklist(app: &App) -> &super::screens::checklist::Checklist {
    match &app.screen {
        Screen::Checklist(c) => c,
        _ => panic!("not on the checklist"),
    }
}

/// Acknowledges every SaveAnswer effect as the store would.
fn ack(app: &mut App, ctx: &Ctx, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::SaveAnswer {
            code, result, note, ..
        } = e
        {
            app.update(
                Msg::AnswerSaved {
                    code,
                    result,
                    note,
                    at: now(),
                },
                ctx,
            );
        }
    }
}

#[test]
fn new_inspection_picks_an_enterprise_by_pinyin_initials() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let effects = feed(&mut app, &ctx, [ch('n')]);
    assert_eq!(effects, [Effect::LoadEnterprises]);
    assert!(matches!(app.overlays.last(), Some(Overlay::Picker(_))));
    let rows = vec![
        EnterpriseRow {
            id: uuid::Uuid::now_v7(),
            name: "方山县粮食储备库".into(),
            credit_code: "914403001922038216".into(),
            town: "峪口镇".into(),
            sector: "粮食仓储".into(),
        },
        EnterpriseRow {
            id: uuid::Uuid::now_v7(),
            name: "方山县圪洞加油站".into(),
            credit_code: "91350100M000100Y43".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
        },
    ];
    let wanted = rows[1].id;
    app.update(
        Msg::EnterprisesLoaded(Arc::new(EnterpriseIndex::new(rows))),
        &ctx,
    );
    feed(&mut app, &ctx, typed("fsgd"));
    let Some(Overlay::Picker(p)) = app.overlays.last() else {
        panic!("picker")
    };
    assert_eq!(p.hits, [1]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    assert_eq!(effects, [Effect::LoadSetup(wanted)]);
    assert!(app.overlays.is_empty());
}

#[test]
fn a_new_enterprise_with_a_bad_credit_code_is_stopped_at_the_field() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    feed(&mut app, &ctx, [ch('n')]);
    app.update(
        Msg::EnterprisesLoaded(Arc::new(EnterpriseIndex::default())),
        &ctx,
    );
    let mut msgs = vec![ctrl('n')];
    msgs.extend(typed("新开加油站"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("91350100M000100Y44"));
    msgs.push(ctrl('s'));
    assert!(feed(&mut app, &ctx, msgs).is_empty(), "nothing saved");
    let Some(Overlay::Picker(p)) = app.overlays.last() else {
        panic!("picker")
    };
    let form = p.creating.as_ref().expect("form open");
    assert!(
        form.fields[1]
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("校验位错误")
    );
    let fix = vec![key(KeyCode::Backspace), ch('3'), ctrl('s')];
    let effects = feed(&mut app, &ctx, fix);
    assert!(
        matches!(&effects[..], [Effect::CreateEnterprise(e)] if e.name == "新开加油站" && e.sector_code.as_deref() == Some("town_gas"))
    );
}

#[test]
fn setup_proposes_the_sector_templates_and_checks_the_arrival_time() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    app.update(
        Msg::SetupLoaded(SetupData {
            enterprise: enterprise(),
            profile_name: Some("李建山".into()),
            open_hazards: vec![],
            open_drafts: 0,
            follow_up_of: None,
            awaiting_verification: vec![],
        }),
        &ctx,
    );
    let Screen::Setup(s) = &app.screen else {
        panic!("setup")
    };
    assert_eq!(s.mode, InspectionMode::Unannounced);
    assert_eq!(s.arrival, "2023-08-15 09:30", "Beijing time");
    let ids: Vec<&str> = s.templates.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(ids, ["duties", "fuel"]);
    // A bad arrival time is refused; fixed, the draft starts with both templates' items.
    let mut msgs = vec![
        key(KeyCode::Tab),
        key(KeyCode::Backspace),
        key(KeyCode::Backspace),
        ch('9'),
        ch('9'),
    ];
    msgs.push(ctrl('s'));
    assert!(feed(&mut app, &ctx, msgs).is_empty());
    let Screen::Setup(s) = &app.screen else {
        panic!("setup")
    };
    assert_eq!(
        s.arrival_error.as_deref(),
        Some("到达时间应为日期和时间，格式如 2023-08-15 09:30")
    );
    // One digit deleted ("09:3") is caught, not saved as 09:03; a future arrival is refused.
    feed(
        &mut app,
        &ctx,
        [
            key(KeyCode::Backspace),
            key(KeyCode::Backspace),
            ch('3'),
            ctrl('s'),
        ],
    );
    let Screen::Setup(s) = &app.screen else {
        panic!("setup")
    };
    assert!(
        s.arrival_error
            .as_deref()
            .is_some_and(|e| e.contains("格式如"))
    );
    feed(&mut app, &ctx, [ch('0')]);
    let mut future: Vec<Msg> = (0..16).map(|_| key(KeyCode::Backspace)).collect();
    future.extend(typed("2030-08-15 09:30"));
    // Caught when the field is left, before any Ctrl-S.
    future.push(key(KeyCode::Tab));
    future.push(key(KeyCode::BackTab));
    feed(&mut app, &ctx, future);
    let Screen::Setup(s) = &app.screen else {
        panic!("setup")
    };
    assert!(
        s.arrival_error
            .as_deref()
            .is_some_and(|e| e.contains("晚于现在")),
        "{:?}",
        s.arrival_error
    );
    let mut msgs: Vec<Msg> = (0..16).map(|_| key(KeyCode::Backspace)).collect();
    msgs.extend(typed("2023-08-15 09:30"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("高峰翔"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    let [
        Effect::StartInspection {
            inspection,
            colleagues,
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(colleagues, &["高峰翔".to_string()]);
    assert_eq!(inspection.items.len(), 16 + 12);
    assert_eq!(inspection.mode, InspectionMode::Unannounced);
    assert_eq!(inspection.arrival_at, now());
}

#[test]
fn one_key_answers_then_the_next_unanswered_item_follows() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    assert_eq!(
        checklist(&app).current().map(|i| i.code.as_str()),
        Some("E1")
    );
    let effects = feed(&mut app, &ctx, [ch('2')]);
    assert!(
        matches!(&effects[0], Effect::SaveAnswer { code, result: AnswerResult::NonCompliant, .. } if code == "E1")
    );
    assert!(matches!(&effects[1], Effect::RememberPlace(p) if p.item.as_deref() == Some("E2")));
    // Shown only once the store has it.
    assert_eq!(checklist(&app).view.result("E1"), AnswerResult::Unchecked);
    ack(&mut app, &ctx, effects);
    assert_eq!(
        checklist(&app).view.result("E1"),
        AnswerResult::NonCompliant
    );
    let effects = feed(&mut app, &ctx, [ch('y'), ch('a')]);
    ack(&mut app, &ctx, effects);
    assert_eq!(
        checklist(&app).current().map(|i| i.code.as_str()),
        Some("E4")
    );
    // Back up to E2 and change nothing: `u` jumps to the next unanswered, `x` to a failure.
    feed(&mut app, &ctx, [ch('k'), ch('k'), ch('u')]);
    assert_eq!(
        checklist(&app).current().map(|i| i.code.as_str()),
        Some("E4")
    );
    feed(&mut app, &ctx, [ch('x')]);
    assert_eq!(
        checklist(&app).current().map(|i| i.code.as_str()),
        Some("E1")
    );
}

#[test]
fn a_note_is_saved_with_the_answer_and_escape_discards_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    let mut msgs = vec![ch('e')];
    msgs.extend(typed("未见方案"));
    msgs.push(key(KeyCode::Esc));
    assert!(acting(feed(&mut app, &ctx, msgs)).is_empty());
    assert!(
        app.overlays.last().is_some(),
        "the first Esc on changed text only warns"
    );
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("再按 Esc 放弃修改"))
    );
    assert!(acting(feed(&mut app, &ctx, [key(KeyCode::Esc)])).is_empty());
    assert!(app.overlays.is_empty(), "the second one discards");
    let mut msgs = vec![ch('e')];
    msgs.extend(typed("未见专项行动方案"));
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    assert!(
        matches!(&effects[..], [Effect::SaveAnswer { code, note, result: AnswerResult::Unchecked, .. }] if code == "E1" && note == "未见专项行动方案")
    );
}

#[test]
fn a_hazard_from_a_failed_item_is_prefilled_and_needs_the_five_fixes() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    // E12 (uncertified special operations): the grade is the sector's to decide (FUEL-02
    // for a fuel station), so the duty item proposes 一般.
    let to_e12: Vec<Msg> = (0..12).map(|_| ch('j')).collect();
    feed(&mut app, &ctx, to_e12);
    let effects = feed(&mut app, &ctx, [ch('h')]);
    assert!(effects.is_empty());
    assert!(
        matches!(app.screen, Screen::Checklist(_)),
        "not failed yet: no hazard form"
    );
    let effects = feed(&mut app, &ctx, [ch('2')]);
    ack(&mut app, &ctx, effects);
    feed(&mut app, &ctx, [ch('k'), ch('h')]);
    let Screen::Hazard(h) = &app.screen else {
        panic!("hazard form")
    };
    assert_eq!(h.item_code, "E12");
    assert_eq!(h.form.value("grade"), "一般");
    assert!(h.form.value("basis").contains("安全生产法 第30条"));
    // The grade is proposed: the focus starts on the description, so nothing typed is lost.
    assert_eq!(h.form.fields[h.form.focus].key, "description");
    // Rectify by a deadline: the five fixes are required, and marked so before any Ctrl-S.
    assert!(
        h.form
            .fields
            .iter()
            .filter(|f| [
                "responsible_person",
                "measures",
                "funds",
                "deadline",
                "emergency_plan"
            ]
            .contains(&f.key.as_str()))
            .all(|f| f.required)
    );
    let mut msgs = typed("两名焊工无证上岗");
    msgs.push(ctrl('s'));
    assert!(acting(feed(&mut app, &ctx, msgs)).is_empty());
    let Screen::Hazard(h) = &app.screen else {
        panic!("hazard form")
    };
    assert_eq!(h.form.fields[h.form.focus].key, "responsible_person");
    let mut msgs = Vec::new();
    for value in [
        "王五",
        "停止作业，送培取证",
        "0.5万元",
        "2023-09-15",
        "暂停动火作业",
    ] {
        msgs.extend(typed(value));
        msgs.push(key(KeyCode::Tab));
    }
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [Effect::RecordHazard(hazard)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(hazard.grade, HazardGrade::General);
    assert_eq!(hazard.source, HazardSource::Inspection);
    assert_eq!(hazard.item_code.as_deref(), Some("E12"));
    assert_eq!(
        hazard.fixes.as_ref().map(|f| f.deadline.to_string()),
        Some("2023-09-15".into())
    );
    let saved = Record {
        meta: meta(),
        data: hazard.clone(),
    };
    app.update(Msg::HazardSaved(saved), &ctx);
    assert_eq!(checklist(&app).view.hazards.len(), 1);
}

#[test]
fn finalizing_needs_every_item_answered_and_every_inspector_to_type_their_name() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    feed(&mut app, &ctx, [ch('v'), ch('f')]);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("还有 28 项未作答"))
    );
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    let answers: Vec<Msg> = (0..28).map(|_| ch('1')).collect();
    let effects = feed(&mut app, &ctx, answers);
    ack(&mut app, &ctx, effects);
    assert_eq!(checklist(&app).view.answered(), 28);
    feed(&mut app, &ctx, [ch('v'), ch('f')]);
    assert!(matches!(app.overlays.last(), Some(Overlay::Sign(_))));
    // First the departure, prefilled with now: a time before the arrival, or one missing a
    // digit, is refused at the field; the whole time is taken.
    let sign_error = |app: &App| match app.overlays.last() {
        Some(Overlay::Sign(s)) => s.error.clone(),
        _ => panic!("sign"),
    };
    let retype = |text: &str| {
        let mut msgs: Vec<Msg> = (0..20).map(|_| key(KeyCode::Backspace)).collect();
        msgs.extend(typed(text));
        msgs.push(key(KeyCode::Enter));
        msgs
    };
    feed(&mut app, &ctx, retype("2023-08-15 09:29"));
    assert!(sign_error(&app).is_some_and(|e| e.contains("早于到达时间 2023-08-15 09:30")));
    feed(&mut app, &ctx, retype("2023-08-15 11:4"));
    assert!(sign_error(&app).is_some_and(|e| e.contains("格式如")));
    feed(&mut app, &ctx, retype("2023-08-15 11:45"));
    assert!(sign_error(&app).is_some_and(|e| e.contains("不能预填将来的时间")));
    feed(&mut app, &ctx, retype("2023-08-15 09:30"));
    assert_eq!(sign_error(&app), None);
    let mut msgs = typed("李健山");
    msgs.push(key(KeyCode::Enter));
    assert!(feed(&mut app, &ctx, msgs).is_empty());
    let Some(Overlay::Sign(s)) = app.overlays.last() else {
        panic!("sign")
    };
    assert_eq!(s.error.as_deref(), Some("输入的姓名与“李建山”不一致"));
    let mut msgs: Vec<Msg> = (0..3).map(|_| key(KeyCode::Backspace)).collect();
    msgs.extend(typed("李建山"));
    msgs.push(key(KeyCode::Enter));
    msgs.extend(typed("高峰翔"));
    msgs.push(key(KeyCode::Enter));
    let effects = feed(&mut app, &ctx, msgs);
    let id = checklist_id(&app);
    assert_eq!(
        effects,
        [Effect::Finalize {
            id,
            departed_at: crate::domain::time::parse_minute("2023-08-15 09:30"),
        }]
    );
}

fn checklist_id(app: &App) -> uuid::Uuid {
    match &app.screen {
        Screen::Review(r) => r.back.view.id(),
        Screen::Checklist(c) => c.view.id(),
        _ => panic!("no inspection"),
    }
}

#[test]
fn an_expired_certificate_proposes_e12_non_compliant_and_p_adopts_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    let to_e12: Vec<Msg> = (0..12).map(|_| ch('j')).collect();
    feed(&mut app, &ctx, to_e12);
    feed(&mut app, &ctx, [ch('r')]);
    let Screen::Evidence(e) = &app.screen else {
        panic!("evidence")
    };
    assert_eq!(
        e.kind,
        EvidenceKind::SpecialOperationCertificate,
        "starts on the item's kind"
    );
    let mut msgs = vec![ch('a')];
    for (value, tabs) in [
        ("赵六", 1),
        ("11010519491231002X", 1),
        ("T11010519491231002X", 3),
        ("熔化焊接与热切割作业", 2),
        ("2022-05-01", 5),
    ] {
        msgs.extend(typed(value));
        msgs.extend((0..tabs).map(|_| key(KeyCode::Tab)));
    }
    msgs.push(key(KeyCode::Right)); // 已查验: 是
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [Effect::SaveEvidence { id: None, record }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        record.values.get("valid_until"),
        Some(&FieldValue::Text("2022-05-01".into()))
    );
    app.update(
        Msg::EvidenceSaved(Record {
            meta: meta(),
            data: record.clone(),
        }),
        &ctx,
    );
    let Screen::Evidence(e) = &app.screen else {
        panic!("evidence")
    };
    let verdicts = e.verdicts(&ctx);
    assert_eq!(verdicts[0].item_code, "E12");
    assert_eq!(verdicts[0].proposed, AnswerResult::NonCompliant);
    // The fuel station's own certificate item (FUEL-02) is proposed with E12.
    assert_eq!(verdicts[1].item_code, "FUEL-02");
    let effects = feed(&mut app, &ctx, [ch('p')]);
    assert!(
        matches!(&effects[..], [Effect::SaveAnswer { code, result: AnswerResult::NonCompliant, note, .. }, Effect::SaveAnswer { code: sector_code, .. }]
        if code == "E12" && note.contains("已于 2022-05-01 过期") && sector_code == "FUEL-02")
    );
}

#[test]
fn reopening_returns_to_the_same_screen_and_item() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let v = view(&catalog);
    let place = Place {
        inspection: v.id(),
        screen: PlaceScreen::Review,
        item: Some("E5".into()),
        form: None,
        note: None,
        exam: None,
    };
    app.update(Msg::InspectionOpened(Box::new(v), Some(place)), &ctx);
    let Screen::Review(r) = &app.screen else {
        panic!("review")
    };
    assert_eq!(r.back.current().map(|i| i.code.as_str()), Some("E5"));
}

#[test]
fn storage_errors_show_as_a_message_not_a_crash() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    app.update(Msg::Failed("磁盘已满，本次操作未保存".into()), &ctx);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("磁盘已满"))
    );
}

#[test]
fn the_spot_exam_draws_from_the_sector_bank_and_records_marks() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    feed(&mut app, &ctx, [ch('t')]);
    let Screen::Exam(e) = &app.screen else {
        panic!("exam")
    };
    assert_eq!(e.questions.len(), super::screens::exam::DRAWN);
    let bank = catalog.exam_bank("fuel").expect("fuel bank");
    assert!(e.questions.iter().all(|q| bank.questions.contains(q)));
    assert_eq!(e.name, "王五", "the principal by default");
    // Saving before every answer is marked is refused, and the first open question gets focus.
    assert!(feed(&mut app, &ctx, [ctrl('s')]).is_empty());
    let Screen::Exam(e) = &app.screen else {
        panic!("exam")
    };
    assert_eq!(e.focus, 2);
    let effects = acting(feed(
        &mut app,
        &ctx,
        [ch('y'), ch('p'), ch('n'), ch('y'), ch('y'), ctrl('s')],
    ));
    let [Effect::RecordExam(exam)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let outcomes: Vec<ExamOutcome> = exam.questions.iter().map(|q| q.outcome).collect();
    use ExamOutcome::*;
    assert_eq!(outcomes, [Correct, Partial, Wrong, Correct, Correct]);
    assert_eq!(
        exam.score_percent(),
        70,
        "a partly right answer counts half"
    );
}

#[test]
fn an_enforcement_action_needs_its_amount_when_it_is_a_fine() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    feed(&mut app, &ctx, [ch('f'), ch('a')]);
    assert!(
        feed(&mut app, &ctx, [ctrl('s')]).is_empty(),
        "a fine without an amount"
    );
    let Screen::Actions(a) = &app.screen else {
        panic!("actions")
    };
    let form = a.form.as_ref().expect("form");
    assert_eq!(form.fields[form.focus].key, "amount_wan");
    let mut msgs = typed("0.5");
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [Effect::RecordAction(action)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(action.kind, EnforcementKind::Penalty);
    assert_eq!(action.amount_fen, Some(500_000), "0.5 万元 = 5 000 元");
    assert_eq!(action.decided_on.to_string(), "2023-08-15");
}

#[test]
fn a_date_and_a_fine_typed_as_people_write_them_show_back_before_saving() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    feed(&mut app, &ctx, [ch('f'), ch('a')]);
    let mut msgs = vec![key(KeyCode::Tab)];
    msgs.extend((0..10).map(|_| key(KeyCode::Backspace)));
    msgs.extend(typed("2023.9.5"));
    msgs.push(key(KeyCode::Tab));
    feed(&mut app, &ctx, msgs);
    let shown = |app: &App, k: &str| {
        let Screen::Actions(a) = &app.screen else {
            panic!("actions")
        };
        let form = a.form.as_ref().expect("form");
        let field = form.fields.iter().find(|f| f.key == k).expect("field");
        (field.value.clone(), field.error.clone())
    };
    assert_eq!(shown(&app, "decided_on"), ("2023-09-05".to_string(), None));
    let mut msgs = vec![key(KeyCode::Tab)];
    msgs.extend(typed("5000元"));
    msgs.push(key(KeyCode::Tab));
    feed(&mut app, &ctx, msgs);
    assert_eq!(shown(&app, "amount_wan"), ("0.5万元".to_string(), None));

    // An absurd fine is refused at the field, even on a second Ctrl-S.
    let Screen::Actions(a) = &mut app.screen else {
        panic!("actions")
    };
    a.form.as_mut().expect("form").focus = 3;
    let mut msgs: Vec<_> = (0..5).map(|_| key(KeyCode::Backspace)).collect();
    msgs.extend(typed("1234567890"));
    msgs.extend([ctrl('s'), ctrl('s')]);
    assert!(acting(feed(&mut app, &ctx, msgs)).is_empty());
    let (_, error) = shown(&app, "amount_wan");
    assert!(error.unwrap_or_default().contains("过大"));

    // Above the ceiling (500 万元): saved on the second Ctrl-S only.
    let mut msgs: Vec<_> = (0..10).map(|_| key(KeyCode::Backspace)).collect();
    msgs.extend(typed("600"));
    msgs.push(ctrl('s'));
    assert!(acting(feed(&mut app, &ctx, msgs)).is_empty());
    let (value, error) = shown(&app, "amount_wan");
    assert_eq!(value, "600万元");
    assert!(error.unwrap_or_default().contains("再按 Ctrl-S"));
    let effects = acting(feed(&mut app, &ctx, [ctrl('s')]));
    let [Effect::RecordAction(action)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(action.decided_on.to_string(), "2023-09-05");
    assert_eq!(action.amount_fen, Some(600_000_000));
}

#[test]
fn adopting_a_proposal_keeps_the_note_and_asks_before_changing_an_answer() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let mut v = view(&catalog);
    v.answers.insert(
        "E12".into(),
        (AnswerResult::Compliant, "已现场核验三名焊工证书".into()),
    );
    let record = EvidenceRecord {
        inspection_id: v.id(),
        kind: EvidenceKind::SpecialOperationCertificate,
        form_version: 1,
        values: [
            ("holder_name", "赵六"),
            ("cert_no", "T11010519491231002X"),
            ("id_number", "11010519491231002X"),
            ("issuing_system", "应急管理（特种作业操作证）"),
            ("valid_until", "2022-05-01"),
        ]
        .into_iter()
        .map(|(k, val)| (k.to_string(), FieldValue::Text(val.into())))
        .collect(),
    };
    v.evidence.push(Record {
        meta: meta(),
        data: record,
    });
    let place = Place {
        inspection: v.id(),
        screen: PlaceScreen::Checklist,
        item: Some("E12".into()),
        form: None,
        note: None,
        exam: None,
    };
    app.update(Msg::InspectionOpened(Box::new(v), Some(place)), &ctx);
    feed(&mut app, &ctx, [ch('r')]);
    // FUEL-02, unanswered, is adopted at once; E12, answered otherwise, asks first.
    let effects = feed(&mut app, &ctx, [ch('p')]);
    assert!(
        matches!(&effects[..], [Effect::SaveAnswer { code, .. }] if code == "FUEL-02"),
        "{effects:?}"
    );
    let Some(Overlay::Confirm(c)) = app.overlays.last() else {
        panic!("confirm")
    };
    assert!(
        c.prompt.starts_with("E12 已判为“符合”，规则建议“不符合”"),
        "{}",
        c.prompt
    );
    let effects = feed(&mut app, &ctx, [ch('y')]);
    let [Effect::SaveAnswer { result, note, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(*result, AnswerResult::NonCompliant);
    assert!(
        note.starts_with("已现场核验三名焊工证书\n依据证据记录："),
        "{note}"
    );
}

#[test]
fn a_form_being_filled_in_is_remembered_field_by_field_and_reopened() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    let effects = feed(&mut app, &ctx, [ch('2')]);
    ack(&mut app, &ctx, effects);
    feed(&mut app, &ctx, [ch('k'), ch('h')]);
    let mut msgs = typed("未组织培训");
    msgs.push(key(KeyCode::Tab));
    let effects = feed(&mut app, &ctx, msgs);
    let Some(Effect::RememberPlace(place)) = effects.last() else {
        panic!("{effects:?}")
    };
    let draft = place.form.clone().expect("form remembered");
    assert_eq!(draft.form, DraftForm::Hazard);
    assert!(
        draft
            .values
            .contains(&("description".to_string(), "未组织培训".to_string()))
    );

    // As after a crash: a fresh app reopens the same form with what was typed.
    let mut again = App::default();
    let place = place.clone();
    let mut v = view(&catalog);
    v.answers
        .insert("E1".into(), (AnswerResult::NonCompliant, String::new()));
    again.update(Msg::InspectionOpened(Box::new(v), Some(place)), &ctx);
    let Screen::Hazard(h) = &again.screen else {
        panic!("hazard form reopened")
    };
    assert_eq!(h.form.value("description"), "未组织培训");
    assert_eq!(h.item_code, "E1");
    assert_eq!(h.form.focus, draft.focus);
}

#[test]
fn review_warns_of_a_major_hazard_item_failed_without_a_hazard() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let mut v = view(&catalog);
    for code in ["E12", "E2", "FUEL-02"] {
        v.answers
            .insert(code.into(), (AnswerResult::NonCompliant, String::new()));
    }
    app.update(Msg::InspectionOpened(Box::new(v), None), &ctx);
    feed(&mut app, &ctx, [ch('v')]);
    let Screen::Review(r) = &app.screen else {
        panic!("review")
    };
    assert_eq!(
        r.summary_with(&ctx).major_without_hazard,
        ["FUEL-02"],
        "E2 and E12 are not major by definition; the fuel sector's own item is (121号 第二条)"
    );
}

pub fn ledger_index(n: usize) -> Arc<LedgerIndex> {
    use crate::domain::lifecycle::Stage;
    let rows = (0..n)
        .map(|i| LedgerRowView {
            id: uuid::Uuid::from_u128(i as u128 + 1),
            number: (i % 2 == 0).then(|| format!("方山-2023-09-{:03}", i + 1)),
            enterprise: ["方山县圪洞加油站", "方山县粮食储备库", "方山县燃气有限公司"][i % 3]
                .into(),
            town: ["圪洞镇", "峪口镇"][i % 2].into(),
            group: ["能源股", "粮食服务股", "能源股"][i % 3].into(),
            grade: if i % 4 == 0 {
                HazardGrade::General
            } else {
                HazardGrade::Major
            },
            source: HazardSource::ALL[i % 4],
            stage: Stage::ALL[i % 6],
            deadline: chrono::NaiveDate::from_ymd_opt(2023, 9, 1 + (i % 28) as u32),
            days_left: Some(i as i64 % 28 - 14),
            overdue: i % 3 == 0,
            tracking_person: (i % 5 == 0).then(|| "李建华".to_string()),
            description: format!("第{i}号隐患：储罐区紧急切断装置失效"),
            found_at: now() - chrono::Duration::hours(i as i64),
        })
        .collect();
    Arc::new(LedgerIndex::new(rows))
}

#[test]
fn the_ledger_filters_sorts_searches_and_takes_steps_through_forms() {
    use crate::domain::lifecycle::{self, Stage};
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    app.update(
        Msg::HomeLoaded(HomeData {
            drafts: vec![],
            finalized: vec![],
            today: vec![],
            enterprise_count: 3,
            open_major: 0,
            overdue_major: 0,
            profile_name: None,
            profile_group: None,
            profile_cert_no: String::new(),
            profile_from_roster: false,
            data_dir: String::new(),
            last_safeguard: None,
        }),
        &ctx,
    );
    let effects = feed(&mut app, &ctx, [ch('l')]);
    assert_eq!(effects, [Effect::LoadLedger]);
    app.update(Msg::LedgerLoaded(ledger_index(60)), &ctx);
    let ledger = |app: &App| match &app.screen {
        Screen::Ledger(l) => l.visible.clone(),
        _ => panic!("ledger"),
    };
    assert_eq!(ledger(&app).len(), 60);
    feed(&mut app, &ctx, [ch('d')]);
    assert_eq!(ledger(&app).len(), 20, "every third is overdue");
    feed(&mut app, &ctx, [ch('t')]);
    assert_eq!(ledger(&app).len(), 4, "overdue and listed: i % 15 == 0");
    feed(&mut app, &ctx, [ch('d'), ch('t'), ch('s')]);
    assert_eq!(ledger(&app).len(), 10, "status 登记: i % 6 == 0");
    feed(
        &mut app,
        &ctx,
        [ch('s'), ch('s'), ch('s'), ch('s'), ch('s'), ch('s')],
    );
    assert_eq!(ledger(&app).len(), 60, "the status cycle ends on all");
    // Town and group cycle through the values present, then back to all.
    feed(&mut app, &ctx, [ch('T')]);
    assert_eq!(ledger(&app).len(), 30, "圪洞镇: even rows");
    feed(&mut app, &ctx, [ch('G')]);
    assert_eq!(
        ledger(&app).len(),
        10,
        "圪洞镇 and 粮食服务股 (sorted first): i % 6 == 4"
    );
    feed(&mut app, &ctx, [ch('G')]);
    assert_eq!(
        ledger(&app).len(),
        20,
        "圪洞镇 and 能源股: i % 6 in {{0, 2}}"
    );
    feed(&mut app, &ctx, [ch('T'), ch('T'), ch('G')]);
    assert_eq!(ledger(&app).len(), 60, "both cycles end on all");
    // Search by pinyin initials of the enterprise.
    let mut msgs = vec![ch('/')];
    msgs.extend(typed("lsck"));
    msgs.push(key(KeyCode::Enter));
    feed(&mut app, &ctx, msgs);
    assert_eq!(ledger(&app).len(), 20, "粮食储备库: one in three");
    // Open one, take a step through its form.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    let [Effect::LoadHazard(id)] = effects[..] else {
        panic!("{effects:?}")
    };
    let hazard = Hazard {
        enterprise_id: uuid::Uuid::nil(),
        inspection_id: None,
        item_code: None,
        grade: HazardGrade::Major,
        source: HazardSource::SelfCheck,
        description: "储罐区紧急切断装置失效".into(),
        location: String::new(),
        basis: String::new(),
        found_at: now(),
        rectify_immediately: false,
        fixes: None,
        supervision: None,
        anonymous_report: false,
        assigning_document: None,
    };
    let status = lifecycle::fold(&hazard, &[]);
    let record = Record {
        meta: RecordMeta { id, ..meta() },
        data: hazard,
    };
    app.update(
        Msg::HazardLoaded(Box::new((record, vec![], status)), Default::default()),
        &ctx,
    );
    let mut msgs = vec![ch('z')];
    msgs.push(ctrl('s'));
    assert!(
        acting(feed(&mut app, &ctx, msgs)).is_empty(),
        "no deadline: the five fixes are required"
    );
    let mut msgs = typed("2023-10-01");
    for v in ["王五", "更换阀门", "2万元", "停止卸油"] {
        msgs.push(key(KeyCode::Tab));
        msgs.extend(typed(v));
    }
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [
        Effect::ApplyStep {
            hazard,
            step: lifecycle::Step::Rectify { fixes: Some(f) },
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(*hazard, id);
    assert_eq!(f.deadline.to_string(), "2023-10-01");
    let _ = Stage::Rectifying;
}

#[test]
fn a_follow_up_needs_a_reported_hazard_and_asks_only_about_those_awaiting_verification() {
    use crate::domain::{follow_up, lifecycle};
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let ent = enterprise();
    let hazard = Record {
        meta: meta(),
        data: Hazard {
            enterprise_id: ent.id(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "卸油口无静电接地".into(),
            location: String::new(),
            basis: "GB 50156".into(),
            found_at: now(),
            rectify_immediately: true,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        },
    };
    let hazard_id = hazard.id();
    let mut app = App {
        screen: Screen::Ledger(Default::default()),
        ..App::default()
    };
    app.update(Msg::LedgerLoaded(ledger_index(3)), &ctx);
    let mut status = lifecycle::fold(&hazard.data, &[]);
    app.update(
        Msg::HazardLoaded(
            Box::new((hazard.clone(), vec![], status.clone())),
            Default::default(),
        ),
        &ctx,
    );
    assert!(
        acting(feed(&mut app, &ctx, [ch('f')])).is_empty(),
        "登记: nothing to verify yet"
    );
    status.stage = lifecycle::Stage::RectificationReported;
    app.update(
        Msg::HazardLoaded(
            Box::new((hazard.clone(), vec![], status)),
            Default::default(),
        ),
        &ctx,
    );
    let effects = feed(&mut app, &ctx, [ch('f')]);
    assert_eq!(
        effects,
        [Effect::LoadFollowUp {
            enterprise: ent.id(),
            hazard: hazard_id
        }]
    );
    app.update(
        Msg::SetupLoaded(SetupData {
            enterprise: ent,
            profile_name: Some("李建山".into()),
            open_hazards: vec![hazard],
            open_drafts: 0,
            follow_up_of: Some(hazard_id),
            awaiting_verification: vec![hazard_id],
        }),
        &ctx,
    );
    let Screen::Setup(s) = &app.screen else {
        panic!("setup")
    };
    assert_eq!(s.mode, InspectionMode::FollowUp);
    let chosen: Vec<&str> = s
        .templates
        .iter()
        .filter(|t| t.3)
        .map(|t| t.0.as_str())
        .collect();
    assert_eq!(chosen, [follow_up::TEMPLATE_ID]);
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    let [Effect::StartInspection { inspection, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(inspection.follow_up_of, Some(hazard_id));
    let codes: Vec<&str> = inspection.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, [follow_up::code(hazard_id).as_str()]);
    assert!(inspection.items[0].question.contains("卸油口无静电接地"));
}

#[test]
fn bundles_are_exported_and_imported_from_home_with_the_findings_shown_first() {
    use crate::app::jobs::{ExportKind, Work};
    use crate::app::msg::JobOutcome;
    use crate::app::screens::exchange::Stage;
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let stage = |app: &App| match &app.screen {
        Screen::Exchange(x) => x.stage.clone(),
        _ => panic!("not on the exchange screen"),
    };
    let mut app = App::default();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("李建山.paicha");

    // Export: e, the file, the choice of what, Ctrl-S.
    feed(&mut app, &ctx, [ch('e')]);
    if let Screen::Exchange(x) = &mut app.screen
        && let Stage::Ask(form) = &mut x.stage
    {
        form.fields[0].value = out.display().to_string();
    }
    // The default is everything (a new file has no earlier export to continue from).
    feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert_eq!(
        effects,
        vec![Effect::Start(Work::Export {
            path: out.clone(),
            options: ExportKind::All
        })]
    );
    assert!(matches!(stage(&app), Stage::Running { .. }));
    feed(
        &mut app,
        &ctx,
        [Msg::JobProgress {
            done: 512,
            total: 0,
        }],
    );
    assert!(matches!(stage(&app), Stage::Running { done: 512, .. }));
    assert!(
        feed(&mut app, &ctx, [ch('x')]).is_empty(),
        "keys wait while it runs"
    );
    feed(
        &mut app,
        &ctx,
        [Msg::JobDone(JobOutcome::Exported(vec![
            "已导出到 …".into(),
        ]))],
    );
    assert!(matches!(stage(&app), Stage::Finished { failed: false, .. }));
    let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert!(matches!(app.screen, Screen::Home(_)));
    assert_eq!(effects, vec![Effect::LoadHome]);

    // Import: a missing file is caught at the field; an existing one is checked first.
    feed(&mut app, &ctx, [ch('i')]);
    assert!(
        feed(&mut app, &ctx, [ctrl('s')]).is_empty(),
        "the file is required"
    );
    feed(&mut app, &ctx, typed("/no/such/file.paicha"));
    assert!(feed(&mut app, &ctx, [ctrl('s')]).is_empty());
    match stage(&app) {
        Stage::Ask(form) => assert_eq!(form.fields[0].error.as_deref(), Some("找不到这个文件")),
        other => panic!("{other:?}"),
    }
    std::fs::write(&out, b"bundle").expect("file");
    if let Screen::Exchange(x) = &mut app.screen
        && let Stage::Ask(form) = &mut x.stage
    {
        form.fields[0].value = out.display().to_string();
    }
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert_eq!(
        effects,
        vec![Effect::Start(Work::Import {
            path: out.clone(),
            preview: true,
            expect: None,
            office_fingerprint: None,
        })],
        "a dry run before anything is written"
    );
    let preview = JobOutcome::Previewed {
        path: out.clone(),
        lines: vec!["新增：隐患 1".into()],
        anything: true,
        sha256: "ab".repeat(32),
        office_fingerprint: None,
    };
    feed(&mut app, &ctx, [Msg::JobDone(preview.clone())]);
    assert!(matches!(stage(&app), Stage::Preview { .. }));
    // Esc at the findings imports nothing.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert_eq!(effects, vec![Effect::LoadHome]);
    feed(&mut app, &ctx, [ch('i')]);
    if let Screen::Exchange(x) = &mut app.screen {
        x.finished(preview);
    }
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::Start(Work::Import {
            path: out,
            preview: false,
            expect: Some("ab".repeat(32)),
            office_fingerprint: None,
        })],
        "only the file previewed"
    );
}

#[test]
fn d_on_an_empty_home_loads_the_demo_and_is_refused_once_there_is_data() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let home = |enterprises: u64| {
        Msg::HomeLoaded(HomeData {
            drafts: vec![],
            finalized: vec![],
            today: vec![],
            enterprise_count: enterprises,
            open_major: 0,
            overdue_major: 0,
            profile_name: None,
            profile_group: None,
            profile_cert_no: String::new(),
            profile_from_roster: false,
            data_dir: "/data".into(),
            last_safeguard: None,
        })
    };
    let mut app = App::default();
    let effects = feed(&mut app, &ctx, [home(0), ch('D')]);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadDemo)));
    let effects = feed(&mut app, &ctx, [Msg::DemoLoaded("企业 30 家".into())]);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadHome)));
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已载入演示数据"))
    );
    let mut app = App::default();
    let effects = feed(&mut app, &ctx, [home(3), ch('D')]);
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadDemo)));
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("只能载入空的数据目录"))
    );
    // Lower-case d is still 作废草稿, not the demo.
    let effects = feed(&mut app, &ctx, [ch('d')]);
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadDemo)));
}

#[test]
fn while_the_screen_is_too_small_keys_other_than_leaving_are_dropped() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    app.too_small = true;
    assert!(feed(&mut app, &ctx, [ch('1'), ch('3'), ch('e'), ch('h')]).is_empty());
    assert!(app.overlays.is_empty());
    assert!(matches!(app.screen, Screen::Checklist(_)));
    assert_eq!(feed(&mut app, &ctx, [ctrl('c')]), [Effect::Quit]);
    app.quit = false;
    app.too_small = false;
    assert!(matches!(
        &acting(feed(&mut app, &ctx, [ch('1')]))[..],
        [Effect::SaveAnswer { .. }]
    ));
}

#[test]
fn the_note_being_typed_is_remembered_and_reopens_in_the_editor() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let v = view(&catalog);
    open_checklist(&mut app, &ctx, &catalog);
    let mut msgs = vec![ch('e')];
    msgs.extend(typed("未见方案"));
    let effects = feed(&mut app, &ctx, msgs);
    let Some(Effect::RememberPlace(place)) = effects.last() else {
        panic!("{effects:?}")
    };
    let note = place.note.as_ref().expect("the note remembered");
    assert_eq!((note.code.as_str(), note.text.as_str()), ("E1", "未见方案"));
    // Reopened after a kill: the checklist with the editor over it, the text there.
    let mut again = App::default();
    let place = Place {
        inspection: v.id(),
        ..place.clone()
    };
    again.update(Msg::InspectionOpened(Box::new(v), Some(place)), &ctx);
    let Some(Overlay::Note(editor)) = again.overlays.last() else {
        panic!("the editor")
    };
    assert_eq!(editor.note(), "未见方案");
    assert_eq!(editor.original, "", "nothing saved yet: Esc still warns");
    // Closing the editor forgets the note.
    let effects = feed(&mut again, &ctx, [ctrl('s')]);
    assert!(
        matches!(&effects[..], [Effect::SaveAnswer { note, .. }, Effect::RememberPlace(p)] if note == "未见方案" && p.note.is_none()),
        "{effects:?}"
    );
}

#[test]
fn exam_grades_never_land_in_the_name_and_each_one_is_remembered() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let v = view(&catalog);
    open_checklist(&mut app, &ctx, &catalog);
    let effects = feed(&mut app, &ctx, [ch('t')]);
    assert!(
        matches!(&effects[..], [Effect::RememberPlace(p)] if p.exam.as_ref().is_some_and(|e| e.questions.len() == super::screens::exam::DRAWN)),
        "the questions drawn are remembered at once"
    );
    // Tab round the whole list and back: never into 被考人员/职务.
    let tabs: Vec<Msg> = (0..12).map(|_| key(KeyCode::Tab)).collect();
    feed(&mut app, &ctx, tabs);
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::BackTab), key(KeyCode::BackTab)],
    );
    let effects = feed(&mut app, &ctx, [ch('y'), ch('p')]);
    let Screen::Exam(e) = &app.screen else {
        panic!("exam")
    };
    assert_eq!(e.name, "王五", "grading keys are not text");
    assert!(e.focus >= 2);
    let Some(Effect::RememberPlace(place)) = effects.last() else {
        panic!("{effects:?}")
    };
    let draft = place.exam.clone().expect("exam remembered");
    assert_eq!(draft.outcomes.iter().flatten().count(), 2);
    // The name is typed only after `e`; there y is text, Enter goes back to grading.
    let mut msgs = vec![ch('e'), key(KeyCode::Backspace), key(KeyCode::Backspace)];
    msgs.extend(typed("王建国y"));
    msgs.push(key(KeyCode::Enter));
    msgs.push(ch('n'));
    feed(&mut app, &ctx, msgs);
    let Screen::Exam(e) = &app.screen else {
        panic!("exam")
    };
    assert_eq!(e.name, "王建国y");
    assert!(!e.editing);
    assert_eq!(e.outcomes.iter().flatten().count(), 3);
    // Reopened from the remembered place: the same questions and grades.
    let questions = e.questions.clone();
    let outcomes = e.outcomes.clone();
    let place = e.place();
    let mut again = App::default();
    again.update(Msg::InspectionOpened(Box::new(v), Some(place)), &ctx);
    let Screen::Exam(e) = &again.screen else {
        panic!("exam")
    };
    assert_eq!(e.questions, questions);
    assert_eq!(e.outcomes, outcomes);
    assert_eq!(e.name, "王建国y");
}

/// Issue 16, item 6: the first start sets this device's profile on the home screen (`p`), no
/// command line needed; once the office's roster names this device's inspector, the profile is
/// the roster's and `p` says where it is changed.
#[test]
fn p_on_home_sets_the_profile_and_the_roster_keeps_it_once_enrolled() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let home = |from_roster: bool| {
        Msg::HomeLoaded(HomeData {
            drafts: vec![],
            finalized: vec![],
            today: vec![],
            enterprise_count: 0,
            open_major: 0,
            overdue_major: 0,
            profile_name: from_roster.then(|| "李建山".to_string()),
            profile_group: None,
            profile_cert_no: if from_roster {
                "14010001".into()
            } else {
                String::new()
            },
            profile_from_roster: from_roster,
            data_dir: "/data".into(),
            last_safeguard: None,
        })
    };
    let mut app = App::default();
    feed(&mut app, &ctx, [home(false), ch('p')]);
    let Screen::Home(h) = &app.screen else {
        panic!("home")
    };
    assert!(h.profile.is_some(), "the form opens");
    // A name is needed; then the profile is saved with the chosen group.
    let effects = acting(feed(&mut app, &ctx, [ctrl('s')]));
    assert!(effects.is_empty(), "{effects:?}");
    let mut msgs = typed("李建山");
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("14010001"));
    msgs.push(key(KeyCode::Tab));
    msgs.push(key(KeyCode::Right));
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [Effect::SaveProfile(inspector)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(inspector.name, "李建山");
    assert_eq!(inspector.cert_no, "14010001");
    assert_eq!(
        inspector.group_code.as_deref(),
        catalog.campaign.groups.first().map(|g| g.code.as_str())
    );
    let effects = feed(&mut app, &ctx, [Msg::ProfileSaved("李建山".into())]);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadHome)));
    let Screen::Home(h) = &app.screen else {
        panic!("home")
    };
    assert!(h.profile.is_none(), "saved: the form closes");
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已设置本机执法人员档案：李建山"))
    );
    // Enrolled: the roster's profile is shown, not edited here.
    let mut app = App::default();
    feed(&mut app, &ctx, [home(true), ch('p')]);
    let Screen::Home(h) = &app.screen else {
        panic!("home")
    };
    assert!(h.profile.is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("由办公室人员名册确定"))
    );
}

/// Issue 16, item 1: a fine typed wrong is corrected from the 执法措施 screen (`c`): the form
/// opens filled with what was recorded, a reason is required, and what is saved is a new record
/// naming the original (which stays, marked, and is not corrected twice).
#[test]
fn an_enforcement_action_is_corrected_by_a_new_record_from_its_screen() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    open_checklist(&mut app, &ctx, &catalog);
    feed(
        &mut app,
        &ctx,
        [ch('f'), ch('a'), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    let mut msgs = vec![key(KeyCode::Tab)];
    msgs.extend(typed("1234"));
    msgs.push(ctrl('s'));
    msgs.push(ctrl('s')); // above the ceiling: the second Ctrl-S confirms
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [Effect::RecordAction(original)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(original.amount_fen, Some(1_234_000_000));
    let saved = Record {
        meta: meta(),
        data: original.clone(),
    };
    let original_id = saved.id();
    app.update(Msg::ActionSaved(saved), &ctx);

    feed(&mut app, &ctx, [ch('c')]);
    let Screen::Actions(a) = &app.screen else {
        panic!("actions")
    };
    assert_eq!(a.correcting, Some(original_id));
    let form = a.form.as_ref().expect("the correction form");
    assert_eq!(form.value("kind"), "行政处罚");
    assert!(
        form.value("amount_wan").starts_with("1234"),
        "{}",
        form.value("amount_wan")
    );
    // Without a reason: refused at the form.
    assert!(acting(feed(&mut app, &ctx, [ctrl('s')])).is_empty());
    // The amount fixed, the reason given.
    let Screen::Actions(a) = &mut app.screen else {
        panic!("actions")
    };
    let form = a.form.as_mut().expect("form");
    let amount = form
        .fields
        .iter()
        .position(|f| f.key == "amount_wan")
        .expect("amount");
    form.focus = amount;
    let mut msgs: Vec<Msg> = (0..12).map(|_| key(KeyCode::Backspace)).collect();
    msgs.extend(typed("0.5"));
    let note = form
        .fields
        .iter()
        .position(|f| f.key == "note")
        .expect("note");
    for _ in amount..note {
        msgs.push(key(KeyCode::Tab));
    }
    msgs.extend(typed("金额录入多了三个零"));
    msgs.push(ctrl('s'));
    let effects = acting(feed(&mut app, &ctx, msgs));
    let [Effect::RecordAction(correction)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(correction.corrects, Some(original_id));
    assert_eq!(correction.amount_fen, Some(500_000));
    assert!(correction.note.contains("金额录入多了三个零"));
    app.update(
        Msg::ActionSaved(Record {
            meta: meta(),
            data: correction.clone(),
        }),
        &ctx,
    );
    // The original again: corrected already, the newest is to be corrected.
    let Screen::Actions(a) = &mut app.screen else {
        panic!("actions")
    };
    a.selected = 0;
    feed(&mut app, &ctx, [ch('c')]);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("这条已被更正")),
        "{:?}",
        app.notice
    );
}

#[test]
fn a_background_panic_restores_the_terminal_only_where_it_ends_the_program() {
    // With unwinding, the job's panic is caught at its join and the screen stays up.
    assert!(!super::panic_ends_program(false, false));
    // The shipped build aborts: the terminal must come back whatever thread panicked.
    assert!(super::panic_ends_program(false, true));
    assert!(super::panic_ends_program(true, false));
    assert!(super::panic_ends_program(true, true));
}

#[test]
fn the_crash_notice_says_nothing_saved_is_lost_and_where_the_log_is() {
    let notice = super::crash_notice(std::path::Path::new("/数据/logs/paicha.log"));
    assert!(notice.contains("已经保存的记录不受影响"), "{notice}");
    assert!(notice.contains("/数据/logs/paicha.log"), "{notice}");
}
