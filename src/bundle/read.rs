//! `paicha import`: everything about the file is checked first — zip structure, entry names,
//! manifest and its signature, every entry's size and SHA-256 — and then the records are
//! applied in one transaction (`Store::import_records`), which checks each line's shape, every
//! reference and every inspection signature, and commits nothing unless all of it is good.
//! Entries are streamed, never held whole, and no line is longer than [`MAX_LINE_BYTES`], so
//! memory stays flat however large the bundle and whatever its headers claim.

use super::BundleError;
use super::manifest::{self, Manifest};
use crate::identity::{hex, keys};
use crate::storage::Store;
use crate::storage::bundle::import::{ImportOptions, ImportReport};
use crate::storage::bundle::kinds::{self, Kind};
use crate::storage::bundle::rows::{self, Object, shown};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Ceilings against zip bombs, on the decompressed sizes. They bound the time and disk an
/// import can take, not its memory: entries are streamed and no line is longer than
/// [`MAX_LINE_BYTES`]. The defaults (1 GiB per entry, 4 GiB in all) leave room for a ledger of
/// a million hazard events.
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

/// The longest record line, its newline included: 4 MiB (4 194 304 bytes). A line is read
/// whole before it is parsed, so this, not the entry's size, bounds what a line costs; a longer
/// line is refused as soon as its first 4 MiB are read, however much more the entry inflates
/// to. paicha's own lines are kilobytes (an inspection with 200 checklist items: about 60 KiB).
pub const MAX_LINE_BYTES: usize = 4 << 20;

/// At most this many entries in a bundle (paicha writes at most 15; attachments are reserved),
/// and at most this many bytes of central directory: the zip reader keeps the directory in
/// memory, so it is bounded before the reader sees it.
const MAX_ENTRIES: u64 = 4096;
const MAX_DIRECTORY_BYTES: u64 = 1 << 20;

