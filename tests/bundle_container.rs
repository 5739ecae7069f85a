//! Forged and damaged bundles at the container level and below: a name written twice, zip
//! structures other readers would read differently, an entry that inflates to gigabytes (the
//! real binary's peak memory is measured), weak and second-spelled keys and times, and every
//! refusal in Chinese with no parser text. Each refusal leaves the database as it was.

#[path = "bundle/support.rs"]
mod support;

#[path = "bundle_container/raw_zip.rs"]
mod raw_zip;

use paicha::bundle::{self, ImportLimits};
use raw_zip::{Ending, RawEntry};
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::*;

/// A laptop with one signed inspection, its bundle, and an office that knows nothing yet.
fn setup() -> (Site, PathBuf, Site) {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, ent, "焊工无证上岗");
    let good = export(&mut laptop, "good.paicha", all());
    (laptop, good, site("张科长"))
}

/// Imports `bundle` at `office` expecting a refusal that mentions `expected`; checks that the
/// message is Chinese only and that nothing in the database changed. Returns the message.
fn refused(office: &mut Site, bundle: &Path, expected: &str) -> String {
    let before = full_dump(&office.store);
    let outcome = bundle::import(
        &mut office.store,
        bundle,
        false,
        false,
        ImportLimits::default(),
    );
    let message = match outcome {
        Ok(report) => panic!("accepted: {report:?}"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains(expected),
        "expected “{expected}” in “{message}”"
    );
    assert_no_english(&message);
    assert_same(
        &full_dump(&office.store),
        &before,
        "database after a refusal",
    );
    message
}

/// Words of parser, SQL or library messages that must never reach the user. Names of files
/// and fields (`records/answers.jsonl`, `public_key`) and terms (JSON, UTC, UUID) may.
fn assert_no_english(message: &str) {
    const LEAKS: &[&str] = &[
        "missing",
        "invalid",
        "expected",
        "eof",
        "field",
        "column",
        "line",
        "sql",
        "unknown",
        "type",
        "error",
        "parsing",
        "while",
        "trailing",
        "at",
        "value",
        "key",
        "must",
        "found",
        "constraint",
        "failed",
        "unique",
        "archive",
        "header",
    ];
    for word in message.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        assert!(
            !LEAKS.contains(&word.to_ascii_lowercase().as_str()),
            "English “{word}” in “{message}”"
        );
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    paicha::identity::hex::encode(&sha2::Sha256::digest(bytes))
}

/// The manifest of `list` (the last copy of a name counting, as the zip reader would read
/// it), re-signed with `key`: what a forger holding a key writes.
fn resign(list: &mut [(String, Vec<u8>)], key: &ed25519_dalek::SigningKey) {
    let at = list
        .iter()
        .position(|(n, _)| n == "manifest.json")
        .expect("manifest");
    let mut manifest: serde_json::Value = serde_json::from_slice(&list[at].1).expect("json");
    let mut listed = serde_json::Map::new();
    for (name, bytes) in list.iter() {
        if name == "manifest.json" || name == "manifest.sig" {
            continue;
        }
        listed.insert(
            name.clone(),
            serde_json::json!({
                "sha256": sha256_hex(bytes),
                "bytes": bytes.len(),
                "lines": bytes.iter().filter(|b| **b == b'\n').count(),
            }),
        );
    }
    manifest["entries"] = serde_json::Value::Object(listed);
    let text = serde_json::to_vec_pretty(&manifest).expect("json");
    let signature = paicha::identity::keys::sign_hex(key, &text);
    list[at].1 = text;
    let sig = list
        .iter()
        .position(|(n, _)| n == "manifest.sig")
        .expect("sig");
    list[sig].1 = signature.into_bytes();
}

fn stored(list: &[(String, Vec<u8>)]) -> Vec<RawEntry> {
    list.iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect()
}

fn entry<'a>(list: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut list
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

#[test]
fn a_name_written_twice_is_refused_by_name() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let dir = laptop.dir.path();

    // The bytes as exported, written again by hand: accepted (the writer is not the problem).
    let list = entries(&good);
    let plain = dir.join("plain.paicha");
    raw_zip::write(&plain, &stored(&list));
    import(&mut site("王科员"), &plain).expect("a hand-written zip of the same entries");

    // A second records/answers.jsonl, different, with the manifest signed for it.
    let mut twice = list.clone();
    let mut other = entry(&mut twice, "records/answers.jsonl").clone();
    other = String::from_utf8(other)
        .expect("utf8")
        .replace("焊工无证上岗", "焊工持证上岗")
        .into_bytes();
    twice.push(("records/answers.jsonl".into(), other));
    resign(&mut twice, &key);
    let bad = dir.join("twice.paicha");
    raw_zip::write(&bad, &stored(&twice));
    refused(&mut office, &bad, "文件“records/answers.jsonl”出现了两次");

    // Enterprises carry no signature: a second copy with another phone number would pass
    // every other check (the zip reader reads the last copy), so only this check stops it.
    let mut twice = list.clone();
    let changed = String::from_utf8(entry(&mut twice, "records/enterprises.jsonl").clone())
        .expect("utf8")
        .replace("0358-6021234", "0358-6029999")
        .into_bytes();
    let mut alone = list.clone();
    *entry(&mut alone, "records/enterprises.jsonl") = changed.clone();
    resign(&mut alone, &key);
    twice.push(("records/enterprises.jsonl".into(), changed));
    resign(&mut twice, &key);
    let lone = dir.join("lone.paicha");
    raw_zip::write(&lone, &stored(&alone));
    import(&mut site("赵科员"), &lone).expect("the second copy alone is a valid bundle");
    raw_zip::write(&bad, &stored(&twice));
    refused(
        &mut office,
        &bad,
        "文件“records/enterprises.jsonl”出现了两次",
    );

    // The same name twice for the manifest itself.
    let mut twice = list.clone();
    let manifest = entry(&mut twice, "manifest.json").clone();
    twice.insert(0, ("manifest.json".into(), manifest));
    raw_zip::write(&bad, &stored(&twice));
    refused(&mut office, &bad, "文件“manifest.json”出现了两次");
    import(&mut office, &good).expect("the real bundle still imports");
}

