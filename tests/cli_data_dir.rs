//! The data directory through the real binary: from the environment, read-only, corrupt,
//! damaged, newer, and several processes at once.

#[path = "support/cli.rs"]
mod cli;

use cli::*;
use std::process::Command;

#[test]
fn data_dir_from_the_environment_is_used() {
    let tmp = tempfile::tempdir().expect("dir");
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["enterprise", "import", &file])
        .env("PAICHA_DATA_DIR", tmp.path().join("envdata"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("envdata").join("paicha.db").exists());
}

#[test]
fn a_read_only_or_impossible_data_dir_is_explained() {
    // /proc/self exists and no one, not even root, can create a file in it.
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", "/proc/self", "enterprise", "list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("数据目录 /proc/self 不可写"),
        "{}",
        stderr(&out)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args([
            "--data-dir",
            "/proc/no-such-process/paicha",
            "enterprise",
            "list",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("无法创建数据目录 /proc/no-such-process/paicha：路径不存在"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_corrupt_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).expect("dir");
    let db = data.join("paicha.db");
    std::fs::write(&db, vec![0x42; 4096]).expect("write");
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("已损坏或不是 paicha 的数据库"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&db).expect("read"), vec![0x42; 4096]);
}

#[test]
fn damage_deep_in_the_file_is_reported_and_the_file_left_as_it_was() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    assert!(
        paicha(&data, &["enterprise", "import", &file])
            .status
            .success()
    );
    let db = data.join("paicha.db");
    let (root, page_size) = {
        let conn = rusqlite::Connection::open(&db).expect("conn");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'enterprises'",
                [],
                |r| r.get(0),
            )
            .expect("root page");
        let size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        (root as usize, size as usize)
    };
    let mut bytes = std::fs::read(&db).expect("read");
    let start = (root - 1) * page_size;
    for b in &mut bytes[start..start + page_size] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let out = paicha(&data, &["enterprise", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("数据库文件已损坏"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&db).expect("read"), bytes, "not written to");
}

#[test]
fn a_database_from_a_newer_paicha_is_refused_untouched() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    assert!(paicha(&data, &["enterprise", "list"]).status.success());
    let db = data.join("paicha.db");
    {
        let conn = rusqlite::Connection::open(&db).expect("conn");
        conn.pragma_update(None, "user_version", 999).expect("bump");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("fold wal");
    }
    let before = std::fs::read(&db).expect("read");
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("来自更新版本的 paicha（数据版本 999"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), before);
}

#[test]
fn processes_starting_together_on_a_new_data_dir_all_succeed() {
    for round in 0..3 {
        let tmp = tempfile::tempdir().expect("dir");
        let data = tmp.path().join("data");
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_paicha"))
                    .arg("--data-dir")
                    .arg(&data)
                    .args(["enterprise", "list", "--format", "json"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
            assert_eq!(stdout(&out).trim(), "[]");
        }
    }
}

#[test]
fn version_and_chinese_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--version")
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        format!("paicha {}", env!("CARGO_PKG_VERSION"))
    );
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--help")
        .output()
        .expect("run");
    let help = stdout(&out);
    assert!(
        help.contains("用法：") && help.contains("enterprise") && help.contains("企业名册"),
        "{help}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["enterprise", "frobnicate"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("命令行参数有误"), "{}", stderr(&out));
}
