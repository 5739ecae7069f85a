//! Storage on real temp files: pragmas, migrations, round trips, immutability, bad files.

use super::*;
use crate::domain::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(
        Utc.with_ymd_and_hms(2023, 8, 15, 1, 30, 0)
            .single()
            .expect("time"),
    ))
}

fn open(dir: &Path) -> Store {
    Store::open(dir, clock()).expect("open store")
}

fn enterprise(name: &str, code: &str) -> Enterprise {
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

fn item(code: &str) -> ItemSnapshot {
    ItemSnapshot {
        code: code.into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务三".into(),
        question: format!("{code} 的问题"),
        basis: "方发改安全发〔2023〕35号".into(),
    }
}

fn draft(store: &mut Store) -> Record<Inspection> {
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

#[test]
fn opens_in_wal_with_durable_settings_and_a_stable_replica() {
    let dir = tempfile::tempdir().expect("dir");
    let replica = {
        let store = open(dir.path());
        assert_eq!(store.journal_mode().expect("mode"), "wal");
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("sync");
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 1);
        assert_eq!(
            migrations::schema_version(&store.conn).expect("v"),
            migrations::LATEST
        );
        store.replica_id()
    };
    assert_eq!(
        open(dir.path()).replica_id(),
        replica,
        "replica id survives reopen"
    );
    let other = tempfile::tempdir().expect("dir");
    assert_ne!(
        open(other.path()).replica_id(),
        replica,
        "each device gets its own"
    );
}

/// Data written at schema version `v` with that version's own tables, as an old build would.
fn seed_at_version(conn: &rusqlite::Connection, v: i64) {
    let m = "'2023-06-01T00:00:00.000000000Z', '2023-06-01T00:00:00.000000000Z', \
             '0189f7e0-0000-7000-8000-000000000001', '0189f7e0-0000-7000-8000-0000000000ff'";
    let sql = match v {
        1 => format!(
            "INSERT INTO inspectors VALUES ('0189f7e0-0000-7000-8000-000000000001', {m}, '李建山', '14010001', 'energy');
             INSERT INTO enterprises VALUES ('0189f7e0-0000-7000-8000-000000000002', {m},
                 '91350100M000100Y43', '老企业', '', '圪洞镇', '加油站', 'fuel', 'high', '', '');"
        ),
        2 => format!(
            "INSERT INTO inspections VALUES ('0189f7e0-0000-7000-8000-000000000003', {m},
                 '0189f7e0-0000-7000-8000-000000000002', 'unannounced', '2023-06-01T00:00:00.000000000Z',
                 '[{{\"id\":\"duties\",\"version\":1}}]', 'draft', NULL, NULL);
             INSERT INTO inspection_items VALUES ('0189f7e0-0000-7000-8000-000000000003', 0, 'E12',
                 'duties', 1, '任务三', '持证上岗？', '10号令');
             INSERT INTO answers VALUES ('0189f7e0-0000-7000-8000-000000000004', {m},
                 '0189f7e0-0000-7000-8000-000000000003', 'E12', 'non_compliant', '焊工无证');"
        ),
        3 => format!(
            "INSERT INTO hazards VALUES ('0189f7e0-0000-7000-8000-000000000005', {m},
                 '0189f7e0-0000-7000-8000-000000000002', NULL, 'E12', 'major', 'inspection',
                 '焊工无证上岗', '', '', '2023-06-01T00:00:00.000000000Z', 0, NULL, NULL, 0, NULL);"
        ),
        _ => String::new(),
    };
    conn.execute_batch(&sql).expect("seed");
}

#[test]
fn upgrades_from_every_earlier_schema_version_keeping_the_data() {
    for start in 0..migrations::LATEST {
        let dir = tempfile::tempdir().expect("dir");
        {
            let mut conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("conn");
            for v in 1..=start {
                migrations::migrate(&mut conn, v, Path::new("test.db")).expect("partial migrate");
                seed_at_version(&conn, v);
            }
            assert_eq!(migrations::schema_version(&conn).expect("v"), start);
        }
        let store = open(dir.path());
        assert_eq!(
            migrations::schema_version(&store.conn).expect("v"),
            migrations::LATEST
        );
        assert_eq!(store.integrity_check().expect("check"), "ok");
        if start >= 1 {
            let all = store.enterprises().expect("list");
            assert_eq!(all.len(), 1, "from v{start}");
            assert_eq!(all[0].data.name, "老企业");
            assert!(
                dir.path().join(format!("{DB_FILE}.v{start}.bak")).exists(),
                "backup before upgrade"
            );
        }
        if start >= 2 {
            let id = uuid::Uuid::parse_str("0189f7e0-0000-7000-8000-000000000003").expect("id");
            let answers = store.answers(id).expect("answers");
            assert_eq!(answers[0].data.result, AnswerResult::NonCompliant);
        }
        if start >= 3 {
            assert_eq!(
                store.hazards().expect("hazards")[0].data.description,
                "焊工无证上岗"
            );
        }
    }
}

