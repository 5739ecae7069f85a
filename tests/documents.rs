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
            basis: "应急管理部令第10号第四条（条号未核实）".into(),
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
    store
        .finalize_with_follow_ups(inspection, Some(bj(9, 5, 11)))
        .expect("final");
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
    store
        .finalize_with_follow_ups(clean, Some(bj(9, 6, 10)))
        .expect("final");
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
            new_deadline: None,
            case_opened: false,
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

fn run_doc(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = dir.join("x.html");
    let mut all: Vec<&str> = vec!["doc"];
    all.extend_from_slice(args);
    let path = out.to_str().expect("path").to_string();
    all.extend_from_slice(&["--out", &path]);
    paicha(dir, &all)
}

/// The text of a document, markup removed (blanks shown as ＿).
fn text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let body = body.replace("<span class=\"blank\"", "＿<span");
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">")
}

#[test]
fn the_onsite_record_prints_the_visit_from_arrival_to_departure_and_keeps_its_number() {
    let s = site();
    let d = s.dir.path();
    let id = s.inspection.to_string();
    // The order issued on site first: the record's 处理情况 names it.
    doc(
        d,
        &[
            "order",
            "--inspection",
            &id,
            "--on-site",
            "--deadline",
            "2023-09-20",
        ],
        "指令书.html",
    );
    let html = doc(d, &["onsite", "--inspection", &id], "记录.html");
    let t = text(&html);
    for expected in [
        "现场检查记录",
        "方山县发展和改革局",
        "方发改安检记〔2023〕1号",
        "方山县<甲>加油站",
        "圪洞镇大街1号",
        "王五",
        "0358-6021234",
        "自 2023年9月5日 09时00分 至 2023年9月5日 11时00分",
        "四不两直",
        "李建山　执法证号：14010001",
        "高峰翔　执法证号：14010002",
        "共检查 3 项：符合 1 项，不符合 2 项，不适用 0 项。",
        "焊工张某无证动火（检查项 E12）",
        "今年未演练（检查项 E15）",
        "【重大】无证人员在储罐区动火作业（储罐区）",
        "逢查必考未记录现场抽考",
        "处理情况当场下达《责令限期整改指令书》（方发改安责改〔2023〕1号）",
        "以上记录已阅，属实",
        "被检查单位负责人拒绝签字的，由检查人员注明情况",
    ] {
        assert!(t.contains(expected), "missing {expected}:\n{t}");
    }
    assert!(html.contains("@page { size: A4"));
    assert!(!html.contains("<甲>"), "markup from a record is escaped");
    assert!(!t.contains("〔2023〕001号"), "numbers are not zero-padded");
    // Printed again, days later: the very same document.
    let again = doc(d, &["onsite", "--inspection", &id], "again.html");
    assert_eq!(again, html);
    let clean = doc(
        d,
        &["onsite", "--inspection", &s.clean.to_string()],
        "clean.html",
    );
    let clean = text(&clean);
    assert!(clean.contains("方发改安检记〔2023〕2号"), "{clean}");
    assert!(clean.contains("本次检查未发现事故隐患"));
    assert!(clean.contains("未发现问题，无需现场处理"));
    // A number given is never changed, even by hand.
    let conn = rusqlite::Connection::open(d.join("paicha.db")).expect("db");
    assert!(
        conn.execute("UPDATE issued_documents SET number = 'x'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM issued_documents", []).is_err());
}

