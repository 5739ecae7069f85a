//! Writing a backup: the database copied consistently to a staging folder, then the copy and
//! every stored file streamed through zip and age into `<out>.part`, fsynced, renamed over
//! `out`, and read back whole to check it before it is reported (and noted as the last backup).

use super::{
    ATTACHMENTS, BackupError, DATABASE, Entry, FORMAT, Leftover, MANIFEST, Manifest, VERSION, io,
};
use crate::storage::Store;
use crate::storage::attachment_files::copy_hashed;
use age::secrecy::SecretString;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    /// Bytes of the backup file.
    pub size: u64,
    pub database_bytes: u64,
    pub attachments: usize,
    pub attachment_bytes: u64,
}

/// Backs up the data dir of `store` to `out`, encrypted with `passphrase`; `progress` is told
/// bytes written of bytes to write.
pub fn backup(
    store: &mut Store,
    out: &Path,
    passphrase: &SecretString,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<BackupSummary, BackupError> {
    refuse_foreign_target(out)?;
    let data_dir = store
        .path()
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let staging = data_dir.join(format!(".backup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir(&staging).map_err(|e| io("无法建立临时文件夹", &staging, &e))?;
    let _staging = Leftover(Some(staging.clone()));
    let db = staging.join(DATABASE);
    let hashes = store.snapshot_to(&db)?;
    let files = store.attachment_files();
    let mut sizes = Vec::with_capacity(hashes.len());
    for sha in &hashes {
        let path = files.path_of(sha);
        let meta = std::fs::metadata(&path).map_err(|_| {
            BackupError::Refused(format!(
                "附件存储中缺少文件 {sha}（记录仍在）：备份没有写出。请检查数据目录的 attachments 文件夹"
            ))
        })?;
        sizes.push(meta.len());
    }
    let db_size = std::fs::metadata(&db)
        .map_err(|e| io("无法读取", &db, &e))?
        .len();
    let total = db_size + sizes.iter().sum::<u64>();

    let part = part_path(out);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&part)
        .map_err(|e| io("无法写入", &part, &e))?;
    let mut leftover = Leftover(Some(part.clone()));
    let sealed = age::Encryptor::with_user_passphrase(passphrase.clone())
        .wrap_output(BufWriter::new(file))
        .map_err(|e| io("无法写入", &part, &e))?;
    let mut zip = zip::ZipWriter::new_stream(sealed);
    let mut written = 0u64;
    let mut tell = |n: u64| {
        written += n;
        progress(written, total);
    };
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let database = put(&mut zip, DATABASE, &db, deflated, &part, &mut tell)?;
    let mut attachments = Vec::with_capacity(hashes.len());
    for sha in &hashes {
        let name = format!("{ATTACHMENTS}{sha}");
        let entry = put(
            &mut zip,
            &name,
            &files.path_of(sha),
            stored,
            &part,
            &mut tell,
        )?;
        if &entry.sha256 != sha {
            return Err(BackupError::Refused(format!(
                "附件存储中的文件 {sha} 已损坏（内容与校验值不符）：备份没有写出"
            )));
        }
        attachments.push(entry);
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        producer: format!("paicha {}", env!("CARGO_PKG_VERSION")),
        created_at: store.now(),
        device: store.replica_id().to_string(),
        database,
        attachments,
    };
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackupError::Refused(format!("无法写出备份清单：{e}")))?;
    zip.start_file(MANIFEST, deflated)
        .map_err(|e| super::zip_error(&part, e))?;
    zip.write_all(&text)
        .map_err(|e| io("无法写入", &part, &e))?;
    let sealed = zip
        .finish()
        .map_err(|e| super::zip_error(&part, e))?
        .into_inner();
    let file = sealed
        .finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .map_err(|e| io("无法写入", &part, &e))?;
    file.sync_all().map_err(|e| io("无法写入", &part, &e))?;
    drop(file);
    std::fs::rename(&part, out).map_err(|e| io("无法写入", out, &e))?;
    leftover.0 = None;
    sync_parent(out);

    let checked = super::verify(out, passphrase)?;
    if checked != manifest {
        return Err(BackupError::Refused(format!(
            "{}：读回的内容与写入的不一致，请换一个位置重新备份",
            out.display()
        )));
    }
    store.record_backup()?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(BackupSummary {
        path: out.to_path_buf(),
        size,
        database_bytes: db_size,
        attachments: hashes.len(),
        attachment_bytes: sizes.iter().sum(),
    })
}

/// Streams the file at `from` into the zip as `name`: its hash and size.
fn put<W: Write>(
    zip: &mut zip::ZipWriter<zip::write::StreamWriter<W>>,
    name: &str,
    from: &Path,
    options: SimpleFileOptions,
    part: &Path,
    tell: &mut dyn FnMut(u64),
) -> Result<Entry, BackupError> {
    let mut source = File::open(from).map_err(|e| io("无法读取", from, &e))?;
    zip.start_file(name, options)
        .map_err(|e| super::zip_error(part, e))?;
    let (sha256, size, _) = copy_hashed(
        &mut source as &mut dyn Read,
        Some(zip as &mut dyn Write),
        u64::MAX,
        tell,
    )
    .map_err(|why| BackupError::Refused(format!("{}：{why}", from.display())))?;
    Ok(Entry {
        name: name.to_string(),
        sha256,
        size,
    })
}

/// An existing file is replaced only when it is an age file (an earlier backup, say on the
/// same stick every evening), never anything else.
fn refuse_foreign_target(out: &Path) -> Result<(), BackupError> {
    if out.is_dir() {
        return Err(BackupError::Refused(format!(
            "{} 是文件夹：请给出备份文件的名称，如 {}",
            out.display(),
            out.join("paicha-备份.age").display()
        )));
    }
    let Ok(mut file) = File::open(out) else {
        return Ok(());
    };
    let mut head = [0u8; 21];
    let read = file.read(&mut head).unwrap_or(0);
    if head[..read] != *super::AGE_MAGIC {
        return Err(BackupError::Refused(format!(
            "{} 已存在且不是备份文件：不覆盖，请换一个文件名",
            out.display()
        )));
    }
    Ok(())
}

fn part_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "paicha-备份".into());
    out.with_file_name(format!(".{name}.part"))
}

/// Makes the rename durable where the platform allows it (`storage::dir_sync`).
fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let _ = crate::storage::dir_sync::sync_dir(dir);
}
