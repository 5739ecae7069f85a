//! `paicha config export DIR`: the embedded configuration written out byte for byte, usable
//! unchanged as a config dir, never overwriting a file without `--force`; help in Chinese.

use paicha::templates::catalog::BUILTIN;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Runs the real binary with the user's own config and data dirs kept out of the test.
fn paicha(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let isolated = tempfile::tempdir().expect("dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paicha"));
    cmd.env_remove("PAICHA_CONFIG_DIR")
        .env_remove("PAICHA_DATA_DIR")
        .env("HOME", isolated.path())
        .env("XDG_CONFIG_HOME", isolated.path())
        .env("XDG_DATA_HOME", isolated.path());
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.args(args).output().expect("run paicha")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// The embedded files as (path relative to a config dir, bytes).
fn embedded() -> BTreeMap<String, Vec<u8>> {
    BUILTIN
        .iter()
        .map(|(path, text)| {
            let rel = path.strip_prefix("config/").expect("embedded from config/");
            (rel.to_string(), text.as_bytes().to_vec())
        })
        .collect()
}

/// Every file under `dir`, recursively, as ('/'-separated relative path, bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn export_writes_exactly_the_embedded_files_byte_for_byte_into_a_new_folder() {
    let tmp = tempfile::tempdir().expect("dir");
    // Two levels that do not exist yet, one with a Chinese name.
    let dir = tmp.path().join("方山县").join("配置");
    let out = paicha(&["config", "export", arg(&dir)], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let written = tree(&dir);
    let expected = embedded();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "exactly the embedded set, at the same relative paths"
    );
    for (rel, bytes) in &expected {
        assert!(
            written[rel] == *bytes,
            "{rel} differs from the embedded text"
        );
    }
    assert_eq!(written.len(), 3 + 4 + 7 + 6);
    // The embedded set is the shipped config/ folder itself.
    assert_eq!(
        tree(Path::new("config")),
        written,
        "config/ and the embedded set differ"
    );

    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "已把内置配置导出到 {}，共 20 个文件：\n",
            dir.display()
        )),
        "{text}"
    );
    for rel in expected.keys() {
        assert!(
            text.contains(&format!("  {rel}\n")),
            "{rel} not listed:\n{text}"
        );
    }
    for hint in [
        format!("paicha --config-dir {}", dir.display()),
        format!("PAICHA_CONFIG_DIR={}", dir.display()),
        "version 提高".to_string(),
    ] {
        assert!(text.contains(&hint), "no {hint:?} in:\n{text}");
    }
    assert!(!text.contains("覆盖了原有文件"), "{text}");
}

