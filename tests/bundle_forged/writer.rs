#![allow(dead_code)] // a toolbox: each test uses part of it
//! An attacker's bundle writer, written from docs/bundle-format.md and not from paicha's own
//! writer: it unzips a bundle (or starts from nothing), lets the test edit record lines as
//! JSON, signs records, inspections and roster entries with whatever key the attacker holds,
//! and writes a new zip with a manifest (hashes, sizes, lines, counts) signed by the
//! attacker's exporter key. Nothing here calls paicha's export, canonical form or signing
//! code: only the Ed25519 primitives (`sign_hex`, `public_hex`) and the fingerprint shown to
//! users are borrowed.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::SigningKey;
use paicha::identity::keys::{public_hex, sign_hex};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use uuid::Uuid;

/// Someone the attacker can sign as: an inspector id (a laptop profile), a display name, the
/// private key the attacker holds, and the device id the attacker claims.
#[derive(Clone)]
pub struct Signer {
    pub id: Uuid,
    pub name: String,
    pub key: SigningKey,
    pub replica: Uuid,
}

impl Signer {
    /// A stranger with a key of their own (made from `seed`), a new id and a new device.
    pub fn stranger(seed: u8, name: &str) -> Signer {
        Signer {
            id: Uuid::now_v7(),
            name: name.to_string(),
            key: SigningKey::from_bytes(&[seed; 32]),
            replica: Uuid::now_v7(),
        }
    }

    pub fn public(&self) -> String {
        public_hex(&self.key)
    }

    /// The fingerprint paicha shows users for this key.
    pub fn fingerprint(&self) -> String {
        paicha::domain::trust::roster::fingerprint(&self.public())
    }

    /// The `records/inspectors.jsonl` line of this person, authored by themself.
    pub fn inspector_line(&self, cert_no: &str) -> Value {
        let t = now();
        json!({
            "id": self.id.to_string(),
            "created_at": t,
            "updated_at": t,
            "author_id": self.id.to_string(),
            "replica_id": self.replica.to_string(),
            "name": self.name,
            "cert_no": cert_no,
            "group_code": null,
        })
    }

    /// The `records/keys.jsonl` line binding this person's id to the attacker's key.
    pub fn key_line(&self) -> Value {
        json!({"inspector_id": self.id.to_string(), "public_key": self.public()})
    }
}

/// A record time in its one spelling (nine fraction digits, `Z`).
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub fn now() -> String {
    time(Utc::now())
}

/// A time inside an event's payload (a close-out's `signed_at`): RFC 3339 UTC with `Z` and a
/// fraction of 3, 6 or 9 digits only when not zero, as the format doc says.
pub fn payload_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A UUIDv7 whose embedded time is `t` (ids are time-ordered: a forger picks the time).
pub fn id_at(t: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(t.timestamp()).expect("after 1970");
    Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        secs,
        t.timestamp_subsec_nanos(),
    ))
}

