//! Bundles from the TUI through a pseudo-terminal with the real binary: a laptop exports from
//! its home screen; the office imports, sees what the bundle adds (a dry run) and confirms;
//! the hazard is then in the office's ledger.

#[path = "support/exchange.rs"]
mod exchange;
#[path = "support/pty.rs"]
mod pty;

use exchange::{laptop_with_a_hazard, open, paicha, quit};
use std::time::Duration;

const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";
const BACKSPACE: &str = "\x7f";

#[test]
fn a_laptop_exports_from_home_and_the_office_imports_after_seeing_the_findings() {
    let tmp = tempfile::tempdir().expect("dir");
    let (laptop, office, fingerprint) = laptop_with_a_hazard(tmp.path());
    let bundle = tmp.path().join("李建山-0915.paicha");
    let bundle_text = bundle.to_str().expect("path");

    let mut tui = open(&laptop);
    tui.wait_for("交换数据：按 e 导出数据包");
    tui.send("e");
    tui.wait_for("导出内容");
    tui.send(&BACKSPACE.repeat(400));
    tui.send(bundle_text);
    tui.send(CTRL_S);
    tui.wait_for("已导出到");
    tui.wait_for("隐患 1");
    assert!(bundle.is_file(), "the bundle is on disk");
    tui.send(ENTER);
    tui.wait_for("交换数据");
    quit(&mut tui);

    let mut tui = open(&office);
    tui.wait_for("首页");
    tui.send("i");
    tui.wait_for("导入数据包");
    tui.send(bundle_text);
    tui.send(CTRL_S);
    // The receiver trusts no office yet: it shows the fingerprint to compare, and n cancels.
    tui.wait_for("还没有信任任何办公室");
    tui.wait_for(&fingerprint);
    tui.send("n");
    tui.wait_for("请与办公室核对指纹后再导入");
    tui.send("i");
    tui.wait_for("导入数据包");
    tui.send(bundle_text);
    tui.send(CTRL_S);
    tui.wait_for(&fingerprint);
    tui.send("y");
    tui.wait_for("已通过全部校验");
    tui.wait_for("登记公钥：李建山");
    tui.wait_for("办公室人员名册：新增");
    // Nothing is written before the confirmation.
    let listed = paicha(&office, &["ledger", "--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "[]");
    tui.send(ENTER);
    tui.wait_for("已导入");
    std::thread::sleep(Duration::from_millis(100));
    tui.send(ENTER);
    tui.wait_for("首页");
    quit(&mut tui);
    let listed = paicha(&office, &["ledger", "--format", "json"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("储罐区紧急切断装置失效"),
        "the hazard is in the office's ledger"
    );
}