#[test]
fn every_record_kind_reads_back_equal_after_reopening() {
    let dir = tempfile::tempdir().expect("dir");
    let (ins, answer, hazard, event, evidence, exam, action, activity, colleague) = {
        let mut store = open(dir.path());
        store
            .set_profile(Inspector {
                name: "李建山".into(),
                cert_no: "14010001".into(),
                group_code: Some("energy".into()),
            })
            .expect("profile");
        let colleague = store
            .add_inspector(Inspector {
                name: "高峰翔".into(),
                cert_no: "14010002".into(),
                group_code: None,
            })
            .expect("colleague");
        let ins = draft(&mut store);
        let answer = store
            .set_answer(ins.id(), "E12", AnswerResult::NonCompliant, "两名焊工无证")
            .expect("answer");
        let hazard = store
            .record_hazard(Hazard {
                enterprise_id: ins.data.enterprise_id,
                inspection_id: Some(ins.id()),
                item_code: Some("E12".into()),
                grade: HazardGrade::Major,
                source: HazardSource::Inspection,
                description: "焊工无特种作业操作证上岗".into(),
                location: "维修车间".into(),
                basis: "工贸10号令 第3条(二)".into(),
                found_at: t("2023-08-15T01:20:00Z"),
                rectify_immediately: false,
                fixes: Some(FiveFixes {
                    responsible_person: "王五".into(),
                    measures: "停止作业，送培取证".into(),
                    funds: "0.5万元".into(),
                    deadline: NaiveDate::from_ymd_opt(2023, 9, 15).expect("date"),
                    emergency_plan: "动火作业暂停".into(),
                }),
                supervision: Some(Supervision {
                    tracking_person: "杨红平".into(),
                }),
                anonymous_report: false,
                assigning_document: None,
            })
            .expect("hazard");
        let event = store
            .append_hazard_event(HazardEvent {
                hazard_id: hazard.id(),
                kind: HazardEventKind::Transferred,
                occurred_at: t("2023-08-16T02:00:00Z"),
                payload: serde_json::json!({"to": "能源股"}),
                note: "移交能源股".into(),
            })
            .expect("event");
        let mut values = BTreeMap::new();
        values.insert("holder_name".to_string(), FieldValue::Text("赵六".into()));
        values.insert(
            "valid_until".to_string(),
            FieldValue::Text("2022-05-01".into()),
        );
        values.insert("verified".to_string(), FieldValue::Bool(false));
        let evidence = store
            .save_evidence(
                None,
                EvidenceRecord {
                    inspection_id: ins.id(),
                    kind: EvidenceKind::SpecialOperationCertificate,
                    form_version: 1,
                    values,
                },
            )
            .expect("evidence");
        let exam = store
            .record_exam(ExamRecord {
                inspection_id: ins.id(),
                examinee_name: "王五".into(),
                examinee_role: "主要负责人".into(),
                questions: vec![ExamQuestion {
                    question_id: "fuel-01".into(),
                    question: "无证上岗是否属于重大事故隐患？".into(),
                    outcome: ExamOutcome::Correct,
                    note: String::new(),
                }],
            })
            .expect("exam");
        let action = store
            .record_enforcement(EnforcementAction {
                kind: EnforcementKind::Penalty,
                enterprise_id: Some(ins.data.enterprise_id),
                inspection_id: Some(ins.id()),
                hazard_id: Some(hazard.id()),
                decided_on: NaiveDate::from_ymd_opt(2023, 8, 20).expect("date"),
                document_no: "方发改罚〔2023〕3号".into(),
                amount_fen: Some(3_000_000),
                persons: None,
                dangerous_operation_crime: false,
                note: String::new(),
                corrects: None,
            })
            .expect("action");
        let activity = store
            .record_activity(Activity {
                kind: ActivityKind::GroupStudy,
                level: ActivityLevel::Department,
                group_code: Some("energy".into()),
                held_on: NaiveDate::from_ymd_opt(2023, 6, 2).expect("date"),
                title: "学习十五条硬措施".into(),
                amount_fen: None,
                count: None,
                anonymous: false,
                note: String::new(),
                corrects: None,
            })
            .expect("activity");
        let ins = store.inspection(ins.id()).expect("reload inspection");
        (
            ins, answer, hazard, event, evidence, exam, action, activity, colleague,
        )
    };

    let store = open(dir.path());
    assert_eq!(store.inspection(ins.id()).expect("inspection"), ins);
    assert_eq!(store.answers(ins.id()).expect("answers"), vec![answer]);
    assert_eq!(store.hazard(hazard.id()).expect("hazard"), hazard);
    let events = store.hazard_events(hazard.id()).expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data.kind, HazardEventKind::Registered);
    assert_eq!(events[1], event);
    assert_eq!(
        store.evidence_for(ins.id()).expect("evidence"),
        vec![evidence]
    );
    assert_eq!(store.exams_for(ins.id()).expect("exams"), vec![exam]);
    assert_eq!(store.enforcement_actions().expect("actions"), vec![action]);
    assert_eq!(store.activities().expect("activities"), vec![activity]);
    assert_eq!(
        store.inspector(colleague.id()).expect("colleague"),
        colleague
    );
    let profile = store.profile().expect("profile").expect("set");
    assert_eq!(profile.data.name, "李建山");
    // Every record says who made it and where.
    assert_eq!(hazard.meta.author_id, profile.id());
    assert_eq!(hazard.meta.replica_id, store.replica_id());
    assert_eq!(ins.meta.id.get_version_num(), 7, "ids are UUIDv7");
}