pub fn file_sha256(path: &Path) -> Result<String, BundleError> {
    let mut file = File::open(path).map_err(|e| BundleError::io(path, &e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| BundleError::io(path, &e))?;
    Ok(hex::encode(&hasher.finalize()))
}

pub(super) type Archive = zip::ZipArchive<File>;

/// Opens the bundle once: its SHA-256 and the archive read through the same handle, so what
/// is hashed (and logged) is what is read, even if the file is replaced meanwhile. The zip
/// structure is checked (see [`directory`]) before the zip reader is given the file.
fn open(path: &Path) -> Result<(Archive, String), BundleError> {
    let mut file = File::open(path).map_err(|e| BundleError::io(path, &e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| BundleError::io(path, &e))?;
    let directory = directory(&mut file, path)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| BundleError::io(path, &e))?;
    let corrupt = || BundleError::Corrupt(path.display().to_string());
    let mut archive = zip::ZipArchive::new(file).map_err(|_| corrupt())?;
    // The reader must have taken the directory just checked, every entry of it.
    if archive.offset() != 0
        || archive.central_directory_start() != directory.start
        || archive.len() as u64 != directory.entries
        || archive.has_duplicate_names()
    {
        return Err(corrupt());
    }
    // Each entry's own header must say what the directory says (name, method, sizes), no two
    // entries may share bytes, and no entry may hide between them: a reader that walks the
    // local headers (as streaming readers do) then sees exactly the same files.
    archive.validate_header_consistency().map_err(|_| {
        BundleError::Malformed("压缩包中文件的头部与目录记载不一致（可能被拼接或改动过）".into())
    })?;
    Ok((archive, hex::encode(&hasher.finalize())))
}

/// Where the central directory starts and how many entries it has.
struct Directory {
    start: u64,
    entries: u64,
}

/// Reads the zip's end record and walks its central directory by hand, before the zip reader
/// does: the reader keeps one entry per name (a name written twice would be read as its last
/// copy, while other readers take the first) and holds the whole directory in memory. So:
/// - the file ends with exactly one end record (its comment reaching the end of the file, no
///   other end record there), single-disk, not ZIP64 (a bundle never needs it), and the
///   directory sits right before it (nothing prepended);
/// - at most [`MAX_ENTRIES`] entries in at most [`MAX_DIRECTORY_BYTES`];
/// - the directory holds exactly the entries the end record counts, and no name twice.
fn directory(file: &mut File, path: &Path) -> Result<Directory, BundleError> {
    const END: u64 = 22;
    const END_SIGNATURE: &[u8] = b"PK\x05\x06";
    const HEADER_SIGNATURE: &[u8] = b"PK\x01\x02";
    let corrupt = || BundleError::Corrupt(path.display().to_string());
    let io = |e: std::io::Error| BundleError::io(path, &e);
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    if len < END {
        return Err(corrupt());
    }
    // The end record is the last 22 bytes before a comment of at most 65 535.
    let tail_len = len.min(END + 0xffff);
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let u32_at =
        |b: &[u8], i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    // Every place the end signature occurs whose comment would reach exactly the end.
    let reaching_end = |at: usize| {
        tail.len() - at >= END as usize && at as u64 + END + u16_at(&tail, at + 20) == tail_len
    };
    let signatures: Vec<usize> = (0..tail.len().saturating_sub(3))
        .filter(|&i| &tail[i..i + 4] == END_SIGNATURE)
        .collect();
    // The zip reader takes the last signature first: it must be the one end record.
    let Some(&at) = signatures.last() else {
        return Err(corrupt());
    };
    if !reaching_end(at) {
        return Err(corrupt());
    }
    if signatures.iter().filter(|&&i| reaching_end(i)).count() > 1 {
        return Err(BundleError::Malformed(
            "压缩包的结尾记录不止一个（可能被拼接过）".into(),
        ));
    }
    let end = &tail[at..];
    let (disk, directory_disk) = (u16_at(end, 4), u16_at(end, 6));
    let (here, entries) = (u16_at(end, 8), u16_at(end, 10));
    let (size, start) = (u32_at(end, 12), u32_at(end, 16));
    if disk != 0 || directory_disk != 0 || here != entries {
        return Err(BundleError::Malformed("数据包不能是分卷压缩包".into()));
    }
    if entries == 0xffff || size == 0xffff_ffff || start == 0xffff_ffff {
        return Err(BundleError::Malformed(
            "压缩包使用了 ZIP64 格式（paicha 数据包用不到，可能是恶意构造的）".into(),
        ));
    }
    if entries > MAX_ENTRIES || size > MAX_DIRECTORY_BYTES {
        return Err(BundleError::Malformed(format!(
            "数据包中的文件过多（{entries} 个，最多 {MAX_ENTRIES} 个）或压缩包目录过大"
        )));
    }
    if entries == 0 {
        return Err(BundleError::Malformed("缺少清单 manifest.json".into()));
    }
    let end_at = len - tail_len + at as u64;
    if start + size != end_at {
        return Err(corrupt());
    }
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut reader = BufReader::new((&*file).take(size));
    let mut names: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut header = [0u8; 46];
    for _ in 0..entries {
        reader.read_exact(&mut header).map_err(|_| corrupt())?;
        if &header[..4] != HEADER_SIGNATURE {
            return Err(corrupt());
        }
        let mut name = vec![0u8; u16_at(&header, 28) as usize];
        reader.read_exact(&mut name).map_err(|_| corrupt())?;
        let skip = u16_at(&header, 30) + u16_at(&header, 32);
        let skipped = std::io::copy(&mut (&mut reader).take(skip), &mut std::io::sink())
            .map_err(|_| corrupt())?;
        if skipped != skip {
            return Err(corrupt());
        }
        if names.contains(&name) {
            return Err(BundleError::Malformed(format!(
                "文件“{}”出现了两次",
                shown(&String::from_utf8_lossy(&name))
            )));
        }
        names.insert(name);
    }
    // Nothing after the counted entries: hidden entries would be seen by other readers only.
    if reader.fill_buf().map_err(|_| corrupt())?.is_empty() {
        Ok(Directory { start, entries })
    } else {
        Err(BundleError::Malformed(
            "压缩包目录中的文件数与结尾记录不符（可能藏有文件）".into(),
        ))
    }
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
        ..Trust::default()
    };
    import_with_progress(store, path, trust, dry_run, None, limits, &|_, _| {})
}

