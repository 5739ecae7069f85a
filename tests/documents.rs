//! Printable enforcement documents through the real binary: what each prints, numbers given
//! once per document and in series, the standard wording of an order, refusals in Chinese.

use chrono::{DateTime, NaiveDate, Utc};
use paicha::domain::lifecycle::Step;
use paicha::domain::{
    AnswerResult, CreditCode, Enterprise, FiveFixes, Hazard, HazardGrade, HazardSource, Inspection,
    InspectionMode, Inspector, ItemSnapshot, SystemClock, time,
};
use paicha::storage::Store;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use uuid::Uuid;

fn bj(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(2023, m, d).expect("day");
    time::from_local(day.and_hms_opt(h, 0, 0).expect("time"))
}

fn item(code: &str, question: &str) -> ItemSnapshot {
    ItemSnapshot {
        code: code.into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务".into(),
        question: question.into(),
        basis: String::new(),
    }
}

struct Site {
    dir: tempfile::TempDir,
    /// An inspection by two officers with a major hazard (verified) and a non-compliant item.
    inspection: Uuid,
    hazard: Uuid,
    /// An inspection by one officer that found nothing.
    clean: Uuid,
    draft: Uuid,
}

fn site() -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    let me = store.author_id().expect("me");
    let colleague = store
        .add_inspector(Inspector {
            name: "高峰翔".into(),
            cert_no: "14010002".into(),
            group_code: Some("energy".into()),
        })
        .expect("colleague")
        .id();
    let e = store
        .add_enterprise(Enterprise {
            name: "方山县<甲>加油站".into(),
            credit_code: CreditCode::from_body("91350100M000100Y4").expect("code"),
            address: "圪洞镇大街1号".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: None,
            principal: "王五".into(),
            phone: "0358-6021234".into(),
        })
        .expect("enterprise")
        .id();
    let draft = Inspection::draft(
        e,
        InspectionMode::Unannounced,
        vec![me, colleague],
        bj(9, 5, 9),
        vec![],
        vec![
            item("E1", "主要负责人是否亲自组织排查？"),
            item("E12", "电焊等特种作业人员是否持证上岗？"),
            item("E15", "是否按规定开展应急演练？"),
        ],
    );
    let inspection = store.create_inspection(draft).expect("draft").id();
    store
        .set_answer(inspection, "E1", AnswerResult::Compliant, "")
        .expect("a");
    store
        .set_answer(
            inspection,
            "E12",
            AnswerResult::NonCompliant,
            "焊工张某无证动火",
        )
        .expect("a");
    store
        .set_answer(inspection, "E15", AnswerResult::NonCompliant, "今年未演练")
        .expect("a");
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: e,
            inspection_id: Some(inspection),
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "无证人员在储罐区动火作业".into(),
            location: "储罐区".into(),
            basis: "应急管理部令第10号第四条".into(),
            found_at: bj(9, 5, 10),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "王五".into(),
                measures: "停止作业，持证上岗".into(),
                funds: "1万元".into(),
                deadline: NaiveDate::from_ymd_opt(2023, 10, 30).expect("d"),
                emergency_plan: "停止动火".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    store.finalize_inspection(inspection).expect("final");
    let clean = store
        .create_inspection(Inspection::draft(
            e,
            InspectionMode::Covert,
            vec![me],
            bj(9, 6, 9),
            vec![],
            vec![item("E1", "主要负责人是否亲自组织排查？")],
        ))
        .expect("clean")
        .id();
    store
        .set_answer(clean, "E1", AnswerResult::Compliant, "")
        .expect("a");
    store.finalize_inspection(clean).expect("final");
    let draft = store
        .create_inspection(Inspection::draft(
            e,
            InspectionMode::Covert,
            vec![me],
            bj(9, 7, 9),
            vec![],
            vec![],
        ))
        .expect("draft")
        .id();
    Site {
        dir,
        inspection,
        hazard,
        clean,
        draft,
    }
}