#[test]
fn the_unchanged_export_is_accepted_as_a_config_dir() {
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("county");
    let out = paicha(&["config", "export", arg(&dir)], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The whole catalog loads from it: identical copies of the built-ins, same versions.
    let out = paicha(
        &[
            "--config-dir",
            arg(&dir),
            "checklist",
            "list",
            "--format",
            "json",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = list.as_array().expect("array");
    let ids: Vec<&str> = rows.iter().filter_map(|c| c["id"].as_str()).collect();
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
    for row in rows {
        let id = row["id"].as_str().expect("id");
        let source = row["source"].as_str().expect("source");
        assert_eq!(
            Path::new(source),
            dir.join("checklists").join(format!("{id}.toml")),
            "the exported copy is the one in force"
        );
        let shipped = std::fs::read_to_string(format!("config/checklists/{id}.toml"))
            .expect("shipped")
            .lines()
            .find_map(|l| l.strip_prefix("version = ").map(str::to_string))
            .expect("version");
        assert_eq!(row["version"].to_string(), shipped, "{id}");
    }

    // The same through the environment variable, and the table form.
    let out = paicha(&["checklist", "list"], &[("PAICHA_CONFIG_DIR", &dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            &dir.join("checklists")
                .join("duties.toml")
                .display()
                .to_string()
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_existing_file_refuses_the_whole_export_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("county");
    std::fs::create_dir_all(dir.join("checklists")).expect("mkdir");
    let own = "# 本县修改过的检查表\n";
    std::fs::write(dir.join("checklists").join("duties.toml"), own).expect("write");
    std::fs::write(dir.join("说明.txt"), "本县笔记").expect("write");
    let before = tree(&dir);

    let out = paicha(&["config", "export", arg(&dir)], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        format!(
            "错误：目录 {} 中已有 1 个同名文件，为免覆盖本县修改过的配置，未写入任何文件：\n  \
             checklists/duties.toml\n确需用内置配置覆盖它们，请先备份，再加 --force 重新导出。\n",
            dir.display()
        )
    );
    assert_eq!(tree(&dir), before, "nothing written or changed");
    assert!(!dir.join("exams").exists(), "no folder made either");
}

#[test]
fn force_overwrites_the_existing_files_and_keeps_other_ones() {
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("county");
    std::fs::create_dir_all(dir.join("checklists")).expect("mkdir");
    std::fs::write(dir.join("checklists").join("duties.toml"), "# 旧的\n").expect("write");
    std::fs::write(dir.join("rules.toml"), "# 旧的\n").expect("write");
    std::fs::write(dir.join("说明.txt"), "本县笔记").expect("write");

    let out = paicha(&["config", "export", "--force", arg(&dir)], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  checklists/duties.toml（覆盖了原有文件）\n"),
        "{text}"
    );
    assert!(text.contains("  rules.toml（覆盖了原有文件）\n"), "{text}");
    assert_eq!(text.matches("覆盖了原有文件").count(), 2, "{text}");

    let mut expected = embedded();
    expected.insert("说明.txt".to_string(), "本县笔记".as_bytes().to_vec());
    assert_eq!(
        tree(&dir),
        expected,
        "built-ins written, the other file kept"
    );

    // Exporting over a complete earlier export needs --force too, and then changes nothing.
    let out = paicha(&["config", "export", arg(&dir)], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("已有 20 个同名文件"),
        "{}",
        stderr(&out)
    );
    let out = paicha(&["config", "export", "--force", arg(&dir)], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(tree(&dir), expected);
}

#[test]
fn a_file_in_the_way_is_refused_in_chinese() {
    let tmp = tempfile::tempdir().expect("dir");
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, "x").expect("write");
    let out = paicha(&["config", "export", "--force", arg(&file)], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "错误：{} 已存在但不是目录，未写入任何文件\n",
            file.display()
        )
    );

    let dir = tmp.path().join("county");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("forms"), "x").expect("write");
    let out = paicha(&["config", "export", "--force", arg(&dir)], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("forms 已存在但不是目录，无法在其中写入配置文件；未写入任何文件"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir).len(), 1, "nothing written");
}

#[test]
fn the_config_dir_named_in_the_environment_may_be_the_one_being_created() {
    // PAICHA_CONFIG_DIR already points at the folder the county is about to make: other
    // commands refuse a missing config dir, the export must not.
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("county");
    let out = paicha(
        &["config", "export", arg(&dir)],
        &[("PAICHA_CONFIG_DIR", &dir)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(tree(&dir), embedded());
}

#[test]
fn help_is_chinese() {
    let out = paicha(&["config", "--help"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    assert!(help.contains("用法：paicha config [选项] <命令>"), "{help}");
    assert!(help.contains("命令：\n  export  把内置配置"), "{help}");

    let out = paicha(&["config", "export", "--help"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    for expected in [
        "用法：paicha config export [选项] <目录>",
        "参数：\n  <目录>  导出到的目录（不存在时自动建立）",
        "--force",
        "默认拒绝，什么也不写",
        "显示帮助",
    ] {
        assert!(help.contains(expected), "no {expected:?} in:\n{help}");
    }

    let root = stdout(&paicha(&["--help"], &[]));
    assert!(root.contains("  config "), "{root}");

    for help in [&help, &root] {
        for english in ["Usage", "Options", "Arguments", "Commands", "Print help"] {
            assert!(!help.contains(english), "{english:?} in:\n{help}");
        }
    }

    // Without its subcommand: the Chinese help and a usage exit code.
    let out = paicha(&["config"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("用法：paicha config"),
        "{}",
        stderr(&out)
    );
}
