//! The hazard ledger through the real binary: office entry from each source, every step of the
//! closed loop with its guards, the close-out leader from the office's roster, numbering,
//! filters.

#[path = "support/cli.rs"]
mod cli;

use cli::*;
use std::path::Path;
use std::process::Command;

fn run(data: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data)
        .arg("--config-dir")
        .arg(config)
        .args(args)
        .output()
        .expect("run paicha")
}

fn ledger_json(data: &Path, config: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["ledger", "--format", "json", "--date", "2023-09-20"];
    args.extend_from_slice(extra);
    let out = run(data, config, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_public_report_walked_from_registration_to_close_out() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    let roster = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    assert!(
        paicha(&data, &["enterprise", "import", &roster])
            .status
            .success()
    );
    // The office, set up once: its clerk (also an inspector here) runs it.
    for args in [
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ][..],
        &[
            "office",
            "init",
            "--name",
            "方山县应急管理局",
            "--role",
            "检查人员",
        ],
    ] {
        let out = run(&data, &config, args);
        assert!(out.status.success(), "{}", stderr(&out));
    }

    let add = |extra: &[&str]| {
        let mut args = vec![
            "hazard",
            "add",
            "--enterprise",
            "91110000802100433B",
            "--grade",
            "重大",
            "--description",
            "餐饮用户使用可调式减压阀",
            "--found",
            "2023-09-05",
        ];
        args.extend_from_slice(extra);
        run(&data, &config, &args)
    };
    // 上级交办 needs its document number; 执法检查 is entered in the TUI.
    let out = add(&["--source", "上级交办"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("须填写交办文件文号"),
        "{}",
        stderr(&out)
    );
    let out = add(&["--source", "执法检查"]);
    assert!(stderr(&out).contains("请在检查界面"), "{}", stderr(&out));
    let out = add(&[
        "--source",
        "群众举报",
        "--anonymous",
        "--reward",
        "0.2",
        "--deadline",
        "2023-09-15",
        "--responsible",
        "钱七",
        "--measures",
        "更换减压阀",
        "--funds",
        "0.1万元",
        "--plan",
        "停止供气",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let list = ledger_json(&data, &config, &[]);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["source"], "public_report");
    assert_eq!(list[0]["stage"], "registered");
    assert_eq!(list[0]["overdue"], true, "deadline 09-15, today 09-20");
    assert_eq!(list[0]["days_left"], -5);
    let id = list[0]["id"].as_str().expect("id").to_string();

    let step = |args: &[&str]| {
        let mut all = vec!["hazard", "step", id.as_str()];
        all.extend_from_slice(args);
        run(&data, &config, &all)
    };
    // Refused steps say why and change nothing.
    let out = step(&["close", "--signer", "王县长"]);
    assert!(
        stderr(&out).contains("没有验收，不能销号"),
        "{}",
        stderr(&out)
    );
    assert!(step(&["transfer", "--to", "能源股"]).status.success());
    assert!(
        step(&["rectify"]).status.success(),
        "the five fixes were given with the hazard"
    );
    assert!(
        step(&["report", "--note", "企业报告已更换"])
            .status
            .success()
    );
    // `hazard event` is the name for the same command.
    let out = run(
        &data,
        &config,
        &["hazard", "event", id.as_str(), "verify", "--by", "李建山"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // A major hazard's close-out needs a close-out leader of the roster: none yet.
    let out = step(&["close", "--signer", "王县长"]);
    assert!(
        stderr(&out).contains("名册中还没有") && stderr(&out).contains("paicha roster add"),
        "{}",
        stderr(&out)
    );
    // The office enrols the county leader; no config file is written by hand.
    let out = run(
        &data,
        &config,
        &[
            "roster",
            "add",
            "--name",
            "王县长",
            "--role",
            "销号签字领导",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = step(&["close", "--signer", "张三"]);
    assert!(
        stderr(&out).contains("不是名册中的销号签字领导") && stderr(&out).contains("王县长"),
        "{}",
        stderr(&out)
    );
    let out = step(&["close", "--signer", "王县长"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let closed = ledger_json(&data, &config, &["--status", "已销号"]);
    assert_eq!(closed.as_array().map(Vec::len), Some(1));
    assert_eq!(closed[0]["overdue"], false);
    assert_eq!(
        ledger_json(&data, &config, &["--overdue"]),
        serde_json::json!([])
    );

    // Numbering: stable, never reused; the number then finds the hazard.
    let out = run(&data, &config, &["ledger", "number", "--month", "2023-09"]);
    assert!(
        stdout(&out).contains("方山-2023-09-001"),
        "{}",
        stdout(&out)
    );
    let out = run(&data, &config, &["ledger", "number", "--month", "2023-09"]);
    assert!(stdout(&out).contains("没有需要编号"), "{}", stdout(&out));
    let out = run(&data, &config, &["ledger", "show", "方山-2023-09-001"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let kinds: Vec<&str> = shown["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "registered",
            "transferred",
            "rectifying",
            "rectification_reported",
            "verified",
            "closed_out",
            "numbered"
        ]
    );
    assert_eq!(shown["events"][3]["note"], "企业报告已更换");

    // This week's feedback on transferred hazards, ready to paste.
    let weekly = stdout(&run(&data, &config, &["ledger", "weekly"]));
    assert!(weekly.starts_with("交办隐患整改治理情况"), "{weekly}");
    assert!(
        weekly
            .contains("一、方山县燃气有限公司：餐饮用户使用可调式减压阀（编号 方山-2023-09-001）"),
        "{weekly}"
    );
    assert!(
        weekly.contains("验收通过（李建山）") && weekly.contains("销号（王县长 签字确认）"),
        "{weekly}"
    );

    // Whom to visit next, each point explained.
    let out = run(
        &data,
        &config,
        &[
            "ledger",
            "targets",
            "--date",
            "2023-09-20",
            "--format",
            "json",
        ],
    );
    let targets: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        targets.as_array().map(Vec::len),
        Some(3),
        "three enterprises, none inspected"
    );
    assert_eq!(targets[0]["name"], "方山县燃气有限公司");
    let reasons: Vec<&str> = targets[0]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "近一年发现隐患 1 个（+5）",
            "高危行业领域（+10）",
            "风险等级：重大风险（+30）",
            "从未检查（+30）"
        ],
        "the roster's 风险等级 counts, with its reason"
    );
}
