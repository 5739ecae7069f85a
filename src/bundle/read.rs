//! `paicha import`: everything about the file is checked first — zip structure, entry names,
//! manifest and its signature, every entry's size and SHA-256 — and then the records are
//! applied in one transaction (`Store::import_records`), which checks each line's shape, every
//! reference and every inspection signature, and commits nothing unless all of it is good.
//! Entries are streamed, never held whole, so memory stays flat however large the bundle.

use super::BundleError;
use super::manifest::{self, Manifest};
use crate::identity::{hex, keys};
use crate::storage::Store;
use crate::storage::bundle::import::{ImportOptions, ImportReport};
use crate::storage::bundle::kinds::{self, Kind};
use crate::storage::bundle::rows::Object;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Ceilings against zip bombs, on the decompressed sizes.
#[derive(Debug, Clone, Copy)]
pub struct ImportLimits {
    pub entry_bytes: u64,
    pub total_bytes: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            entry_bytes: 1 << 30,
            total_bytes: 4 << 30,
        }
    }
}

const MANIFEST_LIMIT: u64 = 1 << 20;

pub fn file_sha256(path: &Path) -> Result<String, BundleError> {
    let mut file = File::open(path).map_err(|e| BundleError::io(path, &e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| BundleError::io(path, &e))?;
    Ok(hex::encode(&hasher.finalize()))
}

type Archive = zip::ZipArchive<File>;

/// Opens the bundle once: its SHA-256 and the archive read through the same handle, so what
/// is hashed (and logged) is what is read, even if the file is replaced meanwhile.
fn open(path: &Path) -> Result<(Archive, String), BundleError> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).map_err(|e| BundleError::io(path, &e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| BundleError::io(path, &e))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| BundleError::io(path, &e))?;
    let archive =
        zip::ZipArchive::new(file).map_err(|_| BundleError::Corrupt(path.display().to_string()))?;
    Ok((archive, hex::encode(&hasher.finalize())))
}

/// Reads and checks the bundle at `path`, then applies it (or, in a dry run, works out what
/// it would add).
pub fn import(
    store: &mut Store,
    path: &Path,
    strict: bool,
    dry_run: bool,
    limits: ImportLimits,
) -> Result<ImportReport, BundleError> {
    let trust = Trust {
        strict,
        new_keys: false,
    };
    import_with_progress(store, path, trust, dry_run, None, limits, &|_, _| {})
}

/// Whose keys an import accepts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trust {
    /// Only keys this database has recorded (`--strict`).
    pub strict: bool,
    /// A known inspector's certificate number under a new identity from another device (a
    /// new laptop) is taken: `--trust-new-keys`.
    pub new_keys: bool,
}

/// As [`import`], telling `progress` how many records of how many are applied so far.
/// `expect`: the SHA-256 of the file as previewed; a different file at the path is refused.
pub fn import_with_progress(
    store: &mut Store,
    path: &Path,
    trust: Trust,
    dry_run: bool,
    expect: Option<&str>,
    limits: ImportLimits,
    progress: &dyn Fn(u64, u64),
) -> Result<ImportReport, BundleError> {
    let (mut archive, sha256) = open(path)?;
    if expect.is_some_and(|e| e != sha256) {
        return Err(BundleError::Replaced(path.display().to_string()));
    }
    let manifest = verify(&mut archive, path, limits)?;
    let options = ImportOptions {
        strict: trust.strict,
        trust_new_keys: trust.new_keys,
        dry_run,
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256,
    };
    let total: u64 = manifest.entries.values().map(|e| e.lines).sum();
    let mut done = 0u64;
    progress(0, total);
    let mut failure: Option<BundleError> = None;
    let result = store.import_records(&options, |applier| {
        for kind in kinds::ALL {
            let entry = manifest::records_entry(kind.name);
            if !manifest.entries.contains_key(&entry) {
                continue;
            }
            // Hashed again as applied: the file could change between the two reads.
            let mut hasher = Sha256::new();
            let mut outcome =
                each_raw_line(&mut archive, &entry, limits.entry_bytes, |line, raw| {
                    hasher.update(raw);
                    done += 1;
                    if done.is_multiple_of(512) {
                        progress(done, total);
                    }
                    let object = parse_line(&entry, line, raw)?;
                    applier.apply(kind, line, object).map_err(BundleError::from)
                });
            if outcome.is_ok()
                && manifest.entries.get(&entry).map(|e| e.sha256.as_str())
                    != Some(hex::encode(&hasher.finalize()).as_str())
            {
                outcome = Err(BundleError::HashMismatch(entry.clone()));
            }
            if let Err(e) = outcome {
                let message = e.to_string();
                failure = Some(e);
                return Err(crate::storage::StoreError::Invalid(message));
            }
        }
        Ok(())
    });
    match (result, failure) {
        (Ok(report), _) => Ok(report),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
    }
}

