//! Reading a backup: checking one whole (`verify`), and restoring it into an empty data dir
//! (`restore`), all or nothing: everything is unpacked and checked in a staging folder beside
//! the target, made this machine's own, and only then renamed into place.

use super::{
    ATTACHMENTS, BackupError, DATABASE, FORMAT, Leftover, MANIFEST, Manifest, VERSION, io,
};
use crate::storage::attachment_files::copy_hashed;
use age::secrecy::SecretString;
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};

type Archive = zip::ZipArchive<age::stream::StreamReader<BufReader<File>>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    pub data_dir: PathBuf,
    pub taken_at: chrono::DateTime<chrono::Utc>,
    pub attachments: usize,
    /// The profile's name, when the backup had one.
    pub profile: Option<String>,
    pub new_device: uuid::Uuid,
    /// The fingerprint of this machine's new key, for the office to enrol.
    pub key_fingerprint: Option<String>,
}

/// Opens the backup at `path` with `passphrase`: its archive and checked manifest.
fn open(path: &Path, passphrase: &SecretString) -> Result<(Archive, Manifest), BackupError> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|e| io("无法打开", path, &e))?;
    let decryptor = age::Decryptor::new(BufReader::new(file)).map_err(|e| match e {
        // Too short or garbled for an age header: some other file.
        age::DecryptError::Io(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
            ) =>
        {
            BackupError::NotABackup(shown.clone(), "不是加密的备份文件".into())
        }
        age::DecryptError::Io(e) => io("无法读取", path, &e),
        other => BackupError::NotABackup(shown.clone(), other.to_string()),
    })?;
    if !decryptor.is_scrypt() {
        return Err(BackupError::NotABackup(
            shown,
            "不是用口令加密的文件".into(),
        ));
    }
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                BackupError::WrongPassphrase(shown.clone())
            }
            age::DecryptError::Io(e) => io("无法读取", path, &e),
            other => BackupError::NotABackup(shown.clone(), other.to_string()),
        })?;
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| super::zip_error(path, e))?;
    let manifest = read_manifest(&mut archive, path)?;
    // Every entry is the manifest or named by it: nothing rides along unchecked.
    let named: std::collections::BTreeSet<&str> = std::iter::once(manifest.database.name.as_str())
        .chain(manifest.attachments.iter().map(|a| a.name.as_str()))
        .chain([MANIFEST])
        .collect();
    for name in archive.file_names() {
        let name = name.map_err(|e| super::zip_error(path, e))?;
        if !named.contains(name.as_ref()) {
            return Err(BackupError::NotABackup(
                shown,
                format!("含有清单之外的条目 {name}"),
            ));
        }
    }
    Ok((archive, manifest))
}

fn read_manifest(archive: &mut Archive, path: &Path) -> Result<Manifest, BackupError> {
    let shown = path.display().to_string();
    let mut text = Vec::new();
    archive
        .by_name(MANIFEST)
        .map_err(|_| BackupError::NotABackup(shown.clone(), "缺少清单 manifest.json".into()))?
        .take(1 << 26)
        .read_to_end(&mut text)
        .map_err(|e| io("无法读取", path, &e))?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .map_err(|e| BackupError::NotABackup(shown.clone(), format!("清单无法解析：{e}")))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(BackupError::NotABackup(
            shown,
            format!(
                "格式 {} 第 {} 版，本程序读取 {FORMAT} 第 {VERSION} 版",
                manifest.format, manifest.version
            ),
        ));
    }
    let bad_name = |n: &str| {
        n.strip_prefix(ATTACHMENTS)
            .is_none_or(|sha| !crate::domain::attachment::is_sha256(sha))
    };
    if manifest.database.name != DATABASE
        || manifest
            .attachments
            .iter()
            .any(|a| bad_name(&a.name) || a.name[ATTACHMENTS.len()..] != a.sha256)
    {
        return Err(BackupError::NotABackup(
            shown,
            "清单中的条目名称不对".into(),
        ));
    }
    Ok(manifest)
}

