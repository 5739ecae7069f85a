//! Issue 17, phase 2: attachments carried in bundles. An honest bundle brings the records and
//! the files byte for byte, and importing it twice adds nothing; a bundle whose attachment is
//! missing, swapped, altered, unreferenced or over a cap is refused whole: the database stays
//! byte for byte as it was and no new file stays in the store.

#[path = "bundle/support.rs"]
mod support;

use paicha::bundle::{self, BundleError, ImportLimits, Trust};
use paicha::domain::attachment::{AttachmentRules, PhotoRole};
use paicha::storage::bundle::import::ImportReport;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::*;

type Entries = Vec<(String, Vec<u8>)>;

const CODE: &str = "91350100M000100Y43";

/// A JPEG-looking file of `len` bytes, different for each `seed`.
fn photo(dir: &Path, name: &str, seed: u8, len: usize) -> PathBuf {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len - 4).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write photo");
    path
}

/// A laptop with a finalized inspection: a photo on the inspection, one on item E12 and a
/// "before" photo on its hazard. Returns the site and the three files' bytes by name.
fn laptop_with_photos(len: usize) -> (Site, Vec<Vec<u8>>) {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", CODE);
    let (inspection, hazard) = inspection(&mut laptop.store, ent, "阀门失效");
    let src = laptop.dir.path().join("camera");
    std::fs::create_dir_all(&src).expect("camera dir");
    let rules = AttachmentRules::default();
    let a = photo(&src, "IMG_0001.JPG", 1, len);
    let b = photo(&src, "IMG_0002.JPG", 2, len);
    let c = photo(&src, "IMG_0003.JPG", 3, len);
    let store = &mut laptop.store;
    let t = store.attachment_target(inspection, None).expect("target");
    store
        .attach(&t, None, "大门", std::slice::from_ref(&a), &rules)
        .expect("attach");
    let t = store
        .attachment_target(inspection, Some("E12"))
        .expect("item");
    store
        .attach(&t, None, "", std::slice::from_ref(&b), &rules)
        .expect("attach");
    let t = store.attachment_target(hazard, None).expect("hazard");
    store
        .attach(
            &t,
            Some(PhotoRole::Before),
            "阀门",
            std::slice::from_ref(&c),
            &rules,
        )
        .expect("attach");
    let bytes = [a, b, c]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    (laptop, bytes)
}

/// The files in a data dir's store (name → bytes), staging included.
fn store_files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let root = site.dir.path().join("attachments");
    for dir in [root.clone(), root.join(".staging")] {
        let Ok(list) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in list.flatten() {
            if e.path().is_file() {
                let name = e
                    .path()
                    .strip_prefix(&root)
                    .expect("in root")
                    .display()
                    .to_string();
                out.insert(name, std::fs::read(e.path()).expect("read"));
            }
        }
    }
    out
}

fn try_import(site: &mut Site, bundle: &Path, dry_run: bool) -> Result<ImportReport, BundleError> {
    bundle::import_with_progress(
        &mut site.store,
        bundle,
        Trust::default(),
        dry_run,
        None,
        ImportLimits::default(),
        &|_, _| {},
    )
}

/// Refused, with every phrase in the message, the database and the store as they were.
fn refused_whole(office: &mut Site, bundle: &Path, phrases: &[&str]) {
    let before = full_dump(&office.store);
    let db_before = std::fs::read(office.store.path()).expect("db");
    let files_before = store_files(office);
    let message = match try_import(office, bundle, false) {
        Ok(report) => panic!("accepted: {report:?}"),
        Err(e) => e.to_string(),
    };
    for phrase in phrases {
        assert!(message.contains(phrase), "{message:?} lacks {phrase:?}");
    }
    assert!(message.contains("不予导入"), "{message}");
    assert_same(&before, &full_dump(&office.store), "refused bundle");
    assert_eq!(
        db_before,
        std::fs::read(office.store.path()).expect("db"),
        "database file changed"
    );
    assert_eq!(
        files_before,
        store_files(office),
        "store changed: {message}"
    );
}

fn attachment_names(list: &[(String, Vec<u8>)]) -> Vec<String> {
    list.iter()
        .filter(|(n, _)| n.starts_with("attachments/"))
        .map(|(n, _)| n.clone())
        .collect()
}

