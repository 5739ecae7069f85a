//! `manifest.json`: what a bundle is, who made it, what it covers and the SHA-256 of every
//! other entry. `manifest.sig` holds the exporter's ed25519 signature of its exact bytes.
//!
//! Read by [`parse`], member by member, so that every refusal names the member in Chinese
//! (a derived deserializer would speak serde's English: `missing field`, `invalid type`).

use super::BundleError;
use crate::identity::{hex, keys};
use crate::storage::bundle::{kinds, rows};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const FORMAT: &str = "paicha-bundle";
/// The version this build writes. 2 added the office's roster (`records/roster.jsonl`),
/// document numbers (`records/documents.jsonl`) and the close-out's `signer_id`; 3 added an
/// inspection's `departed_at`, a document's `issued_at` and `content`, and a failed
/// verification's new deadline or case (written only when they hold a value, so a record
/// made before reads and signs as it did); 4 added corrections of a finalized inspection's
/// times and of its evidence records (`records/time_corrections.jsonl`,
/// `records/evidence_corrections.jsonl`). Bundles of versions 1 to 3 (from laptops not yet
/// upgraded) are read under the same checks.
pub const FORMAT_VERSION: u64 = 4;
pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";

/// Values and member names a manifest may hold (about ten per entry; a bundle has at most a
/// few dozen entries): its parse stays small whatever its megabyte holds.
const MANIFEST_NODES: usize = 20_000;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub format_version: u64,
    pub producer: String,
    /// `findings` (laptop → office) or `ledger` (office → laptops).
    pub kind: String,
    pub replica_id: String,
    pub exporter: Exporter,
    pub created_at: String,
    pub covers: Covers,
    /// Records per kind name.
    pub counts: BTreeMap<String, u64>,
    /// Every other entry by its path in the zip.
    pub entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Exporter {
    pub inspector_id: String,
    pub name: String,
    pub public_key: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Covers {
    /// Records final at or after this time; `null` for everything.
    pub from: Option<String>,
    pub until: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub sha256: String,
    pub bytes: u64,
    /// Lines (records) in a JSON Lines entry; 0 for an attachment.
    pub lines: u64,
}

/// Where a record kind's lines are.
pub fn records_entry(kind: &str) -> String {
    format!("records/{kind}.jsonl")
}

fn bad(why: String) -> BundleError {
    BundleError::Malformed(why)
}

/// Reads `manifest.json` (its exact bytes) as docs/bundle-format.md section 2 says: exactly
/// the listed members, each of its type. The format mark and version are looked at first, so
/// a newer bundle asks for an upgrade rather than naming a member this version does not know.
pub fn parse(bytes: &[u8]) -> Result<Manifest, BundleError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| bad(format!("清单 {MANIFEST} 不是 UTF-8 文本")))?;
    let top = match rows::parse_object(text, MANIFEST_NODES) {
        Ok(top) => top,
        Err(rows::JsonProblem::Syntax(at)) => {
            return Err(bad(format!("清单 {MANIFEST} 不是有效的 JSON（{at}）")));
        }
        Err(problem) => {
            return Err(bad(format!(
                "清单 {MANIFEST} 中{}",
                problem.describe("JSON")
            )));
        }
    };
    if top.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(bad("这不是 paicha 数据包（清单格式标识不符）".into()));
    }
    match top.get("format_version").and_then(Value::as_u64) {
        Some(v) if v > FORMAT_VERSION => {
            return Err(BundleError::FutureVersion {
                found: v,
                supported: FORMAT_VERSION,
            });
        }
        Some(1..=FORMAT_VERSION) => {}
        _ => {
            return Err(bad(format!(
                "清单的格式版本缺失或无效（本程序只读版本 {FORMAT_VERSION}）"
            )));
        }
    }
    let mut m = Members::new(String::new(), top);
    let manifest = Manifest {
        format: m.text("format")?,
        format_version: m.count("format_version")?,
        producer: m.text("producer")?,
        kind: m.text("kind")?,
        replica_id: m.uuid("replica_id")?,
        exporter: {
            let mut e = m.object("exporter")?;
            let exporter = Exporter {
                inspector_id: e.uuid("inspector_id")?,
                name: e.text("name")?,
                public_key: e.public_key("public_key")?,
            };
            e.done()?;
            exporter
        },
        created_at: m.time("created_at")?,
        covers: {
            let mut c = m.object("covers")?;
            let covers = Covers {
                from: match c.take("from")? {
                    Value::Null => None,
                    other => Some(c.time_value("from", other)?),
                },
                until: c.time("until")?,
            };
            c.done()?;
            covers
        },
        counts: {
            let counts = m.object("counts")?;
            let mut out = BTreeMap::new();
            for (kind, value) in counts.map {
                if kinds::by_name(&kind).is_none() {
                    return Err(bad(format!(
                        "清单成员“counts”中有不认识的记录种类“{}”",
                        rows::shown(&kind)
                    )));
                }
                let n = value
                    .as_u64()
                    .ok_or_else(|| bad(format!("清单成员“counts.{kind}”应为非负整数")))?;
                out.insert(kind, n);
            }
            out
        },
        entries: {
            let entries = m.object("entries")?;
            let mut out = BTreeMap::new();
            for (name, value) in entries.map {
                let path = format!("entries.{}", rows::shown(&name));
                let Value::Object(members) = value else {
                    return Err(bad(format!("清单成员“{path}”应为对象")));
                };
                let mut e = Members::new(format!("{path}."), members);
                let entry = Entry {
                    sha256: e.hex32("sha256")?,
                    bytes: e.count("bytes")?,
                    lines: e.count("lines")?,
                };
                e.done()?;
                out.insert(name, entry);
            }
            out
        },
    };
    m.done()?;
    check_counts(&manifest)?;
    if manifest.format_version < 4
        && let Some(kind) = kinds::SINCE_FORMAT_4
            .iter()
            .find(|k| manifest.entries.contains_key(&records_entry(k.name)))
    {
        return Err(bad(format!(
            "格式版本 {} 的数据包不能含有{}（records/{}.jsonl，自格式版本 4 起才有）",
            manifest.format_version, kind.label, kind.name
        )));
    }
    Ok(manifest)
}

