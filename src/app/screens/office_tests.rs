//! State-update tests of the office's screens: the ledger's hazard entry, the month's lists,
//! corrections from the records behind a row. Keys and messages in, state and effects out.

use crate::app::msg::{
    CorrectionTarget, DraftForm, Effect, EnterpriseIndex, EnterpriseRow, FormDraft, Msg,
};
use crate::app::screens::Screen;
use crate::app::screens::explain::Explain;
use crate::app::screens::overlays::Overlay;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, enterprise, feed, key, meta, typed};
use crate::domain::{
    Activity, ActivityKind, ActivityLevel, EnforcementAction, EnforcementKind, HazardSource, Record,
};
use crate::report::hazard_list::Window;
use crate::report::listing::Listing;
use crate::report::month_lists::{MonthList, Which};
use crossterm::event::KeyCode;
use std::path::PathBuf;

fn ledger(app: &App) -> &crate::app::screens::ledger::Ledger {
    match &app.screen {
        Screen::Ledger(l) => l,
        _ => panic!("not on the ledger"),
    }
}

fn monthly(app: &App) -> &crate::app::screens::monthly::Monthly {
    match &app.screen {
        Screen::Monthly(m) => m,
        _ => panic!("not on the monthly table"),
    }
}

fn tabs(n: usize) -> Vec<Msg> {
    (0..n).map(|_| key(KeyCode::Tab)).collect()
}

/// The ledger with the office's entry open at the test enterprise.
fn entry_open(app: &mut App, ctx: &crate::app::screens::Ctx) -> Vec<Effect> {
    app.screen = Screen::Ledger(Box::default());
    let effects = feed(app, ctx, [ch('A')]);
    assert!(effects.contains(&Effect::LoadEnterprises));
    let ent = enterprise();
    let index = EnterpriseIndex::new(vec![EnterpriseRow {
        id: ent.id(),
        name: ent.data.name.clone(),
        credit_code: ent.data.credit_code.to_string(),
        town: ent.data.town.clone(),
        sector: ent.data.sector.clone(),
    }]);
    feed(
        app,
        ctx,
        [Msg::EnterprisesLoaded(std::sync::Arc::new(index))],
    );
    let effects = feed(app, ctx, [key(KeyCode::Enter)]);
    assert!(
        effects.contains(&Effect::OpenOfficeHazard {
            enterprise: ent.id(),
            draft: None
        }),
        "{effects:?}"
    );
    assert!(app.overlays.is_empty(), "the picker closed");
    feed(
        app,
        ctx,
        [Msg::OfficeHazardReady {
            enterprise: Box::new(ent),
            refused: None,
            draft: None,
        }],
    )
}

fn recorded(effects: &[Effect]) -> Option<(crate::domain::Hazard, Option<i64>)> {
    effects.iter().find_map(|e| match e {
        Effect::RecordOfficeHazard { hazard, reward_fen } => Some((hazard.clone(), *reward_fen)),
        _ => None,
    })
}