fn raw_error(store: &Store, sql: &str) -> StoreError {
    StoreError::from(store.conn.execute_batch(sql).expect_err("must be refused"))
}

#[test]
fn hazards_and_their_events_cannot_be_updated_or_deleted_even_in_sql() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: ins.data.enterprise_id,
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::General,
            source: HazardSource::PublicReport,
            description: "消防通道堵塞".into(),
            location: String::new(),
            basis: String::new(),
            found_at: t("2023-08-15T01:20:00Z"),
            rectify_immediately: true,
            fixes: None,
            supervision: None,
            anonymous_report: true,
            assigning_document: None,
        })
        .expect("hazard");
    let id = hazard.id();
    for sql in [
        format!("UPDATE hazards SET description = 'x' WHERE id = '{id}'"),
        format!("DELETE FROM hazards WHERE id = '{id}'"),
        format!("UPDATE hazard_events SET note = 'x' WHERE hazard_id = '{id}'"),
        format!("DELETE FROM hazard_events WHERE hazard_id = '{id}'"),
        "DELETE FROM enterprises".to_string(),
        "DELETE FROM inspections".to_string(),
    ] {
        let err = raw_error(&store, &sql);
        assert!(matches!(err, StoreError::Immutable), "{sql}: {err:?}");
        assert!(err.to_string().contains("不能修改或删除"), "{err}");
    }
    assert_eq!(store.hazard(id).expect("still there"), hazard);
}

