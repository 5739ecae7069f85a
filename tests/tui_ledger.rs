//! The ledger in the real binary through a pseudo-terminal: a step the hazard is not ready for
//! is refused on its key — the message names the key to press first — and no form opens, so
//! nothing is typed in vain.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pty.rs"]
mod pty;

use cli::*;
use pty::Tui;

#[test]
fn closing_out_a_registered_hazard_is_refused_on_x_before_any_form() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let roster = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    let ok = |args: &[&str]| {
        let out = paicha(&data, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    ok(&["enterprise", "import", &roster]);
    ok(&[
        "profile",
        "set",
        "--name",
        "李建山",
        "--cert-no",
        "14010001",
    ]);
    // The office's clerk (also an inspector) enters a public report.
    ok(&[
        "office",
        "init",
        "--name",
        "方山县应急管理局",
        "--role",
        "检查人员",
    ]);
    ok(&[
        "hazard",
        "add",
        "--enterprise",
        "91110000802100433B",
        "--grade",
        "重大",
        "--source",
        "群众举报",
        "--description",
        "餐饮用户使用可调式减压阀",
        "--found",
        "2023-09-05",
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

    let mut tui = Tui::spawn(&["--data-dir", data.to_str().expect("path")], 40, 120);
    tui.wait_for("新建检查");
    tui.send("l");
    tui.wait_for("餐饮用户使用");
    // The overdue days are shown whole, however many (over a thousand by now).
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let deadline = chrono::NaiveDate::from_ymd_opt(2023, 9, 15).expect("day");
    let days = (deadline - today).num_days();
    tui.wait_for(&format!("2023-09-15 {days} "));
    tui.send("\r");
    tui.wait_for("办理记录");
    tui.send("x");
    tui.wait_for(
        "隐患在“登记”：先按 z 进入整改中，再按 b 报告整改完成，再按 y 复查验收，然后才能销号",
    );
    let screen = tui.screen();
    assert!(
        !screen.contains("签字确认的县分管领导") && screen.contains("办理记录"),
        "no form opened, the detail stays:\n{screen}"
    );
    // The step that comes first opens its form.
    tui.send("z");
    tui.wait_for("进入整改中（五落实）");
    tui.wait_for("留空：沿用已登记的“2023-09-15”");
    tui.send("\x1b");
    tui.wait_gone("进入整改中（五落实）");
    tui.send("\x1b");
    tui.wait_gone("办理记录");
    // Home/End on the list.
    tui.send("\x1b[F");
    tui.send("\x1b[H");
    tui.wait_for("隐患台账");
    tui.send("\x1b");
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
}
