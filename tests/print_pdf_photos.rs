//! Photos on paper (issue 17), printed the way an inspector prints: headless Chromium with
//! default settings, read back with poppler. The 现场照片补充页 of a demo inspection with
//! five attachments (three pictures, a HEIC and a video as cards) runs over A4 pages with no
//! page left mostly blank and no figure split; the 整改复查意见书 with before and after photos
//! keeps its one page and adds one page of photos side by side.
//!
//! Needs Chromium and poppler-utils like tests/print_pdf.rs; without them it says SKIPPED.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pdf.rs"]
mod pdf;

use cli::*;
use pdf::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn attach(data: &Path, args: &[&str]) {
    let mut all = vec!["attachment", "add"];
    all.extend_from_slice(args);
    let out = paicha(data, &all);
    assert!(out.status.success(), "{all:?}: {}", stderr(&out));
}

/// A PNG of 40×30 pixels in one colour, built here (stored blocks, no compression).
fn png(path: &Path) -> PathBuf {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let (w, h) = (40u32, 30u32);
    // Each row: filter type 0 (none), then the pixels.
    let mut row = vec![0u8];
    for _ in 0..w {
        row.extend_from_slice(&[0x30, 0x80, 0xc0]);
    }
    let raw = row.repeat(h as usize);
    // zlib: header, one stored block, Adler-32.
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    z.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    z.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    std::fs::write(path, out).expect("png");
    path.to_path_buf()
}

fn squeezed(p: &Page) -> String {
    p.text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn photo_pages_print_as_full_a4_pages_with_no_photo_split() {
    let Some(chromium) = printer() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let out = paicha(&data, &["demo"]);
    assert!(out.status.success(), "demo: {}", stderr(&out));
    let built = png(&dir.path().join("built.png"));
    let built = built.to_string_lossy().into_owned();

    // Photos brought back to the office after the on-site record was issued on site.
    let inspections = json(&data, &["inspection", "list", "--format", "json"]);
    let inspection = inspections
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["status"] == "finalized")
        .and_then(|i| i["id"].as_str())
        .expect("a finalized demo inspection")
        .to_string();
    attach(
        &data,
        &[
            "--to",
            &inspection,
            "--note",
            "现场照片",
            &fixture("exif.jpg"),
            &built,
            &fixture("exif.png"),
            &fixture("exif.heic"),
            &fixture("sony-a7-xavc.mp4"),
        ],
    );
    let supplement = dir.path().join("supplement.html");
    write_doc(&data, &["photos", "--inspection", &inspection], &supplement);
    let printed = print_and_check(
        &chromium,
        dir.path(),
        "supplement",
        &supplement,
        "现场照片补充页",
    );
    eprintln!(
        "printed: 现场照片补充页 (5 attachments) {} pages",
        printed.count()
    );
    assert!(
        (2..=3).contains(&printed.count()),
        "supplement: {} pages",
        printed.count()
    );
    printed.assert_no_page_left_mostly_blank();
    // Each figure whole on one page: its caption's first and last line together.
    for n in 1..=5 {
        let on: Vec<usize> = printed
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| squeezed(p).contains(&format!("照片{n}附于")))
            .map(|(k, _)| k)
            .collect();
        assert_eq!(on.len(), 1, "照片 {n} printed once: {on:?}");
        let page = squeezed(&printed.pages[on[0]]);
        let from = page.find(&format!("照片{n}附于")).expect("caption");
        assert!(
            page[from..].contains("原文件"),
            "照片 {n}'s caption runs over to the next page"
        );
    }

    // Before and after: the hazard's photo (整改前) and the verification's (整改后).
    let verified = json(&data, &["ledger", "--status", "已验收", "--format", "json"]);
    let hazard = verified
        .as_array()
        .and_then(|h| h.first())
        .and_then(|h| h["id"].as_str())
        .expect("a verified demo hazard")
        .to_string();
    let shown = json(&data, &["ledger", "show", &hazard]);
    let event = shown["events"]
        .as_array()
        .expect("events")
        .iter()
        .rev()
        .find(|e| e["kind"] == "verified")
        .and_then(|e| e["id"].as_str())
        .expect("the verification")
        .to_string();
    attach(
        &data,
        &[
            "--to",
            &hazard,
            "--role",
            "整改前",
            "--note",
            "整改前",
            &built,
        ],
    );
    attach(
        &data,
        &[
            "--to",
            &event,
            "--role",
            "整改后",
            "--note",
            "整改后",
            &fixture("exif.jpg"),
            &fixture("sony-a7-xavc.mp4"),
        ],
    );
    let reinspection = dir.path().join("reinspection.html");
    write_doc(&data, &["reinspection", "--event", &event], &reinspection);
    let printed = print_and_check(
        &chromium,
        dir.path(),
        "reinspection",
        &reinspection,
        "整改复查意见书",
    );
    assert_eq!(
        printed.count(),
        2,
        "the opinion's page, then one page of photos"
    );
    let photos = squeezed(&printed.pages[1]);
    assert!(photos.contains("整改前后照片"), "{photos}");
    assert!(!squeezed(&printed.pages[0]).contains("整改前后照片"));
    for n in 1..=3 {
        assert!(
            photos.contains(&format!("照片{n}附于")),
            "照片 {n}: {photos}"
        );
    }
}
