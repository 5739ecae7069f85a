//! State-update tests of the monthly table's office views: the month's lists and their
//! export, corrections from the records behind a row, the activity form's amounts.

use crate::app::msg::{CorrectionTarget, DraftForm, Effect, FormDraft, Msg};
use crate::app::screens::Screen;
use crate::app::screens::explain::Explain;
use crate::app::screens::overlays::Overlay;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, enterprise, feed, key, meta, typed};
use crate::domain::{
    Activity, ActivityKind, ActivityLevel, EnforcementAction, EnforcementKind, Record,
};
use crate::report::hazard_list::Window;
use crate::report::listing::Listing;
use crate::report::month_lists::{MonthList, Which};
use crossterm::event::KeyCode;
use std::path::PathBuf;

fn monthly(app: &App) -> &crate::app::screens::monthly::Monthly {
    match &app.screen {
        Screen::Monthly(m) => m,
        _ => panic!("not on the monthly table"),
    }
}

fn tabs(n: usize) -> Vec<Msg> {
    (0..n).map(|_| key(KeyCode::Tab)).collect()
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
        Effect::RememberLooseForm(Some(FormDraft {
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
    assert!(effects.contains(&Effect::RememberLooseForm(None)));
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
    assert!(effects.contains(&Effect::RememberLooseForm(None)));
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