/// Everything that can be checked without the database. Returns the manifest.
fn verify(
    archive: &mut Archive,
    path: &Path,
    limits: ImportLimits,
) -> Result<Manifest, BundleError> {
    let mut names = BTreeSet::new();
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| BundleError::Corrupt(path.display().to_string()))?;
        let name = entry
            .name()
            .map_err(|_| BundleError::Malformed("文件名不是 UTF-8".into()))?
            .to_string();
        if entry.enclosed_name().is_none()
            || name.starts_with('/')
            || name.starts_with('\\')
            || name.split(['/', '\\']).any(|part| part == "..")
        {
            return Err(BundleError::UnsafePath(name));
        }
        if !allowed(&name) {
            return Err(BundleError::UnknownEntry(name));
        }
        if !names.insert(name.clone()) {
            return Err(BundleError::Malformed(format!("文件“{name}”出现了两次")));
        }
    }
    if !names.contains(manifest::MANIFEST) {
        return Err(BundleError::Malformed("缺少清单 manifest.json".into()));
    }
    let text = read_small(archive, manifest::MANIFEST, MANIFEST_LIMIT)?;
    let value: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| BundleError::Malformed(format!("清单不是有效的 JSON（{e}）")))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(manifest::FORMAT) {
        return Err(BundleError::Malformed(
            "这不是 paicha 数据包（清单格式标识不符）".into(),
        ));
    }
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v > manifest::FORMAT_VERSION => {
            return Err(BundleError::FutureVersion {
                found: v,
                supported: manifest::FORMAT_VERSION,
            });
        }
        Some(manifest::FORMAT_VERSION) => {}
        _ => {
            return Err(BundleError::Malformed(
                "清单的格式版本缺失或无效（本程序只读版本 1）".into(),
            ));
        }
    }
    let manifest: Manifest = serde_json::from_value(value)
        .map_err(|e| BundleError::Malformed(format!("清单字段有误（{e}）")))?;
    if !names.contains(manifest::SIGNATURE) {
        return Err(BundleError::MissingSignature);
    }
    let signature = read_small(archive, manifest::SIGNATURE, 1024)?;
    let signature = String::from_utf8_lossy(&signature).trim().to_string();
    if !keys::verify_hex(&manifest.exporter.public_key, &text, &signature) {
        return Err(BundleError::BadSignature);
    }
    for name in &names {
        if name != manifest::MANIFEST
            && name != manifest::SIGNATURE
            && !manifest.entries.contains_key(name)
        {
            return Err(BundleError::UnknownEntry(name.clone()));
        }
    }
    let mut total = 0u64;
    let mut exporter_key_listed = false;
    for (name, expected) in &manifest.entries {
        if !names.contains(name) {
            return Err(BundleError::MissingEntry(name.clone()));
        }
        let kind = kind_of(name);
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        let mut lines = 0u64;
        let budget = limits
            .entry_bytes
            .min(limits.total_bytes.saturating_sub(total));
        if let Some(kind) = kind {
            each_raw_line(archive, name, budget, |n, raw| {
                hasher.update(raw);
                bytes += raw.len() as u64;
                lines = n;
                // Lines are parsed and checked once, as they are applied; here only the keys
                // file is read, for the exporter's key.
                if kind.name != kinds::KEYS.name {
                    return Ok(());
                }
                let object = parse_line(name, n, raw)?;
                if kind.name == kinds::KEYS.name
                    && object.get("inspector_id").and_then(|v| v.as_str())
                        == Some(manifest.exporter.inspector_id.as_str())
                    && object.get("public_key").and_then(|v| v.as_str())
                        == Some(manifest.exporter.public_key.as_str())
                {
                    exporter_key_listed = true;
                }
                Ok(())
            })?;
        } else {
            let mut reader = limited(archive, name, budget)?;
            let mut buf = [0u8; 64 * 1024];
            loop {
                let n = reader
                    .read(&mut buf)
                    .map_err(|e| BundleError::io(path, &e))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                bytes += n as u64;
                if bytes > budget {
                    return Err(BundleError::TooLarge {
                        entry: name.clone(),
                        limit: budget,
                    });
                }
            }
        }
        total += bytes;
        let digest = hex::encode(&hasher.finalize());
        if digest != expected.sha256 || bytes != expected.bytes || lines != expected.lines {
            return Err(BundleError::HashMismatch(name.clone()));
        }
        if name.starts_with("attachments/") && name != &format!("attachments/{digest}") {
            return Err(BundleError::HashMismatch(name.clone()));
        }
    }
    if !exporter_key_listed {
        return Err(BundleError::Malformed(
            "导出人的公钥没有列在 records/keys.jsonl 中".into(),
        ));
    }
    Ok(manifest)
}