#[test]
fn zip_structures_other_readers_would_read_differently_are_refused() {
    let (laptop, good, mut office) = setup();
    let dir = laptop.dir.path();
    let list = stored(&entries(&good));
    let bad = dir.join("bad.paicha");
    let write = |bytes: Vec<u8>| std::fs::write(&bad, bytes).expect("write");

    // An entry the end record does not count: hidden from this reader, seen by others.
    let mut more = list.clone();
    more.push(RawEntry::stored("records/activities.jsonl", b"{}\n"));
    write(raw_zip::zip_bytes(
        &more,
        &Ending {
            count: Some(u16::try_from(list.len()).expect("few")),
            ..Ending::default()
        },
        &[],
    ));
    refused(&mut office, &bad, "可能藏有文件");

    // A second end record inside the comment.
    let inner = raw_zip::zip_bytes(&list, &Ending::default(), &[]);
    let fake_end = inner[inner.len() - 22..].to_vec();
    // Its own comment length (none) makes the fake record reach the end of the file too.
    let comment = fake_end;
    write(raw_zip::zip_bytes(
        &list,
        &Ending {
            comment,
            ..Ending::default()
        },
        &[],
    ));
    refused(&mut office, &bad, "结尾记录不止一个");

    // A local header naming another file than the directory does.
    write(raw_zip::zip_bytes(
        &list,
        &Ending::default(),
        &[Some("records/hazards.jsonx")],
    ));
    refused(&mut office, &bad, "头部与目录记载不一致");

    // An end record claiming 60 000 entries (the reader would try to hold them all).
    write(raw_zip::zip_bytes(
        &list,
        &Ending {
            count: Some(60_000),
            ..Ending::default()
        },
        &[],
    ));
    refused(&mut office, &bad, "文件过多");

    // ZIP64 markers.
    write(raw_zip::zip_bytes(
        &list,
        &Ending {
            count: Some(0xffff),
            ..Ending::default()
        },
        &[],
    ));
    refused(&mut office, &bad, "ZIP64");

    // Bytes after the end of the zip, and bytes before it.
    let mut tail = raw_zip::zip_bytes(&list, &Ending::default(), &[]);
    tail.extend_from_slice(b"junk");
    write(tail);
    refused(&mut office, &bad, "不是完整的 paicha 数据包");
    let mut head = b"MZ".to_vec();
    head.extend(raw_zip::zip_bytes(&list, &Ending::default(), &[]));
    write(head);
    refused(&mut office, &bad, "不是完整的 paicha 数据包");
}

