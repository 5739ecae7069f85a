//! The office's day in the real binary through a pseudo-terminal, read back through the CLI:
//! a public report registered from the ledger (and a kill -9 in the middle of typing it), the
//! month's hazard list exported as xlsx from the monthly table, an activity corrected from the
//! records behind a row.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pty.rs"]
mod pty;

use cli::*;
use pty::Tui;
use std::path::Path;

fn ok(data: &Path, args: &[&str]) -> String {
    let out = paicha(data, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The office's clerk (内勤, also an inspector) with the three enterprises.
fn office(tmp: &Path) -> std::path::PathBuf {
    let data = tmp.join("data");
    let roster = write(tmp, "roster.csv", GOOD.as_bytes());
    ok(&data, &["enterprise", "import", &roster]);
    ok(
        &data,
        &[
            "profile",
            "set",
            "--name",
            "张内勤",
            "--cert-no",
            "14010009",
        ],
    );
    ok(
        &data,
        &[
            "office",
            "init",
            "--name",
            "方山县应急管理局",
            "--role",
            "检查人员",
        ],
    );
    data
}

#[test]
fn an_anonymous_public_report_is_registered_from_the_ledger_and_survives_a_kill() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = office(tmp.path());
    let args = ["--data-dir", data.to_str().expect("path")];
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("新建检查");
    tui.send("l");
    tui.wait_for("隐患台账");
    tui.send("A");
    tui.wait_for("选择登记隐患的企业");
    tui.send("燃气");
    tui.wait_for("方山县燃气有限公司");
    tui.send("\r");
    tui.wait_for("登记隐患（企业自查/群众举报/上级交办）· 方山县燃气有限公司");
    // 群众举报; the description, then the field left: remembered.
    tui.send("\x1b[C");
    tui.wait_for("举报奖励");
    tui.send("\t\t");
    tui.send("夜间违规向餐饮用户充装液化气");
    tui.send("\t");
    tui.wait_for("▶ 部位");
    tui.kill9();

    // Reopened where it was, with what was typed.
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("登记隐患（企业自查/群众举报/上级交办）· 方山县燃气有限公司");
    tui.wait_for("夜间违规向餐饮用户充装液化气");
    tui.wait_for("‹ 群众举报 ›");
    // Down to 匿名 (部位, 依据, 发现日期 first): 是; the reward; Ctrl-S.
    tui.send("\t\t\t");
    tui.wait_for("▶*举报人要求匿名");
    tui.send("\x1b[C");
    tui.wait_for("‹ 是 ›");
    tui.send("\t5000元\x13");
    tui.wait_for("已登记一般隐患（群众举报）");
    tui.wait_for("0.5万元");
    tui.wait_for("夜间违规向餐饮用户充");
    tui.send("\x1b");
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let listed: serde_json::Value =
        serde_json::from_str(&ok(&data, &["ledger", "--format", "json"])).expect("json");
    let text = listed.to_string();
    assert!(text.contains("夜间违规向餐饮用户充装液化气"), "{text}");
    assert!(text.contains("\"source\":\"public_report\""), "{text}");
    let table = ok(&data, &["ledger"]);
    assert!(table.contains("方山县燃气有限公司"), "{table}");
    // Booked on the hazard, the reward waits for the report to be verified.
    let activities = ok(&data, &["activity", "list"]);
    assert!(
        activities.contains("举报奖励") && activities.contains("0.5"),
        "{activities}"
    );
    // Nothing left to reopen.
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("新建检查");
    assert!(!tui.screen().contains("登记隐患（企业自查"));
    tui.send("q");
    assert!(tui.wait_exit());
}

#[test]
fn the_months_hazard_list_is_exported_as_xlsx_from_the_monthly_table() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    ok(
        &data,
        &["demo", "--enterprises", "20", "--inspections", "30"],
    );
    // A home of the test's own, whose Documents folder is 文档.
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".config")).expect("dir");
    std::fs::create_dir_all(home.join("文档")).expect("dir");
    std::fs::write(
        home.join(".config/user-dirs.dirs"),
        "XDG_DOCUMENTS_DIR=\"$HOME/文档\"\n",
    )
    .expect("user dirs");
    let home_text = home.to_str().expect("path");
    let mut tui = Tui::spawn_with_env(
        &["--data-dir", data.to_str().expect("path")],
        40,
        120,
        &[
            ("HOME", home_text),
            ("XDG_CONFIG_HOME", &format!("{home_text}/.config")),
        ],
    );
    tui.wait_for("新建检查");
    tui.send("r");
    tui.wait_for("进展情况调度表");
    tui.send("h");
    tui.wait_for("重大事故隐患清单");
    tui.wait_for("统计期间");
    tui.send("x");
    tui.wait_for("写入文件：");
    let expected = home.join("文档").join("2023年12月重大事故隐患清单.xlsx");
    tui.wait_for("2023年12月重大事故隐患清单.xlsx");
    tui.send("\x13");
    tui.wait_for("已写入");
    tui.wait_for("2023年12月重大事故隐患清单");
    assert!(expected.is_file(), "{}", tui.screen());
    // An xlsx the spreadsheet reader opens, titled as the CLI's.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&expected).expect("xlsx");
    let sheet = book.sheet_names().first().cloned().expect("a sheet");
    let range = book.worksheet_range(&sheet).expect("sheet");
    let title = range
        .get_value((0, 0))
        .map(|c| c.to_string())
        .unwrap_or_default();
    assert_eq!(title, "2023年12月重大事故隐患清单");
    // The same bytes as the CLI's, but for the file's own time stamps: same rows.
    let cli_out = tmp.path().join("cli.xlsx");
    ok(
        &data,
        &[
            "report",
            "hazards",
            "--month",
            "2023-12",
            "--format",
            "xlsx",
            "--out",
            cli_out.to_str().expect("path"),
        ],
    );
    let mut cli_book = calamine::open_workbook_auto(&cli_out).expect("xlsx");
    let cli_range = cli_book.worksheet_range(&sheet).expect("sheet");
    assert_eq!(range, cli_range, "the same list as the CLI's");
    tui.send("\x1b");
    tui.wait_gone("统计期间");
    tui.send("\x1b");
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit());
}

