//! A bundle carrying 1 GB of attachments (200 photos of 5 MB on a finalized inspection):
//! `paicha export` on the laptop and `paicha import` at the office, next to `cp` of the bundle
//! file (and `cp` + `sync`, since export and import sync what they write), with the peak memory
//! of each phase (VmHWM, reset between phases through /proc/self/clear_refs).
//!
//! Run with `cargo bench --bench bundle_attach` (`PAICHA_ATTACH_FILES`, `PAICHA_ATTACH_MB`).

use paicha::bundle::{self, ExportOptions, ImportLimits, Trust};
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
    let dir = tempfile::tempdir().expect("dir");
    let sources = make_photos(
        &dir.path().join("DCIM"),
        files,
        mb,
        &[0xFF, 0xD8, 0xFF, 0xE0],
    );
    let total = (files * mb) as f64;
    println!("{files} photos of {mb} MB ({total} MB)");

    let mut laptop = store(&dir.path().join("laptop"), "李建山");
    attach_to_finalized(&mut laptop, &sources);
    let out = dir.path().join("李建山.paicha");
    sync();
    reset_peak();
    let t = Instant::now();
    bundle::export(
        &mut laptop,
        &out,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .expect("export");
    let export = t.elapsed();
    let export_peak = peak_kib();
    let size = std::fs::metadata(&out).expect("bundle").len() as f64 / (1 << 20) as f64;

    let cp = copy(&out, &dir.path().join("cp.paicha"), false);
    let cp_sync = copy(&out, &dir.path().join("cp-sync.paicha"), true);

    let mut office = store(&dir.path().join("office"), "内勤");
    sync();
    reset_peak();
    let t = Instant::now();
    let report = bundle::import_with_progress(
        &mut office,
        &out,
        Trust::default(),
        false,
        None,
        ImportLimits::default(),
        &|_, _| {},
    )
    .expect("import");
    let import = t.elapsed();
    let import_peak = peak_kib();
    assert_eq!(report.added.get("attachments"), Some(&(files as u64)));

    let mbps = |t: Duration| total / t.as_secs_f64();
    println!("bundle {size:.0} MB");
    println!(
        "  cp of the bundle            {cp:>9.2?}  {:>6.0} MB/s",
        mbps(cp)
    );
    println!(
        "  cp + sync                   {cp_sync:>9.2?}  {:>6.0} MB/s",
        mbps(cp_sync)
    );
    println!(
        "  paicha export               {export:>9.2?}  {:>6.0} MB/s  {:.2}x cp+sync  peak {export_peak} KiB",
        mbps(export),
        export.as_secs_f64() / cp_sync.as_secs_f64()
    );
    println!(
        "  paicha import               {import:>9.2?}  {:>6.0} MB/s  {:.2}x cp+sync  peak {import_peak} KiB",
        mbps(import),
        import.as_secs_f64() / cp_sync.as_secs_f64()
    );
}

fn sync() {
    let _ = Command::new("sync").status();
}

fn copy(from: &Path, to: &Path, and_sync: bool) -> Duration {
    sync();
    let t = Instant::now();
    assert!(
        Command::new("cp")
            .arg(from)
            .arg(to)
            .status()
            .expect("cp")
            .success()
    );
    if and_sync {
        sync();
    }
    t.elapsed()
}

fn store(data: &Path, name: &str) -> Store {
    let mut store = Store::open(data, Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: name.into(),
            cert_no: format!("1401{}", name.chars().count()),
            group_code: None,
        })
        .expect("profile");
    store
}

/// A finalized inspection with every source attached.
fn attach_to_finalized(store: &mut Store, sources: &[PathBuf]) {
    let ins = draft_inspection(store, vec![]);
    store
        .set_answer(ins, "E1", AnswerResult::Compliant, "")
        .expect("answer");
    store.finalize_inspection(ins).expect("finalize");
    let target = store.attachment_target(ins, None).expect("target");
    store
        .attach(&target, None, "", sources, &AttachmentRules::default())
        .expect("attach");
}

/// Resets the peak resident size (Linux: "5" to clear_refs), so each phase reports its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