#[test]
fn a_public_report_is_entered_from_the_ledger_and_shown_selected_once_saved() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let effects = entry_open(&mut app, &ctx);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RememberOfficeForm(Some(_)))),
        "remembered as it opens: {effects:?}"
    );
    // → 群众举报: 匿名 and 举报奖励 appear, 交办文号 does not.
    feed(&mut app, &ctx, [key(KeyCode::Right)]);
    let keys: Vec<String> = ledger(&app)
        .office
        .as_ref()
        .map(|o| o.form.fields.iter().map(|f| f.key.clone()).collect())
        .unwrap_or_default();
    assert!(keys.contains(&"anonymous".to_string()) && keys.contains(&"reward".to_string()));
    assert!(!keys.contains(&"document".to_string()));
    let mut msgs = tabs(2);
    msgs.extend(typed("仓库违规住人"));
    msgs.extend(tabs(4));
    msgs.push(key(KeyCode::Right)); // 匿名：是
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("5000元"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    let (hazard, reward) = recorded(&effects).expect("recorded");
    assert_eq!(hazard.source, HazardSource::PublicReport);
    assert!(hazard.anonymous_report);
    assert_eq!(hazard.description, "仓库违规住人");
    assert_eq!(hazard.inspection_id, None);
    assert_eq!(hazard.fixes, None);
    assert_eq!(reward, Some(500_000));
    let saved = Record {
        meta: meta(),
        data: hazard,
    };
    let id = saved.id();
    let effects = feed(&mut app, &ctx, [Msg::OfficeHazardSaved(saved, reward)]);
    assert!(effects.contains(&Effect::LoadLedger));
    assert!(effects.contains(&Effect::RememberOfficeForm(None)));
    assert!(ledger(&app).office.is_none());
    let notice = app.notice.clone().map(|n| n.text).unwrap_or_default();
    assert!(
        notice.contains("已登记一般隐患（群众举报）") && notice.contains("0.5万元"),
        "{notice}"
    );
    // Read again with a filter that hides it: the filter goes, the new hazard is selected.
    let mut index = crate::app::tests::ledger_index(30);
    let mut row = index.rows[0].clone();
    row.id = id;
    row.source = HazardSource::PublicReport;
    std::sync::Arc::make_mut(&mut index).upsert(row);
    if let Screen::Ledger(l) = &mut app.screen {
        l.source = Some(HazardSource::Assigned);
    }
    feed(&mut app, &ctx, [Msg::LedgerLoaded(index)]);
    let l = ledger(&app);
    let shown = l.index.as_ref().map(|i| i.rows[l.visible[l.selected]].id);
    assert_eq!(shown, Some(id));
    assert_eq!(l.source, None);
}

