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
    // The device that records an office-source hazard is an office (its clerk registers it).
    let init = paicha(
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
    assert!(init.status.success(), "{}", stderr(&init));
    let shown = stdout(&paicha(&laptop, &["office", "show"]));
    let fingerprint = shown
        .lines()
        .find_map(|l| l.strip_prefix("锚定公钥指纹："))
        .expect("fingerprint shown")
        .trim()
        .to_string();
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

    // The receiver trusts no office yet: it must be told the fingerprint read at the office.
    let out = paicha(&office, &["import", "--dry-run", bundle_arg]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&fingerprint) && err.contains("--office-fingerprint"),
        "{err}"
    );
    let out = paicha(
        &office,
        &[
            "import",
            "--dry-run",
            "--office-fingerprint",
            &fingerprint,
            bundle_arg,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("试运行（未写入）") && said.contains("隐患 1"),
        "{said}"
    );
    let listed = paicha(&office, &["ledger", "--format", "json"]);
    assert_eq!(stdout(&listed).trim(), "[]", "a dry run writes nothing");

    let out = paicha(
        &office,
        &["import", "--office-fingerprint", &fingerprint, bundle_arg],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("已导入")
            && said.contains("登记公钥：李建山")
            && said.contains("办公室名册已登记")
            && said.contains("办公室人员名册：新增"),
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
