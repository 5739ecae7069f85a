//! Photos printed with the documents (issue 17), through the real binary: the on-site record's
//! photo page embeds the original bytes of JPEG and PNG photos as data: URIs with their
//! captions, a HEIC or a video gets a card; a reprint gives the same bytes even after more
//! photos were attached (those go on the 现场照片补充页); the re-inspection opinion shows
//! before and after.

#[path = "support/photo_site.rs"]
mod photo_site;
#[path = "support/cli.rs"]
mod support;

use paicha::domain::SystemClock;
use paicha::domain::lifecycle::Step;
use paicha::storage::Store;
use photo_site::{TINY_PNG, b64, bj, fixture, sha, site};
use std::path::Path;
use std::sync::Arc;
use support::{paicha, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = paicha(dir, args);
    (out.status.success(), stdout(&out), stderr(&out))
}

fn attach(dir: &Path, args: &[&str]) {
    let mut all = vec!["attachment", "add"];
    all.extend_from_slice(args);
    let (ok, _, err) = run(dir, &all);
    assert!(ok, "{args:?}: {err}");
}

/// Writes a document with `paicha doc …` and returns its bytes.
fn doc(dir: &Path, args: &[&str], file: &str) -> Vec<u8> {
    let out = dir.join(file);
    let path = out.to_str().expect("path").to_string();
    let mut all = vec!["doc"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", &path]);
    let (ok, stdout, err) = run(dir, &all);
    assert!(ok, "{args:?}: {err}");
    assert!(stdout.contains("已写入"), "{stdout}");
    std::fs::read(&out).expect("html")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

#[test]
fn the_onsite_record_prints_its_photos_and_a_reprint_is_identical() {
    let tmp = tempfile::tempdir().expect("dir");
    let d = tmp.path();
    let (inspection, hazard) = site(d);
    let png = d.join("tiny.png");
    std::fs::write(&png, TINY_PNG).expect("png");
    let id = inspection.to_string();
    let png_path = png.to_str().expect("p");
    let jpg = fixture("exif.jpg");
    let heic = fixture("exif.heic");
    attach(d, &["--to", &id, "--note", "加油站全景", png_path]);
    attach(
        d,
        &[
            "--to",
            &id,
            "--item",
            "E12",
            "--note",
            "焊工正在动火",
            jpg.to_str().expect("p"),
        ],
    );
    attach(
        d,
        &[
            "--to",
            &hazard.to_string(),
            "--note",
            "储罐区",
            heic.to_str().expect("p"),
        ],
    );

    let first = doc(d, &["onsite", "--inspection", &id], "onsite.html");
    let html = text(&first);
    // The original bytes, embedded: the file stands alone.
    let jpg_bytes = std::fs::read(&jpg).expect("jpg");
    assert!(html.contains(&format!("data:image/png;base64,{}\"", b64(&TINY_PNG))));
    assert!(html.contains(&format!("data:image/jpeg;base64,{}\"", b64(&jpg_bytes))));
    assert!(html.contains("image-orientation: from-image"));
    assert!(html.contains("break-inside: avoid"));
    assert!(!html.contains("http"), "nothing fetched from elsewhere");
    // Captions: what it shows, what it is attached to, the file and its hash.
    for caption in [
        "加油站全景",
        "焊工正在动火",
        "附于：检查项 E12",
        "附于：检查记录",
        "附于：隐患：无证人员在储罐区动火作业",
        "tiny.png",
        "exif.jpg",
        "拍摄时间：",
        "拍摄地点：",
        "附：现场照片及其他附件 3 份（见照片页）",
        &sha(&TINY_PNG),
    ] {
        assert!(html.contains(caption), "{caption} in the record");
    }
    // The tiny PNG has no EXIF: its time is the file's, and said to be.
    assert!(html.contains("文件修改时间，不一定是拍摄时间"));
    // The HEIC is not a picture here: a card with its name, size and hash.
    let heic_bytes = std::fs::read(&heic).expect("heic");
    let card = html
        .split("<div class=\"frame card\">")
        .nth(1)
        .expect("a card");
    let card = card.split("</div>").next().expect("card");
    assert!(
        card.contains("HEIC 照片") && card.contains("exif.heic"),
        "{card}"
    );
    assert!(card.contains(&sha(&heic_bytes)), "{card}");
    assert!(
        card.contains("大小：") && card.contains("拍摄时间："),
        "{card}"
    );
    assert!(!html.contains("data:image/heic"));

    // A photo attached after the record was issued never changes its reprint…
    attach(
        d,
        &[
            "--to",
            &id,
            "--note",
            "事后补拍的消防器材",
            jpg.to_str().expect("p"),
        ],
    );
    let again = doc(d, &["onsite", "--inspection", &id], "onsite2.html");
    assert!(again == first, "the reprint is the record as first issued");
    // … it is on the 现场照片补充页, which names the record and prints only what came later.
    let number = html
        .split("<p class=\"no\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("number")
        .to_string();
    let later = text(&doc(d, &["photos", "--inspection", &id], "later.html"));
    assert!(later.contains("现场照片补充页"));
    assert!(later.contains(&number), "names the record {number}");
    assert!(later.contains("事后补拍的消防器材"));
    assert!(later.contains(&format!("data:image/jpeg;base64,{}\"", b64(&jpg_bytes))));
    assert!(!later.contains("加油站全景"), "not what the record printed");
    assert!(later.contains("以下 1 份照片及其他附件"));
    let later_again = doc(d, &["photos", "--inspection", &id], "later2.html");
    assert_eq!(
        text(&later_again),
        later,
        "the supplement reprints the same"
    );
}

#[test]
fn a_record_without_photos_keeps_its_bytes_and_the_supplement_is_refused_in_chinese() {
    let tmp = tempfile::tempdir().expect("dir");
    let d = tmp.path();
    let (inspection, _) = site(d);
    let id = inspection.to_string();
    let html = text(&doc(d, &["onsite", "--inspection", &id], "onsite.html"));
    assert!(!html.contains("class=\"photos\"") && !html.contains("figure"));
    assert!(
        !html.contains("image-orientation"),
        "no photo CSS without photos"
    );
    assert!(html.contains("附：现场照片 <span class=\"blank\""));
    let out = d.join("x.html");
    let (ok, _, err) = run(
        d,
        &[
            "doc",
            "photos",
            "--inspection",
            &id,
            "--out",
            out.to_str().expect("p"),
        ],
    );
    assert!(!ok && err.contains("没有新增照片或其他附件"), "{err}");
    assert!(!out.exists(), "nothing written");
    let (ok, _, err) = run(
        d,
        &["doc", "photos", "--inspection", "x", "--out", "y.html"],
    );
    assert!(!ok && err.contains("不是检查记录编号"), "{err}");
}

#[test]
fn the_reinspection_opinion_shows_before_and_after() {
    let tmp = tempfile::tempdir().expect("dir");
    let d = tmp.path();
    let (_, hazard) = site(d);
    let png = d.join("before.png");
    std::fs::write(&png, TINY_PNG).expect("png");
    // The hazard's own photo, unmarked: 整改前.
    attach(
        d,
        &[
            "--to",
            &hazard.to_string(),
            "--note",
            "动火现场",
            png.to_str().expect("p"),
        ],
    );
    let event = {
        let mut store = Store::open(d, Arc::new(SystemClock)).expect("store");
        let mut last = None;
        for step in [
            Step::Rectify { fixes: None },
            Step::ReportRectified,
            Step::Verify {
                passed: true,
                by: "高峰翔".into(),
                new_deadline: None,
                case_opened: false,
            },
        ] {
            last = Some(
                store
                    .apply_step(hazard, step, bj(10, 20, 15), "已规范")
                    .expect("step")
                    .id(),
            );
        }
        last.expect("event")
    };
    let jpg = fixture("exif.jpg");
    let mp4 = fixture("sony-a7-xavc.mp4");
    attach(
        d,
        &[
            "--to",
            &event.to_string(),
            "--role",
            "整改后",
            "--note",
            "持证焊工作业",
            jpg.to_str().expect("p"),
            mp4.to_str().expect("p"),
        ],
    );
    let html = text(&doc(
        d,
        &["reinspection", "--event", &event.to_string()],
        "re.html",
    ));
    let compare = html
        .split("整改前后照片")
        .nth(1)
        .expect("a before/after page");
    assert!(compare.contains("<th>整改前</th><th>整改后</th>"));
    let rows: Vec<&str> = compare.split("<tr><td>").skip(1).collect();
    assert_eq!(rows.len(), 2, "two after, one before: two rows");
    let (before, after) = rows[0].split_once("</td><td>").expect("cells");
    assert!(before.contains("动火现场") && before.contains("data:image/png;base64,"));
    assert!(after.contains("持证焊工作业") && after.contains("data:image/jpeg;base64,"));
    let (empty, video) = rows[1].split_once("</td><td>").expect("cells");
    assert!(empty.contains("（无）"));
    assert!(
        video.contains("frame card") && video.contains("MP4 视频"),
        "{video}"
    );
}

#[test]
fn a_damaged_store_file_prints_a_card_and_a_warning_never_the_altered_bytes() {
    let tmp = tempfile::tempdir().expect("dir");
    let d = tmp.path();
    let (inspection, _) = site(d);
    let jpg = fixture("exif.jpg");
    let id = inspection.to_string();
    attach(
        d,
        &["--to", &id, "--note", "全景", jpg.to_str().expect("p")],
    );
    let bytes = std::fs::read(&jpg).expect("jpg");
    let stored = d.join("attachments").join(sha(&bytes));
    let mut perms = std::fs::metadata(&stored).expect("stored").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&stored, perms).expect("chmod");
    let mut altered = bytes.clone();
    let last = altered.len() - 3;
    altered[last] ^= 0xff;
    std::fs::write(&stored, &altered).expect("alter");
    let out = d.join("onsite.html");
    let (ok, _, err) = run(
        d,
        &[
            "doc",
            "onsite",
            "--inspection",
            &id,
            "--out",
            out.to_str().expect("p"),
        ],
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("注意：有 1 个附件的存储文件缺失或与记录的校验值不符"),
        "{err}"
    );
    let html = std::fs::read_to_string(&out).expect("html");
    assert!(html.contains("存储的文件缺失或与记录的校验值不符，无法印出"));
    assert!(
        !html.contains("data:image/jpeg"),
        "the altered bytes are not printed"
    );
    assert!(html.contains("全景"), "the record's caption still is");
}
