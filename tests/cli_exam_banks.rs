//! `paicha checklist validate` on 逢查必考 question banks: a bank with fewer than 12 drawable
//! (verified) questions is refused, naming the file; the shipped banks pass.

use std::process::{Command, Output};

fn paicha(args: &[&str]) -> Output {
    let isolated = tempfile::tempdir().expect("dir");
    Command::new(env!("CARGO_BIN_EXE_paicha"))
        .env_remove("PAICHA_CONFIG_DIR")
        .env_remove("PAICHA_DATA_DIR")
        .env("HOME", isolated.path())
        .env("XDG_CONFIG_HOME", isolated.path())
        .args(args)
        .output()
        .expect("run paicha")
}

/// A fuel bank (version 3, above the shipped one) with `verified` drawable questions and
/// `flagged` ones marked 【待核实】.
fn bank(verified: usize, flagged: usize) -> String {
    let mut s = String::from("sector = \"fuel\"\nversion = 3\n");
    for i in 0..verified + flagged {
        let unverified = i >= verified;
        let mark = if unverified { "【待核实】" } else { "" };
        s.push_str(&format!(
            "\n[[question]]\nid = \"CNTY-Q{i:02}\"\nquestion = \"本县题目{i}？\"\n\
             answer = \"{mark}参考答案{i}\"\nbasis = \"出处{i}\"\nunverified = {unverified}\n"
        ));
    }
    s
}

#[test]
fn validate_refuses_a_bank_with_11_drawable_questions_and_names_the_file() {
    let tmp = tempfile::tempdir().expect("dir");
    let file = tmp.path().join("fuel_county.toml");
    std::fs::write(&file, bank(11, 4)).expect("write");
    let path = file.to_string_lossy().into_owned();
    let out = paicha(&["checklist", "validate", &path]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with(&format!("{path}:")))
        .unwrap_or_else(|| panic!("no error naming {path}: {err}"));
    assert!(line.contains("只有 11 道，至少需要 12 道"), "{line}");
    assert!(err.contains("共 1 处错误"), "{err}");

    // One more verified question and the same file passes (and overrides the shipped bank).
    std::fs::write(&file, bank(12, 4)).expect("write");
    let out = paicha(&["checklist", "validate", &path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_shipped_banks_validate() {
    let mut files: Vec<String> = std::fs::read_dir("config/exams")
        .expect("dir")
        .map(|e| e.expect("entry").path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 6);
    let mut args = vec!["checklist", "validate"];
    args.extend(files.iter().map(String::as_str));
    let out = paicha(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
