//! The 现场照片补充页 from the TUI, with the real binary in a pseudo-terminal: photos attached
//! (through the CLI) to a demo inspection whose on-site record was issued on site; `w` on its
//! read-only view, `p` on the 执法文书 screen writes the page into the chosen folder, with the
//! photo embedded and its note; the on-site record's reprint stays as first issued.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";
const BACKSPACE: &str = "\x7f";

fn paicha(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PAICHA_CONFIG_DIR")
        .env_remove("PAICHA_DATA_DIR")
        .output()
        .expect("run paicha");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The one file in `folder` whose name ends with `-{title}.html`, once written.
fn written(tui: &mut Tui, folder: &Path, title: &str) -> PathBuf {
    let start = Instant::now();
    loop {
        let found = std::fs::read_dir(folder).ok().and_then(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(&format!("-{title}.html")))
        });
        if let Some(path) = found {
            return path;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no {title} written:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn p_on_the_documents_screen_writes_the_photos_added_after_the_record() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let folder = tmp.path().join("文书");
    paicha(&data, &["demo", "--enterprises", "3", "--inspections", "2"]);
    let jpg = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/exif.jpg");
    let list: serde_json::Value =
        serde_json::from_str(&paicha(&data, &["inspection", "list", "--format", "json"]))
            .expect("json");
    // Both finalized inspections get the photo: whichever the viewer opens has it.
    for i in list.as_array().expect("list") {
        let id = i["id"].as_str().expect("id");
        paicha(
            &data,
            &[
                "attachment",
                "add",
                "--to",
                id,
                "--note",
                "回到办公室后导入的现场照片",
                jpg.to_str().expect("path"),
            ],
        );
    }
    let mut tui = Tui::spawn(&["--data-dir", data.to_str().expect("utf-8")], 40, 120);
    tui.wait_for("检查草稿（0 份");
    tui.send("o");
    tui.wait_for("已定稿检查（2 次");
    tui.send(ENTER);
    tui.wait_for("【已定稿·只读】");
    tui.send("w");
    tui.wait_for("保存到：");
    tui.wait_for("p 照片补充页");
    tui.send("d");
    tui.wait_for("文书保存目录");
    tui.send(&BACKSPACE.repeat(300));
    tui.send(folder.to_str().expect("utf-8"));
    tui.send(CTRL_S);
    tui.wait_for("文书将保存到");
    tui.send("p");
    let path = written(&mut tui, &folder, "现场照片补充页");
    tui.wait_for("现场照片补充页（1 份附件）已写入");
    let html = std::fs::read_to_string(&path).expect("file");
    assert!(
        html.contains("data:image/jpeg;base64,"),
        "the photo embedded"
    );
    assert!(html.contains("回到办公室后导入的现场照片"));
    // The on-site record, issued on site before the photo came, still prints without it.
    tui.send(ENTER);
    let record = written(&mut tui, &folder, "现场检查记录");
    tui.wait_for("已按首次出具的内容重印");
    let record = std::fs::read_to_string(&record).expect("record");
    assert!(!record.contains("回到办公室后导入的现场照片"));
    // Back to the viewer, then home (one Esc at a time: two at once read as Alt-Esc).
    tui.send(ESC);
    tui.wait_for("【已定稿·只读】");
    std::thread::sleep(Duration::from_millis(150));
    tui.send(ESC);
    tui.wait_for("检查草稿（0 份");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
}
