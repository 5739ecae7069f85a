//! A photo attached in the TUI to one step of a hazard's closed loop: on the hazard's detail
//! ↓ selects the step, `i` opens the browser on it, Tab marks the photo 整改后, Enter attaches;
//! the detail then counts it, and the store holds it as a hazard event's attachment.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pty.rs"]
mod pty;

use cli::*;
use pty::Tui;

fn json(data: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = paicha(data, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_photo_attached_to_a_selected_step_is_stored_on_that_hazard_event() {
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
        "一般",
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
    let hazard = json(&data, &["ledger", "--format", "json"])[0]["id"]
        .as_str()
        .expect("hazard")
        .to_string();
    ok(&["hazard", "step", &hazard, "rectify"]);
    let shown = json(&data, &["ledger", "show", &hazard]);
    let events = shown["events"].as_array().expect("events");
    let last = events.len();
    let event = events[last - 1]["id"].as_str().expect("event").to_string();

    let home = tmp.path().join("home");
    let photos = home.join("整改照片");
    std::fs::create_dir_all(&photos).expect("mkdir");
    image::RgbImage::from_fn(64, 48, |x, _| image::Rgb([(x * 4) as u8, 120, 40]))
        .save_with_format(photos.join("减压阀.jpg"), image::ImageFormat::Jpeg)
        .expect("jpeg");
    let home_s = home.to_str().expect("utf-8");
    let mut tui = Tui::spawn_with_env(
        &["--data-dir", data.to_str().expect("path")],
        40,
        120,
        &[("HOME", home_s), ("XDG_CONFIG_HOME", home_s)],
    );
    tui.wait_for("新建检查");
    tui.send("l");
    tui.wait_for("餐饮用户使用");
    tui.send("\r");
    tui.wait_for("办理记录（↑↓ 选择");
    // Down to the last step (进入整改中), the one taken above.
    for _ in 0..last {
        tui.send("\x1b[B");
    }
    tui.send("i");
    tui.wait_for("添加附件到：办理记录");
    tui.wait_for("整改照片/");
    tui.send("\t");
    tui.send("\t");
    tui.wait_for("整改后，Tab 切换");
    tui.send("\r");
    tui.wait_for("减压阀.jpg");
    tui.send("\r");
    tui.wait_for("已添加 1 个附件到办理记录");
    // The detail was read again: the header and the step's row count the photo.
    tui.wait_for("附件：1 个（整改后 1）");
    tui.wait_for("附件 1");
    tui.send("\x1b");
    tui.wait_gone("办理记录");
    tui.send("\x1b");
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let listed = json(
        &data,
        &["attachment", "list", "--of", &event, "--format", "json"],
    );
    let listed = listed.as_array().expect("array");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["target_kind"], "hazard_event");
    assert_eq!(listed[0]["role"], "after");
    assert_eq!(listed[0]["file_name"], "减压阀.jpg");
    let on_hazard = json(
        &data,
        &["attachment", "list", "--of", &hazard, "--format", "json"],
    );
    assert_eq!(on_hazard.as_array().map(Vec::len), Some(0), "{on_hazard}");
}
