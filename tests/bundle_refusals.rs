//! Every way a bundle can be bad is refused whole, with a Chinese message that says why, and
//! the receiving database is left exactly as it was.

#[path = "bundle/support.rs"]
mod support;

use paicha::bundle::{self, ImportLimits};
use support::*;

/// A laptop with one signed inspection, its bundle, and an office that knows nothing yet.
fn setup() -> (Site, std::path::PathBuf, Site) {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, ent, "焊工无证上岗");
    let good = export(&mut laptop, "good.paicha", all());
    (laptop, good, site("张科长"))
}

/// Imports `bundle` at `office` expecting a refusal that mentions `expected`, and checks
/// that nothing in the database changed.
fn refused(office: &mut Site, bundle: &std::path::Path, expected: &str) {
    refused_with(office, bundle, expected, false, ImportLimits::default());
}

fn refused_with(
    office: &mut Site,
    bundle: &std::path::Path,
    expected: &str,
    strict: bool,
    limits: ImportLimits,
) {
    let before = full_dump(&office.store);
    let outcome = bundle::import(&mut office.store, bundle, strict, false, limits);
    let message = match outcome {
        Ok(report) => panic!("accepted: {report:?}"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains(expected),
        "expected “{expected}” in “{message}”"
    );
    assert_same(
        &full_dump(&office.store),
        &before,
        "database after a refusal",
    );
}

#[test]
fn a_truncated_or_garbled_file_is_refused() {
    let (laptop, good, mut office) = setup();
    let bytes = std::fs::read(&good).expect("read");
    let cut = laptop.dir.path().join("cut.paicha");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    refused(&mut office, &cut, "不是完整的 paicha 数据包");
    let noise = laptop.dir.path().join("noise.paicha");
    std::fs::write(&noise, b"PK\x03\x04 not really a zip").expect("write");
    refused(&mut office, &noise, "不是完整的 paicha 数据包");
}

#[test]
fn a_changed_entry_without_a_new_manifest_fails_its_hash() {
    let (laptop, good, mut office) = setup();
    let bad = laptop.dir.path().join("bad.paicha");
    forge(
        &good,
        &bad,
        |list| {
            replace_in(
                list,
                "records/answers.jsonl",
                "焊工无证上岗",
                "焊工持证上岗",
            )
        },
        None,
        |_| {},
    );
    refused(
        &mut office,
        &bad,
        "records/answers.jsonl”的校验值与清单不符",
    );
}

#[test]
fn a_changed_or_unsigned_manifest_is_refused() {
    let (laptop, good, mut office) = setup();
    let bad = laptop.dir.path().join("bad.paicha");
    forge(
        &good,
        &bad,
        |list| replace_in(list, "manifest.json", "\"findings\"", "\"ledger\""),
        None,
        |_| {},
    );
    refused(&mut office, &bad, "清单的签名无效");
    forge(
        &good,
        &bad,
        |list| list.retain(|(n, _)| n != "manifest.sig"),
        None,
        |_| {},
    );
    refused(&mut office, &bad, "缺少签名文件 manifest.sig");
}

#[test]
fn a_format_from_the_future_asks_for_an_upgrade() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("future.paicha");
    forge(
        &good,
        &bad,
        |_| {},
        Some(&key),
        |m| m["format_version"] = serde_json::json!(5),
    );
    refused(&mut office, &bad, "格式版本 5 比本程序支持的 4 新");
}

#[test]
fn paths_that_escape_and_unknown_entries_are_refused() {
    let (laptop, good, mut office) = setup();
    let bad = laptop.dir.path().join("slip.paicha");
    for name in ["../evil.sh", "/etc/cron.d/evil", "records/../../evil"] {
        forge(
            &good,
            &bad,
            |list| list.push((name.to_string(), b"x".to_vec())),
            None,
            |_| {},
        );
        refused(&mut office, &bad, "不安全");
    }
    forge(
        &good,
        &bad,
        |list| list.push(("notes.txt".into(), b"x".to_vec())),
        None,
        |_| {},
    );
    refused(&mut office, &bad, "不认识的文件“notes.txt”");
}

#[test]
fn an_entry_that_inflates_past_the_limit_is_refused() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let bomb = vec![0u8; 3 << 20];
    let name = {
        use sha2::Digest;
        format!(
            "attachments/{}",
            paicha::identity::hex::encode(&sha2::Sha256::digest(&bomb))
        )
    };
    let bad = laptop.dir.path().join("bomb.paicha");
    forge(
        &good,
        &bad,
        |list| list.push((name, bomb)),
        Some(&key),
        |_| {},
    );
    assert!(
        std::fs::metadata(&bad).expect("size").len() < 100_000,
        "compresses well"
    );
    // An attachment is bounded by the attachment caps (judged on the signed manifest before a
    // byte is inflated; reading stops at the size the manifest gives).
    office
        .store
        .set_attachment_rules(paicha::domain::attachment::AttachmentRules {
            max_file_mb: 1,
            max_bundle_mb: 1024,
        });
    refused_with(
        &mut office,
        &bad,
        "超过单个附件上限 1.0 MB",
        false,
        ImportLimits::default(),
    );
    assert!(
        !office.dir.path().join("attachments/.staging").exists()
            || std::fs::read_dir(office.dir.path().join("attachments/.staging"))
                .expect("staging")
                .next()
                .is_none(),
        "nothing staged"
    );
    // A record file is bounded by the entry limit.
    let bomb = format!("{}\n", "x".repeat(100)).repeat(30_000).into_bytes();
    forge(
        &good,
        &bad,
        |list| {
            let at = list
                .iter()
                .position(|(n, _)| n == "records/exams.jsonl")
                .expect("exams");
            list[at].1 = bomb;
        },
        Some(&key),
        |m| m["counts"]["exams"] = serde_json::json!(30_000),
    );
    refused_with(
        &mut office,
        &bad,
        "解压后超过 1048576 字节的上限",
        false,
        ImportLimits {
            entry_bytes: 1 << 20,
            total_bytes: 1 << 30,
        },
    );
}

