//! State-update tests of the ledger's office hazard entry (`A`): keys and messages in, state
//! and effects out.

use crate::app::msg::{DraftForm, Effect, EnterpriseIndex, EnterpriseRow, FormDraft, Msg};
use crate::app::screens::Screen;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, enterprise, feed, key, meta, typed};
use crate::domain::{HazardSource, Record};
use crossterm::event::KeyCode;

fn ledger(app: &App) -> &crate::app::screens::ledger::Ledger {
    match &app.screen {
        Screen::Ledger(l) => l,
        _ => panic!("not on the ledger"),
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
            .any(|e| matches!(e, Effect::RememberLooseForm(Some(_)))),
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
    assert_eq!(
        hazard.found_at, ctx.now,
        "found today: the moment registered"
    );
    assert_eq!(reward, Some(500_000));
    let saved = Record {
        meta: meta(),
        data: hazard,
    };
    let id = saved.id();
    let effects = feed(&mut app, &ctx, [Msg::OfficeHazardSaved(saved, reward)]);
    assert!(effects.contains(&Effect::LoadLedger));
    assert!(effects.contains(&Effect::RememberLooseForm(None)));
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
    let effects = feed(&mut app, &ctx, [Msg::LooseFormResumed(draft.clone())]);
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