#[test]
fn the_order_states_facts_and_clauses_and_is_dated_the_day_it_was_issued() {
    let s = site();
    let d = s.dir.path();
    let id = s.inspection.to_string();
    // E15 is no hazard and has no deadline of its own: the order needs one.
    let (ok, _, err) = run_doc(d, &["order", "--inspection", &id, "--on-site"]);
    assert!(!ok && err.contains("有的问题没有整改期限"), "{err}");
    assert!(
        !d.join("x.html").exists(),
        "a refused document writes no file"
    );
    let (ok, _, err) = run_doc(
        d,
        &[
            "order",
            "--inspection",
            &id,
            "--on-site",
            "--deadline",
            "2023-09-05",
        ],
    );
    assert!(!ok && err.contains("应晚于指令书的出具日期"), "{err}");
    let (ok, _, err) = run_doc(
        d,
        &[
            "order",
            "--inspection",
            &id,
            "--issued-at",
            "2023-09-05 08:59",
        ],
    );
    assert!(!ok && err.contains("早于到达现场的时间"), "{err}");
    let (ok, _, err) = run_doc(
        d,
        &[
            "order",
            "--inspection",
            &id,
            "--issued-at",
            "2023-9-5 10:00",
        ],
    );
    assert!(!ok && err.contains("不是时间"), "{err}");
    let out = d.join("指令书.html");
    let (ok, stdout, err) = paicha(
        d,
        &[
            "doc",
            "order",
            "--inspection",
            &id,
            "--on-site",
            "--deadline",
            "2023-09-20",
            "--out",
            out.to_str().expect("p"),
        ],
    );
    assert!(ok, "{err}");
    assert!(stdout.contains("2023-09-05 11:00 出具"), "{stdout}");
    assert!(err.contains("没有写管辖行政案件的人民法院"), "{err}");
    let html = std::fs::read_to_string(&out).expect("html");
    let t = text(&html);
    for expected in [
        "责令限期整改指令书",
        "方发改安责改〔2023〕1号",
        "经查，你单位存在下列问题",
        "【重大事故隐患】无证人员在储罐区动火作业（部位：储罐区）。上述行为不符合应急管理部令第10号第四条的规定。（整改期限：2023年10月30日前）",
        "今年未演练。（整改期限：2023年9月20日前）",
        "现责令你单位对上述第1—2项问题分别于各项所列期限前整改完毕",
        "由此造成事故的，依法追究有关人员的责任",
        // Issued in 2023: before the revised 行政复议法, the applicant's choice of two bodies.
        "可以依法在60日内向方山县人民政府或者吕梁市发展和改革委员会申请行政复议，或者在6个月内依法向＿人民法院提起行政诉讼",
        "但本指令不停止执行",
        "（印章）2023年9月5日",
        "一式两份",
    ] {
        assert!(t.contains(expected), "missing {expected}:\n{t}");
    }
    for never in [
        "核实",
        "（整改期限：前）",
        "现场检查发现不符合",
        "检查项 E12",
    ] {
        assert!(!t.contains(never), "{never} printed:\n{t}");
    }
    // Printed again at the office without options: the same order, same date and deadline.
    let again = doc(d, &["order", "--inspection", &id], "again.html");
    assert_eq!(again, html);
    // Nothing found → no order; a draft → no document; one officer → a warning.
    let (ok, _, err) = run_doc(d, &["order", "--inspection", &s.clean.to_string()]);
    assert!(!ok && err.contains("无需责令限期整改"), "{err}");
    let (ok, _, err) = run_doc(d, &["onsite", "--inspection", &s.draft.to_string()]);
    assert!(!ok && err.contains("尚未定稿"), "{err}");
    let (ok, _, err) = run_doc(d, &["onsite", "--inspection", &s.clean.to_string()]);
    assert!(ok && err.contains("两名以上执法人员"), "{err}");
    std::fs::remove_file(d.join("x.html")).expect("rm");
    let (ok, _, err) = run_doc(d, &["onsite", "--inspection", "abc"]);
    assert!(!ok && err.contains("不是检查记录编号"), "{err}");
    assert!(!err.contains("invalid"), "no English: {err}");
    assert!(!d.join("x.html").exists());
}

#[test]
fn an_order_issued_now_is_numbered_and_dated_now_under_the_law_of_now() {
    let s = site();
    let d = s.dir.path();
    let html = doc(
        d,
        &[
            "order",
            "--inspection",
            &s.inspection.to_string(),
            "--deadline",
            "2099-01-01",
        ],
        "指令书.html",
    );
    let t = text(&html);
    let today = time::local(Utc::now()).date();
    assert!(
        t.contains(&format!(
            "方发改安责改〔{}〕1号",
            chrono::Datelike::year(&today)
        )),
        "{t}"
    );
    assert!(t.contains(&format!("（印章）{}", today.format("%Y年%-m月%-d日"))));
    assert!(t.contains("向方山县人民政府申请行政复议"), "{t}");
}

