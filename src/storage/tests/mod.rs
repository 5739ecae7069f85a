//! Storage on real temp files: pragmas, migrations, round trips, immutability, bad files,
//! concurrent processes. Shared fixtures live here; each file tests one concern.

mod concurrency;
mod corrections;
mod follow_up;
mod hazard_status;
mod opening;
mod records;

use super::*;
use crate::domain::*;
use chrono::{DateTime, TimeZone, Utc};

pub(super) fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

pub(super) fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(
        Utc.with_ymd_and_hms(2023, 8, 15, 1, 30, 0)
            .single()
            .expect("time"),
    ))
}

pub(super) fn open(dir: &Path) -> Store {
    Store::open(dir, clock()).expect("open store")
}

pub(super) fn enterprise(name: &str, code: &str) -> Enterprise {
    Enterprise {
        name: name.into(),
        credit_code: CreditCode::parse(code).expect("code"),
        address: "方山县圪洞镇".into(),
        town: "圪洞镇".into(),
        sector: "加油站".into(),
        sector_code: Some("fuel".into()),
        risk_level: Some(RiskLevel::High),
        principal: "王五".into(),
        phone: "0358-6021234".into(),
    }
}

pub(super) fn item(code: &str) -> ItemSnapshot {
    ItemSnapshot {
        code: code.into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务三".into(),
        question: format!("{code} 的问题"),
        basis: "方发改安全发〔2023〕35号".into(),
    }
}

pub(super) fn draft(store: &mut Store) -> Record<Inspection> {
    let ent = store
        .add_enterprise(enterprise("方山县加油站", "91350100M000100Y43"))
        .expect("enterprise");
    let me = store.author_id().expect("author");
    store
        .create_inspection(Inspection::draft(
            ent.id(),
            InspectionMode::Unannounced,
            vec![me],
            t("2023-08-15T01:00:00Z"),
            vec![TemplateRef {
                id: "duties".into(),
                version: 1,
            }],
            vec![item("E10"), item("E12"), item("E15")],
        ))
        .expect("inspection")
}

/// A valid credit code made from a number.
pub(super) fn unique_code(n: usize) -> CreditCode {
    CreditCode::from_body(&format!("91140000{n:09}")).expect("generated code is valid")
}

pub(super) fn raw_error(store: &Store, sql: &str) -> StoreError {
    StoreError::from(store.conn.execute_batch(sql).expect_err("must be refused"))
}

/// Another process holding the write lock (as paicha's own writes do, briefly).
pub(super) fn hold_write_lock(dir: &Path, for_ms: u64) -> std::thread::JoinHandle<()> {
    let path = dir.join(DB_FILE);
    let (locked_tx, locked) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let mut conn = rusqlite::Connection::open(path).expect("conn");
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .expect("lock");
        locked_tx.send(()).expect("signal");
        std::thread::sleep(std::time::Duration::from_millis(for_ms));
        tx.commit().expect("release");
    });
    locked.recv().expect("locked");
    holder
}

/// A store that is its own office: the profile (测试内勤) is the clerk and also an inspector
/// and group leader, so one device can walk a hazard through every step; 王县长 signs major
/// close-outs (on paper, recorded by the clerk).
pub(super) fn open_office(dir: &Path) -> Store {
    let mut store = open(dir);
    if store.roster().expect("roster").is_none() {
        make_office(&mut store);
    }
    store
}

pub(super) fn make_office(store: &mut Store) {
    use crate::domain::trust::{Body, Role};
    if store.profile().expect("profile").is_none() {
        store
            .set_profile(Inspector {
                name: "测试内勤".into(),
                cert_no: "14000001".into(),
                group_code: Some("energy".into()),
            })
            .expect("profile");
    }
    store
        .office_init("方山县应急管理局", &[Role::Inspector, Role::GroupLeader])
        .expect("office");
    store
        .roster_append(vec![Body::Person {
            person_id: crate::storage::new_person_id(),
            name: "王县长".into(),
            cert_no: String::new(),
            group_code: None,
            roles: vec![Role::CloseOutLeader],
            active: true,
        }])
        .expect("leader");
}