/// `value` with every object's members in code-point order (recursively).
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), sorted(&map[k]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The doc's canonical text: members sorted, no whitespace, non-ASCII as itself.
pub fn canonical(value: &Value) -> String {
    sorted(value).to_string()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    paicha::identity::hex::encode(&Sha256::digest(bytes))
}

/// Signs a record line (hazards, hazard events, actions, activities, addenda) as its
/// `author_id` with `key`: the line without `signature`, canonical, signed.
pub fn sign_record(line: &mut Value, key: &SigningKey) {
    let object = line.as_object_mut().expect("a record line is an object");
    object.remove("signature");
    let form = canonical(line);
    let author = line["author_id"].clone();
    line["signature"] = json!({
        "inspector_id": author,
        "public_key": public_hex(key),
        "signature": sign_hex(key, form.as_bytes()),
    });
}

/// A roster line's signed text: the entry (the line without `signature`), canonical.
pub fn roster_text(line: &Value) -> String {
    let mut entry = line.clone();
    entry
        .as_object_mut()
        .expect("a roster line is an object")
        .remove("signature");
    canonical(&entry)
}

/// What the next roster entry names as `prev`.
pub fn roster_hash(line: &Value) -> String {
    sha256_hex(roster_text(line).as_bytes())
}

/// Signs a roster line with `key`, claiming it was signed by `claimed` (the anchor's public
/// key, or the key's own).
pub fn sign_roster_line(line: &mut Value, key: &SigningKey, claimed: &str) {
    let text = roster_text(line);
    line["signature"] = json!({
        "public_key": claimed,
        "signature": sign_hex(key, text.as_bytes()),
    });
}

/// A hazard event line by `by`, id dated `id_time`, occurring at `occurred` (made now),
/// signed with `by`'s key.
pub fn event(
    by: &Signer,
    hazard: Uuid,
    kind: &str,
    payload: Value,
    id_time: DateTime<Utc>,
    occurred: DateTime<Utc>,
) -> Value {
    let t = now();
    let mut line = json!({
        "id": id_at(id_time).to_string(),
        "created_at": t,
        "updated_at": t,
        "author_id": by.id.to_string(),
        "replica_id": by.replica.to_string(),
        "hazard_id": hazard.to_string(),
        "kind": kind,
        "occurred_at": time(occurred),
        "payload": canonical(&payload),
        "note": "",
    });
    sign_record(&mut line, &by.key);
    line
}

/// The same, all dated now.
pub fn event_now(by: &Signer, hazard: Uuid, kind: &str, payload: Value) -> Value {
    let t = Utc::now();
    event(by, hazard, kind, payload, t, t)
}

/// A bundle as record lines per kind (`inspectors`, `keys`, `hazard_events`, …).
#[derive(Clone, Default)]
pub struct Bundle {
    pub files: BTreeMap<String, Vec<Value>>,
}

impl Bundle {
    pub fn empty() -> Bundle {
        Bundle::default()
    }

    /// The record lines of a bundle (its manifest and signature are thrown away).
    pub fn unzip(path: &Path) -> Bundle {
        let file = std::fs::File::open(path).expect("open bundle");
        let mut archive = zip::ZipArchive::new(file).expect("a zip");
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("entry");
            let name = entry.name().expect("utf-8 name").to_string();
            let Some(kind) = name
                .strip_prefix("records/")
                .and_then(|n| n.strip_suffix(".jsonl"))
            else {
                continue;
            };
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("utf-8 lines");
            let lines: Vec<Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).expect("a JSON line"))
                .collect();
            files.insert(kind.to_string(), lines);
        }
        Bundle { files }
    }

    pub fn lines(&self, kind: &str) -> &[Value] {
        self.files.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn lines_mut(&mut self, kind: &str) -> &mut Vec<Value> {
        self.files.entry(kind.to_string()).or_default()
    }

    pub fn push(&mut self, kind: &str, line: Value) -> &mut Bundle {
        self.lines_mut(kind).push(line);
        self
    }

    /// Only these kinds are kept.
    pub fn keep(&mut self, kinds: &[&str]) -> &mut Bundle {
        self.files.retain(|k, _| kinds.contains(&k.as_str()));
        self
    }

    /// The line of `kind` whose `id` is `id`.
    pub fn find(&self, kind: &str, id: &str) -> &Value {
        self.lines(kind)
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("no {kind} {id} in the bundle"))
    }

    pub fn find_mut(&mut self, kind: &str, id: &str) -> &mut Value {
        self.lines_mut(kind)
            .iter_mut()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("no {kind} {id} in the bundle"))
    }

    /// The first line of `kind` (a template to copy).
    pub fn first(&self, kind: &str) -> Value {
        self.lines(kind)
            .first()
            .unwrap_or_else(|| panic!("no {kind} in the bundle"))
            .clone()
    }

    /// The canonical form of the inspection `line` (docs/bundle-format.md section 5), from
    /// the answers, evidence and exams in this bundle.
    pub fn inspection_form(&self, line: &Value) -> String {
        let id = line["id"].clone();
        let children = |kind: &str| {
            let mut found: Vec<Value> = self
                .lines(kind)
                .iter()
                .filter(|l| l["inspection_id"] == id)
                .cloned()
                .collect();
            found.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
            Value::Array(found)
        };
        let mut inspection = line.clone();
        let object = inspection.as_object_mut().expect("object");
        for nested in ["inspectors", "items", "signatures"] {
            object.remove(nested);
        }
        canonical(&json!({
            "answers": children("answers"),
            "evidence": children("evidence"),
            "exams": children("exams"),
            "form": "paicha-inspection/1",
            "inspection": inspection,
            "inspectors": line["inspectors"],
            "items": line["items"],
        }))
    }

    /// Adds (or replaces) the signature of `signer_id` made with `key` on the inspection `id`.
    pub fn sign_inspection(&mut self, id: &str, signer_id: Uuid, key: &SigningKey) {
        let form = self.inspection_form(self.find("inspections", id));
        let signature = json!({
            "inspector_id": signer_id.to_string(),
            "public_key": public_hex(key),
            "signature": sign_hex(key, form.as_bytes()),
            "signed_at": now(),
        });
        let line = self.find_mut("inspections", id);
        let list = line["signatures"].as_array_mut().expect("signatures");
        list.retain(|s| s["inspector_id"] != signer_id.to_string());
        list.push(signature);
        list.sort_by(|a, b| a["inspector_id"].as_str().cmp(&b["inspector_id"].as_str()));
    }

    /// Writes the bundle to `to`, exported by `exporter`: the exporter's key line is added
    /// if missing; the manifest lists every entry's SHA-256, size and lines and the counts,
    /// and is signed with the exporter's key.
    pub fn write(&self, to: &Path, exporter: &Signer) {
        self.write_as(to, exporter, "findings");
    }

    pub fn write_as(&self, to: &Path, exporter: &Signer, kind: &str) {
        let mut files = self.files.clone();
        let keys = files.entry("keys".into()).or_default();
        if !keys.iter().any(|l| *l == exporter.key_line()) {
            keys.push(exporter.key_line());
        }
        let mut entries = Map::new();
        let mut counts = Map::new();
        let mut written: Vec<(String, Vec<u8>)> = Vec::new();
        for (kind, lines) in &files {
            if lines.is_empty() {
                continue;
            }
            let mut text = String::new();
            for line in lines {
                text.push_str(&canonical(line));
                text.push('\n');
            }
            let name = format!("records/{kind}.jsonl");
            entries.insert(
                name.clone(),
                json!({
                    "sha256": sha256_hex(text.as_bytes()),
                    "bytes": text.len(),
                    "lines": lines.len(),
                }),
            );
            counts.insert(kind.clone(), json!(lines.len()));
            written.push((name, text.into_bytes()));
        }
        let t = now();
        let manifest = json!({
            "format": "paicha-bundle",
            "format_version": paicha::bundle::manifest::FORMAT_VERSION,
            "producer": "forger 0.1",
            "kind": kind,
            "replica_id": exporter.replica.to_string(),
            "exporter": {
                "inspector_id": exporter.id.to_string(),
                "name": exporter.name,
                "public_key": exporter.public(),
            },
            "created_at": t,
            "covers": {"from": null, "until": t},
            "counts": counts,
            "entries": entries,
        });
        let mut text = serde_json::to_vec_pretty(&manifest).expect("manifest");
        text.push(b'\n');
        let signature = sign_hex(&exporter.key, &text);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(to).expect("create bundle"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("manifest.json", options).expect("start");
        zip.write_all(&text).expect("write");
        zip.start_file("manifest.sig", options).expect("start");
        zip.write_all(signature.as_bytes()).expect("write");
        for (name, bytes) in written {
            zip.start_file(name.as_str(), options).expect("start");
            zip.write_all(&bytes).expect("write");
        }
        zip.finish().expect("finish");
    }
}
