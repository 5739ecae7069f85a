//! The hazard ledger on real storage: 100 000 hazards with 1 000 000 events in the SQLite file.
//! Measures the ledger's key-to-frame as the TUI runs it (open, filter change, scroll: effects
//! against the store, update, draw), the cold build of the ledger index that the start-up
//! warm-up does on its thread, a step with its durable write and patch, opening one hazard,
//! the weekly report and the home counts. Run with `cargo bench --bench ledger_store`.
//! Building the file takes a few seconds and is not measured.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paicha::app::effects::Runner;
use paicha::app::msg::{Effect, Msg};
use paicha::app::screens::Ctx;
use paicha::app::state::App;
use paicha::domain::lifecycle::Step;
use paicha::domain::*;
use paicha::storage::{DB_FILE, Store};
use paicha::templates::Catalog;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rusqlite::params;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// 100 000 unless PAICHA_LEDGER_HAZARDS says otherwise (e.g. 10000 for the growth check).
fn hazards() -> usize {
    std::env::var("PAICHA_LEDGER_HAZARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}
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
        for i in 0..hazards() {
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

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2023-09-20T02:00:00Z")
        .expect("t")
        .to_utc()
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock(now()));
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
        "built {} hazards / {} events in {:?} (not measured below)",
        hazards(),
        hazards() * EVENTS_PER_HAZARD,
        t.elapsed()
    );

    let mut store = Store::open(dir.path(), clock).expect("reopen");
    let t = Instant::now();
    store.rebuild_hazard_status().expect("projection");
    println!(
        "projection rebuilt from the events in {:?} (what opening costs once after a fold-version change)",
        t.elapsed()
    );
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
    let t = Instant::now();
    let mut stmt = raw
        .prepare("SELECT hazard_id, enterprise_id, stage, grade, source, deadline, number, description, found_at FROM hazard_status")
        .expect("prepare");
    let n = stmt
        .query_map([], |r| r.get::<_, String>(7).map(|p| p.len()))
        .expect("q")
        .count();
    println!(
        "  floor: bare SELECT of {n} projected hazards {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let summaries = store.hazard_summaries().expect("summaries");
    println!("  of which: store.hazard_summaries {:?}", t.elapsed());
    let t = Instant::now();
    let keys: Vec<_> = summaries
        .iter()
        .map(|s| paicha::app::search::SearchKey::new(&s.description, ""))
        .collect();
    println!("  of which: search keys {:?}", t.elapsed());
    drop((keys, summaries));
    let catalog = Catalog::builtin().expect("catalog");
    let cold: Vec<Duration> = (0..5)
        .map(|_| {
            let mut runner = Runner::new(&mut store, &catalog, String::new());
            let t = Instant::now();
            let msg = runner.run(Effect::LoadLedger);
            assert!(
                matches!(&msg, Some(Msg::LedgerLoaded(i)) if i.rows.len() == hazards()),
                "{msg:?}"
            );
            t.elapsed()
        })
        .collect();
    println!("ledger index, cold build        {}", stats(cold));

    // Key to frame in the TUI as the inspector drives it: the start-up effects (home, and the
    // index warm-up on its thread), then `l` to open the ledger, filters, scrolling, Esc.
    let mut runner = Runner::new(&mut store, &catalog, String::new());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let ctx = Ctx {
        catalog: &catalog,
        now: now(),
    };
    let mut app = App::default();
    let effects = paicha::app::startup(&runner);
    paicha::app::settle(&mut app, &mut runner, effects, &ctx);
    let mut press = |app: &mut App, runner: &mut Runner, key: KeyCode| {
        let t = Instant::now();
        let effects = app.update(Msg::Key(KeyEvent::new(key, KeyModifiers::NONE)), &ctx);
        paicha::app::settle(app, runner, effects, &ctx);
        terminal
            .draw(|f| paicha::ui::draw(f, app, &ctx))
            .expect("draw");
        t.elapsed()
    };
    let first = press(&mut app, &mut runner, KeyCode::Char('l'));
    println!("first open right after start-up {first:>14.3?} (waits for the warm-up)");
    press(&mut app, &mut runner, KeyCode::Esc);
    let open: Vec<Duration> = (0..30)
        .map(|_| {
            let took = press(&mut app, &mut runner, KeyCode::Char('l'));
            press(&mut app, &mut runner, KeyCode::Esc);
            took
        })
        .collect();
    println!("key to frame, ledger open       {}", stats(open));
    press(&mut app, &mut runner, KeyCode::Char('l'));
    let filter: Vec<Duration> = (0..42)
        .map(|i| press(&mut app, &mut runner, KeyCode::Char(['s', 'd', 'g'][i % 3])))
        .collect();
    println!("key to frame, filter change     {}", stats(filter));
    let scroll: Vec<Duration> = (0..600)
        .map(|i| {
            let key = match i % 6 {
                0 => KeyCode::PageDown,
                1 | 2 => KeyCode::Down,
                3 => KeyCode::PageUp,
                _ => KeyCode::Up,
            };
            press(&mut app, &mut runner, key)
        })
        .collect();
    println!("key to frame, scroll            {}", stats(scroll));
    let hazard_id = match runner.run(Effect::LoadLedger) {
        Some(Msg::LedgerLoaded(index)) => index.rows[hazards() / 2].id,
        other => panic!("{other:?}"),
    };
    let steps: Vec<Duration> = (0..20)
        .map(|i| {
            let t = Instant::now();
            let msg = runner.run(Effect::ApplyStep {
                hazard: hazard_id,
                step: Step::Correct {
                    field: "location".into(),
                    value: format!("第{i}号罐"),
                },
                note: String::new(),
            });
            assert!(matches!(msg, Some(Msg::StepApplied(_))), "{msg:?}");
            let msg = runner.run(Effect::LoadLedger);
            assert!(matches!(msg, Some(Msg::LedgerLoaded(_))), "{msg:?}");
            t.elapsed()
        })
        .collect();
    println!("step (durable) + ledger patched {}", stats(steps));

    let id = hazard_id;
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
