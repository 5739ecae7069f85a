//! `paicha backup` / `paicha restore` from the command line: a demo data dir backed up with a
//! passphrase file and restored into a new folder lists the same inspections and ledger; with
//! no terminal and no passphrase file, or into a folder in use, nothing happens and it says why.

use std::process::Output;

#[path = "support/cli.rs"]
mod cli;
use cli::paicha;

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_demo_data_dir_is_backed_up_and_restored_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("原来的 数据");
    ok(paicha(
        &source,
        &["demo", "--enterprises", "4", "--inspections", "6"],
    ));
    let pass = dir.path().join("口令.txt");
    std::fs::write(&pass, "县局备份口令2026\n").expect("pass");
    let usb = dir.path().join("U 盘");
    std::fs::create_dir(&usb).expect("usb");
    let file = usb.join("paicha 备份.age");
    let said = ok(paicha(
        &source,
        &[
            "backup",
            "--out",
            file.to_str().expect("utf-8"),
            "--passphrase-file",
            pass.to_str().expect("utf-8"),
        ],
    ));
    assert!(said.contains("已备份并校验"), "{said}");
    assert!(said.contains("没有私钥"), "{said}");

    let restored = dir.path().join("新电脑");
    let said = ok(paicha(
        &restored,
        &[
            "restore",
            file.to_str().expect("utf-8"),
            "--passphrase-file",
            pass.to_str().expect("utf-8"),
        ],
    ));
    assert!(said.contains("新的设备标识"), "{said}");
    for listing in [
        &["inspection", "list", "--format", "json"][..],
        &["ledger", "--format", "json"][..],
    ] {
        assert_eq!(
            ok(paicha(&restored, listing)),
            ok(paicha(&source, listing)),
            "{listing:?}"
        );
    }

    // No terminal to type a passphrase on, and no file: refused, nothing written.
    let again = dir.path().join("第二次");
    let out = paicha(&again, &["restore", file.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--passphrase-file"));
    assert!(!again.exists());
    // A folder in use is never restored over.
    let out = paicha(
        &source,
        &[
            "restore",
            file.to_str().expect("utf-8"),
            "--passphrase-file",
            pass.to_str().expect("utf-8"),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是空的"));
}
