//! The monthly major-hazard list and the public disclosure list through the real binary: the
//! window (26th to 25th), numbering order, and — for the disclosure — that no personal data
//! can reach it in any format: no phone or ID number, no person's name, no inspector key, no
//! reporter, anonymous or not.

use chrono::{DateTime, NaiveDate, Utc};
use paicha::domain::lifecycle::Step;
use paicha::domain::{
    CreditCode, Enterprise, FiveFixes, Hazard, HazardEvent, HazardEventKind, HazardGrade,
    HazardSource, Inspector, SystemClock, time,
};
use paicha::storage::Store;
use std::process::Command;
use std::sync::Arc;

fn bj(m: u32, d: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(2023, m, d).expect("day");
    time::from_local(day.and_hms_opt(10, 0, 0).expect("time"))
}

const REPORTER: &str = "张举报";
const REPORTER_PHONE: &str = "13912345678";
const REPORTER_ID: &str = "14112319900101123X";
const PRINCIPAL: &str = "王老板";
const COMPANY_PHONE: &str = "0358-6021234";
const RESPONSIBLE: &str = "赵责任";
const TRACKER: &str = "刘珍";
const INSPECTOR: &str = "李建山";
const CERT: &str = "14010001";

fn hazard(
    store: &mut Store,
    e: uuid::Uuid,
    source: HazardSource,
    grade: HazardGrade,
    (m, d): (u32, u32),
    what: &str,
    anonymous: bool,
) -> uuid::Uuid {
    store
        .record_hazard(Hazard {
            enterprise_id: e,
            inspection_id: None,
            item_code: None,
            grade,
            source,
            description: what.into(),
            location: "油罐区".into(),
            basis: String::new(),
            found_at: bj(m, d),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: RESPONSIBLE.into(),
                measures: "停用并更换".into(),
                funds: "2万元".into(),
                deadline: NaiveDate::from_ymd_opt(2023, 10, 30).expect("d"),
                emergency_plan: "停止卸油".into(),
            }),
            supervision: None,
            anonymous_report: anonymous,
            assigning_document: None,
        })
        .expect("hazard")
        .id()
}

/// A data dir with: a public-report hazard naming its reporter (9-01), an anonymous one
/// (9-25), an inspection hazard listed and closed out (8-26), one on 8-25 (August's list),
/// one on 9-26 (October's) and a general one (never listed). Returns the dir.
fn data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: INSPECTOR.into(),
            cert_no: CERT.into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    paicha::demo::one_person_office(&mut store, "方山县应急管理局", "王国锋").expect("office");
    let me = store.author_id().expect("me");
    store.own_public_key(me).expect("key");
    let e = store
        .add_enterprise(Enterprise {
            name: "方山县甲加油站".into(),
            credit_code: CreditCode::from_body("91350100M000100Y4").expect("code"),
            address: "圪洞镇大街1号".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: None,
            principal: PRINCIPAL.into(),
            phone: COMPANY_PHONE.into(),
        })
        .expect("enterprise")
        .id();
    use HazardGrade::*;
    use HazardSource::*;
    let named = hazard(
        &mut store,
        e,
        PublicReport,
        Major,
        (9, 1),
        &format!(
            "举报人{REPORTER}（电话{REPORTER_PHONE}，身份证{REPORTER_ID}）反映：油罐区违规动火，无作业票"
        ),
        false,
    );
    store
        .append_hazard_event(HazardEvent {
            hazard_id: named,
            kind: HazardEventKind::Transferred,
            occurred_at: bj(9, 2),
            payload: serde_json::json!({"step": "transfer", "to_unit": "能源股"}),
            note: format!("举报人{REPORTER}电话{REPORTER_PHONE}"),
        })
        .expect("event");
    hazard(
        &mut store,
        e,
        PublicReport,
        Major,
        (9, 25),
        "卸油口静电接地断开",
        true,
    );
    let closed = hazard(
        &mut store,
        e,
        Inspection,
        Major,
        (8, 26),
        "储罐紧急切断阀失效",
        false,
    );
    store
        .apply_step(
            closed,
            Step::ListForSupervision {
                tracking_person: TRACKER.into(),
            },
            bj(8, 27),
            "",
        )
        .expect("listed");
    for step in [
        Step::Rectify { fixes: None },
        Step::ReportRectified,
        Step::Verify {
            passed: true,
            by: INSPECTOR.into(),
            new_deadline: None,
            case_opened: false,
        },
        Step::CloseOut {
            signer: "王国锋".into(),
            signed_at: bj(9, 10),
            signer_id: None,
        },
    ] {
        store.apply_step(closed, step, bj(9, 10), "").expect("step");
    }
    hazard(
        &mut store,
        e,
        Inspection,
        Major,
        (8, 25),
        "八月的隐患",
        false,
    );
    hazard(
        &mut store,
        e,
        Inspection,
        Major,
        (9, 26),
        "十月清单的隐患",
        false,
    );
    hazard(
        &mut store,
        e,
        Inspection,
        General,
        (9, 5),
        "一般隐患",
        false,
    );
    // The office numbers the closed-out one only.
    store
        .number_hazards("方山", |ledger| {
            ledger
                .iter()
                .filter(|s| s.id == closed)
                .map(|s| s.id)
                .collect()
        })
        .expect("numbered");
    dir
}

