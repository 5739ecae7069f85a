//! Each rule on its boundaries: the expiry day itself and the day after, leap days, the exact
//! hour and minute limits, missing data.

use super::values::Values;
use super::*;
use crate::domain::{AnswerResult, EvidenceKind, EvidenceRecord, FieldValue};
use chrono::NaiveDate;

fn config() -> RulesConfig {
    toml::from_str(include_str!("../../../config/rules.toml")).expect("shipped rules parse")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn values(pairs: &[(&str, &str)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| {
            let value = match *v {
                "是" => FieldValue::Bool(true),
                "否" => FieldValue::Bool(false),
                text => FieldValue::Text(text.to_string()),
            };
            (k.to_string(), value)
        })
        .collect()
}

fn cert(name: &str, id: &str, number: &str, until: &str) -> Values {
    values(&[
        ("holder_name", name),
        ("id_number", id),
        ("cert_no", number),
        ("issuing_system", "应急管理（特种作业操作证）"),
        ("valid_until", until),
    ])
}

const ID: &str = "11010519491231002X";

#[test]
fn a_certificate_is_valid_on_its_expiry_day_and_expired_the_day_after() {
    let rules = config().certificate;
    let mut c = cert("赵六", ID, "T11010519491231002X", "2025-06-30");
    c.insert("reviewed_on".into(), FieldValue::Text("2022-06-01".into()));
    let on_day = certificates(&[&c], &rules, d("2025-06-30")).expect("verdict");
    assert_eq!(
        on_day.proposed,
        AnswerResult::Compliant,
        "{:?}",
        on_day.reasons
    );
    assert_eq!(on_day.item_code, "E12");
    let after = certificates(&[&c], &rules, d("2025-07-01")).expect("verdict");
    assert_eq!(after.proposed, AnswerResult::NonCompliant);
    assert_eq!(after.reasons, ["赵六的特种作业操作证已于 2025-06-30 过期"]);
}

#[test]
fn review_falls_due_three_years_before_expiry_including_from_a_leap_day() {
    let rules = config().certificate;
    // Valid to 2024-02-29 (a leap day): the review was due 2021-02-28.
    let c = cert("赵六", ID, "T11010519491231002X", "2024-02-29");
    let due_day = certificates(&[&c], &rules, d("2021-02-28")).expect("verdict");
    assert_eq!(
        due_day.proposed,
        AnswerResult::Compliant,
        "{:?}",
        due_day.reasons
    );
    let day_after = certificates(&[&c], &rules, d("2021-03-01")).expect("verdict");
    assert_eq!(
        day_after.reasons,
        ["赵六的特种作业操作证应于 2021-02-28 前复审，未见复审记录"]
    );
    let mut reviewed = c.clone();
    reviewed.insert("reviewed_on".into(), FieldValue::Text("2021-01-15".into()));
    assert_eq!(
        certificates(&[&reviewed], &rules, d("2023-08-15"))
            .expect("v")
            .proposed,
        AnswerResult::Compliant
    );
    // A recorded due date wins over the computed one.
    let mut recorded = c.clone();
    recorded.insert(
        "review_due_on".into(),
        FieldValue::Text("2021-06-30".into()),
    );
    assert_eq!(
        certificates(&[&recorded], &rules, d("2021-06-30"))
            .expect("v")
            .proposed,
        AnswerResult::Compliant
    );
}

#[test]
fn number_must_be_t_plus_id_and_not_shared_by_two_workers() {
    let rules = config().certificate;
    let wrong = cert("赵六", ID, "T110105194912310021", "2027-01-01");
    let v = certificates(&[&wrong], &rules, d("2023-06-01")).expect("verdict");
    assert_eq!(
        v.reasons,
        ["赵六的证号 T110105194912310021 不是“T”加身份证号（应为 T11010519491231002X）"]
    );
    // A market-supervision equipment certificate has its own numbering: not checked.
    let mut equipment = wrong.clone();
    equipment.insert(
        "issuing_system".into(),
        FieldValue::Text("市场监管（特种设备作业人员证）".into()),
    );
    assert_eq!(
        certificates(&[&equipment], &rules, d("2023-06-01"))
            .expect("v")
            .proposed,
        AnswerResult::Compliant
    );
    let a = cert("赵六", ID, "T11010519491231002X", "2027-01-01");
    let b = cert(
        "钱七",
        "440524188001010014",
        "T11010519491231002X",
        "2027-01-01",
    );
    let v = certificates(&[&a, &b], &rules, d("2023-06-01")).expect("verdict");
    assert!(
        v.reasons
            .contains(&"证号 T11010519491231002X 同时登记在赵六、钱七名下".to_string()),
        "{:?}",
        v.reasons
    );
    assert_eq!(certificates(&[], &rules, d("2023-06-01")), None);
}

fn permit(level: &str, start: &str, end: &str, sampled: &str) -> Values {
    values(&[
        ("permit_no", "DH-01"),
        ("level", level),
        ("start_at", start),
        ("end_at", end),
        ("gas_sampled_at", sampled),
        ("fire_watch", "钱七"),
    ])
}

#[test]
fn hot_work_permit_hours_by_level_at_the_exact_limit() {
    let rules = config().hot_work;
    let eight = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 16:00",
        "2023-08-15 07:30",
    );
    assert_eq!(
        hot_work_permits(&[&eight], &rules).expect("v").proposed,
        AnswerResult::Compliant
    );
    let over = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 16:01",
        "2023-08-15 07:30",
    );
    assert_eq!(
        hot_work_permits(&[&over], &rules).expect("v").reasons,
        ["作业票 DH-01作业时间 8 小时 1 分 超过一级动火作业票有效期 8 小时"]
    );
    let second = permit(
        "二级",
        "2023-08-13 08:00",
        "2023-08-16 08:00",
        "2023-08-13 07:45",
    );
    assert_eq!(
        hot_work_permits(&[&second], &rules).expect("v").proposed,
        AnswerResult::Compliant
    );
    // Across the end of February in a leap year the 29th counts: 02-28 08:00 → 03-02 08:00 is
    // exactly 72 h (fine), one minute more is not.
    let leap = permit(
        "二级",
        "2024-02-28 08:00",
        "2024-03-02 08:00",
        "2024-02-28 07:45",
    );
    assert_eq!(
        hot_work_permits(&[&leap], &rules).expect("v").proposed,
        AnswerResult::Compliant
    );
    let leap = permit(
        "二级",
        "2024-02-28 08:00",
        "2024-03-02 08:01",
        "2024-02-28 07:45",
    );
    assert_eq!(
        hot_work_permits(&[&leap], &rules).expect("v").reasons,
        ["作业票 DH-01作业时间 72 小时 1 分 超过二级动火作业票有效期 72 小时"]
    );
    // Night work upgrades 二级 to 一级: 8 hours.
    let mut night = permit(
        "二级",
        "2023-08-15 20:00",
        "2023-08-16 06:00",
        "2023-08-15 19:40",
    );
    night.insert("upgraded".into(), FieldValue::Bool(true));
    assert_eq!(
        hot_work_permits(&[&night], &rules).expect("v").reasons,
        [
            "作业票 DH-01作业时间 10 小时 超过一级（节假日、夜间或大风升级后）动火作业票有效期 8 小时"
        ]
    );
}

