//! Issue 16, item 1: an enforcement action typed wrong (a fine of 1234567890 万元) is corrected
//! by a new record that names it; the original stays on record and the monthly table counts the
//! correction instead. Refusals are in Chinese and change nothing.

use std::path::Path;
use std::process::Command;

fn paicha(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// C3's two figures (次, 万元) for the whole campaign to November.
fn c3(dir: &Path) -> (String, String) {
    let (ok, json, err) = paicha(
        dir,
        &[
            "report", "monthly", "--month", "2023-11", "--scope", "all", "--format", "json",
        ],
    );
    assert!(ok, "{err}");
    let table: serde_json::Value = serde_json::from_str(&json).expect("json");
    let row = table["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["code"] == "C3"))
        .expect("C3")
        .clone();
    (
        row["cells"][0]["figure"].to_string(),
        row["cells"][1]["figure"].to_string(),
    )
}

#[test]
fn a_fine_is_corrected_by_a_new_record_and_the_table_counts_the_correction() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    assert!(paicha(d, &["demo"]).0);
    let (ok, json, err) = paicha(d, &["action", "list", "--format", "json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&json).expect("json");
    let penalty = list
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["kind"] == "penalty" && a["amount_fen"].as_i64().is_some())
        .expect("a demo penalty")
        .clone();
    let id = penalty["id"].as_str().expect("id").to_string();
    let before_fen = penalty["amount_fen"].as_i64().expect("fen");
    let (count_before, sum_before) = c3(d);

    // Refused: no reason, nothing to change, an amount over the ceiling, a bad date.
    for (args, expected) in [
        (vec!["--amount", "0.5"], "缺少必需的参数"),
        (vec!["--reason", "笔误"], "没有要更正的内容"),
        (vec!["--amount", "123456789", "--reason", "笔误"], "万元"),
        (
            vec!["--amount", "600", "--reason", "笔误"],
            "--confirm-large",
        ),
        (
            vec!["--decided-on", "2023-9-5", "--reason", "笔误"],
            "不是日期",
        ),
        (vec!["--persons", "2", "--reason", "笔误"], "没有人数"),
    ] {
        let mut all = vec!["action", "correct", id.as_str()];
        all.extend(args.iter().copied());
        let (ok, _, err) = paicha(d, &all);
        assert!(!ok, "{all:?} accepted");
        assert!(err.contains(expected), "{all:?}: {err}");
    }
    assert_eq!(
        c3(d),
        (count_before.clone(), sum_before.clone()),
        "refusals change nothing"
    );

    let (ok, out, err) = paicha(
        d,
        &[
            "action",
            "correct",
            &id,
            "--amount",
            "0.5",
            "--reason",
            "金额录入笔误，以处罚决定书为准",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("已更正：罚款 0.5万元"), "{out}");
    let (_, json, _) = paicha(d, &["action", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).expect("json");
    let correction = list
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["corrects"] == id.as_str())
        .expect("the correction");
    assert_eq!(correction["amount_fen"], 500_000);
    assert!(
        correction["note"]
            .as_str()
            .is_some_and(|n| n.contains("金额录入笔误")),
        "{correction}"
    );
    // The table: the same number of decisions, the sum changed by the difference.
    let (count_after, sum_after) = c3(d);
    assert_eq!(count_after, count_before);
    assert_ne!(
        sum_after, sum_before,
        "{sum_before} → {sum_after} (was {before_fen} fen)"
    );
    // A corrected record is not corrected twice: the newest is.
    let (ok, _, err) = paicha(
        d,
        &[
            "action", "correct", &id, "--amount", "0.6", "--reason", "再改",
        ],
    );
    assert!(!ok && err.contains("已被更正"), "{err}");
    let (ok, table, _) = paicha(d, &["action", "list"]);
    assert!(
        ok && table.contains("已被更正") && table.contains("更正记录"),
        "{table}"
    );
}