/// A bundle signed by a key made here whose `records/answers.jsonl` is one line of `'a'`s
/// without a newline, inflating to about 2 GiB from about 2 MB (the manifest says so too).
fn inflating_bundle(to: &Path) -> u64 {
    let key = ed25519_dalek::SigningKey::from_bytes(&[11u8; 32]);
    let public = paicha::identity::keys::public_hex(&key);
    let who = uuid::Uuid::now_v7().to_string();
    let now = "2023-09-01T01:00:00.000000000Z";
    let inspectors = format!(
        "{{\"id\":\"{who}\",\"created_at\":\"{now}\",\"updated_at\":\"{now}\",\"author_id\":\"{who}\",\"replica_id\":\"{who}\",\"name\":\"李建山\",\"cert_no\":\"1\",\"group_code\":null}}\n"
    );
    let keys = format!("{{\"inspector_id\":\"{who}\",\"public_key\":\"{public}\"}}\n");
    let (stream, size) = raw_zip::inflating_run(((2u64 << 30) - 1) / 258);
    let mut entries = vec![
        RawEntry::stored("records/inspectors.jsonl", inspectors.as_bytes()),
        RawEntry::stored("records/keys.jsonl", keys.as_bytes()),
        // The CRC is never reached: the reader gives up long before the end.
        RawEntry::deflated(
            "records/answers.jsonl",
            stream,
            u32::try_from(size).expect("below 4 GiB"),
            0,
        ),
    ];
    let mut listed = serde_json::Map::new();
    for e in &entries[..2] {
        listed.insert(
            String::from_utf8(e.name.clone()).expect("name"),
            serde_json::json!({"sha256": sha256_hex(&e.data), "bytes": e.data.len(), "lines": 1}),
        );
    }
    listed.insert(
        "records/answers.jsonl".into(),
        serde_json::json!({"sha256": "00".repeat(32), "bytes": size, "lines": 1}),
    );
    let manifest = serde_json::json!({
        "format": "paicha-bundle", "format_version": 1, "producer": "test",
        "kind": "findings", "replica_id": who,
        "exporter": {"inspector_id": who, "name": "李建山", "public_key": public},
        "created_at": now, "covers": {"from": null, "until": now},
        "counts": {"inspectors": 1, "keys": 1, "answers": 1},
        "entries": listed,
    });
    let text = serde_json::to_vec_pretty(&manifest).expect("json");
    let signature = paicha::identity::keys::sign_hex(&key, &text);
    entries.push(RawEntry::stored("manifest.json", &text));
    entries.push(RawEntry::stored("manifest.sig", signature.as_bytes()));
    raw_zip::write(to, &entries);
    size
}

/// Runs the real binary, polling its peak resident memory (VmHWM, kB) while it runs (Linux;
/// `None` elsewhere or if it ended before the first look).
fn run_measured(data: &Path, args: &[&str]) -> (std::process::Output, Option<u64>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PAICHA_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run paicha");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak: Option<u64> = None;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = Some(peak.map_or(kb, |p| p.max(kb)));
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    (child.wait_with_output().expect("output"), peak)
}

const MEMORY_CEILING_KB: u64 = 64 * 1024;

fn check_peak(peak: Option<u64>, what: &str) {
    if !cfg!(target_os = "linux") {
        println!("note: peak memory not measured on this system ({what})");
        return;
    }
    let peak = peak.expect("VmHWM read at least once");
    println!("{what}: peak resident memory {} KiB", peak);
    assert!(
        peak < MEMORY_CEILING_KB,
        "{what}: peak {peak} KiB ≥ {MEMORY_CEILING_KB} KiB"
    );
}

