//! `paicha checklist`: the templates in force, broken files reported as FILE:LINE:COL, and
//! overrides from a config directory.

use std::path::Path;
use std::process::{Command, Output};

fn paicha(config_dir: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paicha"));
    cmd.env_remove("PAICHA_CONFIG_DIR")
        .env_remove("PAICHA_DATA_DIR");
    // Keep the user's real config dir out of the tests.
    let isolated = tempfile::tempdir().expect("dir");
    cmd.env("HOME", isolated.path())
        .env("XDG_CONFIG_HOME", isolated.path());
    if let Some(dir) = config_dir {
        cmd.arg("--config-dir").arg(dir);
    }
    cmd.args(args).output().expect("run paicha")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const FIXTURES: &str = "tests/fixtures/broken";

/// Each broken fixture and the exact error it must produce (after `FILE:`).
const BROKEN: &[(&str, &str)] = &[
    (
        "unknown_key.toml",
        "16:1: 未知的键“colour”，可用的键：code, question, guidance, basis, major_hazard, report_rows, evidence, unverified, effective_from, effective_until",
    ),
    ("missing_key.toml", "10:1: 缺少必需的键“basis”"),
    (
        "syntax_error.toml",
        "12:24: TOML 语法错误：字符串没有正确结束（缺少引号？）",
    ),
    (
        "report_row_missing.toml",
        "16:22: 报表中没有“B9”这一行，检查项可计入：B2、B3、B4、B5、B6、B7、B8",
    ),
    (
        "report_row_not_item_fed.toml",
        "16:16: 报表行 A3 不由检查项统计，检查项只能计入：B2、B3、B4、B5、B6、B7、B8",
    ),
    (
        "evidence_misspelt.toml",
        "16:12: 未知的证据记录类型“hot_work”，可用：hot_work_permit、special_operation_certificate、outsourcing_agreement、drill_record",
    ),
    (
        "sector_misspelt.toml",
        "4:20: 未知的行业领域代码“gas”，可用：*、town_gas、fuel、grain、civil_air_defence、high_rise、village",
    ),
    (
        "duplicate_code.toml",
        "18:8: 检查项代码 FIX-01 重复（第11行已使用）：同一代码的两个版本须用 effective_from / effective_until 分开适用日期",
    ),
    (
        "code_used_by_builtin.toml",
        "11:8: 检查项代码 E12 已在检查表 duties（config/checklists/duties.toml）中使用，代码须全局唯一",
    ),
    (
        "code_malformed.toml",
        "11:8: 检查项代码“fix-1”格式不对，应为大写字母加编号，如 E12、GAS-03",
    ),
    (
        "unverified_unmarked.toml",
        "13:12: 检查项 FIX-01 标为 unverified，guidance 应以“【待核实】”开头",
    ),
    (
        "same_version_changed.toml",
        "4:11: 检查表 duties 与内置版本同为 2 但内容不同：修改内容后请把版本号提高到 3",
    ),
];

#[test]
fn every_broken_fixture_gives_its_exact_error_and_a_non_zero_exit() {
    let mut fixtures_on_disk: Vec<String> = std::fs::read_dir(FIXTURES)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    fixtures_on_disk.sort();
    let mut listed: Vec<String> = BROKEN.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(
        fixtures_on_disk, listed,
        "every fixture has its expected error"
    );
    for (file, expected) in BROKEN {
        let path = format!("{FIXTURES}/{file}");
        let out = paicha(None, &["checklist", "validate", &path]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let err = stderr(&out);
        let mut lines = err.lines();
        assert_eq!(
            lines.next(),
            Some(format!("{path}:{expected}").as_str()),
            "{file}"
        );
        assert_eq!(
            lines.next(),
            Some("错误：校验未通过：共 1 处错误"),
            "{file}"
        );
    }
}

#[test]
fn every_error_of_a_file_is_listed_not_just_the_first() {
    let tmp = tempfile::tempdir().expect("dir");
    let text = std::fs::read_to_string(format!("{FIXTURES}/duplicate_code.toml"))
        .expect("read")
        .replace("sectors = [\"fuel\"]", "sectors = [\"fuel\", \"gas\"]")
        .replace(
            "major_hazard = false",
            "major_hazard = false\nreport_rows = [\"B9\"]",
        );
    let file = tmp.path().join("many.toml");
    std::fs::write(&file, text).expect("write");
    let path = file.to_string_lossy().into_owned();
    let out = paicha(None, &["checklist", "validate", &path]);
    let err = stderr(&out);
    let found: Vec<&str> = err.lines().filter(|l| l.starts_with(&path)).collect();
    assert_eq!(found.len(), 4, "{err}");
    assert!(err.contains("共 4 处错误"), "{err}");
}

#[test]
fn the_shipped_templates_validate_and_are_listed() {
    // Every shipped file, of every kind, through the same validator a county would use.
    let mut files = Vec::new();
    for dir in [
        "config",
        "config/checklists",
        "config/exams",
        "config/forms",
    ] {
        for entry in std::fs::read_dir(dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|x| x == "toml") {
                files.push(path.to_string_lossy().into_owned());
            }
        }
    }
    assert_eq!(files.len(), 3 + 7 + 6 + 4);
    let mut args = vec!["checklist", "validate"];
    args.extend(files.iter().map(String::as_str));
    let out = paicha(None, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("校验通过：20 个文件无误"),
        "{}",
        stdout(&out)
    );
    let out = paicha(None, &["checklist", "list", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "duties",
            "town_gas",
            "fuel",
            "grain",
            "civil_air_defence",
            "high_rise",
            "village"
        ]
    );
    assert_eq!(list[0]["item_count"], 16, "E1–E15, duty (6) in two items");
    assert_eq!(list[0]["source"], "内置");
    let table = stdout(&paicha(None, &["checklist", "list"]));
    assert!(
        table.starts_with("编号") && table.contains("企业主要负责人五项十五条重点任务"),
        "{table}"
    );
}

#[test]
fn show_prints_every_item_with_guidance_and_basis() {
    let out = paicha(None, &["checklist", "show", "duties"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for n in 1..=15 {
        assert!(text.contains(&format!("  E{n} ")), "E{n} missing:\n{text}");
    }
    // The grade of an uncertified operator is the sector's (10号令 第二条): not claimed here.
    assert!(text.contains("  E12 是否对动火等危险作业人员"), "{text}");
    assert!(!text.contains("E12 【重大隐患】"), "{text}");
    assert!(
        text.contains("计入调度表：B6；证据记录：特种作业操作证"),
        "{text}"
    );
    let out = paicha(None, &["checklist", "show", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("没有编号为“nope”的检查表，在用的有：duties、town_gas"),
        "{}",
        stderr(&out)
    );
}

fn bump(text: &str, version: u32, question_from: &str, question_to: &str) -> String {
    let old = text
        .lines()
        .find(|l| l.starts_with("version = "))
        .unwrap_or("version = 1");
    text.replacen(old, &format!("version = {version}"), 1)
        .replace(question_from, question_to)
}

#[test]
fn an_override_in_the_config_dir_wins_and_shows_in_list() {
    let config = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(config.path().join("checklists")).expect("dir");
    let fuel = std::fs::read_to_string("config/checklists/fuel.toml").expect("fuel");
    let first_question = fuel
        .lines()
        .find(|l| l.starts_with("question = "))
        .expect("a question")
        .to_string();
    let county = bump(
        &fuel,
        3,
        &first_question,
        "question = \"本县补充：加油站是否……？\"",
    );
    let override_path = config.path().join("checklists").join("fuel.toml");
    std::fs::write(&override_path, county).expect("write");
    // And a county template of its own.
    std::fs::write(
        config.path().join("checklists").join("county.toml"),
        std::fs::read_to_string(format!("{FIXTURES}/unknown_key.toml"))
            .expect("fixture")
            .replace("id = \"fixture\"", "id = \"county\"")
            .replace("\ncolour = \"red\"", ""),
    )
    .expect("write");

    let out = paicha(
        Some(config.path()),
        &["checklist", "list", "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let fuel_row = list
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["id"] == "fuel")
        .expect("fuel");
    assert_eq!(fuel_row["version"], 3);
    assert_eq!(fuel_row["source"], override_path.display().to_string());
    assert!(
        list.as_array()
            .expect("array")
            .iter()
            .any(|c| c["id"] == "county")
    );
    let shown = stdout(&paicha(Some(config.path()), &["checklist", "show", "fuel"]));
    assert!(shown.contains("本县补充：加油站是否……？"), "{shown}");

    // A file that would lower the version in force is refused, naming the file and line.
    let lower = tempfile::tempdir().expect("dir");
    let file = lower.path().join("fuel-old.toml");
    std::fs::write(
        &file,
        bump(&fuel, 2, &first_question, "question = \"旧的问题？\""),
    )
    .expect("write");
    let out = paicha(
        Some(config.path()),
        &["checklist", "validate", &file.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(1));
    let version_line = fuel
        .lines()
        .position(|l| l.starts_with("version"))
        .expect("version")
        + 1;
    assert_eq!(
        stderr(&out).lines().next().unwrap_or_default(),
        format!(
            "{}:{version_line}:11: 检查表 fuel 的版本 2 低于{}版本 3，覆盖时版本号只能提高",
            file.display(),
            override_path.display()
        )
    );
}

#[test]
fn a_broken_file_in_the_config_dir_stops_the_commands_that_need_templates() {
    let config = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(config.path().join("checklists")).expect("dir");
    let broken = config.path().join("checklists").join("bad.toml");
    std::fs::copy(format!("{FIXTURES}/evidence_misspelt.toml"), &broken).expect("copy");
    let out = paicha(Some(config.path()), &["checklist", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("配置有 1 处错误"), "{err}");
    assert!(
        err.contains(&format!(
            "{}:16:12: 未知的证据记录类型“hot_work”",
            broken.display()
        )),
        "{err}"
    );
}

#[test]
fn the_config_dir_can_come_from_the_environment() {
    let config = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(config.path().join("checklists")).expect("dir");
    let county = std::fs::read_to_string(format!("{FIXTURES}/unknown_key.toml"))
        .expect("fixture")
        .replace("id = \"fixture\"", "id = \"from_env\"")
        .replace("\ncolour = \"red\"", "");
    std::fs::write(
        config.path().join("checklists").join("from_env.toml"),
        county,
    )
    .expect("write");
    let isolated = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["checklist", "list", "--format", "json"])
        .env("PAICHA_CONFIG_DIR", config.path())
        .env("HOME", isolated.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"from_env\""), "{}", stdout(&out));
}

#[test]
fn a_named_config_dir_that_is_missing_or_holds_stray_files_is_reported() {
    let out = paicha(
        Some(Path::new("/nonexistent/paicha-config")),
        &["checklist", "list"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("配置目录 /nonexistent/paicha-config 不存在"),
        "{}",
        stderr(&out)
    );
    let config = tempfile::tempdir().expect("dir");
    let stray = config.path().join("fuel.toml");
    std::fs::copy("config/checklists/fuel.toml", &stray).expect("copy");
    let out = paicha(Some(config.path()), &["checklist", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}:1:1: 配置目录中无法识别的文件：检查表放在 checklists/",
            stray.display()
        )),
        "{}",
        stderr(&out)
    );
}
