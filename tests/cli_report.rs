//! `paicha activity` and `paicha report` through the real binary: the table in each format,
//! `explain`, and refusals that name the mistake and record nothing.

use std::process::Command;

fn paicha(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
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

#[test]
fn activities_feed_the_d_rows_in_every_format_and_explain_names_them() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let (ok, _, err) = paicha(
        d,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
            "--group",
            "energy",
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = paicha(
        d,
        &[
            "activity",
            "add",
            "--kind",
            "专题学习十五条硬措施",
            "--level",
            "镇",
            "--on",
            "2023-09-05",
            "--title",
            "学习十五条",
        ],
    );
    assert!(ok, "{err}");
    let id = out
        .split("编号 ")
        .nth(1)
        .and_then(|s| s.split('）').next())
        .expect("id");
    let (ok, _, err) = paicha(
        d,
        &[
            "activity",
            "add",
            "--kind",
            "report_reward",
            "--on",
            "2023-09-06",
            "--title",
            "奖励",
            "--amount",
            "0.35",
            "--anonymous",
        ],
    );
    assert!(ok, "{err}");

    let (ok, table, err) = paicha(d, &["report", "monthly", "--month", "2023-09"]);
    assert!(ok, "{err}");
    assert!(table.contains("截至 2023年9月28日"), "{table}");
    // The group's name fills the form's blank before 专项行动小组: not said twice.
    assert!(
        table.contains("专项行动领导小组（本股室）") && !table.contains("专项行动小组："),
        "{table}"
    );
    assert!(table.contains("县 0  镇 1  部门 0"), "{table}");
    assert!(table.contains("0.35  其中匿名举报查实 0.35"), "{table}");

    let (ok, csv, err) = paicha(
        d,
        &["report", "monthly", "--month", "2023-09", "--format", "csv"],
    );
    assert!(ok, "{err}");
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel/WPS");
    assert!(
        csv.contains("组织领导情况,D1,专项行动小组组织专题学习安全生产十五条硬措施（次）,镇,1"),
        "{csv}"
    );

    let out_file = d.join("九月.json");
    let (ok, _, err) = paicha(
        d,
        &[
            "report",
            "monthly",
            "--month",
            "2023-09",
            "--format",
            "json",
            "--out",
            out_file.to_str().expect("path"),
        ],
    );
    assert!(ok, "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).expect("file")).expect("json");
    let d1 = json["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["code"] == "D1"))
        .expect("D1");
    assert_eq!(d1["cells"][1]["split"], "镇");
    assert_eq!(d1["cells"][1]["figure"]["value"], 1);
    assert_eq!(d1["cells"][1]["records"][0]["id"], id);

    let (ok, text, err) = paicha(d, &["report", "explain", "d1", "--month", "2023-09"]);
    assert!(ok, "{err}");
    assert!(text.contains(id) && text.contains("学习十五条"), "{text}");
    // The activity was in August's future: September only.
    let (ok, aug, _) = paicha(d, &["report", "explain", "D1", "--month", "2023-08"]);
    assert!(ok && !aug.contains(id), "{aug}");
}

#[test]
fn mistakes_are_named_in_chinese_and_record_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    for (args, says) in [
        (
            vec![
                "activity",
                "add",
                "--kind",
                "group_study",
                "--on",
                // 2023-9-5 and 2023.9.5 are read; a day that does not exist is not.
                "2023-2-30",
                "--title",
                "x",
            ],
            "--on 应为日期，如 2023-09-05 或 2023.9.5，不是“2023-2-30”",
        ),
        (
            vec![
                "activity",
                "add",
                "--kind",
                "开会",
                "--on",
                "2023-09-05",
                "--title",
                "x",
            ],
            "工作活动",
        ),
        (
            vec![
                "activity",
                "add",
                "--kind",
                "report_reward",
                "--on",
                "2023-09-05",
                "--title",
                "x",
            ],
            "--amount",
        ),
        (
            vec![
                "activity",
                "add",
                "--kind",
                "report_reward",
                "--on",
                "2023-09-05",
                "--title",
                "x",
                "--amount",
                "1,5",
            ],
            "万元数",
        ),
        (
            vec![
                "activity",
                "add",
                "--kind",
                "group_study",
                "--on",
                "2023-09-05",
                "--title",
                "x",
                "--group",
                "enrgy",
            ],
            "没有代码为“enrgy”的专项行动小组",
        ),
        (
            vec![
                "activity",
                "add",
                "--kind",
                "report_reward",
                "--on",
                "2023-09-05",
                "--title",
                "x",
                "--amount",
                "9000000000000",
            ],
            "过大",
        ),
        (vec!["report", "monthly", "--month", "2023-13"], "YYYY-MM"),
        (
            vec![
                "report", "monthly", "--month", "2023-09", "--format", "xlsx",
            ],
            "--out",
        ),
        (
            vec!["report", "monthly", "--month", "2023-09", "--scope", "own"],
            "--group",
        ),
        (
            vec!["report", "monthly", "--month", "2023-09", "--group", "x"],
            "没有代码为“x”的专项行动小组",
        ),
        (
            vec!["report", "explain", "Z9", "--month", "2023-09"],
            "没有代码为“Z9”的行",
        ),
    ] {
        let (ok, _, err) = paicha(d, &args);
        assert!(!ok, "{args:?} should fail");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (ok, list, err) = paicha(d, &["activity", "list"]);
    assert!(ok, "{err}");
    assert!(list.contains("尚未登记任何工作活动"), "{list}");
}

#[test]
fn a_month_after_the_campaign_has_no_table() {
    let dir = tempfile::tempdir().expect("dir");
    let (ok, _, err) = paicha(dir.path(), &["report", "monthly", "--month", "2024-01"]);
    assert!(!ok, "no table after the campaign");
    assert!(
        err.contains("专项行动已于 2023-12-31 结束，没有之后的调度表"),
        "{err}"
    );
    let (ok, _, err) = paicha(dir.path(), &["report", "monthly", "--month", "2023-12"]);
    assert!(ok, "its last month still has one: {err}");
}
