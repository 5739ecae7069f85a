//! What the bundle-through-the-TUI tests share: the CLI to set a site up, the TUI on a data
//! dir, and a laptop that is its own office with one hazard to send.

use super::pty::Tui;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the CLI on `data`; it must succeed.
pub fn paicha(data: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run paicha");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn open(data: &Path) -> Tui {
    Tui::spawn(&["--data-dir", data.to_str().expect("utf-8 path")], 40, 120)
}

pub fn quit(tui: &mut Tui) {
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
}

/// In `tmp`: a laptop (its own office, 李建山 its clerk and inspector) with a 企业自查 重大
/// hazard at 方山县圪洞加油站, and where the office's data goes. Returns (laptop, office,
/// the laptop-office's anchor fingerprint).
pub fn laptop_with_a_hazard(tmp: &Path) -> (PathBuf, PathBuf, String) {
    let laptop = tmp.join("laptop");
    let office = tmp.join("office");
    let roster = tmp.join("roster.csv");
    std::fs::write(
        &roster,
        "企业名称,统一社会信用代码,乡镇,行业\n方山县圪洞加油站,91350100M000100Y43,圪洞镇,加油站\n",
    )
    .expect("roster");
    paicha(
        &laptop,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ],
    );
    // The device that registers an office-source hazard is an office: its clerk does it.
    paicha(
        &laptop,
        &[
            "office",
            "init",
            "--name",
            "方山县应急管理局",
            "--role",
            "检查人员",
        ],
    );
    let shown = String::from_utf8_lossy(&paicha(&laptop, &["office", "show"]).stdout).into_owned();
    let fingerprint = shown
        .lines()
        .find_map(|l| l.strip_prefix("锚定公钥指纹："))
        .expect("fingerprint")
        .trim()
        .to_string();
    paicha(
        &laptop,
        &["enterprise", "import", roster.to_str().expect("path")],
    );
    paicha(
        &laptop,
        &[
            "hazard",
            "add",
            "--enterprise",
            "91350100M000100Y43",
            "--source",
            "企业自查",
            "--grade",
            "重大",
            "--description",
            "储罐区紧急切断装置失效",
            "--found",
            "2023-09-05",
        ],
    );
    (laptop, office, fingerprint)
}
