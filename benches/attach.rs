//! Attaching 200 photos of 5 MB (1 GB) to an inspection through the store — checked, copied
//! to staging while hashed, synced, renamed into `attachments/<sha256>`, then 200 signed
//! records in one transaction — next to the floor: `cp` of the same files plus `sha256sum`
//! of the copies (and the same with a `sync`, since the store syncs every file). Then the same
//! 200 files attached to another record (stored once: hashed and dropped), and the peak
//! memory of this process (flat: files are streamed 1 MB at a time).
//!
//! Run with `cargo bench --bench attach` (`PAICHA_ATTACH_FILES`, `PAICHA_ATTACH_MB` to change
//! the size; `PAICHA_ATTACH_ROUNDS`, default 2, best round reported).

use paicha::domain::attachment::AttachmentRules;
use paicha::domain::*;
use paicha::storage::Store;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "support/media.rs"]
mod media;
use media::{draft_inspection, env, make_photos, peak_kib};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let files = env("PAICHA_ATTACH_FILES", 200);
    let mb = env("PAICHA_ATTACH_MB", 5);
    let rounds = env("PAICHA_ATTACH_ROUNDS", 2).max(1);
    let dir = tempfile::tempdir().expect("dir");
    // A real EXIF header (without the end marker), then random bytes.
    let header = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/exif-no-tz.jpg"),
    )
    .expect("fixture");
    let sources = make_photos(
        &dir.path().join("DCIM"),
        files,
        mb,
        &header[..header.len() - 2],
    );
    let total = (files * mb) as f64;
    println!(
        "{files} photos of {mb} MB ({total} MB) in {}",
        dir.path().display()
    );

    let mut best = [Duration::MAX; 4];
    for round in 0..rounds {
        let work = dir.path().join(format!("round{round}"));
        let floor = floor(&sources, &work.join("cp"), false);
        let floor_sync = floor_sync_round(&sources, &work.join("cp-sync"));
        let (attach, again) = attach(&sources, &work.join("data"));
        for (b, t) in best.iter_mut().zip([floor, floor_sync, attach, again]) {
            *b = (*b).min(t);
        }
        let _ = std::fs::remove_dir_all(&work);
        println!(
            "round {round}: cp+sha256sum {floor:.2?}  cp+sha256sum+sync {floor_sync:.2?}  \
             attach {attach:.2?}  again (stored once) {again:.2?}"
        );
    }
    let [floor, floor_sync, attach, again] = best;
    let mbps = |t: Duration| total / t.as_secs_f64();
    println!("\nbest of {rounds}:");
    println!(
        "  floor cp + sha256sum          {floor:>9.2?}  {:>7.0} MB/s",
        mbps(floor)
    );
    println!(
        "  floor cp + sha256sum + sync   {floor_sync:>9.2?}  {:>7.0} MB/s",
        mbps(floor_sync)
    );
    println!(
        "  paicha attach (durable)       {attach:>9.2?}  {:>7.0} MB/s  {:.2}x floor, {:.2}x floor+sync",
        mbps(attach),
        attach.as_secs_f64() / floor.as_secs_f64(),
        attach.as_secs_f64() / floor_sync.as_secs_f64()
    );
    println!(
        "  paicha attach, bytes stored   {again:>9.2?}  {:>7.0} MB/s",
        mbps(again)
    );
    println!("  peak memory (VmHWM)           {} KiB", peak_kib());
}

/// `cp` of every file into `dest`, then `sha256sum` of the copies (and `sync` if asked).
fn floor(sources: &[PathBuf], dest: &Path, sync: bool) -> Duration {
    std::fs::create_dir_all(dest).expect("dest");
    let t = Instant::now();
    let ok = Command::new("cp")
        .args(sources)
        .arg(dest)
        .status()
        .expect("cp");
    assert!(ok.success());
    let copies: Vec<PathBuf> = sources
        .iter()
        .map(|s| dest.join(s.file_name().expect("name")))
        .collect();
    let out = Command::new("sha256sum")
        .args(&copies)
        .output()
        .expect("sha256sum");
    assert!(out.status.success());
    if sync {
        assert!(Command::new("sync").status().expect("sync").success());
    }
    t.elapsed()
}

fn floor_sync_round(sources: &[PathBuf], dest: &Path) -> Duration {
    // Flush what earlier steps left dirty, so this round pays only for its own bytes.
    let _ = Command::new("sync").status();
    floor(sources, dest, true)
}

/// Attaches every source to a draft inspection, then again to an item of it.
fn attach(sources: &[PathBuf], data: &Path) -> (Duration, Duration) {
    let mut store = Store::open(data, Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: None,
        })
        .expect("profile");
    let ins = draft_inspection(
        &mut store,
        vec![TemplateRef {
            id: "duties".into(),
            version: 1,
        }],
    );
    let rules = AttachmentRules::default();
    let _ = Command::new("sync").status();
    let target = store.attachment_target(ins, None).expect("target");
    let t = Instant::now();
    let added = store
        .attach(&target, None, "", sources, &rules)
        .expect("attach");
    let first = t.elapsed();
    assert_eq!(added.len(), sources.len());
    let item = store.attachment_target(ins, Some("E1")).expect("item");
    let t = Instant::now();
    store
        .attach(&item, None, "", sources, &rules)
        .expect("again");
    (first, t.elapsed())
}