fn office_dir(tmp: &Path) -> PathBuf {
    let office = tmp.join("office");
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(&office)
        .args([
            "profile",
            "set",
            "--name",
            "张科长",
            "--cert-no",
            "14010002",
        ])
        .env_remove("PAICHA_DATA_DIR")
        .output()
        .expect("run paicha");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    office
}

fn dump_of(data: &Path) -> String {
    let store =
        paicha::storage::Store::open(data, std::sync::Arc::new(paicha::domain::SystemClock))
            .expect("store");
    full_dump(&store)
}

#[test]
fn a_line_that_inflates_to_gigabytes_is_refused_early_in_little_memory() {
    let tmp = tempfile::tempdir().expect("dir");
    let bomb = tmp.path().join("bomb.paicha");
    let size = inflating_bundle(&bomb);
    let on_disk = std::fs::metadata(&bomb).expect("size").len();
    assert!(
        size >= 2_000_000_000 && on_disk < 3_000_000,
        "{size} from {on_disk}"
    );
    let office = office_dir(tmp.path());
    let before = dump_of(&office);
    let started = std::time::Instant::now();
    let bomb_arg = bomb.to_string_lossy().into_owned();
    let (out, peak) = run_measured(&office, &["import", &bomb_arg]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("refused in {:?}: {stderr}", started.elapsed());
    assert!(!out.status.success(), "accepted: {stderr}");
    assert!(
        stderr
            .contains("records/answers.jsonl 第1行：这一行超过了单行 4194304 字节（4 MiB）的上限"),
        "{stderr}"
    );
    assert_no_english(&stderr);
    check_peak(peak, "2 GiB line");
    assert_same(&dump_of(&office), &before, "database after a refusal");
}

/// Signed records (activities) whose notes bring each line just under the cap: taken whole,
/// still in bounded memory (a line, its parse, its signed form and its row at a time).
#[test]
fn lines_just_under_the_cap_are_imported_in_bounded_memory() {
    use std::fmt::Write;
    let tmp = tempfile::tempdir().expect("dir");
    let key = ed25519_dalek::SigningKey::from_bytes(&[12u8; 32]);
    let public = paicha::identity::keys::public_hex(&key);
    let who = uuid::Uuid::now_v7().to_string();
    let ent = uuid::Uuid::now_v7().to_string();
    let now = "2023-09-01T01:00:00.000000000Z";
    let meta = |id: &str| {
        format!(
            "\"id\":\"{id}\",\"created_at\":\"{now}\",\"updated_at\":\"{now}\",\"author_id\":\"{who}\",\"replica_id\":\"{who}\""
        )
    };
    let mut files: Vec<(String, String)> = vec![
        (
            "records/inspectors.jsonl".into(),
            format!(
                "{{{},\"name\":\"李建山\",\"cert_no\":\"1\",\"group_code\":null}}\n",
                meta(&who)
            ),
        ),
        (
            "records/keys.jsonl".into(),
            format!("{{\"inspector_id\":\"{who}\",\"public_key\":\"{public}\"}}\n"),
        ),
        (
            "records/enterprises.jsonl".into(),
            format!(
                "{{{},\"credit_code\":\"91350100M000100Y43\",\"name\":\"方山县加油站\",\"address\":\"\",\"town\":\"圪洞镇\",\"sector\":\"加油站\",\"sector_code\":\"fuel\",\"risk_level\":null,\"principal\":\"\",\"phone\":\"\"}}\n",
                meta(&ent)
            ),
        ),
    ];
    // 1 397 000 three-byte characters: 4 191 000 bytes, the rest of the line about 1 KiB.
    let note = "隐".repeat(1_397_000);
    let mut activities = String::new();
    let count = 6;
    for _ in 0..count {
        let a = uuid::Uuid::now_v7().to_string();
        let line = format!(
            "{{{},\"kind\":\"town_guidance\",\"level\":\"town\",\"group_code\":null,\"held_on\":\"2023-09-01\",\"title\":\"圪洞镇专题指导\",\"amount_fen\":null,\"count\":null,\"anonymous\":0,\"note\":\"{note}\",\"corrects\":null}}",
            meta(&a)
        );
        let mut v: serde_json::Value = serde_json::from_str(&line).expect("line");
        let form = v.to_string();
        v["signature"] = serde_json::json!({
            "inspector_id": who,
            "public_key": public,
            "signature": paicha::identity::keys::sign_hex(&key, form.as_bytes()),
        });
        let line = v.to_string();
        assert!(line.len() < 4 << 20, "{} bytes", line.len());
        writeln!(activities, "{line}").expect("write");
    }
    files.push(("records/activities.jsonl".into(), activities));
    let mut listed = serde_json::Map::new();
    for (name, text) in &files {
        listed.insert(
            name.clone(),
            serde_json::json!({
                "sha256": sha256_hex(text.as_bytes()),
                "bytes": text.len(),
                "lines": text.lines().count(),
            }),
        );
    }
    let manifest = serde_json::json!({
        "format": "paicha-bundle", "format_version": 1, "producer": "test",
        "kind": "findings", "replica_id": who,
        "exporter": {"inspector_id": who, "name": "李建山", "public_key": public},
        "created_at": now, "covers": {"from": null, "until": now},
        "counts": {"inspectors": 1, "keys": 1, "enterprises": 1, "activities": count},
        "entries": listed,
    });
    let text = serde_json::to_vec_pretty(&manifest).expect("json");
    let mut entries: Vec<RawEntry> = files
        .iter()
        .map(|(n, t)| RawEntry::stored(n, t.as_bytes()))
        .collect();
    entries.push(RawEntry::stored("manifest.json", &text));
    entries.push(RawEntry::stored(
        "manifest.sig",
        paicha::identity::keys::sign_hex(&key, &text).as_bytes(),
    ));
    let path = tmp.path().join("long.paicha");
    raw_zip::write(&path, &entries);

    let office = office_dir(tmp.path());
    let started = std::time::Instant::now();
    let path_arg = path.to_string_lossy().into_owned();
    let (out, peak) = run_measured(&office, &["import", &path_arg]);
    println!("imported in {:?}", started.elapsed());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("工作记录 6"), "{said}");
    check_peak(peak, "six lines of 4 MiB");
}

