//! What the attachment benches share: their size knobs, generated photos, a fuel station with
//! a draft inspection to attach to, and the process's peak memory.

use paicha::domain::*;
use paicha::storage::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A size knob from the environment, else `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// `n` files of `mb` MB: `header` (a JPEG's first bytes), then random bytes, so nothing
/// compresses or dedupes.
pub fn make_photos(dir: &Path, n: usize, mb: usize, header: &[u8]) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("dir");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut piece = vec![0u8; 1 << 20];
    (0..n)
        .map(|i| {
            let path = dir.join(format!("IMG_{i:04}.JPG"));
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
            f.write_all(header).expect("write");
            let mut left = mb * (1 << 20) - header.len();
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

/// A fuel station and a draft inspection of it with the one item E1.
pub fn draft_inspection(store: &mut Store, templates: Vec<TemplateRef>) -> uuid::Uuid {
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
    store
        .create_inspection(Inspection::draft(
            e.id(),
            InspectionMode::Unannounced,
            vec![me],
            store.now(),
            templates,
            vec![item],
        ))
        .expect("inspection")
        .id()
}

/// The process's peak resident memory so far (VmHWM), in KiB; 0 where /proc has none.
pub fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