#[test]
fn a_draft_is_a_working_copy_and_a_finalized_inspection_is_frozen() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let first = store
        .set_answer(ins.id(), "E10", AnswerResult::Compliant, "")
        .expect("answer");
    let second = store
        .set_answer(ins.id(), "E10", AnswerResult::NonCompliant, "无监护人")
        .expect("change");
    assert_eq!(
        second.meta.id, first.meta.id,
        "one answer per item in a draft"
    );
    assert_eq!(second.meta.created_at, first.meta.created_at);
    assert_eq!(store.answers(ins.id()).expect("answers").len(), 1);
    let unknown = store
        .set_answer(ins.id(), "E99", AnswerResult::Compliant, "")
        .unwrap_err();
    assert!(unknown.to_string().contains("E99"), "{unknown}");

    let done = store.finalize_inspection(ins.id()).expect("finalize");
    assert_eq!(done.data.status, InspectionStatus::Finalized);
    assert!(done.data.finalized_at.is_some());
    let err = store
        .set_answer(ins.id(), "E12", AnswerResult::Compliant, "")
        .unwrap_err();
    assert!(matches!(err, StoreError::Frozen), "{err:?}");
    assert!(matches!(
        store.finalize_inspection(ins.id()).unwrap_err(),
        StoreError::Frozen
    ));
    assert!(matches!(
        store.discard_draft(ins.id()).unwrap_err(),
        StoreError::Frozen
    ));
    let evidence = EvidenceRecord {
        inspection_id: ins.id(),
        kind: EvidenceKind::DrillRecord,
        form_version: 1,
        values: BTreeMap::new(),
    };
    assert!(matches!(
        store.save_evidence(None, evidence).unwrap_err(),
        StoreError::Frozen
    ));
    let id = ins.id();
    for sql in [
        format!("UPDATE inspections SET mode = 'covert' WHERE id = '{id}'"),
        format!("UPDATE answers SET note = 'x' WHERE inspection_id = '{id}'"),
        format!("UPDATE inspection_items SET question = 'x' WHERE inspection_id = '{id}'"),
    ] {
        assert!(
            matches!(
                raw_error(&store, &sql),
                StoreError::Frozen | StoreError::Immutable
            ),
            "{sql}"
        );
    }
    assert_eq!(store.answers(id).expect("answers")[0].data.note, "无监护人");
}

#[test]
fn a_discarded_draft_is_kept_but_no_longer_a_draft() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    assert_eq!(
        store.draft_inspection_ids().expect("drafts"),
        vec![ins.id()]
    );
    store.discard_draft(ins.id()).expect("discard");
    assert!(store.draft_inspection_ids().expect("drafts").is_empty());
    assert_eq!(
        store.inspection(ins.id()).expect("kept").data.status,
        InspectionStatus::Discarded
    );
}

#[test]
fn roster_import_adds_then_updates_by_credit_code_keeping_revisions() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let a = enterprise("甲加油站", "91350100M000100Y43");
    let b = enterprise("乙粮库", "914403001922038216");
    let s = store
        .import_roster(vec![a.clone(), b.clone()], RosterFields::ALL)
        .expect("first");
    assert_eq!((s.added, s.updated, s.unchanged), (2, 0, 0));
    let mut b2 = b.clone();
    b2.phone = "13800138000".into();
    let s = store
        .import_roster(vec![a.clone(), b2.clone()], RosterFields::ALL)
        .expect("second");
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 1));
    let all = store.enterprises().expect("list");
    assert_eq!(all.len(), 2);
    let stored_b = store
        .enterprise_by_credit_code(&b.credit_code)
        .expect("q")
        .expect("b");
    assert_eq!(stored_b.data.phone, "13800138000");
    let revisions = store
        .enterprise_revisions(stored_b.id())
        .expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0]["phone"], "0358-6021234");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    drop(open(dir.path()));
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("conn");
        conn.pragma_update(None, "user_version", migrations::LATEST + 5)
            .expect("bump");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("no wal");
    }
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(dir.path(), clock()).err().expect("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found, .. } if found == migrations::LATEST + 5)
    );
    assert!(err.to_string().contains("更新版本的 paicha"), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "file untouched"
    );
    assert!(
        !dir.path().join(format!("{DB_FILE}-wal")).exists(),
        "no WAL created"
    );
}

#[test]
fn a_corrupt_or_foreign_file_is_refused_and_never_overwritten() {
    for content in [
        &b"this is not a database, it is my notes\n"[..],
        &b"SQLite format 3\0garbage"[..],
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(DB_FILE);
        let mut bytes = content.to_vec();
        bytes.resize(8192, 0x55);
        std::fs::write(&path, &bytes).expect("write");
        let err = Store::open(dir.path(), clock()).err().expect("refused");
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("已损坏") && msg.contains("不会覆盖"), "{msg}");
        assert_eq!(std::fs::read(&path).expect("read"), bytes, "file untouched");
    }
}

