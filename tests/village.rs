//! Issue 15, item 4: an assisted village (帮扶村) is no production or business unit. Its visit
//! asks the village checklist only (not an enterprise principal's fifteen duties); what it
//! finds is referred (事故隐患移交书) to the town or a department — issuing the referral transfers
//! the hazards — never ordered; and the monthly table's enterprise rows (B1–B8, C2) leave it out
//! while its hazards count in the A rows.

use chrono::{DateTime, NaiveDate, Utc};
use paicha::domain::{
    AnswerResult, CreditCode, Enterprise, Hazard, HazardGrade, HazardSource, Inspection,
    InspectionMode, Inspector, SystemClock, time,
};
use paicha::storage::Store;
use paicha::templates::Catalog;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use uuid::Uuid;

fn bj(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(2023, m, d).expect("day");
    time::from_local(day.and_hms_opt(h, 0, 0).expect("time"))
}

fn paicha(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

struct Visit {
    dir: tempfile::TempDir,
    inspection: Uuid,
    hazard: Uuid,
}

/// A village visited on 2023-09-05 with the checklists proposed for it, one item failed and
/// recorded as a hazard.
fn visit() -> Visit {
    let catalog = Catalog::builtin().expect("catalog");
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "张驻村".into(),
            cert_no: "14010009".into(),
            group_code: Some("village".into()),
        })
        .expect("profile");
    let me = store.author_id().expect("me");
    let colleague = store
        .add_inspector(Inspector {
            name: "李队员".into(),
            cert_no: "14010010".into(),
            group_code: Some("village".into()),
        })
        .expect("colleague")
        .id();
    let village = store
        .add_enterprise(Enterprise {
            name: "方山县峪口镇张家塔村".into(),
            credit_code: CreditCode::from_body("54141028M00000000").expect("code"),
            address: "峪口镇张家塔村".into(),
            town: "峪口镇".into(),
            sector: "帮扶村".into(),
            sector_code: Some("village".into()),
            risk_level: None,
            principal: "村主任王五".into(),
            phone: String::new(),
        })
        .expect("village")
        .id();
    let arrival = bj(9, 5, 9);
    let day = time::local(arrival).date();
    let proposed = catalog.proposed_for(Some("village"), day);
    let ids: Vec<&str> = proposed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["village"], "no enterprise duties asked of a village");
    let (reference, items) = proposed[0].snapshot_on(day);
    assert!(items.iter().all(|i| !i.code.starts_with('E')));
    let inspection = store
        .create_inspection(Inspection::draft(
            village,
            InspectionMode::Guidance,
            vec![me, colleague],
            arrival,
            vec![reference],
            items.clone(),
        ))
        .expect("draft")
        .id();
    for item in &items {
        let result = if item.code == "VIL-04" {
            AnswerResult::NonCompliant
        } else {
            AnswerResult::Compliant
        };
        store
            .set_answer(inspection, &item.code, result, "")
            .expect("answer");
    }
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: village,
            inspection_id: Some(inspection),
            item_code: Some("VIL-04".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "三户村民在堂屋内为电动三轮车充电".into(),
            location: "张家塔村二组".into(),
            basis: "安全生产法 第四十二条".into(),
            found_at: bj(9, 5, 10),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    store
        .finalize_with_follow_ups(inspection, Some(bj(9, 5, 11)))
        .expect("final");
    Visit {
        dir,
        inspection,
        hazard,
    }
}

#[test]
fn a_village_is_referred_never_ordered_and_the_referral_transfers_its_hazards() {
    let v = visit();
    let d = v.dir.path();
    let id = v.inspection.to_string();
    let out = d.join("x.html");
    let out = out.to_str().expect("path");
    for kind in ["order", "measures"] {
        let (ok, _, err) = paicha(d, &["doc", kind, "--inspection", &id, "--out", out]);
        assert!(
            !ok && err.contains("是帮扶村，不是生产经营单位"),
            "{kind}: {err}"
        );
        assert!(err.contains("paicha doc referral"), "{err}");
    }
    let (ok, _, err) = paicha(d, &["doc", "referral", "--inspection", &id, "--out", out]);
    assert!(!ok && err.contains("请写明接收移交的单位"), "{err}");
    assert!(!d.join("x.html").exists(), "a refusal writes nothing");
    let (ok, stdout, err) = paicha(
        d,
        &[
            "doc",
            "referral",
            "--inspection",
            &id,
            "--to",
            "方山县峪口镇人民政府",
            "--on-site",
            "--out",
            out,
        ],
    );
    assert!(ok, "{err}");
    assert!(stdout.contains("事故隐患移交书") && stdout.contains("2023-09-05 11:00 出具"));
    let html = std::fs::read_to_string(d.join("x.html")).expect("html");
    for expected in [
        "方山县峪口镇人民政府：",
        "方发改安移交〔2023〕1号",
        "方山县峪口镇张家塔村",
        "该村不属于生产经营单位",
        "三户村民在堂屋内为电动三轮车充电（部位：张家塔村二组）",
        "15日内将处理情况书面反馈本机关",
        "接收单位",
        "2023年9月5日",
    ] {
        assert!(html.contains(expected), "missing {expected}:\n{html}");
    }
    // Issuing it transferred the hazard to the town, at the moment of issue.
    let (_, shown, _) = paicha(d, &["ledger", "show", &v.hazard.to_string()]);
    assert!(shown.contains("transferred"), "{shown}");
    assert!(shown.contains("方山县峪口镇人民政府"), "{shown}");
    // Printed again: the same document; the transfer is not repeated.
    let (ok, _, err) = paicha(d, &["doc", "referral", "--inspection", &id, "--out", out]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("x.html")).expect("html"),
        html
    );
    let (_, shown_again, _) = paicha(d, &["ledger", "show", &v.hazard.to_string()]);
    assert_eq!(
        shown_again.matches("\"transferred\"").count(),
        shown.matches("\"transferred\"").count()
    );
}

#[test]
fn the_monthly_table_counts_a_villages_hazards_but_not_the_village_as_an_enterprise() {
    let v = visit();
    let d = v.dir.path();
    let (ok, json, err) = paicha(
        d,
        &[
            "report", "monthly", "--month", "2023-09", "--scope", "all", "--format", "json",
        ],
    );
    assert!(ok, "{err}");
    let table: serde_json::Value = serde_json::from_str(&json).expect("json");
    let figure = |code: &str| {
        table["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["code"] == code))
            .map(|r| r["cells"][0]["figure"]["value"].clone())
            .unwrap_or_else(|| panic!("{code}"))
    };
    assert_eq!(figure("B1"), 0, "a village is no enterprise spot-checked");
    assert_eq!(figure("C2"), 0, "帮扶指导重点企业 counts enterprises");
    // Its hazard, found on the visit, counts where hazards count.
    assert_eq!(figure("A3"), 1, "the village's major hazard is in A3");
}
