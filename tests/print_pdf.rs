//! The enforcement documents printed the way an inspector prints them: opened in a browser
//! and printed with its default settings. Headless Chromium prints each document of a demo
//! inspection with many findings to PDF (with the browser's own header and footer left on,
//! as a browser does by default), and poppler's tools read the PDF back: A4 pages, the
//! expected number of them, no page left mostly blank before the last, no print date, file
//! address or page numbers from the browser, the Chinese text there in embedded fonts.
//!
//! Needs `chromium` (or `chromium-browser`, `google-chrome`, or the program named by
//! PAICHA_CHROMIUM) and poppler-utils (`pdfinfo`, `pdftotext`, `pdffonts`); without them the
//! test says SKIPPED on stderr and checks nothing. `.ci/run` installs them.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pdf.rs"]
mod pdf;

use cli::*;
use pdf::*;

#[test]
fn documents_print_as_clean_a4_pages_from_a_browser_with_default_settings() {
    let Some(chromium) = printer() else {
        return;
    };

    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let out = paicha(&data, &["demo"]);
    assert!(out.status.success(), "demo: {}", stderr(&out));

    // The finalized inspection whose on-site record lists the most findings.
    let inspections = json(&data, &["inspection", "list", "--format", "json"]);
    let mut best: Option<(usize, String)> = None;
    for i in inspections.as_array().expect("list") {
        if i["status"] != "finalized" {
            continue;
        }
        let id = i["id"].as_str().expect("id").to_string();
        let html = write_doc(
            &data,
            &["onsite", "--inspection", &id],
            &dir.path().join("probe.html"),
        );
        let findings = html.matches("<li").count();
        if best.as_ref().is_none_or(|(most, _)| findings > *most) {
            best = Some((findings, id));
        }
    }
    let (findings, id) = best.expect("a finalized demo inspection");
    assert!(
        findings >= 8,
        "the demo's longest on-site record lists {findings} findings; the test needs one long \
         enough to run over a page"
    );

    let onsite = dir.path().join("onsite.html");
    write_doc(&data, &["onsite", "--inspection", &id], &onsite);
    let order = dir.path().join("order.html");
    write_doc(&data, &["order", "--inspection", &id], &order);
    // A re-inspection: a hazard that passed its re-inspection.
    let verified = json(&data, &["ledger", "--status", "已验收", "--format", "json"]);
    let hazard = verified
        .as_array()
        .and_then(|h| h.first())
        .and_then(|h| h["id"].as_str())
        .expect("a verified demo hazard")
        .to_string();
    let reinspection = dir.path().join("reinspection.html");
    write_doc(&data, &["reinspection", "--hazard", &hazard], &reinspection);

    let pdfs = dir.path();
    let onsite = print_and_check(&chromium, pdfs, "onsite", &onsite, "现场检查记录");
    let order = print_and_check(&chromium, pdfs, "order", &order, "责令限期整改指令书");
    let reinspection = print_and_check(
        &chromium,
        pdfs,
        "reinspection",
        &reinspection,
        "整改复查意见书",
    );
    eprintln!(
        "printed: on-site record ({findings} findings) {} pages, order {} pages, \
         re-inspection opinion {} page(s)",
        onsite.count(),
        order.count(),
        reinspection.count()
    );

    // With this many findings the record runs over a page, but not over three.
    assert!(
        (2..=3).contains(&onsite.count()),
        "on-site record: {} pages",
        onsite.count()
    );
    onsite.assert_no_page_left_mostly_blank();
    assert!(
        (1..=2).contains(&order.count()),
        "order: {} pages",
        order.count()
    );
    order.assert_no_page_left_mostly_blank();
    assert_eq!(reinspection.count(), 1, "re-inspection opinion: one page");
}
