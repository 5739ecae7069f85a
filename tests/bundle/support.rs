#![allow(dead_code)] // shared by several test files, each using part of it
//! Laptops and offices for the bundle tests: stores with records, bundle surgery, dumps.

use paicha::bundle::{self, ExportOptions, ImportLimits};
use paicha::domain::lifecycle::Step;
use paicha::domain::*;
use paicha::storage::Store;
use paicha::storage::bundle::import::ImportReport;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use uuid::Uuid;

pub struct Site {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

pub fn site(name: &str) -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    // Each person their own certificate number (the same name gives the same number).
    let cert_no = format!(
        "1401{:04}",
        name.chars().map(|c| c as u32).sum::<u32>() % 10_000
    );
    store
        .set_profile(Inspector {
            name: name.into(),
            cert_no,
            group_code: None,
        })
        .expect("profile");
    Site { dir, store }
}

pub fn enterprise(store: &mut Store, name: &str, code: &str) -> Uuid {
    store
        .add_enterprise(Enterprise {
            name: name.into(),
            credit_code: CreditCode::parse(code).expect("code"),
            address: "方山县圪洞镇".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: None,
            principal: "王五".into(),
            phone: "0358-6021234".into(),
        })
        .expect("enterprise")
        .id()
}

pub fn item(code: &str) -> ItemSnapshot {
    ItemSnapshot {
        code: code.into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务三".into(),
        question: format!("{code} 的问题"),
        basis: "方发改安全发〔2023〕35号".into(),
    }
}

/// A finalized inspection of `enterprise` with two answers, an exam and a major hazard.
/// Returns (inspection, hazard).
pub fn inspection(store: &mut Store, enterprise: Uuid, what: &str) -> (Uuid, Uuid) {
    let me = store.author_id().expect("author");
    let draft = Inspection::draft(
        enterprise,
        InspectionMode::Unannounced,
        vec![me],
        chrono::Utc::now(),
        vec![],
        vec![item("E1"), item("E12")],
    );
    let id = store.create_inspection(draft).expect("draft").id();
    store
        .set_answer(id, "E1", AnswerResult::Compliant, "")
        .expect("answer");
    store
        .set_answer(id, "E12", AnswerResult::NonCompliant, what)
        .expect("answer");
    store
        .record_exam(ExamRecord {
            inspection_id: id,
            examinee_name: "赵六".into(),
            examinee_role: "主要负责人".into(),
            questions: vec![],
        })
        .expect("exam");
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: enterprise,
            inspection_id: Some(id),
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: what.into(),
            location: "储罐区".into(),
            basis: String::new(),
            found_at: chrono::Utc::now(),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "王五".into(),
                measures: "更换阀门".into(),
                funds: "2万元".into(),
                deadline: chrono::NaiveDate::from_ymd_opt(2030, 1, 15).expect("d"),
                emergency_plan: "停止卸油".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    store.finalize_inspection(id).expect("finalize");
    (id, hazard)
}

pub fn step(store: &mut Store, hazard: Uuid, step: Step) {
    let now = store.now();
    store.apply_step(hazard, step, now, "").expect("step");
}

pub fn export(site: &mut Site, name: &str, options: ExportOptions) -> PathBuf {
    let out = site.dir.path().join(name);
    bundle::export(&mut site.store, &out, &options).expect("export");
    out
}

pub fn all() -> ExportOptions {
    ExportOptions {
        all: true,
        ..Default::default()
    }
}

pub fn import(site: &mut Site, bundle: &Path) -> Result<ImportReport, bundle::BundleError> {
    bundle::import(
        &mut site.store,
        bundle,
        false,
        false,
        ImportLimits::default(),
    )
}

/// Every table of the data that bundles carry, row by row in a fixed order, as text: two
/// sites that hold the same records give the same dump. Local bookkeeping (replica id, logs,
/// whether a key is our own) is left out.
pub fn records_dump(store: &Store) -> String {
    let conn = rusqlite::Connection::open(store.path()).expect("open");
    let tables = [
        ("inspectors", "id"),
        ("enterprises", "id"),
        ("inspections", "id"),
        ("inspection_inspectors", "inspection_id, position"),
        ("inspection_items", "inspection_id, position"),
        ("answers", "id"),
        ("evidence_records", "id"),
        ("exam_records", "id"),
        ("hazards", "id"),
        ("hazard_events", "id"),
        ("enforcement_actions", "id"),
        ("activities", "id"),
        ("inspection_addenda", "id"),
        ("inspection_signatures", "inspection_id, inspector_id"),
        ("hazard_status", "hazard_id"),
    ];
    let mut out = String::new();
    for (table, order) in tables {
        out.push_str(&format!("== {table}\n"));
        out.push_str(&select_text(
            &conn,
            &format!("SELECT * FROM {table} ORDER BY {order}"),
        ));
    }
    out.push_str("== inspector_keys\n");
    out.push_str(&select_text(
        &conn,
        "SELECT inspector_id, public_key FROM inspector_keys ORDER BY inspector_id",
    ));
    out.push_str("== enterprise_revisions\n");
    out.push_str(&select_text(
        &conn,
        "SELECT enterprise_id, old_row FROM enterprise_revisions ORDER BY enterprise_id, old_row",
    ));
    out
}

