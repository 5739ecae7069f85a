//! `paicha attachment add | list | export` through the real binary: photos, a video and a
//! scan attached to the records of a demo data set, listed, exported byte for byte; every kind
//! of bad input refused with its Chinese message and nothing stored.

#[path = "support/cli.rs"]
mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{paicha, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = paicha(dir, args);
    (out.status.success(), stdout(&out), stderr(&out))
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let (ok, out, err) = run(dir, args);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).expect("json")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
}

/// A demo data set: (a finalized inspection, a hazard, one of its steps, an evidence record,
/// an enforcement action).
struct Demo {
    inspection: String,
    hazard: String,
    event: String,
    evidence: String,
    action: String,
}

fn demo(dir: &Path) -> Demo {
    let (ok, _, err) = run(
        dir,
        &[
            "demo",
            "--enterprises",
            "12",
            "--inspections",
            "20",
            "--seed",
            "3",
        ],
    );
    assert!(ok, "{err}");
    let inspections = json(dir, &["inspection", "list", "--format", "json"]);
    let (inspection, evidence) = inspections
        .as_array()
        .expect("list")
        .iter()
        .filter(|r| r["status"] == "finalized")
        .find_map(|r| {
            let id = r["id"].as_str().expect("id");
            let shown = json(dir, &["inspection", "show", id]);
            let ev = shown["evidence"].as_array()?.first()?["id"]
                .as_str()?
                .to_string();
            Some((id.to_string(), ev))
        })
        .expect("a finalized inspection with evidence");
    let ledger = json(dir, &["ledger", "--format", "json"]);
    let hazard = ledger[0]["id"].as_str().expect("hazard").to_string();
    let shown = json(dir, &["ledger", "show", &hazard]);
    let event = shown["events"][0]["id"]
        .as_str()
        .expect("event")
        .to_string();
    let actions = json(dir, &["action", "list", "--format", "json"]);
    let action = actions[0]["id"].as_str().expect("action").to_string();
    Demo {
        inspection,
        hazard,
        event,
        evidence,
        action,
    }
}

/// The files in the store (staging aside).
fn stored(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("attachments"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".staging")
                .collect()
        })
        .unwrap_or_default()
}

fn count(dir: &Path, of: &str) -> usize {
    json(dir, &["attachment", "list", "--of", of, "--format", "json"])
        .as_array()
        .expect("list")
        .len()
}

