//! Issue 18: a backup from the TUI with keys only. On demo data the home screen reminds that
//! nothing was backed up; `b` opens the dialog, the passphrase is typed twice (never shown), a
//! file on the "USB stick" is written and checked, the reminder goes, and the command line
//! restores that file with the same passphrase.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::process::Command;

fn cli(data: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", data])
        .args(args)
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run")
}

#[test]
fn a_backup_made_with_keys_only_restores_on_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8").to_string();
    assert!(
        cli(&data, &["demo", "--enterprises", "3", "--inspections", "2"])
            .status
            .success()
    );
    let usb = dir.path().join("U 盘");
    std::fs::create_dir(&usb).expect("usb");
    let file = usb.join("今天的备份.age");

    let mut tui = Tui::spawn(&["--data-dir", &data], 30, 100);
    tui.wait_for("尚未备份或导出");
    tui.send("b");
    tui.wait_for("备份本机全部记录和附件");
    // The file: up to the path field, its text replaced by our own.
    tui.send("\x1b[A");
    for _ in 0..200 {
        tui.send("\x7f");
    }
    tui.send(file.to_str().expect("utf-8"));
    tui.send("\r");
    tui.send("县局备份口令2026");
    tui.send("\r");
    tui.send("县局备份口令2026");
    assert!(!tui.screen().contains("县局备份口令"), "never shown");
    tui.send("\r");
    tui.wait_for("备份完成");
    tui.wait_for("已备份并校验");
    tui.send("\x1b");
    tui.wait_gone("备份完成");
    tui.wait_gone("尚未备份或导出");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, "县局备份口令2026\n").expect("pass");
    let restored = dir.path().join("restored");
    let out = cli(
        restored.to_str().expect("utf-8"),
        &[
            "restore",
            file.to_str().expect("utf-8"),
            "--passphrase-file",
            pass.to_str().expect("utf-8"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = |d: &str| cli(d, &["inspection", "list", "--format", "json"]).stdout;
    assert_eq!(list(restored.to_str().expect("utf-8")), list(&data));
}