#[test]
fn the_hand_made_deflate_stream_inflates_as_described() {
    let tmp = tempfile::tempdir().expect("dir");
    let (stream, size) = raw_zip::inflating_run(1000);
    let expected = vec![b'a'; usize::try_from(size).expect("small")];
    let path = tmp.path().join("run.zip");
    raw_zip::write(
        &path,
        &[RawEntry::deflated(
            "run",
            stream,
            u32::try_from(size).expect("small"),
            raw_zip::crc32(&expected),
        )],
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).expect("open")).expect("zip");
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_index(0).expect("entry"), &mut out)
        .expect("inflate");
    assert_eq!(out, expected);
}

#[test]
fn weak_keys_uppercase_hex_and_second_spellings_of_times_are_refused_by_format() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let dir = laptop.dir.path();
    let bad = dir.join("bad.paicha");
    let public = paicha::identity::keys::public_hex(&key);

    // The exporter's key in uppercase: said to be uppercase, not "signature invalid".
    forge(
        &good,
        &bad,
        |list| replace_in(list, "manifest.json", &public, &public.to_uppercase()),
        None,
        |_| {},
    );
    let message = refused(&mut office, &bad, "exporter.public_key");
    assert!(
        message.contains("小写") && !message.contains("签名无效"),
        "{message}"
    );

    // A small-order point as the exporter's key.
    let weak = "0100000000000000000000000000000000000000000000000000000000000000";
    forge(
        &good,
        &bad,
        |list| replace_in(list, "manifest.json", &public, weak),
        None,
        |_| {},
    );
    refused(&mut office, &bad, "弱公钥或非规范编码");

    // A record's own signature with its key in uppercase.
    forge(
        &good,
        &bad,
        |list| {
            replace_in(
                list,
                "records/hazards.jsonl",
                &format!("\"public_key\":\"{public}\""),
                &format!("\"public_key\":\"{}\"", public.to_uppercase()),
            )
        },
        Some(&key),
        |_| {},
    );
    refused(
        &mut office,
        &bad,
        "signature 的字段“public_key”应为 64 位小写十六进制数字",
    );

    // Times that chrono reads but that are not the one spelling of a real instant.
    for time in [
        "2016-12-31T23:59:60.000000000Z",
        "2023-09-05T24:00:00.000000000Z",
        "2023-02-30T01:30:00.000000000Z",
    ] {
        forge(
            &good,
            &bad,
            |list| {
                let hazards = entry(list, "records/hazards.jsonl");
                let mut line: serde_json::Value =
                    serde_json::from_slice(hazards.split(|b| *b == b'\n').next().expect("line"))
                        .expect("json");
                line["found_at"] = serde_json::json!(time);
                *hazards = format!("{line}\n").into_bytes();
            },
            Some(&key),
            |_| {},
        );
        refused(&mut office, &bad, "字段“found_at”不是规定格式的 UTC 时间");
    }
    import(&mut office, &good).expect("the real bundle still imports");
}

