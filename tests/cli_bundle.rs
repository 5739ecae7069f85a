//! Bundles through the real binary: export, dry run, import, the log, a refusal with its
//! Chinese message and exit code, and the public key.

#[path = "support/cli.rs"]
mod cli;

use cli::*;

#[test]
fn export_dry_run_import_log_and_a_refusal_through_the_command_line() {
    let tmp = tempfile::tempdir().expect("dir");
    let laptop = tmp.path().join("laptop");
    let office = tmp.path().join("office");
    let roster = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    assert!(
        paicha(
            &laptop,
            &[
                "profile",
                "set",
                "--name",
                "李建山",
                "--cert-no",
                "14010001"
            ]
        )
        .status
        .success()
    );
    assert!(
        paicha(&laptop, &["enterprise", "import", &roster])
            .status
            .success()
    );
    let out = paicha(
        &laptop,
        &[
            "hazard",
            "add",
            "--enterprise",
            "91110000802100433B",
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
    assert!(out.status.success(), "{}", stderr(&out));

    let keys = paicha(&laptop, &["keys"]);
    assert!(keys.status.success(), "{}", stderr(&keys));
    let key_line = stdout(&keys);
    assert!(
        key_line.contains("李建山") && key_line.contains("公钥"),
        "{key_line}"
    );

    let bundle = tmp.path().join("a.paicha");
    let bundle_arg = bundle.to_str().expect("path");
    let out = paicha(&laptop, &["export", "--out", bundle_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("已导出到") && said.contains("隐患 1"),
        "{said}"
    );
    assert!(
        said.contains("范围：全部"),
        "first export to this file: {said}"
    );
    let out = paicha(&laptop, &["export", "--out", bundle_arg]);
    let said = stdout(&out);
    assert!(
        !said.contains("隐患 1"),
        "nothing new since the last export: {said}"
    );
    assert!(said.contains("以来"), "{said}");
    let out = paicha(&laptop, &["export", "--out", bundle_arg, "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = paicha(&office, &["import", "--dry-run", bundle_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("试运行（未写入）") && said.contains("隐患 1"),
        "{said}"
    );
    let listed = paicha(&office, &["ledger", "--format", "json"]);
    assert_eq!(stdout(&listed).trim(), "[]", "a dry run writes nothing");

    let out = paicha(&office, &["import", bundle_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("已导入") && said.contains("首次登记公钥：李建山"),
        "{said}"
    );
    let listed = paicha(&office, &["ledger", "--format", "json"]);
    assert!(stdout(&listed).contains("储罐区紧急切断装置失效"));

    let broken = write(tmp.path(), "broken.paicha", b"PK\x03\x04 broken");
    let out = paicha(&office, &["import", &broken]);
    assert!(!out.status.success(), "a refusal fails the command");
    let err = stderr(&out);
    assert!(
        err.contains("已拒绝") && err.contains("不是完整的 paicha 数据包"),
        "{err}"
    );

    let log = stdout(&paicha(&office, &["import", "--log"]));
    assert!(log.contains("applied") && log.contains("a.paicha"), "{log}");
    assert!(
        log.contains("refused") && log.contains("broken.paicha"),
        "{log}"
    );
}