#[test]
fn gas_analysis_at_most_thirty_minutes_before_and_a_named_fire_watch() {
    let rules = config().hot_work;
    let thirty = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 12:00",
        "2023-08-15 07:30",
    );
    assert_eq!(
        hot_work_permits(&[&thirty], &rules).expect("v").proposed,
        AnswerResult::Compliant
    );
    let early = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 12:00",
        "2023-08-15 07:29",
    );
    assert_eq!(
        hot_work_permits(&[&early], &rules).expect("v").reasons,
        ["作业票 DH-01的气体分析在动火前 31 分钟，超过 30 分钟"]
    );
    let mut no_watch = thirty.clone();
    no_watch.remove("fire_watch");
    no_watch.remove("gas_sampled_at");
    assert_eq!(
        hot_work_permits(&[&no_watch], &rules).expect("v").reasons,
        [
            "作业票 DH-01未记录动火前气体分析时间",
            "作业票 DH-01未明确现场监护人"
        ]
    );
}

fn agreement(signed_on: &str, entered_on: &str) -> Values {
    values(&[
        ("contractor_name", "某某安装公司"),
        ("contractor_qualified", "是"),
        ("agreement_signed", "是"),
        ("agreement_signed_on", signed_on),
        ("entered_site_on", entered_on),
        ("duties_clear", "是"),
        ("unified_management", "是"),
        ("regular_inspections", "是"),
    ])
}

