//! `paicha demo`: an empty data dir filled with realistic records that every screen and report
//! can use — deterministic for a seed, every inspection finalized and signed, hazards in every
//! state of the closed loop, some expired certificates — and never mixed into real data.

use paicha::demo::{self, DemoOptions};
use paicha::domain::lifecycle::Stage;
use paicha::domain::{FieldValue, SystemClock, time};
use paicha::report::monthly::{self, MonthlyData, Period, Scope};
use paicha::storage::Store;
use paicha::templates::Catalog;
use std::collections::BTreeSet;
use std::process::Command;
use std::sync::Arc;

fn figures(store: &Store, catalog: &Catalog) -> Vec<String> {
    let data = MonthlyData::load(store, catalog).expect("load");
    let period = Period::month(catalog.campaign.start, 2023, 11).expect("period");
    monthly::table(&data.input(), &Scope::All, period, "t", "u")
        .rows
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .map(move |c| format!("{}={}", r.code, c.figure.text()))
        })
        .collect()
}

fn made(seed: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    let catalog = Catalog::builtin().expect("catalog");
    demo::generate(
        &mut store,
        &catalog,
        DemoOptions {
            enterprises: 30,
            inspections: 60,
            seed,
        },
    )
    .expect("demo");
    (dir, store)
}

#[test]
fn the_same_seed_gives_the_same_records_and_every_state_occurs() {
    let catalog = Catalog::builtin().expect("catalog");
    let (_a, a) = made(7);
    let (_b, b) = made(7);
    let (_c, c) = made(8);
    let (fa, fb, fc) = (
        figures(&a, &catalog),
        figures(&b, &catalog),
        figures(&c, &catalog),
    );
    assert_eq!(fa, fb, "same seed, same table");
    assert_ne!(fa, fc, "another seed, another demo");
    let names = |s: &Store| -> Vec<String> {
        s.enterprises()
            .expect("e")
            .into_iter()
            .map(|e| e.data.name)
            .collect()
    };
    assert_eq!(names(&a), names(&b));

    // Every inspection finalized and signed; the profile and a colleague on them.
    let conn = rusqlite::Connection::open(_a.path().join("paicha.db")).expect("db");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(count("SELECT COUNT(*) FROM inspections"), 60);
    assert_eq!(
        count("SELECT COUNT(*) FROM inspections WHERE status = 'finalized'"),
        60
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT inspection_id) FROM inspection_signatures"),
        60
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM hazards h WHERE NOT EXISTS (SELECT 1 FROM record_signatures s
               WHERE s.record_table = 'hazards' AND s.record_id = h.id)"
        ),
        0,
        "every hazard signed by its author"
    );
    // Sectors mixed, several towns, every stage of the loop, some listed.
    assert!(count("SELECT COUNT(DISTINCT sector_code) FROM enterprises") >= 4);
    assert!(count("SELECT COUNT(DISTINCT town) FROM enterprises") >= 4);
    let ledger = a.ledger_with_events().expect("ledger");
    let stages: BTreeSet<Stage> = ledger.iter().map(|(_, _, s)| s.stage).collect();
    assert_eq!(
        stages.len(),
        Stage::ALL.len(),
        "every stage occurs: {stages:?}"
    );
    assert!(ledger.iter().any(|(_, _, s)| s.listed()));
    // Some certificates seen on site had expired.
    let mut expired = 0;
    let mut valid = 0;
    for summary in a.inspection_summaries(None).expect("list") {
        let arrival = time::local(summary.arrival_at).date().to_string();
        for e in a.evidence_for(summary.id).expect("evidence") {
            if let Some(FieldValue::Text(until)) = e.data.values.get("valid_until") {
                if *until < arrival {
                    expired += 1;
                } else {
                    valid += 1;
                }
            }
        }
    }
    assert!(
        expired > 0 && valid > expired,
        "expired {expired}, valid {valid}"
    );
    // Activities for the D rows.
    assert!(
        fa.iter().any(|f| f.starts_with("D7=") && f != "D7=0"),
        "{fa:?}"
    );
}

#[test]
fn demo_data_is_refused_where_real_data_is_and_the_cli_says_what_it_made() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_paicha"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&[
        "demo",
        "--enterprises",
        "5",
        "--inspections",
        "8",
        "--seed",
        "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("企业 5 家、检查 8 次（均已定稿签名）"),
        "{said}"
    );
    let db = dir.path().join("paicha.db");
    let again = run(&["demo"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("只能载入空的数据目录"));
    let conn = rusqlite::Connection::open(&db).expect("db");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM enterprises", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 5, "nothing added the second time");
}
