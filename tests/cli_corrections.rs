//! `paicha inspection correct / evidence / correct-evidence`: a finalized inspection's times and
//! evidence corrected from the command line, as new records; what is refused says why in
//! Chinese and changes nothing.

#[path = "support/cli.rs"]
mod support;

use serde_json::Value;
use std::path::Path;
use support::{paicha, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = paicha(dir, args);
    (out.status.success(), stdout(&out), stderr(&out))
}

fn show(dir: &Path, id: &str) -> Value {
    let (ok, out, err) = run(dir, &["inspection", "show", id]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).expect("json")
}

/// A finalized demo inspection with evidence records.
fn finalized_with_evidence(dir: &Path) -> String {
    let (ok, _, err) = run(
        dir,
        &[
            "demo",
            "--enterprises",
            "5",
            "--inspections",
            "6",
            "--seed",
            "3",
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(dir, &["inspection", "list", "--format", "json"]);
    assert!(ok, "{err}");
    let list: Value = serde_json::from_str(&out).expect("json");
    list.as_array()
        .expect("array")
        .iter()
        .filter(|r| r["status"] == "finalized")
        .map(|r| r["id"].as_str().expect("id").to_string())
        .find(|id| {
            !show(dir, id)["evidence"]
                .as_array()
                .expect("list")
                .is_empty()
        })
        .expect("a demo inspection with evidence")
}

#[test]
fn times_are_corrected_and_shown_as_corrected_the_signed_record_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let id = finalized_with_evidence(d);
    let before = show(d, &id);
    assert_eq!(before["visit"]["corrected"], false);
    let arrived = before["visit"]["arrived_at"]
        .as_str()
        .expect("arrival")
        .to_string();
    let day = &arrived[..10];

    for (args, expected) in [
        (
            vec!["--departed-at", "2099-01-01 10:00", "--reason", "笔误"],
            "晚于定稿签名时间",
        ),
        (
            vec!["--departed-at", &format!("{day} 10:0"), "--reason", "笔误"],
            "格式如 2023-08-15 09:30",
        ),
        (vec!["--reason", "笔误"], "没有要更正的内容"),
        (vec!["--departed-at", &format!("{day} 00:00")], "--reason"),
        (
            vec!["--arrived-at", &format!("{day} 23:59"), "--reason", "笔误"],
            "早于到达时间",
        ),
    ] {
        let mut all = vec!["inspection", "correct", id.as_str()];
        all.extend(args.iter().map(|s| -> &str { s }));
        let (ok, _, err) = run(d, &all);
        assert!(!ok, "{all:?} accepted");
        assert!(err.contains(expected), "{all:?}: {err}");
    }
    assert_eq!(show(d, &id), before, "a refusal changes nothing");

    // The arrival ten minutes earlier; the departure stays as it stands.
    let (h, m): (u32, u32) = (
        arrived[11..13].parse().expect("h"),
        arrived[14..16].parse().expect("m"),
    );
    let earlier = if m >= 10 {
        format!("{day} {h:02}:{:02}", m - 10)
    } else {
        format!("{day} {:02}:{:02}", h - 1, m + 50)
    };
    let (ok, out, err) = run(
        d,
        &[
            "inspection",
            "correct",
            &id,
            "--arrived-at",
            &earlier,
            "--reason",
            "按执法记录仪",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("（已更正）"), "{out}");
    let after = show(d, &id);
    assert_eq!(after["visit"]["arrived_at"], earlier.as_str());
    assert_eq!(
        after["visit"]["departed_at"],
        before["visit"]["departed_at"]
    );
    assert_eq!(after["visit"]["corrected"], true);
    assert_eq!(
        after["inspection"], before["inspection"],
        "the signed record stays"
    );
    let corrections = after["time_corrections"].as_array().expect("list");
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0]["reason"], "按执法记录仪");
}

#[test]
fn evidence_is_listed_with_ids_and_corrected_against_its_form() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let id = finalized_with_evidence(d);
    let (ok, out, err) = run(d, &["inspection", "evidence", &id]);
    assert!(ok, "{err}");
    let evidence = show(d, &id)["evidence"][0].clone();
    let eid = evidence["id"].as_str().expect("id").to_string();
    assert!(out.contains(&eid), "{out}");
    assert!(!out.contains("已更正"), "{out}");
    // A text field every form has: the first key of the record.
    // A free-text field and a date field of the record's form.
    use paicha::templates::forms::FieldType;
    let forms = paicha::templates::forms::shipped().expect("forms");
    let form = forms
        .iter()
        .find(|f| f.kind.code() == evidence["kind"].as_str().expect("kind"))
        .expect("form");
    let of = |t: FieldType| {
        form.fields
            .iter()
            .find(|f| f.kind == t)
            .map(|f| f.key.clone())
            .expect("a field of the type")
    };
    let (key, date) = (of(FieldType::Text), of(FieldType::Date));
    let bad_date = format!("{date}=2023-13-40");

    for (sets, expected) in [
        (vec!["--set", "no_such_field=1"], "没有字段"),
        (vec!["--set", "nonsense"], "字段=值"),
        (vec!["--set", bad_date.as_str()], "应为日期"),
        (vec![], "没有要更正的内容"),
    ] {
        let mut all = vec!["inspection", "correct-evidence", eid.as_str()];
        all.extend(sets);
        all.extend(["--reason", "抄错"]);
        let (ok, _, err) = run(d, &all);
        assert!(!ok, "{all:?} accepted");
        assert!(err.contains(expected), "{all:?}: {err}");
    }
    let (ok, _, err) = run(
        d,
        &[
            "inspection",
            "correct-evidence",
            &eid,
            "--set",
            &format!("{key}=更正后的内容"),
            "--reason",
            "抄错了",
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(d, &["inspection", "evidence", &id]);
    assert!(ok, "{err}");
    assert!(out.contains("（已更正）"), "{out}");
    assert!(out.contains("更正后的内容"), "{out}");
    assert!(out.contains("理由：抄错了"), "{out}");
    assert!(out.contains("原记录"), "{out}");
    let after = show(d, &id);
    assert_eq!(after["evidence"][0], evidence, "the original stays");
    assert_eq!(
        after["evidence_corrections"]
            .as_array()
            .expect("list")
            .len(),
        1
    );
}
