//! Storage costs that the inspector feels: opening the data dir, one answer (a durable
//! commit), a roster import and a registry listing. Run with `cargo bench --bench storage`.
//! Prints medians; compare each with its floor (the same work as bare SQL would do).

use paicha::domain::*;
use paicha::storage::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn enterprise(n: usize) -> Enterprise {
    Enterprise {
        name: format!("方山县测试企业{n}"),
        credit_code: CreditCode::from_body(&format!("91140000{n:09}")).expect("code"),
        address: "方山县圪洞镇".into(),
        town: ["圪洞镇", "峪口镇", "大武镇", "北武当镇"][n % 4].into(),
        sector: "加油站".into(),
        sector_code: Some("fuel".into()),
        risk_level: Some(RiskLevel::Moderate),
        principal: "张三".into(),
        phone: "0358-6021234".into(),
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mut store = Store::open(dir.path(), clock.clone()).expect("open");

    let roster: Vec<Enterprise> = (0..10_000).map(enterprise).collect();
    let t = Instant::now();
    store
        .import_roster(roster.clone(), RosterFields::ALL)
        .expect("import");
    println!(
        "roster import, 10 000 new enterprises (one transaction): {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    store
        .import_roster(roster, RosterFields::ALL)
        .expect("reimport");
    println!(
        "roster re-import, 10 000 unchanged:                      {:?}",
        t.elapsed()
    );

    let list: Vec<Duration> = (0..10)
        .map(|_| {
            let t = Instant::now();
            let all = store.enterprises().expect("list");
            assert_eq!(all.len(), 10_000);
            t.elapsed()
        })
        .collect();
    println!(
        "list 10 000 enterprises (median of 10):                  {:?}",
        median(list)
    );

    let ent = store.enterprises().expect("list")[0].id();
    let me = store.author_id().expect("author");
    let items = (0..400)
        .map(|i| ItemSnapshot {
            code: format!("X{i:03}"),
            template_id: "bench".into(),
            template_version: 1,
            section: "s".into(),
            question: "q".into(),
            basis: String::new(),
        })
        .collect();
    let ins = store
        .create_inspection(Inspection::draft(
            ent,
            InspectionMode::Unannounced,
            vec![me],
            store.now(),
            vec![],
            items,
        ))
        .expect("inspection");
    let answers: Vec<Duration> = (0..400)
        .map(|i| {
            let t = Instant::now();
            store
                .set_answer(ins.id(), &format!("X{i:03}"), AnswerResult::Compliant, "")
                .expect("answer");
            t.elapsed()
        })
        .collect();
    println!(
        "one answer, durable commit (median of 400):              {:?}",
        median(answers)
    );

    // Floor for the answer: a bare single-row durable insert on the same settings.
    let floor_dir = tempfile::tempdir().expect("dir");
    let conn = rusqlite::Connection::open(floor_dir.path().join("floor.db")).expect("floor");
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT);")
        .expect("floor schema");
    let floor: Vec<Duration> = (0..400)
        .map(|i| {
            let t = Instant::now();
            conn.execute(
                "INSERT INTO t VALUES (?1, 'compliant')",
                [format!("X{i:03}")],
            )
            .expect("floor insert");
            t.elapsed()
        })
        .collect();
    println!(
        "floor: bare durable single-row insert (median of 400):   {:?}",
        median(floor)
    );

    drop(store);
    let opens: Vec<Duration> = (0..10)
        .map(|_| {
            let t = Instant::now();
            let s = Store::open(dir.path(), clock.clone()).expect("reopen");
            let n = s.enterprise_count().expect("count");
            assert_eq!(n, 10_000);
            t.elapsed()
        })
        .collect();
    println!(
        "open existing data dir with 10 000 enterprises (median): {:?}",
        median(opens)
    );
}