#[test]
fn the_reinspection_opinion_quotes_the_order_as_issued_and_both_officers() {
    let s = site();
    let d = s.dir.path();
    let hazard = s.hazard.to_string();
    let (ok, _, err) = run_doc(d, &["reinspection", "--hazard", &hazard]);
    assert!(!ok && err.contains("还没有复查验收记录"), "{err}");
    assert!(!d.join("x.html").exists());
    // The order issued on site (its number and day are quoted), then the verification.
    doc(
        d,
        &[
            "order",
            "--inspection",
            &s.inspection.to_string(),
            "--on-site",
            "--deadline",
            "2023-09-20",
        ],
        "指令书.html",
    );
    verify(d, s.hazard, true);
    let html = doc(
        d,
        &["reinspection", "--hazard", &hazard, "--on-site"],
        "复查.html",
    );
    let t = text(&html);
    for expected in [
        "整改复查意见书",
        "方发改安复查〔2023〕1号",
        "本机关于2023年9月5日作出了《责令限期整改指令书》（方发改安责改〔2023〕1号）",
        "无证人员在储罐区动火作业（部位：储罐区）。上述行为不符合应急管理部令第10号第四条的规定。（整改期限：2023年10月30日前）",
        "本机关于2023年10月20日 15时00分对你单位的整改情况进行了复查",
        "复查意见：经复查，上述问题已整改完毕",
        "复查情况：动火作业票已规范",
        "李建山　执法证号：14010001",
        "高峰翔　执法证号：14010002",
        "（印章）2023年10月20日",
    ] {
        assert!(t.contains(expected), "missing {expected}:\n{t}");
    }
}

#[test]
fn a_failed_reinspection_sets_a_new_deadline_or_opens_a_case() {
    let s = site();
    let d = s.dir.path();
    let hazard = s.hazard.to_string();
    let step = |args: &[&str]| {
        let mut all = vec!["hazard", "step", hazard.as_str()];
        all.extend_from_slice(args);
        paicha(d, &all)
    };
    assert!(step(&["rectify"]).0);
    assert!(step(&["report"]).0);
    let (ok, _, err) = step(&["verify", "--by", "高峰翔", "--failed"]);
    assert!(
        !ok && err.contains("请给出新的整改期限，或选择立案查处"),
        "{err}"
    );
    let (ok, _, err) = step(&[
        "verify",
        "--by",
        "高峰翔",
        "--failed",
        "--new-deadline",
        "2020-01-01",
    ]);
    assert!(!ok && err.contains("应晚于今天"), "{err}");
    let (ok, _, err) = step(&["verify", "--by", "高峰翔", "--new-deadline", "2099-01-01"]);
    assert!(!ok, "a new deadline only with --failed: {err}");
    let (ok, _, err) = step(&[
        "verify",
        "--by",
        "高峰翔",
        "--failed",
        "--new-deadline",
        "2099-03-01",
    ]);
    assert!(ok, "{err}");
    let html = doc(d, &["reinspection", "--hazard", &hazard], "复查.html");
    let t = text(&html);
    assert!(
        t.contains("经复查，上述问题未按要求整改完毕。现责令你单位于2099年3月1日前整改完毕"),
        "{t}"
    );
    assert!(
        t.contains("（整改期限：2023年10月30日前）"),
        "the deadline it was checked against: {t}"
    );
    assert!(
        t.contains("申请行政复议"),
        "a new order can be appealed: {t}"
    );
    // The hazard now runs to the new deadline; failed again, a case.
    let (_, shown, _) = paicha(d, &["ledger", "show", &hazard]);
    assert!(shown.contains("2099-03-01"), "{shown}");
    assert!(step(&["report"]).0);
    let (ok, _, err) = step(&["verify", "--by", "高峰翔", "--failed", "--case"]);
    assert!(ok, "{err}");
    let html = doc(d, &["reinspection", "--hazard", &hazard], "复查2.html");
    let t = text(&html);
    assert!(t.contains("本机关将依法立案查处"), "{t}");
}

