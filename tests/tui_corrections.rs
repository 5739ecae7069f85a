//! Issue 16, Deliver 1: a finalized inspection's departure time corrected through the TUI
//! (home `o`, Enter, `t`), the form surviving a kill -9 while typed, and the command line and
//! the on-site record then printing the corrected time, marked as corrected.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::process::Command;

const TAB: &str = "\t";
const BACKSPACE: &str = "\x7f";
const CTRL_S: &str = "\x13";

fn cli(data: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", data])
        .args(args)
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The 16 characters after `label` on the screen (a prefilled time).
fn time_after(screen: &str, label: &str) -> String {
    let at = screen.find(label).expect("label on screen") + label.len();
    screen[at..].chars().take(16).collect()
}

#[test]
fn a_departure_is_corrected_in_the_viewer_and_printed_as_corrected() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8 path").to_string();
    cli(&data, &["demo", "--enterprises", "3", "--inspections", "2"]);

    let mut tui = Tui::spawn(&["--data-dir", &data], 24, 80);
    tui.wait_for("检查草稿（0 份");
    tui.send("o");
    tui.wait_for("已定稿检查（2 次");
    tui.send("\r");
    tui.wait_for("【已定稿·只读】");
    tui.send("t");
    tui.wait_for("更正到达/离开时间");
    tui.wait_for("*离开现场时间：");
    let old = time_after(&tui.screen(), "*离开现场时间：");
    let old_time = chrono::NaiveDateTime::parse_from_str(&old, "%Y-%m-%d %H:%M").expect("time");
    let new = (old_time - chrono::TimeDelta::minutes(7))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    // The departure retyped; leaving the field remembers the form.
    tui.send(TAB);
    tui.send(&BACKSPACE.repeat(16));
    tui.wait_gone(&old);
    tui.send(&new);
    tui.wait_for(&new);
    tui.send(TAB);
    tui.wait_for("写明哪里记错了");
    tui.kill9();

    // Reopened: the viewer with the form as it was left.
    let mut tui = Tui::spawn(&["--data-dir", &data], 24, 80);
    tui.wait_for("更正到达/离开时间");
    tui.wait_for(&format!("*离开现场时间：{new}"));
    tui.send("按执法记录仪");
    tui.send(CTRL_S);
    tui.wait_for("已更正检查时间");
    tui.wait_for("（已更正）");
    tui.send("\x1b");
    tui.wait_for("检查草稿（0 份");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    // The command line shows the time in force, marked; the signed record is unchanged.
    let list: serde_json::Value =
        serde_json::from_str(&cli(&data, &["inspection", "list", "--format", "json"]))
            .expect("json");
    let corrected: Vec<(String, serde_json::Value)> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .map(|id| {
            let shown = cli(&data, &["inspection", "show", id]);
            let value: serde_json::Value = serde_json::from_str(&shown).expect("json");
            (id.to_string(), value)
        })
        .filter(|(_, shown)| shown["visit"]["corrected"] == true)
        .collect();
    assert_eq!(corrected.len(), 1, "one inspection corrected");
    let (id, shown) = &corrected[0];
    assert_eq!(shown["visit"]["departed_at"], new.as_str());
    assert_eq!(shown["time_corrections"][0]["reason"], "按执法记录仪");
    let out = dir.path().join("onsite.html");
    cli(
        &data,
        &[
            "doc",
            "onsite",
            "--inspection",
            id,
            "--out",
            out.to_str().expect("path"),
        ],
    );
    let html = std::fs::read_to_string(&out).expect("html");
    let printed = chrono::NaiveDateTime::parse_from_str(&new, "%Y-%m-%d %H:%M")
        .expect("time")
        .format("%H时%M分")
        .to_string();
    assert!(html.contains(&format!("{printed}（已更正）")), "{html}");
}