#[test]
fn agreement_signed_on_the_entry_day_is_fine_and_after_it_is_not() {
    let rules = config().outsourcing;
    let same_day = agreement("2023-03-01", "2023-03-01");
    let v = outsourcing(&[&same_day], &rules);
    assert_eq!(
        v.iter().map(|v| v.proposed).collect::<Vec<_>>(),
        [AnswerResult::Compliant; 2]
    );
    assert_eq!(
        (v[0].item_code.as_str(), v[1].item_code.as_str()),
        ("E13", "E14")
    );
    let late = agreement("2023-03-02", "2023-03-01");
    assert_eq!(
        outsourcing(&[&late], &rules)[0].reasons,
        ["与某某安装公司的安全生产管理协议 2023-03-02 才签订，晚于进场日期 2023-03-01"]
    );
}

#[test]
fn contractor_without_qualification_or_agreement_or_management() {
    let rules = config().outsourcing;
    let mut bad = agreement("2023-03-01", "2023-03-01");
    bad.insert("contractor_qualified".into(), FieldValue::Bool(false));
    bad.insert("agreement_signed".into(), FieldValue::Bool(false));
    bad.insert("regular_inspections".into(), FieldValue::Bool(false));
    let v = outsourcing(&[&bad], &rules);
    assert_eq!(
        v[0].reasons,
        [
            "某某安装公司不具备或未核实安全生产条件和相应资质",
            "与某某安装公司未签订安全生产管理协议"
        ]
    );
    assert_eq!(v[1].reasons, ["未对某某安装公司定期进行安全检查"]);
    assert!(outsourcing(&[], &rules).is_empty());
}

fn drill(held: &str, know_exits: &str) -> Values {
    values(&[
        ("name", "消防疏散演练"),
        ("held_on", held),
        ("staff_know_exits", know_exits),
    ])
}

#[test]
fn drills_within_twelve_months_or_six_for_high_risk_sectors() {
    let rules = config().drill;
    let last = drill("2023-02-28", "是");
    // Yearly sector: due by 2024-02-28 (12 months on, across a leap year's February).
    assert_eq!(
        drills(&[&last], &rules, Some(1), d("2024-02-28")).proposed,
        AnswerResult::Compliant
    );
    assert_eq!(
        drills(&[&last], &rules, Some(1), d("2024-02-29")).reasons,
        ["最近一次演练在 2023-02-28，已超过 12 个月（应每 12 个月至少一次）"]
    );
    // High-risk sector, twice a year: 6 months.
    assert_eq!(
        drills(&[&last], &rules, Some(2), d("2023-08-28")).proposed,
        AnswerResult::Compliant
    );
    assert_eq!(
        drills(&[&last], &rules, Some(2), d("2023-08-29")).proposed,
        AnswerResult::NonCompliant
    );
    // Leap day itself: 2024-02-29 + 6 months = 2024-08-29.
    let leap = drill("2024-02-29", "是");
    assert_eq!(
        drills(&[&leap], &rules, Some(2), d("2024-08-29")).proposed,
        AnswerResult::Compliant
    );
    assert_eq!(
        drills(&[&leap], &rules, Some(2), d("2024-08-30")).proposed,
        AnswerResult::NonCompliant
    );
    // No sector: the configured default (yearly).
    assert_eq!(
        drills(&[&last], &rules, None, d("2024-02-29")).proposed,
        AnswerResult::NonCompliant
    );
}

