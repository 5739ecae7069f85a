//! Issue 18: backups. A backup restores to the same records and byte-identical attachments,
//! holds no private key, and is taken consistently while another connection writes; a restored
//! machine is a new device with a new key, whose finalized draft the office accepts once it
//! enrols that key. A wrong passphrase, a tampered file or a non-empty data dir changes nothing.

#[path = "bundle/support.rs"]
mod support;

use age::secrecy::SecretString;
use paicha::backup::{self, BackupError};
use paicha::domain::attachment::AttachmentRules;
use paicha::domain::{AnswerResult, Inspection, InspectionMode, SystemClock};
use paicha::storage::Store;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use support::*;

const CODE: &str = "91350100M000100Y43";

fn pass() -> SecretString {
    SecretString::from("一二三四五六七八".to_string())
}

/// A laptop with a finalized inspection carrying a photo, and a draft under way.
fn laptop() -> (Site, uuid::Uuid, Vec<u8>) {
    let mut s = site("李建山");
    let ent = enterprise(&mut s.store, "方山县加油站", CODE);
    let (inspection, _) = inspection(&mut s.store, ent, "阀门失效");
    let photo = s.dir.path().join("现场 1.jpg");
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..50_000u32).map(|i| (i % 251) as u8));
    std::fs::write(&photo, &bytes).expect("photo");
    let target = s.store.attachment_target(inspection, None).expect("target");
    s.store
        .attach(&target, None, "", &[photo], &AttachmentRules::default())
        .expect("attach");
    let me = s.store.author_id().expect("me");
    let draft = Inspection::draft(
        ent,
        InspectionMode::Unannounced,
        vec![me],
        chrono::Utc::now(),
        vec![],
        vec![item("E1")],
    );
    let draft = s.store.create_inspection(draft).expect("draft").id();
    (s, draft, bytes)
}

fn take_backup(s: &mut Site, out: &Path) -> backup::BackupSummary {
    backup::backup(&mut s.store, out, &pass(), &mut |_, _| {}).expect("backup")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn a_backup_restores_the_same_records_and_files_as_a_new_device_without_the_old_key() {
    let (mut s, _draft, photo) = laptop();
    let out_dir = tempfile::tempdir().expect("usb");
    let out = out_dir.path().join("U 盘 备份.age");
    let summary = take_backup(&mut s, &out);
    assert_eq!(summary.attachments, 1);
    assert!(s.store.last_safeguard().expect("read").is_some(), "noted");

    // Inside: the database, the stored file and the manifest; no key file.
    let mut raw = Vec::new();
    let decryptor =
        age::Decryptor::new(std::fs::File::open(&out).expect("open")).expect("an age file");
    let identity = age::scrypt::Identity::new(pass());
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut raw)
        .expect("read");
    let zip = zip::ZipArchive::new(std::io::Cursor::new(raw)).expect("zip");
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("name").into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.contains("keys") && !n.contains("ed25519"))
    );
    let me = s.store.author_id().expect("me");
    let private = std::fs::read_to_string(s.dir.path().join("keys").join(format!("{me}.ed25519")))
        .expect("key file");
    assert!(
        !String::from_utf8_lossy(&std::fs::read(&out).expect("read")).contains(private.trim()),
        "the private key is not in the file"
    );

    let target = tempfile::tempdir().expect("target");
    let restored_dir = target.path().join("恢复 的 数据");
    let summary =
        backup::restore(&out, &restored_dir, &pass(), Arc::new(SystemClock)).expect("restored");
    assert_eq!(summary.profile.as_deref(), Some("李建山"));
    assert!(summary.key_fingerprint.is_some());
    let mut restored = Store::open(&restored_dir, Arc::new(SystemClock)).expect("open");
    assert_ne!(restored.replica_id(), s.store.replica_id(), "a new device");
    let new_me = restored.author_id().expect("author");
    assert_ne!(new_me, me, "a new profile record, so a new key");
    assert_eq!(
        restored.profile().expect("p").expect("profile").data,
        s.store.profile().expect("p").expect("profile").data
    );
    // The records are the source's, but for the new profile and its key.
    let new_id = new_me.to_string();
    let without_new = |dump: String| -> String {
        dump.lines()
            .filter(|l| !l.contains(&new_id))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    assert_same(
        &without_new(records_dump(&restored)),
        &records_dump(&s.store),
        "restored records",
    );
    let stored = restored.all_attachments().expect("attachments");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        std::fs::read(restored.attachment_path(&stored[0].data.sha256)).expect("file"),
        photo
    );
    assert_eq!(
        files_in(&restored_dir.join("keys")).len(),
        1,
        "only the new key"
    );
    assert!(
        files_in(target.path()).iter().all(|n| !n.starts_with('.')),
        "no staging left"
    );
}

