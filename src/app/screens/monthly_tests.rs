//! State-update tests of the monthly table screen: keys and messages in, effects out.

use crate::app::msg::{Effect, HomeData, Msg};
use crate::app::screens::Screen;
use crate::app::screens::Step;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctx_at_now, feed, key};
use crate::report::monthly::{self, Input, Scope};
use crossterm::event::KeyCode;
use std::collections::HashMap;

fn home(group: Option<&str>) -> Msg {
    Msg::HomeLoaded(HomeData {
        drafts: vec![],
        finalized: vec![],
        today: vec![],
        enterprise_count: 1,
        open_major: 0,
        overdue_major: 0,
        profile_name: Some("李建山".into()),
        profile_group: group.map(String::from),
        profile_cert_no: String::new(),
        profile_from_roster: false,
        data_dir: "/data".into(),
        last_safeguard: None,
    })
}

/// The table the runner would compute for `effect`, over no records.
pub fn computed(effect: &Effect) -> monthly::Table {
    let Effect::LoadMonthly {
        scope,
        period,
        unit,
    } = effect
    else {
        panic!("not a monthly load: {effect:?}");
    };
    let (groups, enterprises, items) = (HashMap::new(), HashMap::new(), HashMap::new());
    let (officers, sector_groups) = (HashMap::new(), HashMap::new());
    let input = Input {
        hazards: &[],
        inspections: &[],
        actions: &[],
        activities: &[],
        groups: &groups,
        officers: &officers,
        sector_groups: &sector_groups,
        enterprises: &enterprises,
        item_rows: &items,
    };
    monthly::table(&input, scope, *period, "调度表", unit)
}

fn loads(effects: &[Effect]) -> Vec<&Effect> {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadMonthly { .. }))
        .collect()
}

#[test]
fn r_opens_the_groups_own_table_of_the_last_month_due_and_keys_move_month_and_scope() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog); // 2023-08-15: July's table is the last one due
    let mut app = App::default();
    feed(&mut app, &ctx, [home(Some("energy"))]);
    let effects = feed(&mut app, &ctx, [ch('r')]);
    let asked = loads(&effects);
    assert_eq!(asked.len(), 1);
    let Effect::LoadMonthly { scope, period, .. } = asked[0] else {
        unreachable!()
    };
    assert_eq!(
        scope,
        &Scope::Own {
            group: "energy".into()
        }
    );
    assert_eq!(period.to.to_string(), "2023-07-28");
    assert_eq!(period.from.to_string(), "2023-04-25");
    let table = computed(asked[0]);
    feed(&mut app, &ctx, [Msg::MonthlyLoaded(Box::new(table))]);
    let Screen::Monthly(m) = &app.screen else {
        panic!("not the monthly screen")
    };
    assert!(m.table.is_some());

    // Down twice, Enter: the records behind A3; Esc back to the table.
    feed(&mut app, &ctx, [ch('j'), ch('j'), key(KeyCode::Enter)]);
    let Screen::Monthly(m) = &app.screen else {
        unreachable!()
    };
    let explain = m.explain.as_ref().expect("explain open");
    assert!(explain.title.starts_with("A3"), "{}", explain.title);
    assert!(
        explain.text().contains("计入的记录：0 条"),
        "{}",
        explain.text()
    );
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    let Screen::Monthly(m) = &app.screen else {
        unreachable!()
    };
    assert!(m.explain.is_none() && m.selected == 2);

    // → next month (August), Tab: the energy group's sectors.
    let effects = feed(&mut app, &ctx, [key(KeyCode::Right)]);
    let Effect::LoadMonthly { period, .. } = loads(&effects)[0] else {
        unreachable!()
    };
    assert_eq!(period.to.to_string(), "2023-08-28");
    let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    let Effect::LoadMonthly { scope, .. } = loads(&effects)[0] else {
        unreachable!()
    };
    assert!(matches!(scope, Scope::Sector { group, .. } if group == "energy"));
    // A table computed for a month or scope no longer shown is not put on screen.
    let stale = computed(&Effect::LoadMonthly {
        scope: Scope::All,
        period: monthly::Period::month(catalog.campaign.start, 2023, 6).expect("p"),
        unit: catalog.campaign.bureau.clone(),
    });
    feed(&mut app, &ctx, [Msg::MonthlyLoaded(Box::new(stale))]);
    let Screen::Monthly(m) = &app.screen else {
        unreachable!()
    };
    assert!(m.table.is_none(), "still waiting for the right table");
    // Before the campaign: refused with a word, nothing loaded.
    let mut app = App::default();
    feed(&mut app, &ctx, [home(None), ch('r')]);
    let mut back = Vec::new();
    for _ in 0..4 {
        back.extend(feed(&mut app, &ctx, [key(KeyCode::Left)]));
    }
    // July → June → May → April (to the 28th, after the 25 April start) → March: refused.
    assert_eq!(loads(&back).len(), 3);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("开始之前"))
    );
}