#[test]
fn a_full_disk_is_reported_and_the_action_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    // Cap the file at its current size: the next growing write hits SQLITE_FULL.
    let pages: i64 = store
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("pages");
    store
        .conn
        .pragma_update(None, "max_page_count", pages)
        .expect("cap");
    let roster: Vec<Enterprise> = (0..2000)
        .map(|i| {
            let mut e = enterprise(&format!("企业{i}"), unique_code(i).as_str());
            e.address = "很长的地址".repeat(20);
            e
        })
        .collect();
    let err = store.import_roster(roster, RosterFields::ALL).unwrap_err();
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    assert!(err.to_string().contains("磁盘已满"), "{err}");
    assert_eq!(
        store.enterprise_count().expect("count"),
        0,
        "all or nothing"
    );
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

/// A valid credit code made from a number.
fn unique_code(n: usize) -> CreditCode {
    CreditCode::from_body(&format!("91140000{n:09}")).expect("generated code is valid")
}

#[test]
fn a_read_only_database_is_reported_in_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    store.author_id().expect("profile");
    store.conn = rusqlite::Connection::open_with_flags(
        dir.path().join(DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("ro");
    let err = store
        .add_enterprise(enterprise("甲", "91350100M000100Y43"))
        .unwrap_err();
    assert!(matches!(err, StoreError::NotWritable), "{err:?}");
    assert!(err.to_string().contains("不可写"), "{err}");
}

#[test]
fn a_data_dir_that_is_a_file_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").expect("write");
    let err = Store::open(&file, clock()).err().expect("refused");
    assert!(err.to_string().starts_with("无法创建数据目录"), "{err}");
}

/// Another process holding the write lock (as paicha's own writes do, briefly).
fn hold_write_lock(dir: &Path, for_ms: u64) -> std::thread::JoinHandle<()> {
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
fn an_upgrade_backup_is_written_once_and_completely() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let mut conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("conn");
        migrations::migrate(&mut conn, 1, Path::new("test.db")).expect("v1");
        seed_at_version(&conn, 1);
    }
    drop(open(dir.path()));
    let backup = dir.path().join(format!("{DB_FILE}.v1.bak"));
    let conn =
        rusqlite::Connection::open_with_flags(&backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("backup opens");
    let (version, name): (i64, String) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), name FROM enterprises",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("backup has the old data");
    assert_eq!((version, name.as_str()), (1, "老企业"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_newer_database_left_with_its_wal_is_refused_untouched() {
    let live = tempfile::tempdir().expect("dir");
    drop(open(live.path()));
    let copy = tempfile::tempdir().expect("dir");
    {
        // A newer paicha wrote its version into the WAL and died before checkpointing:
        // copy the files while its connection is still open.
        let conn = rusqlite::Connection::open(live.path().join(DB_FILE)).expect("conn");
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no autocheckpoint");
        conn.pragma_update(None, "user_version", migrations::LATEST + 1)
            .expect("bump");
        for suffix in ["", "-wal", "-shm"] {
            let name = format!("{DB_FILE}{suffix}");
            std::fs::copy(live.path().join(&name), copy.path().join(&name)).expect("copy");
        }
    }
    let snapshot = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        ["", "-wal"]
            .iter()
            .map(|s| {
                let name = format!("{DB_FILE}{s}");
                let bytes = std::fs::read(dir.join(&name)).expect("read");
                (name, bytes)
            })
            .collect()
    };
    let before = snapshot(copy.path());
    let err = Store::open(copy.path(), clock()).err().expect("refused");
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
    assert_eq!(snapshot(copy.path()), before, "database and WAL untouched");
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
fn records_made_before_a_profile_have_a_stable_unnamed_author_and_the_profile_stays_unset() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let a = store
        .add_enterprise(enterprise("甲", "91350100M000100Y43"))
        .expect("a");
    let b = store
        .add_enterprise(enterprise("乙", "914403001922038216"))
        .expect("b");
    assert_eq!(a.meta.author_id, b.meta.author_id);
    assert!(
        store.profile().expect("profile").is_none(),
        "still asks for a profile"
    );
    assert_eq!(
        store.inspector(a.meta.author_id).expect("author").data.name,
        profile::UNNAMED_PROFILE
    );
    let me = store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "1".into(),
            group_code: None,
        })
        .expect("set");
    assert_eq!(store.author_id().expect("author"), me.id());
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("conn");
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .expect("foreign db");
    }
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(dir.path(), clock()).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn a_damaged_schema_page_is_refused_before_any_write() {
    let dir = tempfile::tempdir().expect("dir");
    drop(open(dir.path()));
    let path = dir.path().join(DB_FILE);
    {
        // Fold the WAL into the main file and leave rollback mode, so the file is all there is.
        let conn = rusqlite::Connection::open(&path).expect("conn");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("checkpoint");
    }
    let mut bytes = std::fs::read(&path).expect("read");
    // Overwrite the body of page 1 (the schema table), keeping the 100-byte file header.
    for b in &mut bytes[100..4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).expect("write");
    let err = Store::open(dir.path(), clock()).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "untouched");
}