#[test]
fn malformed_lines_and_manifests_are_named_in_chinese_only() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let dir = laptop.dir.path();
    let bad = dir.join("bad.paicha");
    let first_answer = {
        let list = entries(&good);
        let answers = &list
            .iter()
            .find(|(n, _)| n == "records/answers.jsonl")
            .expect("answers")
            .1;
        String::from_utf8(
            answers
                .split(|b| *b == b'\n')
                .next()
                .expect("line")
                .to_vec(),
        )
        .expect("utf8")
    };
    let answer: serde_json::Value = serde_json::from_str(&first_answer).expect("json");
    let without_note = {
        let mut v = answer.clone();
        v.as_object_mut().expect("object").remove("note");
        v.to_string()
    };
    let note_as_number = {
        let mut v = answer.clone();
        v["note"] = serde_json::json!(5);
        v.to_string()
    };
    let twice = first_answer.replacen('{', "{\"note\":\"\",", 1);
    let lines: Vec<(String, &str)> = vec![
        (
            "{".into(),
            "第1行：不是有效的 JSON（第 1 列附近：内容意外结束",
        ),
        ("{\"id\" 1}".into(), "缺少冒号"),
        ("{\"id\":1 \"a\":2}".into(), "缺少逗号或右花括号"),
        ("{id:1}".into(), "成员名必须是带引号的字符串"),
        ("{\"id\":tru}".into(), "拼写有误"),
        ("{\"id\":}".into(), "此处应为一个值"),
        ("{\"id\":1} 2".into(), "末尾还有多余的内容"),
        ("[1,2]".into(), "第1行：应为一个 JSON 对象"),
        (twice, "成员“note”出现了两次"),
        (without_note, "缺少字段“note”"),
        (note_as_number, "字段“note”应为文本"),
        (
            first_answer.replacen("\"id\":\"", "\"id\":\"X", 1),
            "字段“id”不是规定格式的编号",
        ),
        (
            format!("{{\"a\":{}}}", "[".repeat(300) + &"]".repeat(300)),
            "嵌套层数过多",
        ),
        (
            format!("{{\"a\":[{}0]}}", "0,".repeat(200_000)),
            "结构过于庞大",
        ),
    ];
    for (line, expected) in &lines {
        forge(
            &good,
            &bad,
            |list| {
                let answers = entry(list, "records/answers.jsonl");
                let text = String::from_utf8(answers.clone()).expect("utf8");
                let rest = text.split_once('\n').expect("line").1;
                *answers = format!("{line}\n{rest}").into_bytes();
            },
            Some(&key),
            |_| {},
        );
        refused(&mut office, &bad, expected);
    }
    // Not UTF-8.
    forge(
        &good,
        &bad,
        |list| {
            let answers = entry(list, "records/answers.jsonl");
            answers.splice(0..0, [0xff, 0xfe]);
        },
        Some(&key),
        |_| {},
    );
    refused(&mut office, &bad, "第1行：不是 UTF-8 文本");

    // Manifests: parsed before their signature is checked, so no re-signing is needed.
    let manifest_text = {
        let list = entries(&good);
        String::from_utf8(
            list.iter()
                .find(|(n, _)| n == "manifest.json")
                .expect("manifest")
                .1
                .clone(),
        )
        .expect("utf8")
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest_text).expect("json");
    let edited = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut m = manifest.clone();
        edit(&mut m);
        serde_json::to_string_pretty(&m).expect("json")
    };
    let mut half = manifest_text.len() / 2;
    while !manifest_text.is_char_boundary(half) {
        half -= 1;
    }
    let manifests: Vec<(String, &str)> = vec![
        (
            manifest_text[..half].to_string(),
            "清单 manifest.json 不是有效的 JSON（第",
        ),
        ("[]".into(), "清单 manifest.json 中应为一个 JSON 对象"),
        (
            manifest_text.replacen("{", "{\n  \"producer\": \"x\",", 1),
            "成员“producer”出现了两次",
        ),
        (
            edited(&|m| {
                m.as_object_mut().expect("o").remove("producer");
            }),
            "清单缺少成员“producer”",
        ),
        (
            edited(&|m| {
                m["exporter"]
                    .as_object_mut()
                    .expect("o")
                    .remove("inspector_id");
            }),
            "清单缺少成员“exporter.inspector_id”",
        ),
        (
            edited(&|m| m["extra"] = serde_json::json!(1)),
            "清单中有不认识的成员“extra”",
        ),
        (
            edited(&|m| m["covers"]["since"] = serde_json::json!(null)),
            "清单中有不认识的成员“covers.since”",
        ),
        (
            edited(&|m| m["counts"] = serde_json::json!("many")),
            "清单成员“counts”应为对象",
        ),
        (
            edited(&|m| m["counts"]["answers"] = serde_json::json!(-1)),
            "清单成员“counts.answers”应为非负整数",
        ),
        (
            edited(&|m| m["counts"]["photos"] = serde_json::json!(1)),
            "不认识的记录种类“photos”",
        ),
        (
            edited(&|m| m["producer"] = serde_json::json!(7)),
            "清单成员“producer”应为文本",
        ),
        (
            edited(&|m| m["created_at"] = serde_json::json!("昨天")),
            "清单成员“created_at”应为 RFC 3339 时间",
        ),
        (
            edited(&|m| m["replica_id"] = serde_json::json!("not-a-uuid")),
            "清单成员“replica_id”应为小写、带连字符的 UUID",
        ),
        (
            edited(&|m| {
                let first = m["entries"]
                    .as_object()
                    .and_then(|e| e.keys().next().cloned())
                    .expect("an entry");
                m["entries"][first.as_str()]["sha256"] = serde_json::json!("AB".repeat(32));
            }),
            "sha256”应为 64 位小写十六进制数字（不能用大写字母",
        ),
        (
            edited(&|m| m["format_version"] = serde_json::json!("1")),
            "清单的格式版本缺失或无效",
        ),
    ];
    for (text, expected) in &manifests {
        forge(
            &good,
            &bad,
            |list| *entry(list, "manifest.json") = text.clone().into_bytes(),
            None,
            |_| {},
        );
        refused(&mut office, &bad, expected);
    }
    // A signature file in uppercase, or not hex at all.
    for sig in [
        String::from_utf8(
            entries(&good)
                .iter()
                .find(|(n, _)| n == "manifest.sig")
                .expect("sig")
                .1
                .clone(),
        )
        .expect("utf8")
        .to_uppercase(),
        "签名".to_string(),
    ] {
        forge(
            &good,
            &bad,
            |list| *entry(list, "manifest.sig") = sig.clone().into_bytes(),
            None,
            |_| {},
        );
        refused(
            &mut office,
            &bad,
            "签名文件 manifest.sig 应为 128 位小写十六进制数字",
        );
    }
}