/// Streams entry `name` to `to` (or nowhere), checking its hash and size against `entry`.
fn take<W: Read + Seek>(
    archive: &mut zip::ZipArchive<W>,
    entry: &super::Entry,
    to: Option<&mut dyn Write>,
    path: &Path,
) -> Result<(), BackupError> {
    let shown = path.display().to_string();
    let mut file = archive
        .by_name(&entry.name)
        .map_err(|_| BackupError::NotABackup(shown.clone(), format!("缺少条目 {}", entry.name)))?;
    let (sha256, size, _) = copy_hashed(&mut file, to, entry.size, &mut |_| {})
        .map_err(|why| BackupError::NotABackup(shown.clone(), format!("{}：{why}", entry.name)))?;
    if sha256 != entry.sha256 || size != entry.size {
        return Err(BackupError::NotABackup(
            shown,
            format!("条目 {} 的内容与清单不符", entry.name),
        ));
    }
    Ok(())
}

/// Reads the whole backup at `path` back, checking every entry against its manifest.
pub fn verify(path: &Path, passphrase: &SecretString) -> Result<Manifest, BackupError> {
    let (mut archive, manifest) = open(path, passphrase)?;
    take(&mut archive, &manifest.database, None, path)?;
    for a in &manifest.attachments {
        take(&mut archive, a, None, path)?;
    }
    Ok(manifest)
}

/// Restores the backup at `path` into `data_dir`, which must not exist or be empty.
pub fn restore(
    path: &Path,
    data_dir: &Path,
    passphrase: &SecretString,
    clock: std::sync::Arc<dyn crate::domain::Clock>,
) -> Result<RestoreSummary, BackupError> {
    if let Ok(mut entries) = std::fs::read_dir(data_dir)
        && entries.next().is_some()
    {
        return Err(BackupError::Refused(format!(
            "数据目录 {} 不是空的：恢复只放进空的（或还不存在的）数据目录，不覆盖现有记录。\
             请用 --data-dir 指定一个新目录",
            data_dir.display()
        )));
    }
    if data_dir.exists() && !data_dir.is_dir() {
        return Err(BackupError::Refused(format!(
            "{} 不是文件夹",
            data_dir.display()
        )));
    }
    let (mut archive, manifest) = open(path, passphrase)?;
    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io("无法建立文件夹", &parent, &e))?;
    let staging = parent.join(format!(".paicha-restore-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir(&staging).map_err(|e| io("无法建立文件夹", &staging, &e))?;
    let mut leftover = Leftover(Some(staging.clone()));
    let db = staging.join(DATABASE);
    write_entry(&mut archive, &manifest.database, &db, path)?;
    let store_dir = staging.join("attachments");
    std::fs::create_dir(&store_dir).map_err(|e| io("无法建立文件夹", &store_dir, &e))?;
    for a in &manifest.attachments {
        let to = staging.join(&a.name);
        write_entry(&mut archive, a, &to, path)?;
    }
    {
        let conn = rusqlite::Connection::open(&db).map_err(crate::storage::StoreError::from)?;
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(crate::storage::StoreError::from)?;
        if check != "ok" {
            return Err(BackupError::NotABackup(
                path.display().to_string(),
                format!("数据库未通过完整性检查：{check}"),
            ));
        }
        crate::storage::backup::make_restored_copy_new_device(&conn)?;
    }
    let (profile, key_fingerprint, new_device) = {
        let mut store = crate::storage::Store::open(&staging, clock)?;
        let mut named = None;
        let mut fingerprint = None;
        if let Some(profile) = store.profile()? {
            named = Some(profile.data.name.clone());
            // A new profile record for the same person: signed from now on by a new key.
            let renewed = store.set_profile(profile.data)?;
            let public = store.own_public_key(renewed.id())?;
            fingerprint = Some(crate::domain::trust::entry::fingerprint(&public));
        }
        (named, fingerprint, store.replica_id())
    };
    if data_dir.exists() {
        std::fs::remove_dir(data_dir).map_err(|e| io("无法替换空目录", data_dir, &e))?;
    }
    std::fs::rename(&staging, data_dir).map_err(|e| io("无法放到", data_dir, &e))?;
    leftover.0 = None;
    Ok(RestoreSummary {
        data_dir: data_dir.to_path_buf(),
        taken_at: manifest.created_at,
        attachments: manifest.attachments.len(),
        profile,
        new_device,
        key_fingerprint,
    })
}

fn write_entry(
    archive: &mut Archive,
    entry: &super::Entry,
    to: &Path,
    path: &Path,
) -> Result<(), BackupError> {
    let mut out = File::create(to).map_err(|e| io("无法写入", to, &e))?;
    take(archive, entry, Some(&mut out), path)?;
    out.sync_all().map_err(|e| io("无法写入", to, &e))
}