/// Every table, every row, everything: what must not change when a bundle is refused.
pub fn full_dump(store: &Store) -> String {
    let conn = rusqlite::Connection::open(store.path()).expect("open");
    let mut names = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare");
    let tables: Vec<String> = names
        .query_map([], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("names");
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("== {t}\n"));
        // Sorted rows: WITHOUT ROWID tables have no insertion order to follow.
        let text = select_text(&conn, &format!("SELECT * FROM \"{t}\""));
        let mut rows: Vec<&str> = text.lines().collect();
        rows.sort_unstable();
        for row in rows {
            out.push_str(row);
            out.push('\n');
        }
    }
    out
}

fn select_text(conn: &rusqlite::Connection, sql: &str) -> String {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let n = stmt.column_count();
    let mut rows = stmt.query([]).expect("query");
    let mut out = String::new();
    while let Some(row) = rows.next().expect("row") {
        let cells: Vec<String> = (0..n)
            .map(|i| match row.get_ref(i).expect("cell") {
                rusqlite::types::ValueRef::Null => "NULL".to_string(),
                rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                rusqlite::types::ValueRef::Real(x) => x.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
            })
            .collect();
        out.push_str(&cells.join("|"));
        out.push('\n');
    }
    out
}

/// The entries of a bundle, in order.
pub fn entries(bundle: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(bundle).expect("open")).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut e = archive.by_index(i).expect("entry");
            let name = e.name().expect("name").to_string();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).expect("read");
            (name, bytes)
        })
        .collect()
}

/// Writes `entries` as a new bundle at `to`.
pub fn write_entries(to: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

/// Asserts two dumps are equal, showing only the lines that differ.
pub fn assert_same(left: &str, right: &str, what: &str) {
    if left == right {
        return;
    }
    let l: std::collections::BTreeSet<&str> = left.lines().collect();
    let r: std::collections::BTreeSet<&str> = right.lines().collect();
    let only_left: Vec<&&str> = l.difference(&r).collect();
    let only_right: Vec<&&str> = r.difference(&l).collect();
    panic!("{what}: dumps differ\nonly left:\n{only_left:#?}\nonly right:\n{only_right:#?}");
}

/// Rewrites `bundle` into `to` after `edit` changes its entries. With `resign`, the manifest's
/// hashes, sizes and line counts are brought in line with the edited entries and it is signed
/// again with that key (an exporter who really holds a key, or a forger with their own); the
/// manifest can be changed too by `edit_manifest`.
pub fn forge(
    bundle: &Path,
    to: &Path,
    edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>),
    resign: Option<&ed25519_dalek::SigningKey>,
    edit_manifest: impl FnOnce(&mut serde_json::Value),
) {
    use sha2::Digest;
    let mut list = entries(bundle);
    edit(&mut list);
    if let Some(key) = resign {
        let at = list
            .iter()
            .position(|(n, _)| n == "manifest.json")
            .expect("manifest");
        let mut manifest: serde_json::Value =
            serde_json::from_slice(&list[at].1).expect("manifest json");
        let mut listed = serde_json::Map::new();
        for (name, bytes) in &list {
            if name == "manifest.json" || name == "manifest.sig" {
                continue;
            }
            let lines = if name.ends_with(".jsonl") {
                bytes.iter().filter(|b| **b == b'\n').count() as u64
            } else {
                0
            };
            listed.insert(
                name.clone(),
                serde_json::json!({
                    "sha256": paicha::identity::hex::encode(&sha2::Sha256::digest(bytes)),
                    "bytes": bytes.len() as u64,
                    "lines": lines,
                }),
            );
        }
        manifest["entries"] = serde_json::Value::Object(listed);
        edit_manifest(&mut manifest);
        let text = serde_json::to_vec_pretty(&manifest).expect("json");
        let signature = paicha::identity::keys::sign_hex(key, &text);
        list[at].1 = text;
        match list.iter().position(|(n, _)| n == "manifest.sig") {
            Some(s) => list[s].1 = signature.into_bytes(),
            None => list.push(("manifest.sig".into(), signature.into_bytes())),
        }
    }
    write_entries(to, &list);
}

/// The private key of this site's profile.
pub fn own_key(site: &mut Site) -> ed25519_dalek::SigningKey {
    let me = site.store.author_id().expect("author");
    site.store
        .keys()
        .get(me)
        .expect("key")
        .expect("made at export")
}

/// Replaces text in one entry.
pub fn replace_in(list: &mut [(String, Vec<u8>)], entry: &str, from: &str, to: &str) {
    let (_, bytes) = list
        .iter_mut()
        .find(|(n, _)| n == entry)
        .unwrap_or_else(|| panic!("no {entry}"));
    let text = String::from_utf8(bytes.clone()).expect("utf8");
    assert!(text.contains(from), "{entry} has no {from}");
    *bytes = text.replacen(from, to, 1).into_bytes();
}

