//! Attachments on real temp dirs: files stored once by hash and never removed, records signed
//! and insert-only even in SQL, every refusal leaving no file and no row, stale staging
//! cleared at open, targets resolved from any record id.

use super::super::tests::{draft, open, open_office, raw_error, t};
use super::*;
use crate::domain::attachment::CaptureSource;
use crate::domain::{
    AnswerResult, EvidenceKind, EvidenceRecord, Hazard, HazardGrade, HazardSource,
};
use crate::media::exif::tests::phone_photo;
use crate::media::mvhd::tests::{mp4, mvhd_v0};
use std::collections::BTreeMap;

fn rules() -> AttachmentRules {
    AttachmentRules::default()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// The files in the store (staging aside).
fn stored(store: &Store) -> Vec<String> {
    let root = store
        .attachment_path("x")
        .parent()
        .expect("dir")
        .to_path_buf();
    let mut names: Vec<String> = std::fs::read_dir(root)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != attachment_files::STAGING)
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn staging_files(store: &Store) -> usize {
    let root = store
        .attachment_path("x")
        .parent()
        .expect("dir")
        .to_path_buf();
    std::fs::read_dir(root.join(attachment_files::STAGING)).map_or(0, |d| d.count())
}

fn rows(store: &Store) -> i64 {
    store
        .conn
        .query_row("SELECT COUNT(*) FROM attachments", [], |r| r.get(0))
        .expect("count")
}

fn hazard(store: &mut Store, enterprise_id: Uuid) -> Uuid {
    store
        .record_hazard(Hazard {
            enterprise_id,
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::General,
            source: HazardSource::SelfCheck,
            description: "加油机底槽渗漏".into(),
            location: String::new(),
            basis: "GB 50156".into(),
            found_at: t("2023-08-01T01:00:00Z"),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id()
}

#[test]
fn files_are_stored_once_by_hash_and_each_attachment_is_a_signed_record() {
    let dir = tempfile::tempdir().expect("dir");
    let src = tempfile::tempdir().expect("src");
    let mut store = open_office(dir.path());
    let ins = draft(&mut store);
    let signed = store.finalize_inspection(ins.id()).expect("finalize");
    let signatures = |s: &Store, table: &str| -> i64 {
        s.conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };
    let inspection_signatures = signatures(&store, "inspection_signatures");
    // Taken 09:10 Beijing time (01:10 UTC), during the visit (01:00 to 01:30 UTC).
    let photo_bytes = phone_photo("2023:08:15 09:10:00", None, 6);
    let photo = write(src.path(), "IMG_0001.JPG", &photo_bytes);
    // A video made at 2023-08-15 02:00 UTC, after the visit.
    let video_bytes = mp4(&mvhd_v0((1_692_064_800u64 + 2_082_844_800) as u32));
    let video = write(src.path(), "VID_0002.MP4", &video_bytes);

    let target = store.attachment_target(ins.id(), None).expect("target");
    assert_eq!(target.kind, TargetKind::Inspection);
    let added = store
        .attach(&target, None, " 加油机 ", &[photo.clone(), video], &rules())
        .expect("attach");
    assert_eq!(added.len(), 2);
    let p = &added[0].data;
    assert_eq!(p.media_type, "image/jpeg");
    assert_eq!(p.file_name, "IMG_0001.JPG");
    assert_eq!(p.size, photo_bytes.len() as u64);
    assert_eq!(p.capture_source, CaptureSource::Exif);
    assert_eq!(p.captured_at, Some(t("2023-08-15T01:10:00Z")));
    assert!(p.place.is_some());
    assert_eq!(p.note, "加油机");
    let v = &added[1].data;
    assert_eq!(v.media_type, "video/mp4");
    assert_eq!(v.capture_source, CaptureSource::Container);
    assert_eq!(v.captured_at, Some(t("2023-08-15T02:00:00Z")));
    let visit = store.visit_of(&target).expect("visit").expect("a visit");
    let outside = |a: &Attachment| {
        crate::domain::attachment::attachment_outside_visit(a, visit.arrival, visit.departure)
    };
    assert_eq!(outside(p), None);
    assert_eq!(
        outside(v).map(|o| o.text()).as_deref(),
        Some("拍摄于离开现场后 30 分")
    );

    // The same photo on a hazard: a second record, the file stored once.
    let ent = store.inspection(ins.id()).expect("ins").data.enterprise_id;
    let h = hazard(&mut store, ent);
    let on_hazard = store.attachment_target(h, None).expect("hazard");
    store
        .attach(&on_hazard, Some(PhotoRole::Before), "", &[photo], &rules())
        .expect("again");
    assert_eq!(stored(&store).len(), 2, "{:?}", stored(&store));
    assert_eq!(staging_files(&store), 0);
    for a in &added {
        let bytes = std::fs::read(store.attachment_path(&a.data.sha256)).expect("stored");
        assert_eq!(bytes.len() as u64, a.data.size);
    }
    assert_eq!(
        std::fs::read(store.attachment_path(&added[0].data.sha256)).expect("photo"),
        photo_bytes,
        "the original bytes"
    );
    assert_eq!(
        signatures(
            &store,
            "record_signatures WHERE record_table = 'attachments'"
        ),
        3
    );
    // The finalized inspection is as signed.
    assert_eq!(store.inspection(ins.id()).expect("read"), signed);
    assert_eq!(
        signatures(&store, "inspection_signatures"),
        inspection_signatures
    );
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.attachments_of(ins.id()).expect("list"), added);
    assert_eq!(store.attachments_of(h).expect("list").len(), 1);
    assert_eq!(store.all_attachments().expect("all").len(), 3);
}

#[test]
fn every_bad_file_is_named_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let src = tempfile::tempdir().expect("src");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let target = store.attachment_target(ins.id(), None).expect("target");
    let good = write(
        src.path(),
        "good.jpg",
        &phone_photo("2023:08:15 09:10:00", None, 1),
    );
    let empty = write(src.path(), "empty.jpg", b"");
    let text = write(src.path(), "notes.jpg", b"not a photo at all, just text");
    let big = write(src.path(), "big.mp4", &mp4(&vec![0u8; 1024 * 1024 + 10]));
    let folder = src.path().join("DCIM");
    std::fs::create_dir(&folder).expect("dir");
    let missing = src.path().join("gone.jpg");
    let mut files = vec![good.clone(), empty, text, big, folder, missing];
    let link = src.path().join("link.jpg");
    let linked = symlink(&good, &link);
    if linked {
        files.push(link);
    }
    let small = AttachmentRules {
        max_file_mb: 1,
        ..AttachmentRules::default()
    };
    let err = store
        .attach(&target, None, "", &files, &small)
        .expect_err("refused")
        .to_string();
    for expected in [
        "没有添加任何文件",
        "empty.jpg：是空文件",
        "notes.jpg：不是支持的文件类型",
        "big.mp4：大小 1.0 MB，超过上限 1.0 MB",
        "DCIM：是文件夹",
        "gone.jpg：文件不存在",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    if linked {
        assert!(err.contains("link.jpg：是符号链接"), "{err}");
    }
    assert!(!err.contains("good.jpg"), "{err}");
    assert_eq!(rows(&store), 0);
    assert!(stored(&store).is_empty());
    assert_eq!(staging_files(&store), 0);

    // No files, a role where there is no rectification: refused before anything.
    let err = store
        .attach(&target, None, "", &[], &rules())
        .expect_err("none");
    assert!(err.to_string().contains("没有给出要添加的文件"), "{err}");
    let err = store
        .attach(&target, Some(PhotoRole::After), "", &[good], &rules())
        .expect_err("role");
    assert!(err.to_string().contains("只用于隐患"), "{err}");
    assert_eq!(rows(&store), 0);
    assert!(stored(&store).is_empty());
}

#[test]
fn the_same_bytes_twice_in_one_go_or_on_the_same_record_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let src = tempfile::tempdir().expect("src");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let target = store.attachment_target(ins.id(), None).expect("target");
    let bytes = phone_photo("2023:08:15 09:10:00", None, 1);
    let a = write(src.path(), "a.jpg", &bytes);
    let b = write(src.path(), "copy of a.jpg", &bytes);
    let err = store
        .attach(&target, None, "", &[a.clone(), b.clone()], &rules())
        .expect_err("twice")
        .to_string();
    assert!(
        err.contains("copy of a.jpg：与") && err.contains("是同一个文件"),
        "{err}"
    );
    assert_eq!(rows(&store), 0);
    assert!(stored(&store).is_empty(), "nothing placed before the check");
    let first = store
        .attach(&target, None, "", &[a], &rules())
        .expect("once");
    let err = store
        .attach(&target, None, "", std::slice::from_ref(&b), &rules())
        .expect_err("again")
        .to_string();
    assert!(
        err.contains(&format!("已附在这条记录上（附件编号 {}）", first[0].id())),
        "{err}"
    );
    // On an item of the same inspection it is another target.
    let item = store
        .attachment_target(ins.id(), Some("E12"))
        .expect("item");
    store
        .attach(&item, None, "", &[b], &rules())
        .expect("on the item");
    assert_eq!(rows(&store), 2);
    assert_eq!(stored(&store).len(), 1);
}

#[test]
fn a_file_that_grows_or_changes_while_copied_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let src = tempfile::tempdir().expect("src");
    let store = open(dir.path());
    let files = store.attachment_files();
    let path = write(src.path(), "growing.mp4", &mp4(&mvhd_v0(0)));
    let checked = attachment_files::check_source(&path, u64::MAX).expect("checked");
    // The recorder is still writing when the copy starts.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    std::io::Write::write_all(&mut f, &[1u8; 5000]).expect("append");
    let err = files.stage(checked).expect_err("changed");
    assert!(err.contains("在复制过程中发生了变化"), "{err}");
    // Rewritten to the same size, another time stamp.
    let checked = attachment_files::check_source(&path, u64::MAX).expect("checked");
    let len = std::fs::metadata(&path).expect("meta").len() as usize;
    std::fs::write(
        &path,
        mp4(&mvhd_v0(0))
            .into_iter()
            .cycle()
            .take(len)
            .collect::<Vec<_>>(),
    )
    .expect("rewrite");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(later))
        .expect("mtime");
    let err = files.stage(checked).expect_err("changed");
    assert!(err.contains("在复制过程中发生了变化"), "{err}");
    assert_eq!(staging_files(&store), 0);
    assert!(stored(&store).is_empty());
}

