//! End to end through a pseudo-terminal with the real binary: a whole inspection from an empty
//! data dir to a finalized record read back through the CLI; and a kill -9 mid-checklist after
//! which the app reopens on the same draft, screen and item with every answer there.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const TAB: &str = "\t";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const RIGHT: &str = "\x1b[C";
const CTRL_N: &str = "\x0e";
const CTRL_S: &str = "\x13";

fn paicha(data: &Path, args: &[&str]) -> std::process::Output {
    let isolated = tempfile::tempdir().expect("dir");
    Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("HOME", isolated.path())
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run paicha")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Esc is also the start of escape sequences: give the app a moment to see it alone.
fn escape(tui: &mut Tui) {
    tui.send(ESC);
    std::thread::sleep(Duration::from_millis(150));
}

fn open(data: &Path) -> Tui {
    open_sized(data, 40, 120)
}

fn open_sized(data: &Path, rows: u16, cols: u16) -> Tui {
    Tui::spawn(
        &["--data-dir", data.to_str().expect("utf-8 path")],
        rows,
        cols,
    )
}

#[test]
fn a_whole_inspection_from_an_empty_data_dir_to_a_signed_record() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    assert!(
        paicha(
            &data,
            &[
                "profile",
                "set",
                "--name",
                "李建山",
                "--cert-no",
                "14010001"
            ]
        )
        .status
        .success()
    );
    // This laptop is also its own office (one person: inspector, group leader and clerk), so
    // one keyboard can walk a hazard to 已销号.
    let init = paicha(
        &data,
        &[
            "office",
            "init",
            "--name",
            "方山县应急管理局",
            "--role",
            "检查人员",
            "--role",
            "组长",
        ],
    );
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );

    let mut tui = open(&data);
    tui.wait_for("新建检查");
    // A new enterprise, created inline from the picker.
    tui.send("n");
    tui.wait_for("找不到时按 Ctrl-N 新建");
    tui.send(CTRL_N);
    tui.wait_for("新建企业");
    tui.send("方山县测试加油站");
    tui.send(TAB);
    tui.send("91350100M000100Y43");
    tui.send(TAB);
    tui.send(RIGHT); // 行业：油库加油站
    tui.send(CTRL_S);
    tui.wait_for("检查准备");
    tui.wait_for("油库、加油站安全检查");
    tui.send(TAB);
    tui.send(TAB);
    tui.send("高峰翔");
    tui.send(CTRL_S);
    tui.wait_for("已答 0/28");

    // E1 fails; E2–E11 (with E6-2) comply.
    tui.send("2");
    tui.wait_for("已答 1/28");
    for n in 2..=12 {
        tui.send("1");
        tui.wait_for(&format!("已答 {n}/28"));
    }
    // E12: an expired welder's certificate, and the rule's verdict adopted.
    tui.send("r");
    tui.wait_for("特种作业操作证（0）");
    tui.send("a");
    tui.wait_for("*有效期至：");
    for (value, tabs) in [
        ("赵六", 1),
        ("11010519491231002X", 1),
        ("T11010519491231002X", 3),
        ("熔化焊接与热切割作业", 2),
        ("2022-05-01", 5),
    ] {
        tui.send(value);
        for _ in 0..tabs {
            tui.send(TAB);
        }
    }
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("赵六的特种作业操作证已于 2022-05-01 过期");
    tui.send("p");
    // The fuel station's own certificate item is proposed with E12: the message names both.
    tui.wait_for("已采用建议：E12、FUEL-02 不符合");
    escape(&mut tui);
    tui.wait_for("已答 14/28");
    // E13–E15 comply; the other eleven fuel-station items do not apply on this visit.
    tui.send("u");
    for n in 15..=28 {
        tui.send(if n <= 17 { "1" } else { "3" });
        tui.wait_for(&format!("已答 {n}/28"));
    }
    // A hazard from the failed E1, fixed on the spot.
    tui.send("x");
    tui.send("h");
    tui.wait_for("登记隐患 · E");
    // The focus starts on the description: the grade comes proposed.
    tui.send("未组织全员培训考试");
    tui.send(TAB);
    tui.send(TAB);
    tui.send(TAB);
    tui.send(RIGHT); // 立即整改
    tui.send(CTRL_S);
    tui.wait_for("隐患 1");

    // Review and sign.
    tui.send("v");
    tui.wait_for("全部检查项已作答");
    tui.send("f");
    // The departure, prefilled with now: Enter takes it.
    tui.wait_for("离开现场时间：");
    tui.send(ENTER);
    tui.wait_for("请 李建山 输入本人姓名");
    tui.send("李建山");
    tui.send(ENTER);
    tui.wait_for("请 高峰翔 输入本人姓名");
    tui.send("高峰翔");
    tui.send(ENTER);
    tui.wait_for("检查已定稿");
    // The documents are offered before leaving; Esc goes home.
    tui.wait_for("现场检查记录");
    escape(&mut tui);
    tui.wait_for("新建检查");

    // The hazard, from the ledger through its closed loop (fixed on the spot, so no transfer).
    tui.send("l");
    tui.wait_for("共 1 个，显示 1 个");
    tui.send(ENTER);
    tui.wait_for("隐患办理");
    // Refused on the key, before any form: it says which keys come first.
    tui.send("x");
    tui.wait_for("隐患在“登记”：先按 b 报告整改完成，再按 y 复查验收，然后才能销号");
    assert!(!tui.screen().contains("签字确认人"), "no form opened");
    tui.send("b");
    tui.wait_for("报告整改完成");
    tui.send("企业当场更正");
    tui.send(CTRL_S);
    tui.wait_for("状态：待验收");
    tui.send("y");
    tui.wait_for("验收人");
    tui.send("高峰翔");
    tui.send(CTRL_S);
    tui.wait_for("状态：已验收");
    tui.send("x");
    tui.wait_for("签字确认人");
    tui.send("李建山");
    tui.send(CTRL_S);
    tui.wait_for("状态：已销号");
    escape(&mut tui);
    tui.wait_for("已销号");
    // The reports over the ledger open as text and close back to it.
    tui.send("w");
    tui.wait_for("交办隐患整改治理情况");
    escape(&mut tui);
    tui.send("a");
    tui.wait_for("没有需要提示的情况");
    escape(&mut tui);
    tui.send("n");
    tui.wait_for("下一步“四不两直”检查对象");
    escape(&mut tui);
    tui.wait_for("共 1 个，显示 1 个");
    escape(&mut tui);
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "clean exit");
    let closed = json(&paicha(
        &data,
        &["ledger", "--status", "已销号", "--format", "json"],
    ));
    assert_eq!(closed.as_array().map(Vec::len), Some(1));

    // Read it back through the CLI.
    let list = json(&paicha(&data, &["inspection", "list", "--format", "json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["status"], "finalized");
    let id = list[0]["id"].as_str().expect("id").to_string();
    let shown = json(&paicha(&data, &["inspection", "show", &id]));
    let answers = shown["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), 28);
    let failed: Vec<&str> = answers
        .iter()
        .filter(|a| a["result"] == "non_compliant")
        .filter_map(|a| a["item_code"].as_str())
        .collect();
    assert_eq!(failed, ["E1", "E12", "FUEL-02"]);
    let e12 = answers
        .iter()
        .find(|a| a["item_code"] == "E12")
        .expect("E12");
    assert!(
        e12["note"]
            .as_str()
            .unwrap_or_default()
            .contains("已于 2022-05-01 过期")
    );
    assert_eq!(shown["evidence"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["hazards"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["inspection"]["mode"], "unannounced");
    assert_eq!(
        shown["inspection"]["inspector_ids"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(shown["enterprise"]["name"], "方山县测试加油站");

    // Finalized: amended only by an addendum beside it.
    let out = paicha(
        &data,
        &[
            "inspection",
            "amend",
            &id,
            "--text",
            "补充：现场照片另行归档",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = json(&paicha(&data, &["inspection", "show", &id]));
    assert_eq!(shown["addenda"][0]["text"], "补充：现场照片另行归档");
    assert_eq!(
        shown["answers"].as_array().map(Vec::len),
        Some(28),
        "the record itself unchanged"
    );
}

#[test]
fn killed_mid_checklist_it_reopens_on_the_same_draft_screen_and_item() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "企业名称,统一社会信用代码,乡镇,行业\n方山县粮食储备库,914403001922038216,峪口镇,粮食仓储\n",
    )
    .expect("roster");
    assert!(
        paicha(
            &data,
            &["enterprise", "import", roster.to_str().expect("path")]
        )
        .status
        .success()
    );

    // The smallest common terminal: 80×24.
    let mut tui = open_sized(&data, 24, 80);
    tui.wait_for("新建检查");
    tui.send("n");
    tui.wait_for("方山县粮食储备库");
    tui.send("fslk");
    tui.send(ENTER);
    tui.wait_for("粮食仓储企业安全检查");
    tui.send(CTRL_S);
    tui.wait_for("已答 0/31");
    for n in 1..=5 {
        tui.send(if n == 3 { "2" } else { "1" });
        tui.wait_for(&format!("已答 {n}/31"));
    }
    tui.send("j");
    tui.wait_for("E6-2：");
    tui.kill9();

    let mut again = open_sized(&data, 24, 80);
    again.wait_for("逐项检查");
    again.wait_for("已答 5/31 · 不符合 1");
    again.wait_for("E6-2：");

    // Killed in the middle of a form: what was typed up to the last field change is there.
    again.send("x");
    again.wait_for("E3：");
    again.send("h");
    again.wait_for("登记隐患 · E3");
    again.send("未组织警示教育");
    again.send(TAB);
    again.wait_for("*依据：");
    std::thread::sleep(Duration::from_millis(200));
    again.kill9();

    let mut third = open_sized(&data, 24, 80);
    third.wait_for("登记隐患 · E3");
    third.wait_for("未组织警示教育");
    escape(&mut third);
    third.wait_for("逐项检查");
    escape(&mut third);
    third.wait_for("新建检查");
    third.send("q");
    assert!(third.wait_exit());
}

#[test]
fn a_follow_up_started_from_the_ledger_records_the_verification_when_signed() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let ok = |args: &[&str]| {
        let out = paicha(&data, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    ok(&[
        "profile",
        "set",
        "--name",
        "李建山",
        "--cert-no",
        "14010001",
    ]);
    ok(&[
        "office",
        "init",
        "--name",
        "方山县应急管理局",
        "--role",
        "检查人员",
    ]);
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "企业名称,统一社会信用代码,地址,乡镇,行业,主要负责人,联系电话\n\
         方山县圪洞加油站,91350100M000100Y43,圪洞镇北街1号,圪洞镇,加油站,王五,0358-6021234\n",
    )
    .expect("roster");
    ok(&["enterprise", "import", roster.to_str().expect("utf-8")]);
    ok(&[
        "hazard",
        "add",
        "--enterprise",
        "91350100M000100Y43",
        "--source",
        "企业自查",
        "--grade",
        "一般",
        "--description",
        "卸油口无静电接地",
        "--deadline",
        "2099-12-31",
        "--responsible",
        "王五",
        "--measures",
        "恢复接地",
        "--funds",
        "0.1万元",
        "--plan",
        "停止卸油",
    ]);
    let listed = json(&paicha(&data, &["ledger", "--format", "json"]));
    let id = listed[0]["id"].as_str().expect("id").to_string();
    for step in [
        &["transfer", "--to", "能源股"][..],
        &["rectify"],
        &["report", "--note", "企业报告已恢复接地"],
    ] {
        let mut args = vec!["hazard", "step", id.as_str()];
        args.extend_from_slice(step);
        ok(&args);
    }

    let mut tui = open(&data);
    tui.wait_for("新建检查");
    tui.send("l");
    tui.wait_for("共 1 个，显示 1 个");
    tui.send(ENTER);
    tui.wait_for("状态：待验收");
    tui.send("f");
    tui.wait_for("复查：本企业待验收隐患");
    tui.send(CTRL_S);
    tui.wait_for("已答 0/1");
    tui.send("1");
    tui.wait_for("已答 1/1");
    tui.send("v");
    tui.wait_for("全部检查项已作答");
    tui.send("f");
    // The departure, prefilled with now: Enter takes it.
    tui.wait_for("离开现场时间：");
    tui.send(ENTER);
    tui.wait_for("请 李建山 输入本人姓名");
    tui.send("李建山");
    tui.send(ENTER);
    tui.wait_for("复查验收通过");
    tui.wait_for("现场检查记录");
    escape(&mut tui);
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "clean exit");

    let shown = json(&paicha(&data, &["ledger", "show", &id]));
    assert_eq!(shown["stage"], "verified");
    let last = shown["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("events")
        .clone();
    assert_eq!(last["kind"], "verified");
    assert!(
        last["note"].as_str().is_some_and(|n| n.ends_with("复查")),
        "{last}"
    );
    let inspections = json(&paicha(&data, &["inspection", "list", "--format", "json"]));
    let inspection_id = inspections[0]["id"].as_str().expect("id");
    let shown = paicha(&data, &["inspection", "show", inspection_id]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("\"follow_up\""), "mode 复查: {text}");
    assert!(text.contains(&id), "follow_up_of names the hazard: {text}");
}