#[test]
fn the_entry_refuses_at_the_field_by_the_rules_of_hazard_add() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    entry_open(&mut app, &ctx);
    // 上级交办 with no document number.
    let mut msgs = vec![key(KeyCode::Right), key(KeyCode::Right)];
    msgs.extend(tabs(2));
    msgs.extend(typed("未按规定设置防爆设施"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    assert!(recorded(&effects).is_none());
    let form = &ledger(&app).office.as_ref().expect("still open").form;
    let field = &form.fields[form.focus];
    assert_eq!(field.key, "document");
    assert_eq!(field.error.as_deref(), Some("交办文件文号不能为空"));
    // The number, and only part of the five fixes: refused at the first missing one.
    let mut msgs = typed("方安委办〔2023〕12号");
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("2023.9.30"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    assert!(recorded(&effects).is_none());
    let form = &ledger(&app).office.as_ref().expect("still open").form;
    assert_eq!(form.value("deadline"), "2023-09-30", "the day shown whole");
    let field = &form.fields[form.focus];
    assert_eq!(field.key, "responsible");
    assert_eq!(
        field.error.as_deref(),
        Some("五落实须一起填写，缺少：整改责任人、整改措施、整改资金、整改期间的应急预案")
    );
    // All five: recorded, with the fixes and the document.
    let mut msgs = typed("王经理");
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("加装防爆灯具"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("2万元，企业自筹"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("停用储罐区照明"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    let (hazard, reward) = recorded(&effects).expect("recorded");
    assert_eq!(hazard.source, HazardSource::Assigned);
    assert_eq!(
        hazard.assigning_document.as_deref(),
        Some("方安委办〔2023〕12号")
    );
    assert_eq!(
        hazard.fixes.map(|f| f.funds).as_deref(),
        Some("2万元，企业自筹")
    );
    assert_eq!(reward, None);
}

#[test]
fn a_profile_that_may_not_register_is_told_before_the_form() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Ledger(Box::default()),
        ..App::default()
    };
    feed(
        &mut app,
        &ctx,
        [Msg::OfficeHazardReady {
            enterprise: Box::new(enterprise()),
            refused: Some("“登记群众举报的隐患”须由内勤办理".into()),
            draft: None,
        }],
    );
    assert!(ledger(&app).office.is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("须由内勤办理"))
    );
}

#[test]
fn an_entry_a_crash_interrupted_reopens_with_what_was_typed() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    let ent = enterprise();
    let draft = FormDraft {
        form: DraftForm::OfficeHazard {
            enterprise: ent.id(),
        },
        values: vec![
            ("source".into(), "群众举报".into()),
            ("description".into(), "夜间违规装卸".into()),
            ("reward".into(), "0.2万元".into()),
        ],
        focus: 7,
    };
    let effects = feed(&mut app, &ctx, [Msg::OfficeFormResumed(draft.clone())]);
    assert_eq!(
        effects,
        vec![Effect::OpenOfficeHazard {
            enterprise: ent.id(),
            draft: Some(draft.clone()),
        }]
    );
    let effects = feed(
        &mut app,
        &ctx,
        [Msg::OfficeHazardReady {
            enterprise: Box::new(ent),
            refused: None,
            draft: Some(draft),
        }],
    );
    assert!(
        effects.contains(&Effect::LoadLedger),
        "the ledger behind it"
    );
    let form = &ledger(&app).office.as_ref().expect("reopened").form;
    assert_eq!(form.value("source"), "群众举报");
    assert_eq!(form.value("description"), "夜间违规装卸");
    assert_eq!(form.value("reward"), "0.2万元");
    assert_eq!(form.fields[form.focus].key, "reward");
}

fn sample_list(which: Which, year: i32, month: u32) -> MonthList {
    let window = Window::month(year, month).expect("month");
    MonthList {
        which,
        window,
        listing: Listing {
            title: format!("{}重大事故隐患清单", window.label()),
            subtitle: "填报单位：方山县应急管理局".into(),
            header: vec!["序号", "企业名称", "隐患内容", "整改期限", "状态"],
            rows: (1..=30)
                .map(|i| {
                    vec![
                        i.to_string(),
                        format!("方山县第{i}加油站"),
                        "储罐区未设置可燃气体报警装置".into(),
                        "2023-09-30".into(),
                        "整改中".into(),
                    ]
                })
                .collect(),
        },
        json: serde_json::Value::Null,
        withheld: vec![],
    }
}

fn on_monthly(app: &mut App, ctx: &crate::app::screens::Ctx) {
    let m = crate::app::screens::monthly::Monthly::new(ctx, None);
    app.screen = Screen::Monthly(Box::new(m));
}

#[test]
fn h_and_g_open_the_months_lists_which_scroll_change_month_and_export() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    on_monthly(&mut app, &ctx);
    let (year, month) = (monthly(&app).year, monthly(&app).month);
    let effects = feed(&mut app, &ctx, [ch('g')]);
    assert_eq!(
        effects,
        vec![Effect::LoadMonthList {
            which: Which::Disclosure,
            year,
            month
        }]
    );
    feed(&mut app, &ctx, [key(KeyCode::Esc), ch('h')]);
    // A list for another month than the one asked is not shown.
    let (py, pm) = crate::app::screens::month_list::previous(year, month);
    feed(
        &mut app,
        &ctx,
        [Msg::MonthListLoaded(
            Box::new(sample_list(Which::Hazards, py, pm)),
            "/home/x/文档".into(),
        )],
    );
    assert!(
        monthly(&app)
            .list
            .as_ref()
            .is_some_and(|l| l.list.is_none())
    );
    feed(
        &mut app,
        &ctx,
        [Msg::MonthListLoaded(
            Box::new(sample_list(Which::Hazards, year, month)),
            "/home/x/文档".into(),
        )],
    );
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    assert_eq!(monthly(&app).list.as_ref().map(|l| l.selected), Some(29));
    feed(&mut app, &ctx, [key(KeyCode::Home), ch('j'), ch('j')]);
    assert_eq!(monthly(&app).list.as_ref().map(|l| l.selected), Some(2));
    // x: the path offered in the Documents folder, editable; Ctrl-S writes it.
    feed(&mut app, &ctx, [ch('x')]);
    let path = monthly(&app)
        .list
        .as_ref()
        .and_then(|l| l.export.as_ref())
        .map(|f| f.value("path").to_string())
        .expect("export form");
    let window = Window::month(year, month).expect("month");
    assert_eq!(
        PathBuf::from(&path),
        PathBuf::from("/home/x/文档").join(format!("{}重大事故隐患清单.xlsx", window.label()))
    );
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert_eq!(
        effects,
        vec![Effect::ExportMonthList {
            which: Which::Hazards,
            year,
            month,
            path: PathBuf::from(&path),
        }]
    );
    // A refusal keeps the path open to fix; success closes it and says where.
    feed(
        &mut app,
        &ctx,
        [Msg::MonthListExported(Err("没有这个目录：/nowhere".into()))],
    );
    assert!(
        monthly(&app)
            .list
            .as_ref()
            .is_some_and(|l| l.export.is_some())
    );
    feed(
        &mut app,
        &ctx,
        [Msg::MonthListExported(Ok(format!("已写入 {path}")))],
    );
    assert!(
        monthly(&app)
            .list
            .as_ref()
            .is_some_and(|l| l.export.is_none())
    );
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains(&path)));
    // →: the next month's list is asked for.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Right)]);
    let (ny, nm) = crate::app::screens::month_list::next(year, month);
    assert_eq!(
        effects,
        vec![Effect::LoadMonthList {
            which: Which::Hazards,
            year: ny,
            month: nm
        }]
    );
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert!(monthly(&app).list.is_none());
}