#[test]
fn files_are_added_listed_and_exported_byte_for_byte() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let demo = demo(d);
    let src = tempfile::tempdir().expect("src");
    // A scan whose name says nothing of its type; the bytes do.
    let scan = src.path().join("扫描件");
    std::fs::write(&scan, b"%PDF-1.4\n% a scanned permit\n").expect("scan");
    let files = [
        fixture("exif-no-tz.jpg"),
        fixture("exif.heic"),
        fixture("exif.png"),
        fixture("sony-a7-xavc.mp4"),
        scan.clone(),
    ];
    let mut args = vec![
        "attachment",
        "add",
        "--to",
        &demo.inspection,
        "--note",
        "储罐区",
    ];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let (ok, out, err) = run(d, &args);
    assert!(ok, "{err}");
    assert!(out.contains("已添加 5 个文件到检查记录"), "{out}");
    assert!(out.contains("JPEG 照片") && out.contains("MP4 视频") && out.contains("PDF 扫描件"));
    // The same photo on an item, and as the after-photo of a hazard step.
    let photo = names[0].as_str();
    for extra in [
        vec!["--to", &demo.inspection, "--item", "E3"],
        vec!["--to", &demo.event, "--role", "整改后"],
        vec!["--to", &demo.hazard, "--role", "before"],
        vec!["--to", &demo.evidence],
        vec!["--to", &demo.action],
    ] {
        let mut args = vec!["attachment", "add"];
        args.extend(extra.iter().copied());
        args.push(photo);
        let (ok, _, err) = run(d, &args);
        assert!(ok, "{extra:?}: {err}");
    }
    assert_eq!(stored(d).len(), 5, "the repeated photo is stored once");

    let listed = json(
        d,
        &[
            "attachment",
            "list",
            "--of",
            &demo.inspection,
            "--format",
            "json",
        ],
    );
    let listed = listed.as_array().expect("list");
    assert_eq!(listed.len(), 6, "the inspection's and its item's");
    let jpeg = &listed[0];
    assert_eq!(jpeg["media_type"], "image/jpeg");
    assert_eq!(jpeg["capture_source"], "exif");
    assert_eq!(jpeg["captured_at"], "2023-07-09T12:36:33Z");
    assert!(
        jpeg["place"]["lat"]
            .as_f64()
            .is_some_and(|l| (l - 22.53).abs() < 0.01)
    );
    assert_eq!(jpeg["note"], "储罐区");
    assert!(
        jpeg["outside_visit"]
            .as_str()
            .is_some_and(|o| o.starts_with("拍摄于")),
        "taken in July 2023, on no demo visit: {jpeg}"
    );
    assert_eq!(listed[1]["media_type"], "image/heic");
    assert_eq!(listed[3]["media_type"], "video/mp4");
    assert_eq!(listed[3]["capture_source"], "container");
    assert_eq!(listed[4]["media_type"], "application/pdf");
    assert_eq!(listed[4]["capture_source"], "file_time");
    assert_eq!(listed[4]["file_name"], "扫描件");
    assert_eq!(listed[5]["target_kind"], "answer");
    assert_eq!(listed[5]["item_code"], "E3");
    // By the answer's own id: that item's attachments.
    let shown = json(d, &["inspection", "show", &demo.inspection]);
    let answer = shown["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .find(|a| a["item_code"] == "E3")
        .and_then(|a| a["id"].as_str())
        .expect("answer E3")
        .to_string();
    let on_answer = json(
        d,
        &["attachment", "list", "--of", &answer, "--format", "json"],
    );
    assert_eq!(on_answer.as_array().map(Vec::len), Some(1), "{on_answer}");
    assert_eq!(on_answer[0]["item_code"], "E3");
    let on_event = json(
        d,
        &[
            "attachment",
            "list",
            "--of",
            &demo.event,
            "--format",
            "json",
        ],
    );
    assert_eq!(on_event[0]["role"], "after");
    assert_eq!(on_event[0]["target_kind"], "hazard_event");
    for (of, kind) in [
        (&demo.hazard, "hazard"),
        (&demo.evidence, "evidence"),
        (&demo.action, "action"),
    ] {
        let l = json(d, &["attachment", "list", "--of", of, "--format", "json"]);
        assert_eq!(l[0]["target_kind"], kind);
    }
    let (ok, table, err) = run(d, &["attachment", "list", "--of", &demo.inspection]);
    assert!(ok, "{err}");
    assert!(
        table.contains("检查项 E3") && table.contains("共 6 个附件"),
        "{table}"
    );
    assert!(table.contains("（文件修改时间）"), "{table}");

    let out_dir = src.path().join("导出");
    let (ok, out, err) = run(
        d,
        &[
            "attachment",
            "export",
            &demo.inspection,
            "--out",
            &out_dir.display().to_string(),
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("已导出 6 个文件"), "{out}");
    for (name, original) in [
        ("exif-no-tz.jpg", &files[0]),
        ("exif.heic", &files[1]),
        ("exif.png", &files[2]),
        ("sony-a7-xavc.mp4", &files[3]),
        ("扫描件", &files[4]),
        ("exif-no-tz (2).jpg", &files[0]),
    ] {
        let exported = std::fs::read(out_dir.join(name)).expect(name);
        assert_eq!(
            exported,
            std::fs::read(original).expect("original"),
            "{name}"
        );
    }
    // Exported again into the same folder: nothing overwritten.
    let (ok, _, err) = run(
        d,
        &[
            "attachment",
            "export",
            &demo.inspection,
            "--out",
            &out_dir.display().to_string(),
        ],
    );
    assert!(ok, "{err}");
    assert!(out_dir.join("exif-no-tz (3).jpg").exists());
    assert_eq!(std::fs::read_dir(&out_dir).expect("dir").count(), 12);
}

#[test]
fn a_damaged_store_file_is_not_exported_as_evidence() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let demo = demo(d);
    let (ok, _, err) = run(
        d,
        &[
            "attachment",
            "add",
            "--to",
            &demo.hazard,
            &fixture("exif.jpg").display().to_string(),
        ],
    );
    assert!(ok, "{err}");
    let sha = stored(d).pop().expect("stored");
    let path = d.join("attachments").join(&sha);
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).expect("writable");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[100] ^= 0xFF;
    std::fs::write(&path, bytes).expect("alter");
    let out_dir = tempfile::tempdir().expect("out");
    let (ok, _, err) = run(
        d,
        &[
            "attachment",
            "export",
            &demo.hazard,
            "--out",
            &out_dir.path().display().to_string(),
        ],
    );
    assert!(!ok);
    assert!(err.contains("已被改动或损坏（校验值不符）"), "{err}");
    assert_eq!(std::fs::read_dir(out_dir.path()).expect("dir").count(), 0);
}

