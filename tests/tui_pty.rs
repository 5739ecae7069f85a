//! The TUI in a real pseudo-terminal: it opens on an empty data dir, says what to do next,
//! quits cleanly on `q` restoring the terminal, and a second window on the same data is refused.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::process::Command;

#[test]
fn opens_on_an_empty_data_dir_and_quits_cleanly() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let data = data.to_str().expect("utf8 path");
    let mut tui = Tui::spawn(&["--data-dir", data], 24, 80);
    tui.wait_for("退出");
    let screen = tui.screen();
    assert!(screen.contains("已登记企业 0 家"), "{screen}");
    assert!(screen.contains("按 E 导入企业名册"), "{screen}");
    assert!(
        tui.parser.screen().alternate_screen(),
        "runs in the alternate screen"
    );
    tui.send("q");
    assert!(tui.wait_exit(), "exit status 0");
    assert!(!tui.parser.screen().alternate_screen(), "terminal restored");
    assert!(std::path::Path::new(data).join("paicha.db").exists());
}

#[test]
fn a_second_window_on_the_same_data_is_refused_clearly() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let data = data.to_str().expect("utf8 path");
    let mut first = Tui::spawn(&["--data-dir", data], 24, 80);
    first.wait_for("退出");
    let second = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", data])
        .output()
        .expect("run second");
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("正被另一个 paicha 窗口使用"), "{err}");
    // The command line keeps working beside the open window (SQLite WAL, busy timeout).
    let list = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", data, "enterprise", "list", "--format", "json"])
        .output()
        .expect("run list");
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    first.send("q");
    assert!(first.wait_exit());
}

#[test]
fn without_a_terminal_it_says_so_in_chinese_instead_of_panicking() {
    let tmp = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(tmp.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("需要在终端窗口中运行"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Without PAICHA_GRAPHICS the terminal (which here, like the classic Windows console, never
/// answers graphics queries) is not asked: the first key pressed on the first frame acts.
#[test]
fn the_first_key_on_the_first_frame_acts_when_graphics_are_not_chosen() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let data = data.to_str().expect("utf8 path");
    let mut tui = Tui::spawn_with_env(&["--data-dir", data], 24, 80, &[("PAICHA_GRAPHICS", "")]);
    tui.wait_for("退出");
    tui.send("q");
    assert!(tui.wait_exit(), "the very first q quits");
}