fn activity() -> Record<Activity> {
    Record {
        meta: meta(),
        data: Activity {
            kind: ActivityKind::GroupStudy,
            level: ActivityLevel::County,
            group_code: Some("energy".into()),
            held_on: chrono::NaiveDate::from_ymd_opt(2023, 8, 10).expect("day"),
            title: "学习十五条硬措施".into(),
            amount_fen: None,
            count: None,
            anonymous: false,
            note: String::new(),
            corrects: None,
        },
    }
}

fn explain_on(app: &mut App, id: uuid::Uuid) {
    if let Screen::Monthly(m) = &mut app.screen {
        m.explain = Some(Explain {
            title: "D1 计入的记录".into(),
            lines: vec![
                ("D1 专题学习：1".into(), None),
                (format!("  2023-08-10  学习十五条硬措施  {id}"), Some(id)),
            ],
            selected: Some(1),
        });
    }
}

#[test]
fn c_corrects_the_selected_activity_by_a_new_record_naming_it() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    on_monthly(&mut app, &ctx);
    let original = activity();
    explain_on(&mut app, original.id());
    let effects = feed(&mut app, &ctx, [ch('c')]);
    assert_eq!(
        effects,
        vec![Effect::OpenCorrection {
            record: original.id(),
            draft: None
        }]
    );
    // Already corrected: said, no form.
    feed(
        &mut app,
        &ctx,
        [Msg::CorrectionReady {
            target: Err("这条工作活动已被更正（更正记录：…）".into()),
            draft: None,
        }],
    );
    assert!(monthly(&app).form.is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已被更正"))
    );
    let effects = feed(
        &mut app,
        &ctx,
        [Msg::CorrectionReady {
            target: Ok(CorrectionTarget::Activity(original.clone())),
            draft: None,
        }],
    );
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::RememberOfficeForm(Some(FormDraft {
            form: DraftForm::ActivityCorrection { .. },
            ..
        }))
    )));
    let form = monthly(&app).form.as_ref().expect("form");
    assert_eq!(
        form.value("title"),
        "学习十五条硬措施",
        "filled as recorded"
    );
    assert_eq!(form.value("held_on"), "2023-08-10");
    // No reason: refused at the field.
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveActivity(_))));
    let mut msgs = typed("日期记错");
    msgs.extend(tabs(3));
    for _ in 0..2 {
        msgs.push(key(KeyCode::Backspace));
    }
    msgs.extend(typed("12"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveActivity(a) => Some(a.clone()),
            _ => None,
        })
        .expect("saved");
    assert_eq!(saved.corrects, Some(original.id()));
    assert_eq!(saved.held_on.to_string(), "2023-08-12");
    assert_eq!(saved.note, "更正：日期记错");
    assert_eq!(saved.group_code.as_deref(), Some("energy"), "kept");
    let effects = feed(
        &mut app,
        &ctx,
        [Msg::ActivitySaved(Record {
            meta: meta(),
            data: saved,
        })],
    );
    assert!(effects.contains(&Effect::RememberOfficeForm(None)));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadMonthly { .. })),
        "counted again"
    );
    let m = monthly(&app);
    assert!(m.form.is_none() && m.explain.is_none());
}