/// Whose keys an import accepts.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// Only keys this database has recorded (`--strict`).
    pub strict: bool,
    /// Keys the roster (or the first-sight rule) would refuse are taken, after the user was
    /// shown who and which key: `--trust-new-keys`.
    pub new_keys: bool,
    /// The office's fingerprint as read at the office: needed the first time a roster
    /// arrives (`--office-fingerprint`).
    pub office_fingerprint: Option<String>,
    /// Follow a new office anchor whose fingerprint is `office_fingerprint` (`--retrust`).
    pub retrust: bool,
    /// Take records of revoked keys (a clerk's reviewed release; see `held::release`).
    pub release_revoked: bool,
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
    super::attach::check_caps(&manifest, &store.attachment_rules())?;
    // Progress by bytes: the attachments as they are staged, then the records as applied.
    let total: u64 = manifest.entries.values().map(|e| e.bytes).sum();
    let mut done = 0u64;
    progress(0, total);
    let files = store.attachment_files();
    let incoming = super::attach::stage(&mut archive, &manifest, &files, &mut |n| {
        done += n;
        progress(done, total);
    })?;
    let options = ImportOptions {
        strict: trust.strict,
        trust_new_keys: trust.new_keys,
        dry_run,
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256,
        office_fingerprint: trust.office_fingerprint.clone(),
        retrust: trust.retrust,
        release_revoked: trust.release_revoked,
        exporter_id: manifest.exporter.inspector_id.clone(),
        exporter_key: manifest.exporter.public_key.clone(),
        attachments: incoming.carried,
    };
    let staged = incoming.staged;
    let mut failure: Option<BundleError> = None;
    let feed = |applier: &mut crate::storage::bundle::import::Applier| {
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
                    done += raw.len() as u64;
                    progress(done, total);
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
    };
    let result =
        store.import_records_placing(&options, feed, || super::attach::place(&files, staged));
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
        // A name taken from an extra field (Info-ZIP Unicode path) would differ between
        // readers: the one name is the one in the header.
        if entry.name_raw() != name.as_bytes() {
            return Err(BundleError::Malformed(format!(
                "文件“{}”的名称有两种写法（可能被改动过）",
                shown(&name)
            )));
        }
        if entry.enclosed_name().is_none()
            || name.starts_with('/')
            || name.starts_with('\\')
            || name.split(['/', '\\']).any(|part| part == "..")
        {
            return Err(BundleError::UnsafePath(shown(&name)));
        }
        if !allowed(&name) {
            return Err(BundleError::UnknownEntry(shown(&name)));
        }
        let method = entry.compression();
        if entry.encrypted()
            || !matches!(
                method,
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            )
        {
            return Err(BundleError::Malformed(format!(
                "文件“{name}”加密了或使用了不支持的压缩方式（只能是不压缩或 Deflate）"
            )));
        }
        if !names.insert(name.clone()) {
            return Err(BundleError::Malformed(format!("文件“{name}”出现了两次")));
        }
    }
    if !names.contains(manifest::MANIFEST) {
        return Err(BundleError::Malformed("缺少清单 manifest.json".into()));
    }
    let text = read_small(archive, manifest::MANIFEST, MANIFEST_LIMIT)?;
    let manifest = manifest::parse(&text)?;
    if !names.contains(manifest::SIGNATURE) {
        return Err(BundleError::MissingSignature);
    }
    let signature = read_small(archive, manifest::SIGNATURE, 1024)?;
    let signature = std::str::from_utf8(&signature)
        .unwrap_or_default()
        .trim_end_matches(|c: char| c.is_ascii_whitespace());
    if let Some(why) = hex::problem::<64>(signature) {
        return Err(BundleError::Malformed(format!(
            "签名文件 {} {why}",
            manifest::SIGNATURE
        )));
    }
    if !keys::verify_hex(&manifest.exporter.public_key, &text, signature) {
        return Err(BundleError::BadSignature);
    }
    for name in manifest.entries.keys() {
        if name == manifest::MANIFEST || name == manifest::SIGNATURE {
            return Err(BundleError::Malformed(format!("清单不应列出 {name} 本身")));
        }
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
        } else if name.starts_with(super::attach::PREFIX) {
            // Hashed as it is staged (`attach::stage`), against its name and this entry.
            continue;
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
pub(super) fn limited<'a>(
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
/// A line longer than [`MAX_LINE_BYTES`] is refused once that much of it is read.
fn each_raw_line(
    archive: &mut Archive,
    name: &str,
    limit: u64,
    mut each: impl FnMut(u64, &[u8]) -> Result<(), BundleError>,
) -> Result<(), BundleError> {
    let mut reader = BufReader::with_capacity(64 << 10, limited(archive, name, limit)?);
    let mut line = Vec::new();
    let mut n = 0u64;
    let mut seen = 0u64;
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES as u64)
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
            let more = !reader
                .fill_buf()
                .map_err(|_| BundleError::Corrupt(name.to_string()))?
                .is_empty();
            return Err(BundleError::Line {
                entry: name.to_string(),
                line: n,
                why: if more {
                    format!(
                        "这一行超过了单行 {} 字节（{} MiB）的上限，可能是恶意构造的数据包",
                        MAX_LINE_BYTES,
                        MAX_LINE_BYTES >> 20
                    )
                } else {
                    "最后一行缺少换行符（每行都应以换行结束）".into()
                },
            });
        }
        each(n, &line)?;
    }
}

/// One line as a JSON object, parsed strictly (see [`rows::parse_object`]); the reason in
/// Chinese, naming entry and line.
fn parse_line(entry: &str, line: u64, raw: &[u8]) -> Result<Object, BundleError> {
    let at = |why: String| BundleError::Line {
        entry: entry.to_string(),
        line,
        why,
    };
    let text = std::str::from_utf8(raw).map_err(|e| {
        at(format!(
            "不是 UTF-8 文本（第 {} 个字节处）",
            e.valid_up_to() + 1
        ))
    })?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    rows::parse_object(text, rows::LINE_NODES).map_err(|p| at(p.describe("JSON")))
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
