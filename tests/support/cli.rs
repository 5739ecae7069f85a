//! Running the real `paicha` binary from tests, and roster fixtures.
#![allow(dead_code)] // each test file uses some of these

use std::path::Path;
use std::process::{Command, Output};

/// Runs the CLI on `data_dir` with the built-in configuration (neither a data nor a config
/// dir from the caller's environment), stdin closed, output captured.
pub fn paicha(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("PAICHA_DATA_DIR")
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run paicha")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path.to_string_lossy().into_owned()
}

pub const GOOD: &str = "企业名称,统一社会信用代码,地址,乡镇,行业,主要负责人,联系电话,风险等级\n\
方山县圪洞加油站,91350100M000100Y43,圪洞镇北街1号,圪洞镇,加油站,王五,0358-6021234,较大风险\n\
方山县粮食储备库,914403001922038216,峪口镇,峪口镇,粮食仓储,赵六,13800138000,一般\n\
方山县燃气有限公司,91110000802100433B,城关,圪洞镇,城镇燃气,钱七,0358-6029999,重大\n";

pub fn listed_json(data: &Path) -> serde_json::Value {
    let out = paicha(data, &["enterprise", "list", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A valid credit code made from a number.
pub fn code(n: usize) -> String {
    paicha::domain::CreditCode::from_body(&format!("91140000{n:09}"))
        .expect("generated code")
        .to_string()
}
