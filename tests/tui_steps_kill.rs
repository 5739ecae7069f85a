//! Nothing typed is lost in the ledger's step forms and the documents screen's issue form: the
//! real binary in a pseudo-terminal is killed with SIGKILL in the middle of a form, started
//! again, and opens on the same screen with the same form and what had been typed (all but
//! the field being typed); the form then saves, and the CLI reads back what was saved.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pty.rs"]
mod pty;

use cli::*;
use pty::Tui;
use std::path::Path;
use std::time::Duration;

const ENTER: &str = "\r";
const TAB: &str = "\t";
const CTRL_S: &str = "\x13";
const ESC: &str = "\x1b";

fn ok(data: &Path, args: &[&str]) -> String {
    let out = paicha(data, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Esc is also the start of escape sequences: give the app a moment to see it alone.
fn escape(tui: &mut Tui) {
    tui.send(ESC);
    std::thread::sleep(Duration::from_millis(150));
}

#[test]
fn a_step_form_killed_half_typed_reopens_on_its_hazard_with_what_was_typed() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let roster = write(tmp.path(), "roster.csv", GOOD.as_bytes());
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
    // A public report registered without its five fixes: 登记, z needs all five.
    ok(
        &data,
        &[
            "hazard",
            "add",
            "--enterprise",
            "91110000802100433B",
            "--grade",
            "一般",
            "--source",
            "群众举报",
            "--description",
            "餐饮用户使用可调式减压阀",
            "--found",
            "2023-09-05",
        ],
    );
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&data, &["ledger", "--format", "json"])).expect("json");
    let id = listed[0]["id"]
        .as_str()
        .expect("the hazard's id")
        .to_string();

    let args = ["--data-dir", data.to_str().expect("path")];
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("新建检查");
    tui.send("l");
    tui.wait_for("餐饮用户使用");
    tui.send(ENTER);
    tui.wait_for("办理记录");
    tui.send("z");
    tui.wait_for("进入整改中（五落实）");
    // Two fields typed and left; the third being typed when the power goes.
    tui.send("2030-10-01");
    tui.send(TAB);
    tui.send("钱七");
    tui.send(TAB);
    tui.wait_for("▶*整改措施");
    tui.send("更换减压");
    tui.kill9();

    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("进入整改中（五落实）");
    tui.wait_for("2030-10-01");
    tui.wait_for("钱七");
    tui.wait_for("▶*整改措施");
    // On the ledger, the form naming its hazard.
    tui.wait_for("隐患台账");
    tui.wait_for("进入整改中（五落实） · [一般] 餐饮用户使用可调式减压阀");
    let screen = tui.screen();
    assert!(
        !screen.contains("更换减压"),
        "the field being typed is the one lost"
    );
    tui.send("更换减压阀");
    tui.send(TAB);
    tui.send("0.1万元");
    tui.send(TAB);
    tui.send("停止供气");
    tui.send(CTRL_S);
    tui.wait_for("已办理");
    tui.wait_gone("进入整改中（五落实）");
    escape(&mut tui);
    tui.wait_gone("办理记录");
    escape(&mut tui);
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let shown: serde_json::Value =
        serde_json::from_str(&ok(&data, &["ledger", "show", &id])).expect("json");
    assert_eq!(shown["stage"], "rectifying", "{shown}");
    assert_eq!(shown["deadline"], "2030-10-01", "{shown}");
    let text = shown["events"].to_string();
    for typed in ["钱七", "更换减压阀", "停止供气"] {
        assert!(text.contains(typed), "{typed}: {text}");
    }
    // Nothing left to reopen.
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("新建检查");
    assert!(!tui.screen().contains("进入整改中（五落实）"));
    tui.send("q");
    assert!(tui.wait_exit());
}

#[test]
fn a_measures_decision_killed_half_typed_reopens_on_the_documents_screen() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let folder = tmp.path().join("文书");
    ok(&data, &["demo", "--enterprises", "3", "--inspections", "2"]);
    let args = ["--data-dir", data.to_str().expect("path")];
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("检查草稿（0 份");
    tui.send("o");
    tui.wait_for("已定稿检查（2 次");
    tui.send(ENTER);
    tui.wait_for("【已定稿·只读】");
    tui.send("w");
    tui.wait_for("现场处理措施决定书");
    // Files go to the test's own folder.
    tui.send("d");
    tui.wait_for("文书保存目录");
    tui.send(&"\x7f".repeat(300));
    tui.send(folder.to_str().expect("path"));
    tui.send(CTRL_S);
    tui.wait_for("文书将保存到");
    // The measures decision is the last row.
    tui.send("jjjj");
    tui.send(ENTER);
    tui.wait_for("出具《现场处理措施决定书》");
    // 出具时间, 指定时间, then 危险情况 typed and left; 暂时停产停业 set and left.
    tui.send(TAB);
    tui.send(TAB);
    tui.send("卸油区油气浓度超标");
    tui.send(TAB);
    tui.send(TAB);
    tui.wait_for("▶*暂时停产停业");
    tui.send(" ");
    tui.send(TAB);
    tui.wait_for("▶*停止使用相关设施、设备");
    tui.kill9();

    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("出具《现场处理措施决定书》");
    tui.wait_for("卸油区油气浓度超标");
    tui.wait_for("暂时停产停业：‹ 是 ›");
    tui.wait_for("▶*停止使用相关设施、设备");
    tui.send(TAB);
    tui.send("卸油区及油罐区");
    tui.send(CTRL_S);
    tui.wait_for("已出具");
    tui.wait_gone("出具《现场处理措施决定书》");
    let written: Vec<_> = std::fs::read_dir(&folder)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("-现场处理措施决定书.html"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let html = std::fs::read_to_string(&written[0]).expect("file");
    for typed in ["卸油区油气浓度超标", "卸油区及油罐区", "暂时停产停业"] {
        assert!(html.contains(typed), "{typed}");
    }
    // Esc: back to the finalized inspection the screen was opened from, then home.
    escape(&mut tui);
    tui.wait_for("【已定稿·只读】");
    escape(&mut tui);
    tui.wait_for("检查草稿（0 份");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
    // Nothing left to reopen.
    let mut tui = Tui::spawn(&args, 40, 120);
    tui.wait_for("检查草稿（0 份");
    assert!(!tui.screen().contains("现场处理措施决定书"));
    tui.send("q");
    assert!(tui.wait_exit());
}
