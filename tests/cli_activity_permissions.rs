//! `paicha activity add` applies the county's permission table from `rules.toml`, as the other
//! record commands do (it used to apply the shipped one whatever the county configured).

use std::path::Path;
use std::process::Command;

fn paicha(data: &Path, config: Option<&Path>, args: &[&str]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paicha"));
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("PAICHA_CONFIG_DIR");
    if let Some(c) = config {
        cmd.arg("--config-dir").arg(c);
    }
    let out = cmd.args(args).output().expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_county_that_keeps_activities_to_leaders_refuses_an_inspectors_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let config = dir.path().join("config");
    let (ok, err) = paicha(
        &data,
        None,
        &["config", "export", config.to_str().expect("utf-8")],
    );
    assert!(ok, "{err}");
    let rules = config.join("rules.toml");
    let text = std::fs::read_to_string(&rules).expect("rules");
    let narrowed = text.replace(
        "record = [\"inspector\", \"group_leader\", \"close_out_leader\", \"clerk\"]",
        "record = [\"close_out_leader\"]",
    );
    assert_ne!(narrowed, text, "the shipped table names record");
    std::fs::write(&rules, narrowed).expect("write");
    for args in [
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ][..],
        &["office", "init", "--name", "方山县应急管理局"][..],
    ] {
        let (ok, err) = paicha(&data, Some(&config), args);
        assert!(ok, "{args:?}: {err}");
    }
    let add = [
        "activity",
        "add",
        "--kind",
        "专题学习十五条硬措施",
        "--level",
        "镇",
        "--on",
        "2023-09-05",
        "--title",
        "学习十五条",
    ];
    // The office's clerk and inspector, under the county's table: refused.
    let (ok, err) = paicha(&data, Some(&config), &add);
    assert!(!ok, "recorded against the county's table");
    assert!(
        err.contains("销号签字领导") || err.contains("无权") || err.contains("不能"),
        "{err}"
    );
    // Under the shipped table the same person may.
    let (ok, err) = paicha(&data, None, &add);
    assert!(ok, "{err}");
}