#[test]
fn honest_round_trip_carries_the_files_byte_for_byte_and_twice_adds_nothing() {
    let (mut laptop, photos) = laptop_with_photos(300_000);
    let out = export(&mut laptop, "李建山.paicha", all());
    let list = entries(&out);
    assert_eq!(attachment_names(&list).len(), 3, "one entry per file");
    let mut office = site("内勤");
    let report = try_import(&mut office, &out, false).expect("import");
    assert_eq!(report.added.get("attachments"), Some(&3), "{report:?}");
    for bytes in &photos {
        let sha = paicha::identity::hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(bytes));
        let stored = std::fs::read(office.store.attachment_path(&sha)).expect("stored");
        assert_eq!(&stored, bytes, "byte for byte");
    }
    assert_eq!(
        office.store.all_attachments().expect("rows").len(),
        3,
        "three records"
    );
    let (dump, files) = (full_dump(&office.store), store_files(&office));
    let again = try_import(&mut office, &out, false).expect("again");
    assert_eq!(again.added_total(), 0, "{again:?}");
    assert_eq!(files, store_files(&office), "no new file");
    // Only the import log grows.
    let without_log = |d: &str| {
        d.split("== ")
            .filter(|t| !t.starts_with("import_log"))
            .collect::<Vec<_>>()
            .join("== ")
    };
    assert_same(
        &without_log(&dump),
        &without_log(&full_dump(&office.store)),
        "again",
    );
    // The office can pass them on: its own export carries the same files.
    let onward = export(&mut office, "办公室.paicha", all());
    assert_eq!(attachment_names(&entries(&onward)).len(), 3);
}

#[test]
fn a_preview_stages_nothing_into_the_store() {
    let (mut laptop, _) = laptop_with_photos(200_000);
    let out = export(&mut laptop, "李建山.paicha", all());
    let mut office = site("内勤");
    let files = store_files(&office);
    let report = try_import(&mut office, &out, true).expect("dry run");
    assert_eq!(report.added.get("attachments"), Some(&3));
    assert_eq!(files, store_files(&office), "a preview stores nothing");
}

#[test]
fn missing_swapped_altered_and_unreferenced_attachments_are_refused_whole() {
    let (mut laptop, _) = laptop_with_photos(200_000);
    let out = export(&mut laptop, "李建山.paicha", all());
    let key = own_key(&mut laptop);
    let names = attachment_names(&entries(&out));
    let mut office = site("内勤");
    let dir = office.dir.path().to_path_buf();
    let forged = |name: &str, edit: &dyn Fn(&mut Entries), resign: bool| -> PathBuf {
        let to = dir.join(name);
        forge(&out, &to, edit, resign.then_some(&key), |_| {});
        to
    };

    // Missing: the entry is gone and the manifest (signed again) says nothing of it.
    let first = names[0].clone();
    let missing = forged("missing.paicha", &|l| l.retain(|(n, _)| *n != first), true);
    refused_whole(&mut office, &missing, &["不在数据包中", "附件缺失"]);

    // Swapped: two files' bytes exchanged under their names.
    let (a, b) = (names[0].clone(), names[1].clone());
    let swap = |l: &mut Entries| {
        let ia = l.iter().position(|(n, _)| *n == a).expect("a");
        let ib = l.iter().position(|(n, _)| *n == b).expect("b");
        let tmp = l[ia].1.clone();
        l[ia].1 = l[ib].1.clone();
        l[ib].1 = tmp;
    };
    refused_whole(
        &mut office,
        &forged("swapped.paicha", &swap, false),
        &["校验值"],
    );
    refused_whole(
        &mut office,
        &forged("swapped2.paicha", &swap, true),
        &["校验值"],
    );

    // Altered: one byte changed, with the manifest left alone and signed again.
    let alter = |l: &mut Entries| {
        let i = l.iter().position(|(n, _)| *n == a).expect("a");
        let last = l[i].1.len() - 1;
        l[i].1[last] ^= 1;
    };
    refused_whole(
        &mut office,
        &forged("altered.paicha", &alter, false),
        &["校验值"],
    );
    refused_whole(
        &mut office,
        &forged("altered2.paicha", &alter, true),
        &["校验值"],
    );

    // Unreferenced: a well-named file no record names.
    let extra = |l: &mut Entries| {
        let bytes = b"\xFF\xD8\xFF\xE0 not named by any record".to_vec();
        let sha = paicha::identity::hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        l.push((format!("attachments/{sha}"), bytes));
    };
    refused_whole(
        &mut office,
        &forged("unreferenced.paicha", &extra, true),
        &["没有任何附件记录指向它"],
    );

    // The honest bundle still lands afterwards: each refusal was the forgery's doing.
    try_import(&mut office, &out, false).expect("honest bundle");
}

#[test]
fn caps_per_file_and_per_bundle_refuse_before_anything_is_written() {
    let (mut laptop, _) = laptop_with_photos(700_000);
    let out = export(&mut laptop, "李建山.paicha", all());
    let mut office = site("内勤");
    office.store.set_attachment_rules(AttachmentRules {
        max_file_mb: 1,
        max_bundle_mb: 1,
    });
    refused_whole(&mut office, &out, &["max_bundle_mb"]);
    // Exporting over the cap is refused too, and leaves no bundle behind.
    laptop.store.set_attachment_rules(AttachmentRules {
        max_file_mb: 1,
        max_bundle_mb: 1,
    });
    let to = laptop.dir.path().join("too-big.paicha");
    let e = bundle::export(&mut laptop.store, &to, &all()).expect_err("over the cap");
    assert!(e.to_string().contains("max_bundle_mb"), "{e}");
    assert!(!to.exists());
    let leftovers: Vec<_> = std::fs::read_dir(laptop.dir.path())
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