#[test]
fn a_restored_laptop_finalizes_its_draft_with_the_new_key_and_the_office_accepts_it_once_enrolled()
{
    let (mut s, draft, _) = laptop();
    // The office enrolled the laptop's key before it was lost.
    let mut office = site("张科长");
    let old_me = s.store.author_id().expect("me");
    let old_public = s.store.own_public_key(old_me).expect("key");
    office_enrolling(&mut office, old_me, &old_public);
    let out = s.dir.path().join("备份.age");
    take_backup(&mut s, &out);
    let target = tempfile::tempdir().expect("target");
    let dir = target.path().join("data");
    backup::restore(&out, &dir, &pass(), Arc::new(SystemClock)).expect("restored");
    let mut restored = Site {
        store: Store::open(&dir, Arc::new(SystemClock)).expect("open"),
        dir: target,
    };
    restored
        .store
        .set_answer(draft, "E1", AnswerResult::Compliant, "")
        .expect("answered after the restore");
    restored
        .store
        .finalize_inspection(draft)
        .expect("finalized");
    let bundle = export(&mut restored, "after-restore.paicha", all());

    let new_me = restored.store.author_id().expect("me");
    let public = restored.store.own_public_key(new_me).expect("key");
    // Not yet enrolled: the new key's records are not taken.
    assert!(import(&mut office, &bundle).is_err());
    let person = office
        .store
        .roster()
        .expect("roster")
        .expect("office")
        .people
        .values()
        .find(|p| p.name == "李建山")
        .expect("enrolled")
        .id;
    office
        .store
        .roster_append(vec![paicha::domain::trust::Body::Key {
            person_id: person,
            inspector_id: new_me,
            public_key: public,
        }])
        .expect("the new key enrolled for the same person");
    import(&mut office, &bundle).expect("the office accepts the restored laptop's bundle");
    assert!(
        office
            .store
            .inspection(draft)
            .is_ok_and(|i| i.data.finalized_at.is_some())
    );
}

#[test]
fn a_wrong_passphrase_a_tampered_file_or_a_non_empty_data_dir_change_nothing() {
    let (mut s, _, _) = laptop();
    let out = s.dir.path().join("备份.age");
    take_backup(&mut s, &out);
    let target = tempfile::tempdir().expect("target");
    let dir = target.path().join("data");
    let wrong = SecretString::from("不是这个口令不是".to_string());
    let err = backup::restore(&out, &dir, &wrong, Arc::new(SystemClock)).expect_err("wrong");
    assert!(matches!(err, BackupError::WrongPassphrase(_)), "{err}");
    assert!(err.to_string().contains("口令不对"));
    assert!(files_in(target.path()).is_empty(), "nothing made");

    // One byte changed in the middle of the encrypted payload.
    let mut bytes = std::fs::read(&out).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    let tampered = target.path().join("改过.age");
    std::fs::write(&tampered, bytes).expect("write");
    let err =
        backup::restore(&tampered, &dir, &pass(), Arc::new(SystemClock)).expect_err("tampered");
    assert!(!dir.exists(), "{err}");
    assert!(
        backup::verify(&tampered, &pass()).is_err(),
        "verify sees it too"
    );
    std::fs::remove_file(&tampered).expect("rm");
    assert!(files_in(target.path()).is_empty(), "no staging left");

    // Not a backup at all.
    let text = target.path().join("说明.txt");
    std::fs::write(&text, "hello").expect("write");
    let err = backup::restore(&text, &dir, &pass(), Arc::new(SystemClock)).expect_err("text");
    assert!(matches!(err, BackupError::NotABackup(..)), "{err}");

    // A data dir already in use is never overwritten.
    let err =
        backup::restore(&out, s.dir.path(), &pass(), Arc::new(SystemClock)).expect_err("in use");
    assert!(err.to_string().contains("不是空的"), "{err}");

    // A backup never replaces a file that is not a backup, and wants a real passphrase.
    let err = backup::backup(&mut s.store, &text, &pass(), &mut |_, _| {}).expect_err("foreign");
    assert!(err.to_string().contains("不覆盖"), "{err}");
    assert_eq!(std::fs::read_to_string(&text).expect("kept"), "hello");
    assert!(backup::passphrase("short".into()).is_err());
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent() {
    let (mut s, draft, _) = laptop();
    let path: PathBuf = s.dir.path().to_path_buf();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut other = Store::open(&path, Arc::new(SystemClock)).expect("second connection");
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 5_000 {
                let note = format!("第{n}次");
                other
                    .set_answer(draft, "E1", AnswerResult::NonCompliant, &note)
                    .ok();
                n += 1;
            }
            n
        })
    };
    let out = s.dir.path().join("边写边备份.age");
    std::thread::sleep(std::time::Duration::from_millis(50));
    take_backup(&mut s, &out);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().expect("writer");
    assert!(written > 0);
    let target = tempfile::tempdir().expect("target");
    let dir = target.path().join("data");
    backup::restore(&out, &dir, &pass(), Arc::new(SystemClock)).expect("restored");
    let restored = Store::open(&dir, Arc::new(SystemClock)).expect("open");
    assert_eq!(restored.integrity_check().expect("check"), "ok");
}