/// A bundle of `n` office-entered hazards with three events each, written directly (no
/// database behind it), signed by a key made here: big enough to take a while to import.
/// Returns the laptop profile id and public key that wrote it (for the office to enrol).
pub fn synthetic_bundle(to: &Path, n: usize) -> (Uuid, String) {
    use sha2::Digest;
    let key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let public = paicha::identity::keys::public_hex(&key);
    let who = Uuid::now_v7().to_string();
    let ent = Uuid::now_v7().to_string();
    let now = "2023-09-01T01:00:00.000000000Z";
    let meta = |id: &str| {
        format!(
            "\"id\":\"{id}\",\"created_at\":\"{now}\",\"updated_at\":\"{now}\",\"author_id\":\"{who}\",\"replica_id\":\"{who}\""
        )
    };
    let inspectors = format!(
        "{{{},\"name\":\"李建山\",\"cert_no\":\"1\",\"group_code\":null}}\n",
        meta(&who)
    );
    let keys = format!("{{\"inspector_id\":\"{who}\",\"public_key\":\"{public}\"}}\n");
    let enterprises = format!(
        "{{{},\"credit_code\":\"91350100M000100Y43\",\"name\":\"方山县加油站\",\"address\":\"\",\"town\":\"圪洞镇\",\"sector\":\"加油站\",\"sector_code\":\"fuel\",\"risk_level\":null,\"principal\":\"\",\"phone\":\"\"}}\n",
        meta(&ent)
    );
    // Each record signed by its author, as paicha does when it makes one.
    let signed = |line: String| -> String {
        let mut v: serde_json::Value = serde_json::from_str(&line).expect("line");
        let form = v.to_string();
        v["signature"] = serde_json::json!({
            "inspector_id": who,
            "public_key": public,
            "signature": paicha::identity::keys::sign_hex(&key, form.as_bytes()),
        });
        format!("{v}\n")
    };
    let mut hazards = String::new();
    let mut events = String::new();
    for _ in 0..n {
        let h = Uuid::now_v7().to_string();
        hazards.push_str(&signed(format!(
            "{{{},\"enterprise_id\":\"{ent}\",\"inspection_id\":null,\"item_code\":null,\"grade\":\"major\",\"source\":\"self_check\",\"description\":\"储罐区紧急切断装置失效\",\"location\":\"\",\"basis\":\"\",\"found_at\":\"{now}\",\"rectify_immediately\":0,\"fixes\":null,\"supervision\":null,\"anonymous_report\":0,\"assigning_document\":null}}",
            meta(&h)
        )));
        for (kind, payload) in [
            ("registered", "{}"),
            (
                "transferred",
                "{\\\"step\\\":\\\"transfer\\\",\\\"to_unit\\\":\\\"能源股\\\"}",
            ),
            (
                "listed_for_supervision",
                "{\\\"step\\\":\\\"list_for_supervision\\\",\\\"tracking_person\\\":\\\"张局长\\\"}",
            ),
        ] {
            let e = Uuid::now_v7().to_string();
            events.push_str(&signed(format!(
                "{{{},\"hazard_id\":\"{h}\",\"kind\":\"{kind}\",\"occurred_at\":\"{now}\",\"payload\":\"{payload}\",\"note\":\"\"}}",
                meta(&e)
            )));
        }
    }
    let files = [
        ("records/inspectors.jsonl", inspectors),
        ("records/keys.jsonl", keys),
        ("records/enterprises.jsonl", enterprises),
        ("records/hazards.jsonl", hazards),
        ("records/hazard_events.jsonl", events),
    ];
    let mut listed = serde_json::Map::new();
    for (name, text) in &files {
        listed.insert(
            name.to_string(),
            serde_json::json!({
                "sha256": paicha::identity::hex::encode(&sha2::Sha256::digest(text.as_bytes())),
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
        "counts": {"inspectors": 1, "keys": 1, "enterprises": 1, "hazards": n, "hazard_events": 3 * n},
        "entries": listed,
    });
    let text = serde_json::to_vec_pretty(&manifest).expect("json");
    let signature = paicha::identity::keys::sign_hex(&key, &text);
    let mut list: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, t)| (n.to_string(), t.clone().into_bytes()))
        .collect();
    list.push(("manifest.json".into(), text));
    list.push(("manifest.sig".into(), signature.into_bytes()));
    write_entries(to, &list);
    (Uuid::parse_str(&who).expect("id"), public)
}

/// Makes the site an office whose roster enrols the laptop profile `inspector` (with key
/// `public`) as a clerk and group leader.
pub fn office_enrolling(site: &mut Site, inspector: Uuid, public: &str) {
    use paicha::domain::trust::{Body, Role};
    paicha::demo::one_person_office(&mut site.store, "方山县应急管理局", "王县长").expect("office");
    let person = paicha::storage::new_person_id();
    site.store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: "李建山".into(),
                cert_no: "1".into(),
                group_code: None,
                roles: vec![Role::Inspector, Role::GroupLeader, Role::Clerk],
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: inspector,
                public_key: public.to_string(),
            },
        ])
        .expect("enrolled");
}