fn allowed(name: &str) -> bool {
    name == manifest::MANIFEST
        || name == manifest::SIGNATURE
        || kind_of(name).is_some()
        || name
            .strip_prefix("attachments/")
            .is_some_and(|h| hex::decode::<32>(h).is_some())
}

fn kind_of(name: &str) -> Option<&'static Kind> {
    name.strip_prefix("records/")?
        .strip_suffix(".jsonl")
        .and_then(kinds::by_name)
}

fn read_small(archive: &mut Archive, name: &str, limit: u64) -> Result<Vec<u8>, BundleError> {
    let mut out = Vec::new();
    limited(archive, name, limit)?
        .read_to_end(&mut out)
        .map_err(|_| BundleError::Corrupt(name.to_string()))?;
    if out.len() as u64 > limit {
        return Err(BundleError::TooLarge {
            entry: name.to_string(),
            limit,
        });
    }
    Ok(out)
}

/// The entry's decompressed bytes, stopping one byte past `limit` (whatever its header says).
fn limited<'a>(
    archive: &'a mut Archive,
    name: &str,
    limit: u64,
) -> Result<impl Read + 'a, BundleError> {
    let entry = archive
        .by_name(name)
        .map_err(|_| BundleError::Corrupt(name.to_string()))?;
    Ok(entry.take(limit.saturating_add(1)))
}

/// Calls `each` with every line (1-based number, bytes including the newline) of an entry.
fn each_raw_line(
    archive: &mut Archive,
    name: &str,
    limit: u64,
    mut each: impl FnMut(u64, &[u8]) -> Result<(), BundleError>,
) -> Result<(), BundleError> {
    let mut reader = BufReader::new(limited(archive, name, limit)?);
    let mut line = Vec::new();
    let mut n = 0u64;
    let mut seen = 0u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|_| BundleError::Corrupt(name.to_string()))?;
        if read == 0 {
            return Ok(());
        }
        seen += read as u64;
        if seen > limit {
            return Err(BundleError::TooLarge {
                entry: name.to_string(),
                limit,
            });
        }
        n += 1;
        if line.last() != Some(&b'\n') {
            return Err(BundleError::Line {
                entry: name.to_string(),
                line: n,
                why: "最后一行缺少换行符（每行都应以换行结束）".into(),
            });
        }
        each(n, &line)?;
    }
}

fn parse_line(entry: &str, line: u64, raw: &[u8]) -> Result<Object, BundleError> {
    let at = |why: String| BundleError::Line {
        entry: entry.to_string(),
        line,
        why,
    };
    let text = std::str::from_utf8(raw).map_err(|_| at("不是 UTF-8 文本".into()))?;
    match serde_json::from_str::<serde_json::Value>(text.trim_end_matches(['\n', '\r'])) {
        Ok(serde_json::Value::Object(o)) => Ok(o),
        Ok(_) => Err(at("应为一个 JSON 对象".into())),
        Err(e) => Err(at(format!("不是有效的 JSON（{e}）"))),
    }
}

/// Refused imports go to a file beside the database, not into it: a refusal changes nothing.
const REFUSALS: &str = "imports-refused.jsonl";

fn refusals_path(store: &Store) -> std::path::PathBuf {
    store
        .path()
        .parent()
        .unwrap_or(Path::new("."))
        .join(REFUSALS)
}

/// Appends a refused import (file, hash, who, when, why) to the refusals file.
pub fn log_refusal(store: &mut Store, file: &Path, why: &str) -> Result<(), BundleError> {
    use std::io::Write;
    let line = serde_json::json!({
        "file_name": file.file_name().map(|n| n.to_string_lossy().into_owned()),
        "sha256": file_sha256(file).ok(),
        "imported_by": store.author_id().ok().map(|a| a.to_string()),
        "imported_at": crate::storage::sql_time(store.now()),
        "result": "refused",
        "reason": why,
    });
    let path = refusals_path(store);
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| BundleError::io(&path, &e))?;
    writeln!(out, "{line}").map_err(|e| BundleError::io(&path, &e))
}

/// The refused imports, one line each, for `paicha import --log`.
pub fn refusals(store: &Store) -> Result<Vec<String>, BundleError> {
    let path = refusals_path(store);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(BundleError::io(&path, &e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            format!(
                "{}  refused  {}  {}  原因：{}",
                field("imported_at"),
                field("file_name"),
                field("imported_by"),
                field("reason")
            )
        })
        .collect())
}