#[test]
fn attachments_are_never_updated_or_deleted_and_name_existing_records_even_in_sql() {
    let dir = tempfile::tempdir().expect("dir");
    let src = tempfile::tempdir().expect("src");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let target = store.attachment_target(ins.id(), None).expect("target");
    let photo = write(
        src.path(),
        "a.jpg",
        &phone_photo("2023:08:15 09:10:00", None, 1),
    );
    let a = store
        .attach(&target, None, "", &[photo], &rules())
        .expect("attach");
    let id = a[0].id();
    for sql in [
        format!("UPDATE attachments SET note = '改' WHERE id = '{id}'"),
        format!("DELETE FROM attachments WHERE id = '{id}'"),
    ] {
        assert!(
            matches!(raw_error(&store, &sql), StoreError::Immutable),
            "{sql}"
        );
    }
    let me = store.author_id().expect("me");
    let insert = |target_kind: &str, target_id: Uuid, item: &str, role: &str| {
        format!(
            "INSERT INTO attachments VALUES ('{}', '2023-08-15T01:30:00.000000000Z',
                 '2023-08-15T01:30:00.000000000Z', '{me}', '{me}', '{target_kind}', '{target_id}',
                 {item}, {role}, '{}', 5, 'image/jpeg', 'a.jpg', NULL, 'file_time', NULL, NULL, '')",
            Uuid::now_v7(),
            "0".repeat(64)
        )
    };
    for sql in [
        insert("inspection", Uuid::now_v7(), "NULL", "NULL"),
        insert("hazard", ins.id(), "NULL", "NULL"),
        insert("answer", ins.id(), "'X99'", "NULL"),
        insert("answer", ins.id(), "NULL", "NULL"),
    ] {
        let err = raw_error(&store, &sql).to_string();
        assert!(err.contains("附件所附的记录不存在"), "{err}");
    }
    let err = raw_error(&store, &insert("inspection", ins.id(), "NULL", "'before'")).to_string();
    assert!(err.contains("不在允许的范围内"), "{err}");
    assert_eq!(rows(&store), 1);
}

