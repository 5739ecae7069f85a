use super::*;
use chrono::TimeZone;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 8, 15, h, m, 0)
        .single()
        .expect("time")
}

fn photo() -> Attachment {
    Attachment {
        target_kind: TargetKind::Inspection,
        target_id: Uuid::nil(),
        item_code: None,
        role: None,
        sha256: "ab".repeat(32),
        size: 5,
        media_type: "image/jpeg".into(),
        file_name: "IMG_0001.JPG".into(),
        captured_at: Some(at(2, 0)),
        capture_source: CaptureSource::Exif,
        place: None,
        note: String::new(),
    }
}

const TYPES: [&str; 2] = ["image/jpeg", "video/mp4"];

#[test]
fn a_capture_outside_the_visit_is_a_fact_with_its_distance() {
    let (arrival, departure) = (at(1, 30), at(3, 0));
    assert_eq!(outside_visit(at(2, 0), arrival, Some(departure)), None);
    assert_eq!(outside_visit(arrival, arrival, Some(departure)), None);
    assert_eq!(outside_visit(departure, arrival, Some(departure)), None);
    let before = outside_visit(at(0, 25), arrival, Some(departure)).expect("before");
    assert_eq!(before.text(), "拍摄于到达现场前 1 小时 5 分");
    let after = outside_visit(at(5, 0), arrival, Some(departure)).expect("after");
    assert_eq!(after.text(), "拍摄于离开现场后 2 小时");
    // A draft: no departure yet, only the arrival bounds the visit.
    assert_eq!(outside_visit(at(23, 0), arrival, None), None);
    let days = outside_visit(at(1, 30) - chrono::Duration::hours(75), arrival, None);
    assert_eq!(
        days.map(|o| o.text()).as_deref(),
        Some("拍摄于到达现场前 3 天 3 小时")
    );
    let secs = outside_visit(at(1, 30) - chrono::Duration::seconds(40), arrival, None);
    assert_eq!(
        secs.map(|o| o.text()).as_deref(),
        Some("拍摄于到达现场前 40 秒")
    );
}

#[test]
fn a_file_time_is_not_judged_against_the_visit() {
    let mut a = photo();
    a.captured_at = Some(at(9, 0));
    assert!(attachment_outside_visit(&a, at(1, 30), Some(at(3, 0))).is_some());
    a.capture_source = CaptureSource::FileTime;
    assert_eq!(
        attachment_outside_visit(&a, at(1, 30), Some(at(3, 0))),
        None
    );
    a.captured_at = None;
    assert_eq!(
        attachment_outside_visit(&a, at(1, 30), Some(at(3, 0))),
        None
    );
}

#[test]
fn records_are_checked_whoever_wrote_them() {
    assert_eq!(check(&photo(), &TYPES), Ok(()));
    let bad = |f: fn(&mut Attachment)| {
        let mut a = photo();
        f(&mut a);
        check(&a, &TYPES).expect_err("refused")
    };
    assert!(bad(|a| a.target_kind = TargetKind::Answer).contains("检查项编号"));
    assert!(bad(|a| a.item_code = Some("E3".into())).contains("不能指定检查项"));
    assert!(bad(|a| a.role = Some(PhotoRole::After)).contains("整改前/整改后"));
    assert!(bad(|a| a.sha256 = "AB".repeat(32)).contains("SHA-256"));
    assert!(bad(|a| a.sha256 = "ab".into()).contains("SHA-256"));
    assert!(bad(|a| a.size = 0).contains("空文件"));
    assert!(bad(|a| a.media_type = "text/plain".into()).contains("不支持"));
    assert!(bad(|a| a.file_name = "../x.jpg".into()).contains("文件名"));
    assert!(bad(|a| a.file_name = " ".into()).contains("文件名"));
    assert!(bad(|a| a.captured_at = None).contains("没有拍摄时间"));
    let mut ok = photo();
    ok.target_kind = TargetKind::HazardEvent;
    ok.role = Some(PhotoRole::Before);
    assert_eq!(check(&ok, &TYPES), Ok(()));
    ok.target_kind = TargetKind::Answer;
    ok.role = None;
    ok.item_code = Some("E3".into());
    assert_eq!(check(&ok, &TYPES), Ok(()));
}

#[test]
fn places_are_kept_as_exact_integers_and_shown_in_chinese() {
    let p = Place::new(37.875, -112.56).expect("place");
    assert_eq!(p.to_e7(), (378_750_000, -1_125_600_000));
    assert_eq!(Place::from_e7(378_750_000, -1_125_600_000), Some(p));
    assert_eq!(p.text(), "北纬 37.875000°，西经 112.560000°");
    assert_eq!(Place::new(91.0, 0.0), None);
    assert_eq!(Place::new(0.0, f64::NAN), None);
}

#[test]
fn exported_names_are_safe_and_never_collide() {
    let mut taken = HashSet::new();
    let mut name = |n: &str| export_name(n, "fallback.jpg", &mut taken);
    assert_eq!(name("IMG_0001.JPG"), "IMG_0001.JPG");
    assert_eq!(name("img_0001.jpg"), "img_0001 (2).jpg");
    assert_eq!(name("IMG_0001.JPG"), "IMG_0001 (3).JPG");
    assert_eq!(name("../../etc/passwd"), "passwd");
    assert_eq!(name("C:\\DCIM\\现场 照片.jpg"), "现场 照片.jpg");
    assert_eq!(name("a:b?.mov"), "a_b_.mov");
    assert_eq!(name(".."), "fallback.jpg");
    assert_eq!(name(""), "fallback (2).jpg");
    assert_eq!(name(".hidden"), ".hidden");
    assert_eq!(name(".hidden"), ".hidden (2)");
}

#[test]
fn codes_and_labels_are_stable() {
    assert_eq!(PhotoRole::parse("整改后"), Ok(PhotoRole::After));
    assert_eq!(PhotoRole::parse("before"), Ok(PhotoRole::Before));
    assert!(PhotoRole::parse("之后").is_err());
    assert_eq!(TargetKind::HazardEvent.code(), "hazard_event");
    assert_eq!(media_label("video/quicktime"), "MOV 视频");
    assert_eq!(extension("image/heic"), "heic");
    assert_eq!(
        AttachmentRules::default().max_file_bytes(),
        2048 * 1024 * 1024
    );
}