#[test]
fn bad_input_is_refused_in_chinese_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let demo = demo(d);
    let src = tempfile::tempdir().expect("src");
    let s = src.path();
    let good = fixture("exif.jpg").display().to_string();
    std::fs::write(s.join("empty.jpg"), b"").expect("empty");
    std::fs::write(s.join("notes.jpg"), "检查笔记，不是照片").expect("text");
    std::fs::create_dir(s.join("DCIM")).expect("folder");
    let mut big = b"\0\0\0\x10ftypisom\0\0\0\0".to_vec();
    big.resize(1024 * 1024 + 1, 0);
    std::fs::write(s.join("big.mp4"), big).expect("big");
    // Windows: only where this user may make symlinks (Developer Mode or an administrator).
    #[cfg(unix)]
    let linked = std::os::unix::fs::symlink(fixture("exif.jpg"), s.join("link.jpg")).is_ok();
    #[cfg(windows)]
    let linked =
        std::os::windows::fs::symlink_file(fixture("exif.jpg"), s.join("link.jpg")).is_ok();
    assert!(linked || cfg!(windows), "symlink made");
    let p = |n: &str| s.join(n).display().to_string();
    // A county's rules.toml with a 1 MB cap.
    let config = tempfile::tempdir().expect("config");
    let rules =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml"))
            .expect("rules")
            .replace("max_file_mb = 2048", "max_file_mb = 1");
    std::fs::write(config.path().join("rules.toml"), rules).expect("rules");
    let config_dir = config.path().display().to_string();

    let ins = demo.inspection.as_str();
    let mut cases: Vec<(Vec<String>, &str)> = vec![
        (vec![p("missing.jpg")], "missing.jpg：文件不存在"),
        (vec![p("empty.jpg")], "empty.jpg：是空文件"),
        (vec![p("notes.jpg")], "notes.jpg：不是支持的文件类型"),
        (vec![p("DCIM")], "DCIM：是文件夹"),
        (
            vec!["--config-dir".into(), config_dir.clone(), p("big.mp4")],
            "big.mp4：大小 1.0 MB，超过上限 1.0 MB",
        ),
        (vec![good.clone(), good.clone()], "是同一个文件"),
        (
            vec!["--role".into(), "整改后".into(), good.clone()],
            "只用于隐患",
        ),
        (
            vec!["--role".into(), "之后".into(), good.clone()],
            "“之后”不是有效的照片用途",
        ),
        (
            vec!["--item".into(), "Z99".into(), good.clone()],
            "没有检查项 Z99",
        ),
        // Several bad files, with a good one: each named, none added.
        (
            vec![good.clone(), p("empty.jpg"), p("notes.jpg")],
            "没有添加任何文件：\n  ",
        ),
    ];
    if linked {
        cases.push((vec![p("link.jpg")], "link.jpg：是符号链接"));
    }
    for (extra, expected) in &cases {
        let mut args = vec!["attachment", "add", "--to", ins];
        args.extend(extra.iter().map(String::as_str));
        let (ok, out, err) = run(d, &args);
        assert!(!ok, "{extra:?} was accepted: {out}");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(err.starts_with("错误："), "{err}");
    }
    let (ok, _, err) = run(
        d,
        &[
            "attachment",
            "add",
            "--to",
            "01234567-89ab-7def-8123-456789abcdef",
            &good,
        ],
    );
    assert!(!ok && err.contains("找不到编号为"), "{err}");
    let (ok, _, err) = run(d, &["attachment", "add", "--to", "12", &good]);
    assert!(!ok && err.contains("“12”不是记录编号"), "{err}");
    let (ok, _, err) = run(
        d,
        &[
            "attachment",
            "add",
            "--to",
            &demo.hazard,
            "--item",
            "E3",
            &good,
        ],
    );
    assert!(!ok && err.contains("只能与检查记录编号一起使用"), "{err}");
    let (ok, _, err) = run(d, &["attachment", "add", "--to", ins]);
    assert!(!ok && err.contains("缺少必需的参数"), "{err}");
    assert!(stored(d).is_empty(), "{:?}", stored(d));
    assert_eq!(count(d, ins), 0);
    let (ok, out, _) = run(d, &["attachment", "list", "--of", ins]);
    assert!(ok && out.contains("这条记录还没有附件"), "{out}");
}

#[test]
fn help_is_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    for args in [
        vec!["attachment", "--help"],
        vec!["attachment", "add", "--help"],
        vec!["attachment", "export", "--help"],
    ] {
        let (ok, out, _) = run(dir.path(), &args);
        assert!(
            ok && out.contains("用法：") && out.contains("显示帮助"),
            "{out}"
        );
    }
    let (_, out, _) = run(dir.path(), &["attachment", "add", "--help"]);
    assert!(
        out.contains("整改前 或 整改后") && out.contains("<文件>"),
        "{out}"
    );
}
