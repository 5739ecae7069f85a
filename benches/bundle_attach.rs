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
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let files = env("PAICHA_ATTACH_FILES", 200);
    let mb = env("PAICHA_ATTACH_MB", 5);
    let dir = tempfile::tempdir().expect("dir");
    let sources = make_photos(&dir.path().join("DCIM"), files, mb);
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
    let e = store
        .add_enterprise(Enterprise {
            name: "方山县加油站".into(),
            credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
            address: String::new(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: None,
            principal: String::new(),
            phone: String::new(),
        })
        .expect("enterprise");
    let me = store.author_id().expect("me");
    let item = ItemSnapshot {
        code: "E1".into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务一".into(),
        question: "问题".into(),
        basis: "依据".into(),
    };
    let ins = store
        .create_inspection(Inspection::draft(
            e.id(),
            InspectionMode::Unannounced,
            vec![me],
            store.now(),
            vec![],
            vec![item],
        ))
        .expect("inspection")
        .id();
    store
        .set_answer(ins, "E1", AnswerResult::Compliant, "")
        .expect("answer");
    store.finalize_inspection(ins).expect("finalize");
    let target = store.attachment_target(ins, None).expect("target");
    store
        .attach(&target, None, "", sources, &AttachmentRules::default())
        .expect("attach");
}

/// `n` JPEG-headed files of `mb` MB of random bytes (nothing compresses or dedupes).
fn make_photos(dir: &Path, n: usize, mb: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("dir");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut piece = vec![0u8; 1 << 20];
    (0..n)
        .map(|i| {
            let path = dir.join(format!("IMG_{i:04}.JPG"));
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
            f.write_all(&[0xFF, 0xD8, 0xFF, 0xE0]).expect("write");
            let mut left = mb * (1 << 20) - 4;
            while left > 0 {
                for chunk in piece.chunks_exact_mut(8) {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    chunk.copy_from_slice(&state.to_le_bytes());
                }
                let take = left.min(piece.len());
                f.write_all(&piece[..take]).expect("write");
                left -= take;
            }
            f.flush().expect("flush");
            path
        })
        .collect()
}

/// Resets the peak resident size (Linux: "5" to clear_refs), so each phase reports its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