#[test]
fn an_activity_is_logged_from_the_table_checked_first_then_the_table_is_counted_again() {
    use crate::app::tests::{ctrl, typed};
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    feed(&mut app, &ctx, [home(Some("energy")), ch('r'), ch('a')]);
    // D5 举报奖励: the sixth kind; no amount yet → refused with the reason.
    let mut keys: Vec<Msg> = (0..5).map(|_| key(KeyCode::Right)).collect();
    keys.extend([key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)]);
    keys.extend(typed("举报奖励兑现"));
    feed(&mut app, &ctx, keys);
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveActivity(_))));
    assert!(
        app.notice.as_ref().is_some_and(|n| n.text.contains("金额")),
        "{:?}",
        app.notice
    );
    // The amount, then Ctrl-S: saved for the group shown, today.
    let mut keys = vec![key(KeyCode::Tab)];
    keys.extend(typed("0.35"));
    keys.push(ctrl('s'));
    let effects = feed(&mut app, &ctx, keys);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveActivity(a) => Some(a.clone()),
            _ => None,
        })
        .expect("saved");
    assert_eq!(saved.kind, crate::domain::ActivityKind::ReportReward);
    assert_eq!(saved.amount_fen, Some(350_000));
    assert_eq!(saved.group_code.as_deref(), Some("energy"));
    assert_eq!(saved.held_on.to_string(), "2023-08-15");
    assert_eq!(saved.title, "举报奖励兑现");
    let record = crate::domain::Record {
        meta: crate::app::tests::meta(),
        data: saved,
    };
    let effects = feed(&mut app, &ctx, [Msg::ActivitySaved(record)]);
    assert_eq!(loads(&effects).len(), 1, "the table is counted again");
    let Screen::Monthly(m) = &app.screen else {
        unreachable!()
    };
    assert!(m.form.is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("计入 D5"))
    );
}

#[test]
fn right_after_the_campaign_starts_it_opens_on_the_first_table_not_before() {
    use chrono::TimeZone;
    let catalog = catalog();
    // 2023-04-26, the day after the start: the last 28th (March) is before the campaign.
    let ctx = crate::app::screens::Ctx {
        catalog: &catalog,
        now: chrono::Utc
            .with_ymd_and_hms(2023, 4, 26, 2, 0, 0)
            .single()
            .expect("time"),
    };
    let m = super::Monthly::new(&ctx, None);
    assert_eq!((m.year, m.month), (2023, 4));
    let Some(Step::Do(Effect::LoadMonthly { period, .. })) = m.load(&ctx).into_iter().next() else {
        panic!("a table is asked for");
    };
    assert!(period.to >= period.from);
}

#[test]
fn after_the_campaign_it_opens_on_its_last_month_and_goes_no_further() {
    use chrono::TimeZone;
    let catalog = catalog();
    let ctx = crate::app::screens::Ctx {
        catalog: &catalog,
        now: chrono::Utc
            .with_ymd_and_hms(2026, 11, 29, 2, 0, 0)
            .single()
            .expect("time"),
    };
    let mut app = App::default();
    feed(&mut app, &ctx, [home(None)]);
    let effects = feed(&mut app, &ctx, [ch('r')]);
    let Effect::LoadMonthly { period, .. } = loads(&effects)[0] else {
        unreachable!()
    };
    assert_eq!(period.to.to_string(), "2023-12-28");
    let effects = feed(&mut app, &ctx, [key(KeyCode::Right)]);
    assert!(loads(&effects).is_empty());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已于 2023-12-31 结束"))
    );
}
