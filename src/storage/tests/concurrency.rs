//! Several processes on one data dir: they wait for each other, or say the data is in use.

use super::*;
use crate::storage::*;

#[test]
fn a_write_waits_for_another_process_then_lands() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let holder = hold_write_lock(dir.path(), 300);
    let started = std::time::Instant::now();
    store
        .add_enterprise(enterprise("甲", "91350100M000100Y43"))
        .expect("waits, then writes");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(250),
        "it did wait"
    );
    holder.join().expect("holder");
    assert_eq!(store.enterprise_count().expect("count"), 1);
}

#[test]
fn a_write_blocked_too_long_says_the_data_is_in_use_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    store
        .conn
        .busy_timeout(std::time::Duration::from_millis(100))
        .expect("short timeout");
    let holder = hold_write_lock(dir.path(), 600);
    let err = store
        .add_enterprise(enterprise("甲", "91350100M000100Y43"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    assert_eq!(
        err.to_string(),
        "数据正被另一个 paicha 进程使用，请稍后重试"
    );
    holder.join().expect("holder");
    assert_eq!(store.enterprise_count().expect("count"), 0);
}

#[test]
fn processes_starting_together_on_a_new_data_dir_all_open_it() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().expect("dir");
        let barrier = Arc::new(std::sync::Barrier::new(6));
        let openers: Vec<_> = (0..6)
            .map(|n| {
                let path = dir.path().to_path_buf();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut store = Store::open(&path, clock()).expect("opens despite the race");
                    store
                        .add_enterprise(enterprise(&format!("企业{n}"), unique_code(n).as_str()))
                        .expect("writes");
                    store.replica_id()
                })
            })
            .collect();
        let replicas: std::collections::HashSet<_> = openers
            .into_iter()
            .map(|h| h.join().expect("opener"))
            .collect();
        assert_eq!(replicas.len(), 1, "one device id for one data dir");
        let store = open(dir.path());
        assert_eq!(store.enterprise_count().expect("count"), 6);
        let authors: i64 = store
            .conn
            .query_row("SELECT count(*) FROM inspectors", [], |r| r.get(0))
            .expect("count");
        assert_eq!(authors, 1, "one unnamed author, not one per process");
    }
}

#[test]
fn two_writers_at_once_both_land() {
    let dir = tempfile::tempdir().expect("dir");
    drop(open(dir.path()));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut store = open(&path);
                for i in 0..40 {
                    let n = w * 1000 + i;
                    store
                        .add_enterprise(enterprise(&format!("企业{n}"), unique_code(n).as_str()))
                        .expect("write under contention");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let store = open(dir.path());
    assert_eq!(store.enterprise_count().expect("count"), 80);
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn two_offices_numbering_at_once_never_give_one_number_twice() {
    use crate::domain::{Hazard, HazardGrade, HazardSource};
    let dir = tempfile::tempdir().expect("dir");
    {
        let mut store = open_office(dir.path());
        let e = store
            .add_enterprise(enterprise("甲", unique_code(1).as_str()))
            .expect("enterprise");
        for i in 0..20 {
            store
                .record_hazard(Hazard {
                    enterprise_id: e.id(),
                    inspection_id: None,
                    item_code: None,
                    grade: HazardGrade::Major,
                    source: HazardSource::SelfCheck,
                    description: format!("隐患{i}"),
                    location: String::new(),
                    basis: String::new(),
                    found_at: t("2023-08-05T01:00:00Z"),
                    rectify_immediately: true,
                    fixes: None,
                    supervision: None,
                    anonymous_report: false,
                    assigning_document: None,
                })
                .expect("hazard");
        }
    }
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let path = dir.path().to_path_buf();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut store = open(&path);
                barrier.wait();
                store
                    .number_hazards("方山-2023-09-", |ledger| {
                        ledger
                            .iter()
                            .filter(|s| s.number.is_none())
                            .map(|s| s.id)
                            .collect()
                    })
                    .expect("numbering")
            })
        })
        .collect();
    let mut given: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker"))
        .collect();
    given.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("方山-2023-09-{n:03}")).collect();
    assert_eq!(given, expected, "each number once, each hazard once");
    let store = open(dir.path());
    let numbered = store
        .ledger_with_events()
        .expect("ledger")
        .iter()
        .filter(|(_, _, s)| s.number.is_some())
        .count();
    assert_eq!(numbered, 20);
}