#[test]
fn a_line_that_does_not_parse_or_fit_the_schema_is_named() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("bad.paicha");
    forge(
        &good,
        &bad,
        |list| replace_in(list, "records/answers.jsonl", "{", "{{"),
        Some(&key),
        |_| {},
    );
    refused(
        &mut office,
        &bad,
        "records/answers.jsonl 第1行：不是有效的 JSON",
    );
    forge(
        &good,
        &bad,
        |list| replace_in(list, "records/answers.jsonl", "{", "{\"extra\":1,"),
        Some(&key),
        |_| {},
    );
    refused(&mut office, &bad, "第1行：多出未知字段“extra”");
    forge(
        &good,
        &bad,
        |list| {
            replace_in(
                list,
                "records/hazards.jsonl",
                "\"found_at\":\"",
                "\"found_at\":\"x",
            )
        },
        Some(&key),
        |_| {},
    );
    refused(&mut office, &bad, "字段“found_at”不是规定格式的 UTC 时间");
}

#[test]
fn a_reference_to_a_record_that_exists_nowhere_is_refused() {
    let (mut laptop, good, mut office) = setup();
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("dangling.paicha");
    forge(
        &good,
        &bad,
        |list| list.retain(|(n, _)| n != "records/hazards.jsonl"),
        Some(&key),
        |m| {
            if let Some(counts) = m["counts"].as_object_mut() {
                counts.remove("hazards");
            }
        },
    );
    refused(&mut office, &bad, "在数据包和本机数据中都不存在");
}

#[test]
fn a_record_changed_after_signing_fails_the_inspection_signature() {
    let (mut laptop, good, mut office) = setup();
    // Even the exporter re-signing the manifest cannot hide an edit to a signed inspection.
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("edited.paicha");
    forge(
        &good,
        &bad,
        |list| {
            replace_in(
                list,
                "records/answers.jsonl",
                "焊工无证上岗",
                "焊工持证上岗",
            )
        },
        Some(&key),
        |_| {},
    );
    refused(&mut office, &bad, "签名与内容不符");
}

#[test]
fn the_same_id_with_other_content_is_named_as_tampering() {
    let (mut laptop, good, mut office) = setup();
    import(&mut office, &good).expect("the real bundle");
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("changed.paicha");
    forge(
        &good,
        &bad,
        |list| replace_in(list, "records/hazards.jsonl", "储罐区", "卸油区"),
        Some(&key),
        |_| {},
    );
    refused(&mut office, &bad, "内容不同（location）");
}

#[test]
fn a_forged_key_for_a_known_inspector_and_unknown_signers_under_strict_are_refused() {
    let (laptop, good, mut office) = setup();
    refused_with(
        &mut office,
        &good,
        "尚未在本机登记（--strict",
        true,
        ImportLimits::default(),
    );
    import(&mut office, &good).expect("trusted on first import");

    // A forger makes a key of their own and claims to be the same inspector.
    let forger = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let forged_public = paicha::identity::keys::public_hex(&forger);
    let real_public = {
        let list = entries(&good);
        let manifest: serde_json::Value = serde_json::from_slice(
            &list
                .iter()
                .find(|(n, _)| n == "manifest.json")
                .expect("m")
                .1,
        )
        .expect("json");
        manifest["exporter"]["public_key"]
            .as_str()
            .expect("key")
            .to_string()
    };
    let bad = laptop.dir.path().join("forged.paicha");
    forge(
        &good,
        &bad,
        |list| replace_in(list, "records/keys.jsonl", &real_public, &forged_public),
        Some(&forger),
        |m| m["exporter"]["public_key"] = serde_json::json!(forged_public),
    );
    refused(&mut office, &bad, "与本机登记的不同");
}

#[test]
fn a_dry_run_reports_what_would_be_added_and_writes_nothing() {
    let (_laptop, good, mut office) = setup();
    let before = full_dump(&office.store);
    let report = bundle::import(
        &mut office.store,
        &good,
        false,
        true,
        ImportLimits::default(),
    )
    .expect("dry run");
    assert_eq!(report.added.get("inspections"), Some(&1));
    assert_eq!(report.new_enterprises, vec!["方山县加油站".to_string()]);
    assert_same(&full_dump(&office.store), &before, "after a dry run");
}