#[test]
fn an_activity_is_corrected_from_the_records_behind_its_row() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    ok(
        &data,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ],
    );
    ok(
        &data,
        &[
            "activity",
            "add",
            "--kind",
            "group_study",
            "--on",
            "2023-12-05",
            "--title",
            "学习十五条硬措施",
        ],
    );
    let mut tui = Tui::spawn(&["--data-dir", data.to_str().expect("path")], 40, 120);
    tui.wait_for("新建检查");
    tui.send("r");
    tui.wait_for("进展情况调度表");
    tui.wait_for("A1   ");
    // To the last row (D8), then up to D1.
    for _ in 0..8 {
        tui.send("\x1b[6~");
    }
    tui.send("kkkkkkk");
    tui.send("\r");
    tui.wait_for("D1 计入的记录");
    tui.wait_for("学习十五条硬措施");
    tui.send("c");
    tui.wait_for("更正工作活动");
    tui.send("日期记错，应为12月6日");
    tui.send("\t\t\t");
    tui.wait_for("▶*日期");
    tui.send("\x7f\x7f06\x13");
    tui.wait_for("已更正");
    tui.wait_for("进展情况调度表");
    tui.send("\x1b");
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit());

    let list = ok(&data, &["activity", "list"]);
    assert!(list.contains("已被更正"), "{list}");
    assert!(list.contains("更正记录"), "{list}");
    assert!(list.contains("2023-12-06"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&data, &["activity", "list", "--format", "json"])).expect("json");
    let text = json.to_string();
    assert!(text.contains("更正：日期记错"), "{text}");
    // The table counts the correction, not the original: still one study in D1.
    let explain = ok(
        &data,
        &[
            "report", "explain", "D1", "--month", "2023-12", "--scope", "all",
        ],
    );
    assert!(explain.contains("县（1）：1 条"), "{explain}");
    assert!(
        explain.contains("2023-12-06") && !explain.contains("2023-12-05"),
        "{explain}"
    );
}
