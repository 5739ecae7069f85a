//! Issue 17, phase 3: photos attached through the TUI. On demo data a finalized inspection
//! is opened, `i` opens the file browser (on the home folder: no folder used yet, no
//! Pictures or Documents), Enter goes into a folder, `A` marks both files, Enter attaches
//! (in the background), the browser opened again lists them with `v`, and the command line
//! lists them.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::process::Command;

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

#[test]
fn two_photos_are_browsed_marked_and_attached_to_a_finalized_inspection() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path").to_string();
    cli(&data, &["demo", "--enterprises", "3", "--inspections", "2"]);
    let home = dir.path().join("home");
    let photos = home.join("现场照片");
    std::fs::create_dir_all(&photos).expect("mkdir");
    let picture = image::RgbImage::from_fn(320, 240, |x, _| {
        image::Rgb(if x < 160 {
            [220, 30, 30]
        } else {
            [30, 30, 220]
        })
    });
    picture
        .save_with_format(photos.join("配电箱.jpg"), image::ImageFormat::Jpeg)
        .expect("jpeg");
    picture
        .save_with_format(photos.join("灭火器.png"), image::ImageFormat::Png)
        .expect("png");
    // Not a photo whatever its name: not listed.
    std::fs::write(photos.join("说明.jpg"), b"plain text").expect("w");
    let home_s = home.to_str().expect("utf-8");
    let mut tui = Tui::spawn_with_env(
        &["--data-dir", &data],
        24,
        80,
        &[("HOME", home_s), ("XDG_CONFIG_HOME", home_s)],
    );
    tui.wait_for("检查草稿（0 份");
    tui.send("o");
    tui.wait_for("已定稿检查（2 次");
    tui.send("\r");
    tui.wait_for("【已定稿·只读】");
    tui.wait_for("i 附件");
    tui.send("i");
    tui.wait_for("添加附件到：检查项");
    tui.wait_for("现场照片/");
    tui.send("\r");
    tui.wait_for("灭火器.png");
    tui.wait_for("另有 1 个文件不是支持的类型");
    // The preview of the selected photo is made in the background, then drawn.
    tui.wait_gone("正在生成预览");
    assert!(!tui.screen().contains("无法解码"), "{}", tui.screen());
    tui.send("A");
    tui.wait_for("已标记 2 个");
    tui.send("\r");
    tui.wait_for("已添加 2 个附件");
    tui.wait_for("附件 2");
    // Opened again: it knows what the item has, and `v` lists those stored copies, the
    // selected one previewed from the store (found by its hash).
    tui.send("i");
    tui.wait_for("已附 2 个（v 查看）");
    tui.send("v");
    tui.wait_for("已附 2 个文件（原样保存");
    tui.wait_for("添加 ·");
    tui.wait_gone("正在生成预览");
    assert!(!tui.screen().contains("无法"), "{}", tui.screen());
    tui.send("v");
    tui.wait_for("文件夹：");
    tui.send("\x1b");
    tui.wait_gone("添加附件到");
    tui.send("\x1b");
    tui.wait_for("检查草稿（0 份");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let list: serde_json::Value =
        serde_json::from_str(&cli(&data, &["inspection", "list", "--format", "json"]))
            .expect("json");
    let mut names = Vec::new();
    for id in list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["id"].as_str())
    {
        let listed: serde_json::Value = serde_json::from_str(&cli(
            &data,
            &["attachment", "list", "--of", id, "--format", "json"],
        ))
        .expect("json");
        for a in listed.as_array().expect("array") {
            names.push(a["file_name"].as_str().unwrap_or_default().to_string());
        }
    }
    names.sort();
    assert_eq!(names, ["灭火器.png", "配电箱.jpg"]);
}