#[test]
fn evidence_of_every_kind_round_trips_with_values_the_forms_accept() {
    let samples: [(EvidenceKind, &[(&str, &str)]); 4] = [
        (
            EvidenceKind::HotWorkPermit,
            &[
                ("permit_no", "DH-2023-081"),
                ("content", "更换输油管道法兰"),
                ("location", "加油区 3 号罐"),
                ("level", "一级"),
                ("welder", "赵六"),
                ("welder_cert_no", "T11010519491231002X"),
                ("gas_sampled_at", "2023-08-15 08:40"),
                ("start_at", "2023-08-15 09:00"),
                ("end_at", "2023-08-15 16:00"),
                ("measures_confirmed", "是"),
                ("fire_watch", "钱七"),
                ("approver", "王五"),
            ],
        ),
        (
            EvidenceKind::SpecialOperationCertificate,
            &[
                ("holder_name", "赵六"),
                ("id_number", "11010519491231002X"),
                ("cert_no", "T11010519491231002X"),
                ("issuing_system", "应急管理（特种作业操作证）"),
                ("category", "焊接与热切割作业"),
                ("operation_item", "熔化焊接与热切割作业"),
                ("valid_until", "2022-05-01"),
                ("verified", "否"),
            ],
        ),
        (
            EvidenceKind::OutsourcingAgreement,
            &[
                ("arrangement", "发包"),
                ("contractor_name", "某某安装工程有限公司"),
                ("contractor_credit_code", "91110000802100433B"),
                ("scope", "储罐清洗"),
                ("contractor_qualified", "是"),
                ("agreement_signed", "否"),
                ("duties_clear", "否"),
                ("unified_management", "是"),
                ("regular_inspections", "否"),
            ],
        ),
        (
            EvidenceKind::DrillRecord,
            &[
                ("name", "加油站火灾疏散演练"),
                ("plan_type", "现场处置方案"),
                ("held_on", "2023-06-16"),
                ("participants", "12"),
                ("staff_know_exits", "是"),
            ],
        ),
    ];
    let forms = crate::templates::forms::shipped().expect("forms");
    let dir = tempfile::tempdir().expect("dir");
    let mut saved = Vec::new();
    {
        let mut store = open(dir.path());
        let ins = draft(&mut store);
        for (kind, inputs) in samples {
            let form = forms.iter().find(|f| f.kind == kind).expect("form");
            let values: BTreeMap<String, FieldValue> = inputs
                .iter()
                .map(|(key, input)| {
                    let value = form
                        .field(key)
                        .expect(key)
                        .parse_input(input)
                        .expect(key)
                        .expect(key);
                    (key.to_string(), value)
                })
                .collect();
            assert!(
                form.check_values(&values).is_empty(),
                "{kind:?}: {:?}",
                form.check_values(&values)
            );
            let record = EvidenceRecord {
                inspection_id: ins.id(),
                kind,
                form_version: form.version,
                values,
            };
            saved.push(store.save_evidence(None, record).expect("save"));
        }
        // A draft's evidence is a working copy: edit one in place.
        let mut drill = saved.pop().expect("drill");
        drill
            .data
            .values
            .insert("participants".into(), FieldValue::Number(15.0));
        let edited = store
            .save_evidence(Some(drill.id()), drill.data.clone())
            .expect("edit");
        assert_eq!(edited.meta.id, drill.meta.id);
        assert_eq!(edited.meta.created_at, drill.meta.created_at);
        saved.push(edited);
    }
    let store = open(dir.path());
    let inspection_id = saved[0].data.inspection_id;
    let mut back = store.evidence_for(inspection_id).expect("evidence");
    back.sort_by_key(|r| r.data.kind);
    saved.sort_by_key(|r| r.data.kind);
    assert_eq!(back, saved);
}