#[test]
fn onsite_measures_are_decided_once_and_printed_as_decided() {
    let s = site();
    let d = s.dir.path();
    let id = s.inspection.to_string();
    let hazard = s.hazard.to_string();
    let (ok, _, err) = run_doc(d, &["measures", "--inspection", &id]);
    assert!(!ok && err.contains("须写明危险情况"), "{err}");
    let (ok, _, err) = run_doc(
        d,
        &[
            "measures",
            "--inspection",
            &id,
            "--danger",
            "储罐区动火",
            "--scope",
            "储罐区",
        ],
    );
    assert!(!ok && err.contains("请至少选择一项措施"), "{err}");
    let (ok, _, err) = run_doc(
        d,
        &[
            "measures",
            "--inspection",
            &id,
            "--danger",
            "储罐区动火",
            "--scope",
            "储罐区",
            "--measure",
            "evacuate",
        ],
    );
    assert!(!ok && err.contains("--measure"), "{err}");
    let html = doc(
        d,
        &[
            "measures",
            "--inspection",
            &id,
            "--danger",
            "储罐区正在进行无证动火作业，油气浓度不明",
            "--measure",
            "withdraw",
            "--measure",
            "stop_use",
            "--scope",
            "储罐区及卸油口",
            "--hazard",
            &hazard,
            "--on-site",
        ],
        "决定书.html",
    );
    let t = text(&html);
    for expected in [
        "现场处理措施决定书",
        "方发改安现决〔2023〕1号",
        "储罐区正在进行无证动火作业，油气浓度不明",
        "无证人员在储罐区动火作业（部位：储罐区）",
        "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定",
        "对储罐区及卸油口，责令从危险区域内撤出作业人员，责令停止使用相关设施、设备。",
        "解除条件：重大事故隐患排除后，向本机关提出书面申请，经审查同意，方可恢复生产经营和使用。",
        "如果不服本决定",
        "（印章）2023年9月5日",
    ] {
        assert!(t.contains(expected), "missing {expected}:\n{t}");
    }
    // Reprinted without the decision: as decided; with another decision: as decided, warned.
    let again = doc(d, &["measures", "--inspection", &id], "again.html");
    assert_eq!(again, html);
    let (ok, _, err) = run_doc(
        d,
        &[
            "measures",
            "--inspection",
            &id,
            "--danger",
            "别的",
            "--measure",
            "suspend",
            "--scope",
            "全厂",
        ],
    );
    assert!(ok && err.contains("已经出具过"), "{err}");
    // The on-site record names it under 处理情况.
    let record = text(&doc(d, &["onsite", "--inspection", &id], "记录.html"));
    assert!(
        record.contains("当场作出《现场处理措施决定书》（方发改安现决〔2023〕1号）"),
        "{record}"
    );
}

#[test]
fn the_supervision_notice_names_the_tracking_leader() {
    let s = site();
    let d = s.dir.path();
    let hazard = s.hazard.to_string();
    let (ok, _, err) = run_doc(d, &["supervision", "--hazard", &hazard]);
    assert!(!ok && err.contains("还没有挂牌督办"), "{err}");
    // Listing is a group leader's or the office's: this is the office.
    let (ok, _, err) = paicha(d, &["office", "init", "--name", "方山县发展和改革局"]);
    assert!(ok, "{err}");
    let (ok, _, err) = paicha(
        d,
        &[
            "hazard",
            "step",
            &hazard,
            "list",
            "--tracker",
            "县长助理赵六",
        ],
    );
    assert!(ok, "{err}");
    let t = text(&doc(d, &["supervision", "--hazard", &hazard], "督办.html"));
    for expected in [
        "重大事故隐患挂牌督办通知书",
        "方发改安督办〔",
        "无证人员在储罐区动火作业（部位：储罐区）",
        "跟踪督办责任人：县长助理赵六",
        "于2023年10月30日前整改完毕",
    ] {
        assert!(t.contains(expected), "missing {expected}:\n{t}");
    }
}

/// On site the record may be issued before the order, at the same moment (the departure): the
/// record handed over does not name the order, and neither does any reprint of it.
#[test]
fn a_document_issued_after_the_record_never_changes_the_records_reprint() {
    let s = site();
    let d = s.dir.path();
    let id = s.inspection.to_string();
    let record = doc(d, &["onsite", "--inspection", &id], "record.html");
    assert!(!text(&record).contains("当场下达"), "no order yet");
    let order = doc(
        d,
        &[
            "order",
            "--inspection",
            &id,
            "--on-site",
            "--deadline",
            "2023-12-31",
        ],
        "order.html",
    );
    assert!(text(&order).contains("责令限期整改指令书"));
    let again = doc(d, &["onsite", "--inspection", &id], "again.html");
    assert_eq!(again, record, "the reprint is the record as issued");
}
