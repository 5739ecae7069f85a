//! The TUI's effect runner keeps the monthly table's records between month and scope changes.
//! It must never show a stale table: an activity logged in this window, or records written by
//! another process (the CLI beside the TUI), are counted at the next look.

use chrono::NaiveDate;
use paicha::app::effects::Runner;
use paicha::app::msg::{Effect, Msg};
use paicha::domain::{Activity, ActivityKind, ActivityLevel, Inspector, SystemClock};
use paicha::report::monthly::{Period, Scope};
use paicha::storage::Store;
use paicha::templates::Catalog;
use std::sync::Arc;

fn study(on: (i32, u32, u32)) -> Activity {
    Activity {
        kind: ActivityKind::GroupStudy,
        level: ActivityLevel::County,
        group_code: Some("energy".into()),
        held_on: NaiveDate::from_ymd_opt(on.0, on.1, on.2).expect("day"),
        title: "学习十五条".into(),
        amount_fen: None,
        count: None,
        anonymous: false,
        note: String::new(),
        corrects: None,
    }
}

fn d1_county(runner: &mut Runner, catalog: &Catalog, month: u32) -> String {
    let effect = Effect::LoadMonthly {
        scope: Scope::All,
        period: Period::month(catalog.campaign.start, 2023, month).expect("period"),
        unit: "局".into(),
    };
    match runner.run(effect) {
        Some(Msg::MonthlyLoaded(table)) => table
            .row("D1")
            .map(|r| r.cells[0].figure.text())
            .unwrap_or_default(),
        other => panic!("no table: {:?}", other.is_some()),
    }
}

#[test]
fn the_kept_records_never_hide_a_new_one() {
    let dir = tempfile::tempdir().expect("dir");
    let catalog = Catalog::builtin().expect("catalog");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    store.record_activity(study((2023, 9, 1))).expect("first");
    let mut runner = Runner::new(&mut store, &catalog, String::new());
    assert_eq!(d1_county(&mut runner, &catalog, 9), "1");
    assert_eq!(
        d1_county(&mut runner, &catalog, 8),
        "0",
        "another month, same records"
    );
    // Logged in this window: counted at the next look.
    runner.run(Effect::SaveActivity(study((2023, 9, 2))));
    assert_eq!(d1_county(&mut runner, &catalog, 9), "2");
    // Written by another process meanwhile: counted too.
    {
        let mut cli = Store::open(dir.path(), Arc::new(SystemClock)).expect("second");
        cli.record_activity(study((2023, 9, 3))).expect("third");
    }
    assert_eq!(d1_county(&mut runner, &catalog, 9), "3");
}