fn verify(dir: &Path, hazard: Uuid, passed: bool) {
    let mut store = Store::open(dir, Arc::new(SystemClock)).expect("store");
    for step in [
        Step::Rectify { fixes: None },
        Step::ReportRectified,
        Step::Verify {
            passed,
            by: "高峰翔".into(),
        },
    ] {
        store
            .apply_step(hazard, step, bj(10, 20, 15), "动火作业票已规范")
            .expect("step");
    }
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

fn doc(dir: &Path, args: &[&str], file: &str) -> String {
    let out = dir.join(file);
    let mut all: Vec<&str> = vec!["doc"];
    all.extend_from_slice(args);
    let path = out.to_str().expect("path").to_string();
    all.extend_from_slice(&["--out", &path]);
    let (ok, stdout, err) = paicha(dir, &all);
    assert!(ok, "{args:?}: {err}");
    assert!(stdout.contains("已写入"), "{stdout}");
    std::fs::read_to_string(&out).expect("html")
}

#[test]
fn the_onsite_record_prints_the_inspection_and_keeps_its_number() {
    let s = site();
    let d = s.dir.path();
    let id = s.inspection.to_string();
    let html = doc(d, &["onsite", "--inspection", &id], "记录.html");
    for expected in [
        "现场检查记录",
        "方山县发展和改革局",
        "方发改安检记〔2023〕001号",
        "方山县&lt;甲&gt;加油站",
        "圪洞镇大街1号",
        "王五",
        "0358-6021234",
        "2023年9月5日 09时00分",
        "四不两直",
        "李建山　执法证号：14010001",
        "高峰翔　执法证号：14010002",
        "共检查 3 项：符合 1 项，不符合 2 项",
        "电焊等特种作业人员是否持证上岗？（E12）：焊工张某无证动火",
        "【重大】无证人员在储罐区动火作业（储罐区）",
        "以上记录已阅，属实",
        "@page { size: A4",
    ] {
        assert!(html.contains(expected), "missing {expected}:\n{html}");
    }
    assert!(!html.contains("<甲>"), "markup from a record is escaped");
    // Printed again: the same number. The next inspection's record: the next number.
    let again = doc(d, &["onsite", "--inspection", &id], "again.html");
    assert!(again.contains("方发改安检记〔2023〕001号"));
    let clean = doc(
        d,
        &["onsite", "--inspection", &s.clean.to_string()],
        "clean.html",
    );
    assert!(clean.contains("方发改安检记〔2023〕002号"), "{clean}");
    assert!(clean.contains("本次检查未发现事故隐患"));
    // A number given is never changed, even by hand.
    let conn = rusqlite::Connection::open(d.join("paicha.db")).expect("db");
    assert!(
        conn.execute("UPDATE issued_documents SET number = 'x'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM issued_documents", []).is_err());
}

#[test]
fn the_order_lists_the_problems_with_deadline_and_the_standard_appeal_wording() {
    let s = site();
    let d = s.dir.path();
    let html = doc(
        d,
        &["order", "--inspection", &s.inspection.to_string()],
        "指令书.html",
    );
    for expected in [
        "责令限期整改指令书",
        "方发改安责改〔2023〕001号",
        "经查，你单位存在下列问题",
        "【重大事故隐患】无证人员在储罐区动火作业，部位：储罐区（检查项 E12）。依据：应急管理部令第10号第四条（整改期限：2023年10月30日前）",
        "是否按规定开展应急演练？（检查项 E15）：今年未演练（整改期限：",
        "现责令你单位对上述第1—2项问题分别于各项所列期限前整改完毕",
        "可以依法在60日内向方山县人民政府申请行政复议，或者在6个月内依法向方山县人民法院提起行政诉讼",
        "但本指令不停止执行",
        "（印章）",
        "一式两份",
    ] {
        assert!(html.contains(expected), "missing {expected}:\n{html}");
    }
    // E12 is a hazard already: listed once.
    assert_eq!(html.matches("E12").count(), 1, "{html}");
    // Nothing found → no order; a draft → no document; one officer → a warning.
    let refused_out = d.join("x.html");
    let refused_out = refused_out.to_str().expect("path");
    let (ok, _, err) = paicha(
        d,
        &[
            "doc",
            "order",
            "--inspection",
            &s.clean.to_string(),
            "--out",
            refused_out,
        ],
    );
    assert!(!ok && err.contains("无需责令限期整改"), "{err}");
    let (ok, _, err) = paicha(
        d,
        &[
            "doc",
            "onsite",
            "--inspection",
            &s.draft.to_string(),
            "--out",
            refused_out,
        ],
    );
    assert!(!ok && err.contains("尚未定稿"), "{err}");
    let out = d.join("one.html");
    let (ok, _, err) = paicha(
        d,
        &[
            "doc",
            "onsite",
            "--inspection",
            &s.clean.to_string(),
            "--out",
            out.to_str().expect("p"),
        ],
    );
    assert!(ok && err.contains("两名以上执法人员"), "{err}");
    let (ok, _, err) = paicha(
        d,
        &["doc", "onsite", "--inspection", "abc", "--out", refused_out],
    );
    assert!(!ok && err.contains("不是检查记录编号"), "{err}");
    assert!(!err.contains("invalid"), "no English: {err}");
    assert!(
        !d.join("x.html").exists(),
        "a refused document writes no file"
    );
}

#[test]
fn the_reinspection_opinion_follows_the_order_it_answers() {
    let s = site();
    let d = s.dir.path();
    let hazard = s.hazard.to_string();
    let refused_out = d.join("x.html");
    let refused_out = refused_out.to_str().expect("path");
    let (ok, _, err) = paicha(
        d,
        &[
            "doc",
            "reinspection",
            "--hazard",
            &hazard,
            "--out",
            refused_out,
        ],
    );
    assert!(!ok && err.contains("还没有复查验收记录"), "{err}");
    assert!(!d.join("x.html").exists());
    // The order first (its number and day are quoted), then the verification.
    doc(
        d,
        &["order", "--inspection", &s.inspection.to_string()],
        "指令书.html",
    );
    verify(d, s.hazard, true);
    let html = doc(d, &["reinspection", "--hazard", &hazard], "复查.html");
    let today = time::local(Utc::now())
        .date()
        .format("%Y年%-m月%-d日")
        .to_string();
    for expected in [
        "整改复查意见书".to_string(),
        "方发改安复查〔2023〕001号".to_string(),
        format!("本机关于{today}作出了《责令限期整改指令书》（方发改安责改〔2023〕001号）"),
        "无证人员在储罐区动火作业（储罐区）（整改期限：2023年10月30日）".to_string(),
        "2023年10月20日 15时00分 对整改情况进行了复查".to_string(),
        "复查意见：</b>经复查，上述问题已按要求整改完毕".to_string(),
        "复查情况：动火作业票已规范".to_string(),
        "李建山　执法证号：14010001".to_string(),
        "高峰翔".to_string(),
    ] {
        assert!(html.contains(&expected), "missing {expected}:\n{html}");
    }
}
