//! The hazard ledger on real storage: 100 000 hazards with 1 000 000 events in the SQLite file.
//! Measures what opening the ledger costs end to end (the effect that reads and folds every
//! hazard and builds the search index), opening one hazard (its status and the warnings over
//! its enterprise), and the monthly numbering pass. Run with `cargo bench --bench ledger_store`.
//! Building the file takes a few seconds and is not measured.

use paicha::app::effects::Runner;
use paicha::app::msg::{Effect, Msg};
use paicha::domain::lifecycle::Step;
use paicha::domain::*;
use paicha::storage::{DB_FILE, Store};
use paicha::templates::Catalog;
use rusqlite::params;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const HAZARDS: usize = 100_000;
const EVENTS_PER_HAZARD: usize = 10;
const ENTERPRISES: usize = 2_000;

#[path = "support/stats.rs"]
mod stats;
use stats::stats;

fn enterprise(n: usize) -> Enterprise {
    Enterprise {
        name: format!("方山县第{n}加油站"),
        credit_code: CreditCode::from_body(&format!("91140000{n:09}")).expect("code"),
        address: String::new(),
        town: ["圪洞镇", "峪口镇", "大武镇", "北武当镇"][n % 4].into(),
        sector: "加油站".into(),
        sector_code: Some(["fuel", "grain", "town_gas", "village"][n % 4].into()),
        risk_level: None,
        principal: String::new(),
        phone: String::new(),
    }
}

/// Writes the hazards and events straight into the file in one transaction (the store's own
/// path commits each durably, which would take an hour for a million events).
fn fill(dir: &std::path::Path, enterprises: &[Uuid]) {
    let mut conn = rusqlite::Connection::open(dir.join(DB_FILE)).expect("db");
    let tx = conn.transaction().expect("tx");
    let who = Uuid::now_v7().to_string();
    let now = "2023-09-01T00:00:00.000000000Z";
    {
        let mut hazard = tx
            .prepare(
                "INSERT INTO hazards (id, created_at, updated_at, author_id, replica_id,
                    enterprise_id, grade, source, description, found_at, rectify_immediately, fixes)
                 VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?2, 0, ?8)",
            )
            .expect("prepare");
        let mut event = tx
            .prepare(
                "INSERT INTO hazard_events (id, created_at, updated_at, author_id, replica_id,
                    hazard_id, kind, occurred_at, payload)
                 VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, ?2, ?6)",
            )
            .expect("prepare");
        for i in 0..HAZARDS {
            let id = Uuid::now_v7().to_string();
            let fixes = FiveFixes {
                responsible_person: "王五".into(),
                measures: "更换阀门".into(),
                funds: "2万元".into(),
                deadline: chrono::NaiveDate::from_ymd_opt(2023, 1 + (i % 12) as u32, 15)
                    .expect("d"),
                emergency_plan: "停止卸油".into(),
            };
            hazard
                .execute(params![
                    id,
                    now,
                    who,
                    enterprises[i % enterprises.len()].to_string(),
                    if i % 4 == 0 { "general" } else { "major" },
                    HazardSource::ALL[i % 4].code(),
                    format!("储罐区紧急切断装置失效（{i}）"),
                    serde_json::to_string(&fixes).expect("json"),
                ])
                .expect("hazard");
            let mut steps = vec![
                (HazardEventKind::Registered.code(), "{}".to_string()),
                step(Step::Transfer {
                    to_unit: "能源股".into(),
                }),
                step(Step::Rectify { fixes: None }),
            ];
            while steps.len() < EVENTS_PER_HAZARD {
                steps.push(step(Step::Correct {
                    field: "location".into(),
                    value: format!("第{}号罐", steps.len()),
                }));
            }
            for (kind, payload) in steps {
                event
                    .execute(params![
                        Uuid::now_v7().to_string(),
                        now,
                        who,
                        id,
                        kind,
                        payload
                    ])
                    .expect("event");
            }
        }
    }
    tx.commit().expect("commit");
}

fn step(s: Step) -> (&'static str, String) {
    (s.kind().code(), s.payload().to_string())
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock(
        chrono::DateTime::parse_from_rfc3339("2023-09-20T02:00:00Z")
            .expect("t")
            .to_utc(),
    ));
    let ids: Vec<Uuid> = {
        let mut store = Store::open(dir.path(), clock.clone()).expect("open");
        store
            .import_roster(
                (0..ENTERPRISES).map(enterprise).collect(),
                RosterFields::ALL,
            )
            .expect("roster");
        store
            .enterprises()
            .expect("list")
            .iter()
            .map(|e| e.id())
            .collect()
    };
    let t = Instant::now();
    fill(dir.path(), &ids);
    println!(
        "built {HAZARDS} hazards / {} events in {:?} (not measured below)",
        HAZARDS * EVENTS_PER_HAZARD,
        t.elapsed()
    );

    let mut store = Store::open(dir.path(), clock).expect("reopen");
    let t = Instant::now();
    let rows = store.ledger_with_events().expect("ledger");
    println!("  of which: store.ledger_with_events {:?}", t.elapsed());
    drop(rows);
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("db");
    let t = Instant::now();
    let mut stmt = raw
        .prepare("SELECT hazard_id, kind, occurred_at, payload FROM hazard_events ORDER BY hazard_id, id")
        .expect("prepare");
    let n = stmt
        .query_map([], |r| r.get::<_, String>(3).map(|p| p.len()))
        .expect("q")
        .count();
    println!(
        "  floor: bare SELECT of {n} events in order {:?}",
        t.elapsed()
    );
    let catalog = Catalog::builtin().expect("catalog");
    let mut runner = Runner {
        store: &mut store,
        catalog: &catalog,
        data_dir: String::new(),
    };
    let mut hazard_id = None;
    let open: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let msg = runner.run(Effect::LoadLedger);
            let took = t.elapsed();
            match msg {
                Some(Msg::LedgerLoaded(index)) => {
                    assert_eq!(index.rows.len(), HAZARDS);
                    hazard_id = Some(index.rows[HAZARDS / 2].id);
                }
                other => panic!("{other:?}"),
            }
            took
        })
        .collect();
    println!("ledger open (read, fold, index) {}", stats(open));

    let id = hazard_id.expect("a hazard");
    let one: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            let msg = runner.run(Effect::LoadHazard(id));
            assert!(matches!(msg, Some(Msg::HazardLoaded(..))), "{msg:?}");
            t.elapsed()
        })
        .collect();
    println!("open one hazard (+ warnings)    {}", stats(one));

    let weekly: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let msg = runner.run(Effect::LoadReport(paicha::app::msg::ReportKind::Weekly));
            assert!(matches!(msg, Some(Msg::ReportLoaded(..))), "{msg:?}");
            t.elapsed()
        })
        .collect();
    println!("weekly report                   {}", stats(weekly));

    let home: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let msg = runner.run(Effect::LoadHome);
            assert!(matches!(msg, Some(Msg::HomeLoaded(..))), "{msg:?}");
            t.elapsed()
        })
        .collect();
    println!("home (open-major counts)        {}", stats(home));
}
