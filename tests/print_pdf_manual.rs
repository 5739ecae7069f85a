//! The user manual printed the way a user prints it: `paicha manual --out`, opened in headless
//! Chromium with default settings and printed to PDF, read back with poppler: A4 pages, every
//! chapter starting a page of its own, no browser header or footer, the fonts embedded.
//!
//! Needs Chromium and poppler-utils like `tests/print_pdf.rs`; without them it says SKIPPED
//! on stderr and checks nothing.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pdf.rs"]
mod pdf;

use cli::*;
use pdf::*;

#[test]
fn the_manual_prints_on_a4_with_each_chapter_on_a_new_page() {
    let Some(chromium) = printer() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let html = dir.path().join("使用手册.html");
    let out = paicha(
        &dir.path().join("data"),
        &["manual", "--out", html.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("manual.pdf");
    print_to_pdf(&chromium, &html, &pdf);
    let pages = pages(&pdf);
    assert!(pages.len() >= 10, "{} pages", pages.len());
    for (k, p) in pages.iter().enumerate() {
        assert!(
            (p.width - 595.0).abs() < 2.0 && (p.height - 842.0).abs() < 2.0,
            "page {} is {} x {} pt, not A4",
            k + 1,
            p.width,
            p.height
        );
    }

    // Each chapter (its <h2>) is the first text of some page.
    let source = std::fs::read_to_string(&html).expect("html");
    let chapters: Vec<&str> = source
        .split("<h2>")
        .skip(1)
        .filter_map(|rest| rest.split("</h2>").next())
        .collect();
    assert!(chapters.len() >= 13, "{chapters:?}");
    let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    for chapter in &chapters {
        let heading = squeeze(chapter);
        assert!(
            pages.iter().any(|p| squeeze(&p.text).starts_with(&heading)),
            "chapter {chapter} does not start a page"
        );
    }

    let all: String = pages.iter().map(|p| p.text.as_str()).collect();
    assert!(
        !all.contains("file:"),
        "the browser printed the file address"
    );
    // (The manual itself writes dates with slashes, so the browser's date is looked for by
    // its page numbers instead: a footer ends each page with "k/n".)
    let n = pages.len();
    for (k, p) in pages.iter().enumerate() {
        let last = p.text.split_whitespace().last();
        assert_ne!(
            last,
            Some(format!("{}/{n}", k + 1).as_str()),
            "page {} ends with the browser's page number",
            k + 1
        );
    }
    let fonts = tool("pdffonts", &[], &pdf);
    for row in fonts.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols.len() >= 5 && cols[cols.len() - 5] == "yes",
            "a font not embedded:\n{fonts}"
        );
    }
    eprintln!("manual printed: {} A4 pages", pages.len());
}