/// `counts` names exactly the record files that have lines, each with its number of lines.
fn check_counts(manifest: &Manifest) -> Result<(), BundleError> {
    for (kind, n) in &manifest.counts {
        let entry = records_entry(kind);
        let lines = manifest.entries.get(&entry).map_or(0, |e| e.lines);
        if lines != *n {
            return Err(bad(format!(
                "清单成员“counts.{kind}”为 {n}，但 {entry} 有 {lines} 行：两者必须相等"
            )));
        }
    }
    for (name, entry) in &manifest.entries {
        let Some(kind) = name
            .strip_prefix("records/")
            .and_then(|n| n.strip_suffix(".jsonl"))
        else {
            continue;
        };
        if entry.lines > 0 && !manifest.counts.contains_key(kind) {
            return Err(bad(format!(
                "清单成员“counts”缺少“{kind}”（{name} 有 {} 行）",
                entry.lines
            )));
        }
    }
    Ok(())
}

/// The members of one object of the manifest, taken one by one; what is left at the end is
/// unknown. `path` names the object in messages (`exporter.`).
struct Members {
    path: String,
    map: Map<String, Value>,
}

impl Members {
    fn new(path: String, map: Map<String, Value>) -> Members {
        Members { path, map }
    }

    fn name(&self, member: &str) -> String {
        format!("{}{member}", self.path)
    }

    fn take(&mut self, member: &str) -> Result<Value, BundleError> {
        self.map
            .remove(member)
            .ok_or_else(|| bad(format!("清单缺少成员“{}”", self.name(member))))
    }

    fn text(&mut self, member: &str) -> Result<String, BundleError> {
        match self.take(member)? {
            Value::String(s) => Ok(s),
            _ => Err(bad(format!("清单成员“{}”应为文本", self.name(member)))),
        }
    }

    fn count(&mut self, member: &str) -> Result<u64, BundleError> {
        self.take(member)?
            .as_u64()
            .ok_or_else(|| bad(format!("清单成员“{}”应为非负整数", self.name(member))))
    }

    fn object(&mut self, member: &str) -> Result<Members, BundleError> {
        match self.take(member)? {
            Value::Object(map) => Ok(Members::new(format!("{}.", self.name(member)), map)),
            _ => Err(bad(format!("清单成员“{}”应为对象", self.name(member)))),
        }
    }

    fn uuid(&mut self, member: &str) -> Result<String, BundleError> {
        let text = self.text(member)?;
        if !rows::is_uuid_text(&text) {
            return Err(bad(format!(
                "清单成员“{}”应为小写、带连字符的 UUID",
                self.name(member)
            )));
        }
        Ok(text)
    }

    fn hex32(&mut self, member: &str) -> Result<String, BundleError> {
        let text = self.text(member)?;
        match hex::problem::<32>(&text) {
            Some(why) => Err(bad(format!("清单成员“{}”{why}", self.name(member)))),
            None => Ok(text),
        }
    }

    fn public_key(&mut self, member: &str) -> Result<String, BundleError> {
        let text = self.hex32(member)?;
        if !keys::valid_public_key(&text) {
            return Err(bad(format!(
                "清单成员“{}”不是可用的 ed25519 公钥（弱公钥或非规范编码）",
                self.name(member)
            )));
        }
        Ok(text)
    }

    fn time(&mut self, member: &str) -> Result<String, BundleError> {
        let value = self.take(member)?;
        self.time_value(member, value)
    }

    /// An RFC 3339 time (informative here: records' own times have the one strict spelling).
    fn time_value(&self, member: &str, value: Value) -> Result<String, BundleError> {
        match value {
            Value::String(s) if chrono::DateTime::parse_from_rfc3339(&s).is_ok() => Ok(s),
            _ => Err(bad(format!(
                "清单成员“{}”应为 RFC 3339 时间（如 2023-09-05T01:30:00.000000000Z）",
                self.name(member)
            ))),
        }
    }

    /// Refuses a member nobody took.
    fn done(self) -> Result<(), BundleError> {
        match self.map.keys().next() {
            Some(unknown) => Err(bad(format!(
                "清单中有不认识的成员“{}{}”",
                self.path,
                rows::shown(unknown)
            ))),
            None => Ok(()),
        }
    }
}