#[test]
fn stale_staging_files_are_cleared_at_open_unless_held_or_fresh() {
    let dir = tempfile::tempdir().expect("dir");
    let store = open(dir.path());
    let staging = store
        .attachment_path("x")
        .with_file_name(attachment_files::STAGING);
    std::fs::create_dir_all(&staging).expect("staging");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    let make = |name: &str, age: Option<std::time::SystemTime>| {
        let path = staging.join(name);
        let f = std::fs::File::create(&path).expect("create");
        std::io::Write::write_all(&mut &f, b"half a photo").expect("write");
        if let Some(t) = age {
            f.set_modified(t).expect("mtime");
        }
        f
    };
    drop(make("crashed.part", Some(old)));
    let held = make("copying.part", Some(old));
    held.try_lock().expect("lock");
    drop(make("fresh.part", None));
    drop(store);
    let _store = open(dir.path());
    let mut left: Vec<String> = std::fs::read_dir(&staging)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["copying.part", "fresh.part"]);
    drop(held);
}

#[test]
fn a_target_is_found_from_any_record_id() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ins = draft(&mut store);
    let answer = store
        .set_answer(ins.id(), "E12", AnswerResult::NonCompliant, "")
        .expect("answer");
    let evidence = store
        .save_evidence(
            None,
            EvidenceRecord {
                inspection_id: ins.id(),
                kind: EvidenceKind::DrillRecord,
                form_version: 1,
                values: BTreeMap::new(),
            },
        )
        .expect("evidence");
    let ent = store.inspection(ins.id()).expect("ins").data.enterprise_id;
    let h = hazard(&mut store, ent);
    let event = store.hazard_events(h).expect("events")[0].id();
    let kind = |id: Uuid, item: Option<&str>| store.attachment_target(id, item).map(|t| t.kind);
    assert_eq!(kind(ins.id(), None).ok(), Some(TargetKind::Inspection));
    let by_answer = store.attachment_target(answer.id(), None).expect("answer");
    assert_eq!(
        by_answer,
        Target {
            kind: TargetKind::Answer,
            id: ins.id(),
            item_code: Some("E12".into())
        }
    );
    assert_eq!(
        store
            .attachment_target(ins.id(), Some("E12"))
            .expect("item"),
        by_answer
    );
    assert_eq!(kind(h, None).ok(), Some(TargetKind::Hazard));
    assert_eq!(kind(event, None).ok(), Some(TargetKind::HazardEvent));
    assert_eq!(kind(evidence.id(), None).ok(), Some(TargetKind::Evidence));
    let err = kind(ins.id(), Some("X9")).expect_err("no item").to_string();
    assert!(err.contains("没有检查项 X9"), "{err}");
    let err = kind(h, Some("E12"))
        .expect_err("item on hazard")
        .to_string();
    assert!(
        err.contains("--item（检查项）只能与检查记录编号一起使用"),
        "{err}"
    );
    let err = kind(answer.id(), Some("E10"))
        .expect_err("other item")
        .to_string();
    assert!(err.contains("与 --item 给出的检查项不同"), "{err}");
    let err = kind(Uuid::now_v7(), None).expect_err("unknown").to_string();
    assert!(err.contains("找不到编号为"), "{err}");
    // The visit of an evidence record is its inspection's; a hazard step has none.
    let on_evidence = store
        .attachment_target(evidence.id(), None)
        .expect("target");
    assert!(store.visit_of(&on_evidence).expect("visit").is_some());
    let on_event = store.attachment_target(event, None).expect("target");
    assert!(store.visit_of(&on_event).expect("visit").is_none());
}

/// Makes a symlink: always on Unix; on Windows where this user may (Developer Mode or an
/// administrator), else `false` and the symlink case is skipped there.
fn symlink(target: &std::path::Path, link: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(target, link).expect("symlink");
        true
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::symlink_file(target, link).is_ok()
    }
}
