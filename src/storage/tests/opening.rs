//! Opening a data dir: durable settings, upgrades from every version, and files that are
//! not ours, damaged, newer, full or read-only.

use super::*;
use crate::storage::*;

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
            let projected = store.hazard_summaries().expect("projection filled by v6");
            assert_eq!(projected.len(), 1, "from v{start}");
            assert_eq!(projected[0].description, "焊工无证上岗");
            assert!(store.stale_hazard_status().expect("check").is_empty());
            let signed: i64 = store
                .conn
                .query_row(
                    "SELECT COUNT(*) FROM record_signatures WHERE record_table = 'hazards'",
                    [],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(
                signed, 1,
                "records made before signatures are signed once on open"
            );
        }
    }
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
