//! The monthly table in the real binary through a pseudo-terminal: an activity logged on the
//! command line shows in the table opened from the home screen, and Enter on its row lists it.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::process::Command;

#[test]
fn the_table_opens_from_home_and_enter_lists_the_records_behind_a_row() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .env_remove("PAICHA_CONFIG_DIR")
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "profile",
        "set",
        "--name",
        "李建山",
        "--cert-no",
        "14010001",
        "--group",
        "energy",
    ]);
    let held = chrono::NaiveDate::from_ymd_opt(2023, 9, 1).expect("day");
    run(&[
        "activity",
        "add",
        "--kind",
        "group_study",
        "--level",
        "town",
        "--on",
        &held.to_string(),
        "--title",
        "学习十五条硬措施",
    ]);
    let mut tui = Tui::spawn(&["--data-dir", data.to_str().expect("path")], 40, 120);
    tui.wait_for("调度表");
    tui.send("r");
    tui.wait_for("进展情况调度表");
    tui.wait_for("能源领域安全");
    tui.wait_for("A1");
    // It opens on the last table due (this month's once past the 28th, in Beijing time)…
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let opened = today.year() * 12 + today.month0() as i32 - i32::from(today.day() < 28);
    // …but never after the campaign's last month (December 2023).
    let opened = opened.min(2023 * 12 + 11);
    let back = opened - (2023 * 12 + 8);
    for _ in 0..back {
        tui.send("\x1b[D");
    }
    tui.wait_for("2023年9月 进展情况调度表");
    tui.wait_for("县 0  镇 1  部门 0");
    // D1 is the 29th row.
    for _ in 0..28 {
        tui.send("j");
    }
    tui.send("\r");
    tui.wait_for("D1 计入的记录");
    tui.wait_for("学习十五条硬措施（镇）");
    tui.send("\x1b");
    // The explanation closes (its footer also says 换统计范围, so wait for its title to go)
    // before the next Esc: two Esc bytes at once read as one Alt-Esc.
    tui.wait_gone("D1 计入的记录");
    tui.wait_for("换统计范围");
    tui.send("\x1b");
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
}