fn paicha(dir: &std::path::Path, args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_monthly_list_covers_the_26th_to_the_25th_numbered_first() {
    let dir = data();
    let (ok, out, err) = paicha(
        dir.path(),
        &[
            "report", "hazards", "--month", "2023-09", "--format", "json",
        ],
    );
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let entries = json["entries"].as_array().expect("entries");
    let what: Vec<&str> = entries
        .iter()
        .map(|e| e["description"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(what.len(), 3, "{what:?}");
    // The numbered one first, then by day found.
    assert_eq!(entries[0]["number"], "方山001");
    assert_eq!(what[0], "储罐紧急切断阀失效");
    assert!(what[1].contains("油罐区违规动火"));
    assert_eq!(what[2], "卸油口静电接地断开");
    assert_eq!(entries[0]["tracking_person"], TRACKER);
    assert_eq!(entries[0]["stage"], "已销号");
    assert_eq!(
        entries
            .iter()
            .map(|e| e["seq"].as_u64().unwrap_or(0))
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    // August's and October's.
    let (_, aug, _) = paicha(
        dir.path(),
        &[
            "report", "hazards", "--month", "2023-08", "--format", "json",
        ],
    );
    assert!(String::from_utf8_lossy(&aug).contains("八月的隐患"));
    let (_, oct, _) = paicha(
        dir.path(),
        &[
            "report", "hazards", "--month", "2023-10", "--format", "json",
        ],
    );
    assert!(String::from_utf8_lossy(&oct).contains("十月清单的隐患"));
    // The office's own list is internal: the responsible person is on it.
    let (ok, table, _) = paicha(dir.path(), &["report", "hazards", "--month", "2023-09"]);
    assert!(ok && String::from_utf8_lossy(&table).contains(RESPONSIBLE));
}

#[test]
fn no_personal_data_can_reach_the_disclosure_list_in_any_format() {
    let dir = data();
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    let me = store.profile().expect("p").expect("profile").id();
    let key = store.own_public_key(me).expect("key");
    drop(store);
    let forbidden = [
        REPORTER,
        REPORTER_PHONE,
        REPORTER_ID,
        "举报",
        PRINCIPAL,
        COMPANY_PHONE,
        "6021234",
        RESPONSIBLE,
        TRACKER,
        INSPECTOR,
        CERT,
        &key,
        "群众举报",
        "匿名",
        "王国锋",
    ];
    let xlsx = dir.path().join("公开.xlsx");
    let mut outputs = Vec::new();
    for format in ["table", "csv", "json"] {
        let (ok, out, err) = paicha(
            dir.path(),
            &[
                "report",
                "disclosure",
                "--month",
                "2023-09",
                "--format",
                format,
            ],
        );
        assert!(ok, "{err}");
        outputs.push((
            format.to_string(),
            String::from_utf8_lossy(&out).into_owned(),
        ));
    }
    let (ok, _, err) = paicha(
        dir.path(),
        &[
            "report",
            "disclosure",
            "--month",
            "2023-09",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().expect("p"),
        ],
    );
    assert!(ok, "{err}");
    // Every string the workbook holds (shared strings and sheets).
    let file = std::fs::File::open(&xlsx).expect("xlsx");
    outputs.push(("xlsx".into(), zip_text(file)));
    for (format, text) in &outputs {
        for word in forbidden {
            assert!(!text.contains(word), "{format} leaks “{word}”:\n{text}");
        }
        // The hazards themselves are there, with progress and result.
        assert!(text.contains("油罐区违规动火"), "{format}: {text}");
        assert!(
            text.contains("已于2023-09-10整改完成并销号"),
            "{format}: {text}"
        );
        assert!(text.contains("方山001"), "{format}: {text}");
    }
    // The JSON carries exactly the public fields.
    let json: serde_json::Value = serde_json::from_str(&outputs[2].1).expect("json");
    let keys: Vec<&str> = json["entries"][0]
        .as_object()
        .expect("entry")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "deadline",
            "description",
            "enterprise",
            "found_month",
            "number",
            "progress",
            "result",
            "seq",
            "town"
        ]
    );
}

/// All text inside an xlsx (a zip of XML files).
fn zip_text(file: std::fs::File) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let mut all = String::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut text = String::new();
        let _ = entry.read_to_string(&mut text);
        all.push_str(&text);
    }
    all
}