#[test]
fn c_on_an_enforcement_action_opens_the_action_correction_form() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    on_monthly(&mut app, &ctx);
    let ent = enterprise();
    let original = Record {
        meta: meta(),
        data: EnforcementAction {
            kind: EnforcementKind::Penalty,
            enterprise_id: Some(ent.id()),
            inspection_id: None,
            hazard_id: None,
            decided_on: chrono::NaiveDate::from_ymd_opt(2023, 8, 9).expect("day"),
            document_no: "方应急罚〔2023〕7号".into(),
            amount_fen: Some(50_000_000),
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        },
    };
    feed(
        &mut app,
        &ctx,
        [Msg::CorrectionReady {
            target: Ok(CorrectionTarget::Action(original.clone())),
            draft: None,
        }],
    );
    let form = monthly(&app).form.as_ref().expect("form");
    assert_eq!(form.value("amount_wan"), "50万元");
    // The amount was 5 万元: corrected, with the reason.
    let mut msgs = tabs(3);
    for _ in 0..4 {
        msgs.push(key(KeyCode::Backspace));
    }
    msgs.extend(typed("5"));
    msgs.extend(tabs(3));
    msgs.extend(typed("多打一个零"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::RecordAction(a) => Some(a.clone()),
            _ => None,
        })
        .expect("recorded");
    assert_eq!(saved.corrects, Some(original.id()));
    assert_eq!(saved.amount_fen, Some(5_000_000));
    assert_eq!(saved.enterprise_id, Some(ent.id()));
    assert_eq!(saved.note, "更正：多打一个零");
    let effects = feed(
        &mut app,
        &ctx,
        [Msg::ActionSaved(Record {
            meta: meta(),
            data: saved,
        })],
    );
    assert!(effects.contains(&Effect::RememberOfficeForm(None)));
    assert!(monthly(&app).form.is_none());
}

#[test]
fn the_activity_form_takes_money_with_units_and_confirms_above_the_ceiling() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    on_monthly(&mut app, &ctx);
    // D5 举报奖励, a title, then the amount.
    let mut msgs = vec![ch('a')];
    msgs.extend((0..5).map(|_| key(KeyCode::Right)));
    msgs.extend(tabs(3));
    msgs.extend(typed("举报奖励兑现"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("600"));
    msgs.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, msgs);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveActivity(_))));
    let form = monthly(&app).form.as_ref().expect("form");
    let err = form.fields[form.focus].error.clone().unwrap_or_default();
    assert!(err.contains("再按 Ctrl-S"), "{err}");
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveActivity(a) => Some(a.clone()),
            _ => None,
        })
        .expect("saved on the second Ctrl-S");
    assert_eq!(saved.amount_fen, Some(600_000_000));
    // 5000元 is 0.5 万元, shown back so.
    let mut app = App::default();
    on_monthly(&mut app, &ctx);
    let mut msgs = vec![ch('a')];
    msgs.extend((0..5).map(|_| key(KeyCode::Right)));
    msgs.extend(tabs(3));
    msgs.extend(typed("奖励"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("5000元"));
    msgs.push(key(KeyCode::Tab));
    feed(&mut app, &ctx, msgs);
    let form = monthly(&app).form.as_ref().expect("form");
    assert_eq!(form.value("amount"), "0.5万元");
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveActivity(a) if a.amount_fen == Some(500_000)))
    );
    assert!(matches!(app.overlays.last(), None | Some(Overlay::Help(_))));
}
