//! The aarch64 Linux release build (from `cargo xtask dist`) runs under qemu-aarch64: version,
//! demo data, a report to .xlsx. Skipped without PAICHA_DIST_DIR (see support/dist.rs).

#[path = "support/dist.rs"]
mod dist;

use dist::*;
use std::path::Path;
use std::process::{Command, Output};

/// Where Debian's libc6-arm64-cross puts the aarch64 dynamic loader and libc.
const SYSROOT: &str = "/usr/aarch64-linux-gnu";

fn qemu(program: &str, binary: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .arg("-L")
        .arg(SYSROOT)
        .arg(binary)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PAICHA_DATA_DIR")
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run qemu")
}

#[test]
fn arm64_build_runs_demo_and_report_under_qemu() {
    let Some(top) = unpacked("aarch64-unknown-linux-gnu") else {
        return;
    };
    let program = require_program(&["qemu-aarch64", "qemu-aarch64-static"]);
    let binary = top.join("paicha");
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("数据 目录");
    let ok = |args: &[&str]| {
        let out = qemu(&program, &binary, &data, args);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
        stdout
    };

    assert_eq!(
        ok(&["--version"]).trim(),
        format!("paicha {}", version_of(&top))
    );
    let said = ok(&["demo", "--enterprises", "5", "--inspections", "4"]);
    assert!(
        said.contains("已载入演示数据：企业 5 家、检查 4 次"),
        "{said}"
    );
    assert!(json_len(&ok(&["ledger", "--format", "json"])) > 0);

    let report = tmp.path().join("报表 2023年9月.xlsx");
    let out = report.to_str().expect("utf-8 path");
    ok(&[
        "report", "monthly", "--month", "2023-09", "--format", "xlsx", "--out", out,
    ]);
    let cells = xlsx_strings(&report);
    assert!(cells.iter().any(|c| c.contains("调度表")), "{cells:?}");
}
