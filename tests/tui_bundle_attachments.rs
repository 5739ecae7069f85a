//! Issue 17, phase 2, through a pseudo-terminal with the real binary: a photo attached to a
//! hazard on the laptop travels in the bundle exported from the home screen; the office's
//! preview lists it, and after the confirmation the office holds the record and the very
//! same bytes.

#[path = "support/exchange.rs"]
mod exchange;
#[path = "support/pty.rs"]
mod pty;

use exchange::{laptop_with_a_hazard, open, paicha, quit};
use std::path::Path;
use std::time::Duration;

const PHOTO: &str = "tests/fixtures/media/exif.jpg";

const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";
const BACKSPACE: &str = "\x7f";

#[test]
fn a_photo_travels_laptop_to_office_in_the_bundle_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("dir");
    let (laptop, office, fingerprint) = laptop_with_a_hazard(tmp.path());
    let ledger: serde_json::Value =
        serde_json::from_slice(&paicha(&laptop, &["ledger", "--format", "json"]).stdout)
            .expect("json");
    let hazard = ledger[0]["id"].as_str().expect("hazard id").to_string();
    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join(PHOTO);
    paicha(
        &laptop,
        &[
            "attachment",
            "add",
            "--to",
            &hazard,
            "--role",
            "整改前",
            photo.to_str().expect("path"),
        ],
    );
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
    tui.wait_for("附件 1");
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
    tui.wait_for("附件 1");
    // Nothing is written before the confirmation.
    let listed = paicha(&office, &["ledger", "--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "[]");
    let stored_files = || {
        std::fs::read_dir(office.join("attachments"))
            .map(|d| d.flatten().filter(|e| e.path().is_file()).count())
            .unwrap_or(0)
    };
    assert_eq!(stored_files(), 0, "the preview stores no file");
    tui.send(ENTER);
    tui.wait_for("已导入");
    std::thread::sleep(Duration::from_millis(100));
    tui.send(ENTER);
    tui.wait_for("首页");
    quit(&mut tui);
    let listed: serde_json::Value = serde_json::from_slice(
        &paicha(
            &office,
            &["attachment", "list", "--of", &hazard, "--format", "json"],
        )
        .stdout,
    )
    .expect("json");
    let sha = listed[0]["sha256"].as_str().expect("one attachment");
    assert_eq!(
        std::fs::read(office.join("attachments").join(sha)).expect("stored at the office"),
        std::fs::read(&photo).expect("photo"),
        "byte for byte"
    );
}