#[test]
fn no_drill_record_or_staff_not_knowing_exits() {
    let rules = config().drill;
    assert_eq!(
        drills(&[], &rules, Some(2), d("2023-08-15")).reasons,
        ["未见近 6 个月内的应急演练记录"]
    );
    // A drill dated after the inspection does not count.
    let future = drill("2023-09-01", "是");
    assert_eq!(
        drills(&[&future], &rules, Some(1), d("2023-08-15")).proposed,
        AnswerResult::NonCompliant
    );
    let older = drill("2023-01-10", "是");
    let latest = drill("2023-06-01", "否");
    assert_eq!(
        drills(&[&older, &latest], &rules, Some(1), d("2023-08-15")).reasons,
        ["消防疏散演练记录显示从业人员不熟悉安全逃生出口"]
    );
}

#[test]
fn evaluate_runs_each_rule_on_its_own_records_only() {
    let rules = config();
    let record = |kind, values| EvidenceRecord {
        inspection_id: uuid::Uuid::nil(),
        kind,
        form_version: 1,
        values,
    };
    let expired = record(
        EvidenceKind::SpecialOperationCertificate,
        cert("赵六", ID, "T11010519491231002X", "2023-01-31"),
    );
    let old_drill = record(EvidenceKind::DrillRecord, drill("2022-12-01", "是"));
    let verdicts = evaluate(&rules, &[&expired, &old_drill], Some(2), d("2023-08-15"));
    let summary: Vec<(&str, AnswerResult)> = verdicts
        .iter()
        .map(|v| (v.item_code.as_str(), v.proposed))
        .collect();
    assert_eq!(
        summary,
        [
            ("E12", AnswerResult::NonCompliant),
            ("E15", AnswerResult::NonCompliant)
        ]
    );
    assert!(evaluate(&rules, &[], Some(2), d("2023-08-15")).is_empty());
}

#[test]
fn a_certificate_valid_to_a_leap_day_expires_on_the_first_of_march() {
    let rules = config().certificate;
    let mut c = cert("赵六", ID, "T11010519491231002X", "2024-02-29");
    c.insert("reviewed_on".into(), FieldValue::Text("2021-02-01".into()));
    assert_eq!(
        certificates(&[&c], &rules, d("2024-02-29"))
            .expect("v")
            .proposed,
        AnswerResult::Compliant
    );
    assert_eq!(
        certificates(&[&c], &rules, d("2024-03-01"))
            .expect("v")
            .reasons,
        ["赵六的特种作业操作证已于 2024-02-29 过期"]
    );
}

#[test]
fn a_review_counts_only_from_sixty_days_before_it_falls_due() {
    let rules = config().certificate;
    // Due 2021-06-30; the window opens 2021-05-01.
    let mut c = cert("赵六", ID, "T11010519491231002X", "2024-06-30");
    c.insert("reviewed_on".into(), FieldValue::Text("2021-04-30".into()));
    assert_eq!(
        certificates(&[&c], &rules, d("2022-01-01"))
            .expect("v")
            .proposed,
        AnswerResult::NonCompliant
    );
    c.insert("reviewed_on".into(), FieldValue::Text("2021-05-01".into()));
    assert_eq!(
        certificates(&[&c], &rules, d("2022-01-01"))
            .expect("v")
            .proposed,
        AnswerResult::Compliant
    );
}

#[test]
fn certificate_numbers_compare_regardless_of_letter_case() {
    let rules = config().certificate;
    let a = cert("赵六", ID, "T11010519491231002X", "2027-01-01");
    let b = cert(
        "钱七",
        "440524188001010014",
        "t11010519491231002x",
        "2027-01-01",
    );
    let v = certificates(&[&a, &b], &rules, d("2023-06-01")).expect("verdict");
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("同时登记在赵六、钱七名下")),
        "{:?}",
        v.reasons
    );
}
