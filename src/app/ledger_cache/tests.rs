//! The kept ledger index is reused only while current, and patched rows equal a fresh build.

use super::*;
use crate::domain::lifecycle::{Stage, Step};
use crate::domain::*;
use chrono::{DateTime, Utc};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").to_utc()
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(t("2023-08-15T01:30:00Z")))
}

fn hazard(enterprise_id: Uuid, what: &str, deadline: (u32, u32)) -> Hazard {
    Hazard {
        enterprise_id,
        inspection_id: None,
        item_code: None,
        grade: HazardGrade::Major,
        source: HazardSource::SelfCheck,
        description: what.into(),
        location: String::new(),
        basis: String::new(),
        found_at: t("2023-08-01T01:00:00Z"),
        rectify_immediately: false,
        fixes: Some(FiveFixes {
            responsible_person: "王五".into(),
            measures: "更换阀门".into(),
            funds: "2万元".into(),
            deadline: NaiveDate::from_ymd_opt(2023, deadline.0, deadline.1).expect("d"),
            emergency_plan: "停止卸油".into(),
        }),
        supervision: None,
        anonymous_report: false,
        assigning_document: None,
    }
}

fn setup(dir: &std::path::Path) -> (Store, Uuid) {
    let mut store = Store::open(dir, clock()).expect("store");
    crate::demo::one_person_office(&mut store, "方山县应急管理局", "王县长").expect("office");
    let ent = store
        .add_enterprise(Enterprise {
            name: "方山县加油站".into(),
            credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
            address: String::new(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: None,
            principal: String::new(),
            phone: String::new(),
        })
        .expect("enterprise")
        .id();
    (store, ent)
}

fn catalog() -> Catalog {
    Catalog::builtin().expect("catalog")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, m, d).expect("day")
}

/// What a fresh build shows, to compare a kept or patched index with.
fn fresh(store: &Store, catalog: &Catalog, on: NaiveDate) -> Vec<LedgerRowView> {
    let (index, _) = build(store, &catalog.campaign.sections_by_sector(), on).expect("build");
    sorted(&index)
}

fn sorted(index: &LedgerIndex) -> Vec<LedgerRowView> {
    let mut rows = index.rows.clone();
    rows.sort_by_key(|r| r.id);
    rows
}

#[test]
fn kept_while_nothing_changed_and_rebuilt_after_another_process_wrote() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, ent) = setup(dir.path());
    store
        .record_hazard(hazard(ent, "储罐区紧急切断装置失效", (8, 20)))
        .expect("hazard");
    let catalog = catalog();
    let mut cache = LedgerCache::default();
    let first = cache.get(&store, &catalog, day(8, 15)).expect("index");
    let again = cache.get(&store, &catalog, day(8, 15)).expect("index");
    assert!(Arc::ptr_eq(&first, &again), "reused, not rebuilt");
    assert_eq!(first.rows[0].group, "能源股");

    // Another process (a CLI command beside the TUI) records a hazard.
    let mut other = Store::open(dir.path(), clock()).expect("second connection");
    other
        .record_hazard(hazard(ent, "液化气钢瓶超期未检", (8, 30)))
        .expect("hazard");
    let after = cache.get(&store, &catalog, day(8, 15)).expect("index");
    assert_eq!(after.rows.len(), 2, "the other process's write is seen");
    assert_eq!(sorted(&after), fresh(&store, &catalog, day(8, 15)));

    // A new day: days left and 逾期 move.
    let next = cache.get(&store, &catalog, day(8, 21)).expect("index");
    assert!(!Arc::ptr_eq(&after, &next));
    assert_eq!(next.rows.iter().filter(|r| r.overdue).count(), 1);
}

#[test]
fn own_writes_are_patched_in_and_equal_a_fresh_build() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, ent) = setup(dir.path());
    let id = store
        .record_hazard(hazard(ent, "储罐区紧急切断装置失效", (8, 10)))
        .expect("hazard")
        .id();
    let catalog = catalog();
    let mut cache = LedgerCache::default();
    let before = cache.get(&store, &catalog, day(8, 15)).expect("index");
    assert!(before.rows[0].overdue);

    store
        .apply_step(
            id,
            Step::Rectify { fixes: None },
            t("2023-08-14T01:00:00Z"),
            "",
        )
        .expect("rectify");
    store
        .apply_step(id, Step::ReportRectified, t("2023-08-14T02:00:00Z"), "")
        .expect("reported");
    cache.patch(store.hazard_summary(id).map(|s| vec![s]));
    let added = store
        .record_hazard(hazard(ent, "液化气钢瓶超期未检", (9, 1)))
        .expect("hazard")
        .id();
    cache.patch(store.hazard_summary(added).map(|s| vec![s]));

    let patched = cache.get(&store, &catalog, day(8, 15)).expect("index");
    assert_eq!(patched.rows.len(), 2);
    let row = patched.rows.iter().find(|r| r.id == id).expect("row");
    assert_eq!(row.stage, Stage::RectificationReported);
    assert!(!row.overdue, "reported done: no longer 逾期");
    assert_eq!(sorted(&patched), fresh(&store, &catalog, day(8, 15)));
    assert_eq!(
        before.rows.len(),
        1,
        "a screen holding the old index keeps it whole"
    );
}

#[test]
fn a_warm_start_gives_the_same_index_and_is_dropped_when_a_write_came_first() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, ent) = setup(dir.path());
    store
        .record_hazard(hazard(ent, "储罐区紧急切断装置失效", (8, 20)))
        .expect("hazard");
    let catalog = catalog();
    let mut cache = LedgerCache::default();
    cache.warm(&store, &catalog, day(8, 15));
    let warm = cache.get(&store, &catalog, day(8, 15)).expect("index");
    assert_eq!(sorted(&warm), fresh(&store, &catalog, day(8, 15)));

    let mut cache = LedgerCache::default();
    cache.warm(&store, &catalog, day(8, 15));
    let id = store
        .record_hazard(hazard(ent, "液化气钢瓶超期未检", (8, 30)))
        .expect("hazard")
        .id();
    cache.patch(store.hazard_summary(id).map(|s| vec![s]));
    let index = cache.get(&store, &catalog, day(8, 15)).expect("index");
    assert_eq!(
        index.rows.len(),
        2,
        "the write is never lost to the warm-up's older read"
    );
}
