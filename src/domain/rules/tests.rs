//! Each rule on its boundaries: the expiry day itself and the day after, leap days, the exact
//! hour and minute limits, the six-month drill boundary, in and out of scope, missing data.

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

fn set(v: &mut Values, key: &str, value: &str) {
    let value = match value {
        "是" => FieldValue::Bool(true),
        "否" => FieldValue::Bool(false),
        text => FieldValue::Text(text.to_string()),
    };
    v.insert(key.to_string(), value);
}

const MEM: &str = "应急管理（特种作业操作证）";
const SAMR: &str = "市场监管（特种设备作业人员证）";
const ID: &str = "11010519491231002X";

fn cert(name: &str, id: &str, number: &str, until: &str) -> Values {
    values(&[
        ("holder_name", name),
        ("id_number", id),
        ("cert_no", number),
        ("issuing_system", MEM),
        ("category", "焊接与热切割作业"),
        ("valid_until", until),
    ])
}

fn in_sector(code: &'static str) -> Subject<'static> {
    let listed = match code {
        "fuel" | "town_gas" => Listed::Yes,
        "civil_air_defence" | "high_rise" => Listed::ByUse,
        _ => Listed::No,
    };
    Subject {
        sector: Some(code),
        sector_name: None,
        listed,
    }
}

fn none() -> Subject<'static> {
    Subject::default()
}

/// The proposal for `item`, panicking when there is none.
fn proposed(a: &Assessment, item: &str) -> AnswerResult {
    a.verdict(item)
        .unwrap_or_else(|| panic!("no proposal for {item}: {a:?}"))
        .proposed
}

fn reasons<'a>(a: &'a Assessment, item: &str) -> &'a [String] {
    &a.verdict(item)
        .unwrap_or_else(|| panic!("no proposal for {item}: {a:?}"))
        .reasons
}

// ---- certificates -------------------------------------------------------------------------

#[test]
fn a_certificate_is_valid_on_its_expiry_day_and_expired_the_day_after() {
    let rules = config().certificate;
    let mut c = cert("赵六", ID, "T11010519491231002X", "2025-06-30");
    set(&mut c, "reviewed_on", "2022-06-01");
    let on_day = certificates(&[&c], &rules, none(), d("2025-06-30"));
    assert_eq!(
        proposed(&on_day, "E12"),
        AnswerResult::Compliant,
        "{on_day:?}"
    );
    let after = certificates(&[&c], &rules, none(), d("2025-07-01"));
    assert_eq!(
        reasons(&after, "E12"),
        ["赵六的特种作业操作证已于 2025-06-30 过期"]
    );
}

#[test]
fn review_falls_due_three_years_before_expiry_including_from_a_leap_day() {
    let rules = config().certificate;
    // Valid to 2024-02-29 (a leap day): the review was due 2021-02-28.
    let c = cert("赵六", ID, "T11010519491231002X", "2024-02-29");
    let due_day = certificates(&[&c], &rules, none(), d("2021-02-28"));
    assert_eq!(proposed(&due_day, "E12"), AnswerResult::Compliant);
    let day_after = certificates(&[&c], &rules, none(), d("2021-03-01"));
    assert_eq!(
        reasons(&day_after, "E12"),
        ["赵六的特种作业操作证应于 2021-02-28 前复审，未见复审记录"]
    );
    let mut reviewed = c.clone();
    set(&mut reviewed, "reviewed_on", "2021-01-15");
    let v = certificates(&[&reviewed], &rules, none(), d("2023-08-15"));
    assert_eq!(proposed(&v, "E12"), AnswerResult::Compliant);
    // A recorded due date wins over the computed one.
    let mut recorded = c.clone();
    set(&mut recorded, "review_due_on", "2021-06-30");
    let v = certificates(&[&recorded], &rules, none(), d("2021-06-30"));
    assert_eq!(proposed(&v, "E12"), AnswerResult::Compliant);
}

#[test]
fn an_extended_review_interval_means_no_review_inside_the_six_years() {
    // 30号令 第二十一条: every 6 years once the authority agreed.
    let rules = config().certificate;
    let mut c = cert("赵六", ID, "T11010519491231002X", "2024-06-30");
    set(&mut c, "review_due_on", "2021-06-30");
    let not_extended = certificates(&[&c], &rules, none(), d("2021-07-01"));
    assert_eq!(proposed(&not_extended, "E12"), AnswerResult::NonCompliant);
    set(&mut c, "review_extended", "是");
    let extended = certificates(&[&c], &rules, none(), d("2021-07-01"));
    assert_eq!(
        proposed(&extended, "E12"),
        AnswerResult::Compliant,
        "{extended:?}"
    );
    // It still expires: valid on the day, expired the day after.
    let on_day = certificates(&[&c], &rules, none(), d("2024-06-30"));
    assert_eq!(proposed(&on_day, "E12"), AnswerResult::Compliant);
    let after = certificates(&[&c], &rules, none(), d("2024-07-01"));
    assert_eq!(proposed(&after, "E12"), AnswerResult::NonCompliant);
}

#[test]
fn a_special_equipment_certificate_has_no_three_year_review_and_answers_gas_12() {
    // TSG Z6001-2019: 4-year validity, no review inside it. An LPG filler's certificate valid
    // to 2025-03-31 (issued 2021-04-01) is fine in 2024 without a review record.
    let rules = config().certificate;
    let mut filler = cert("孙八", ID, "TS4411010519491231", "2025-03-31");
    set(&mut filler, "issuing_system", SAMR);
    set(&mut filler, "category", "其他");
    let gas = in_sector("town_gas");
    let mid = certificates(&[&filler], &rules, gas, d("2024-03-01"));
    assert_eq!(proposed(&mid, "E12"), AnswerResult::Compliant, "{mid:?}");
    assert_eq!(proposed(&mid, "GAS-12"), AnswerResult::Compliant);
    assert!(
        mid.verdict("GAS-11").is_none(),
        "GAS-11 is for 应急管理 certificates"
    );
    // No "T" + ID number check for this system.
    assert!(
        !mid.verdicts
            .iter()
            .any(|v| v.reasons.iter().any(|r| r.contains("身份证号")))
    );
    let on_day = certificates(&[&filler], &rules, gas, d("2025-03-31"));
    assert_eq!(proposed(&on_day, "GAS-12"), AnswerResult::Compliant);
    let after = certificates(&[&filler], &rules, gas, d("2025-04-01"));
    assert_eq!(
        reasons(&after, "GAS-12"),
        ["孙八的特种设备作业人员证已于 2025-03-31 过期"]
    );
    assert_eq!(proposed(&after, "E12"), AnswerResult::NonCompliant);
}

#[test]
fn a_certificate_of_an_unknown_system_gets_no_proposal_and_a_reason() {
    let rules = config().certificate;
    let mut other = cert("周九", ID, "X-001", "2020-01-01");
    set(&mut other, "issuing_system", "某省自定证书");
    let a = certificates(&[&other], &rules, none(), d("2023-06-01"));
    assert!(a.verdict("E12").is_none(), "{a:?}");
    assert!(
        a.notes[0].contains("周九的证书发证系统为“某省自定证书”"),
        "{a:?}"
    );
    // With a known certificate that is fine, E12 still gets no compliant proposal…
    let good = cert("赵六", ID, "T11010519491231002X", "2027-01-01");
    let a = certificates(&[&good, &other], &rules, none(), d("2023-06-01"));
    assert!(a.verdict("E12").is_none(), "{a:?}");
    // …but a known expired one still proposes non-compliant.
    let expired = cert("赵六", ID, "T11010519491231002X", "2023-01-01");
    let a = certificates(&[&expired, &other], &rules, none(), d("2023-06-01"));
    assert_eq!(proposed(&a, "E12"), AnswerResult::NonCompliant);
}

#[test]
fn an_expired_welder_certificate_also_answers_the_sector_item() {
    let rules = config().certificate;
    let c = cert("赵六", ID, "T11010519491231002X", "2023-01-31");
    let a = certificates(&[&c], &rules, in_sector("fuel"), d("2023-08-15"));
    assert_eq!(proposed(&a, "E12"), AnswerResult::NonCompliant);
    assert_eq!(proposed(&a, "FUEL-02"), AnswerResult::NonCompliant);
    for (sector, item) in [
        ("grain", "GRAIN-03"),
        ("high_rise", "HR-13"),
        ("civil_air_defence", "RF-14"),
        ("town_gas", "GAS-11"),
    ] {
        let a = certificates(&[&c], &rules, in_sector(sector), d("2023-08-15"));
        assert_eq!(proposed(&a, item), AnswerResult::NonCompliant, "{sector}");
    }
}

#[test]
fn number_must_be_t_plus_id_and_not_shared_by_two_workers() {
    let rules = config().certificate;
    let wrong = cert("赵六", ID, "T110105194912310021", "2027-01-01");
    let v = certificates(&[&wrong], &rules, none(), d("2023-06-01"));
    assert_eq!(
        reasons(&v, "E12"),
        ["赵六的证号 T110105194912310021 不是“T”加身份证号（应为 T11010519491231002X）"]
    );
    let a = cert("赵六", ID, "T11010519491231002X", "2027-01-01");
    let b = cert(
        "钱七",
        "440524188001010014",
        "t11010519491231002x",
        "2027-01-01",
    );
    let v = certificates(&[&a, &b], &rules, none(), d("2023-06-01"));
    assert!(
        reasons(&v, "E12")
            .iter()
            .any(|r| r.contains("同时登记在赵六、钱七名下")),
        "{v:?}"
    );
    assert_eq!(
        certificates(&[], &rules, none(), d("2023-06-01")),
        Assessment::default()
    );
}

#[test]
fn a_review_counts_only_from_sixty_days_before_it_falls_due() {
    let rules = config().certificate;
    // Due 2021-06-30; the window opens 2021-05-01.
    let mut c = cert("赵六", ID, "T11010519491231002X", "2024-06-30");
    set(&mut c, "reviewed_on", "2021-04-30");
    let v = certificates(&[&c], &rules, none(), d("2022-01-01"));
    assert_eq!(proposed(&v, "E12"), AnswerResult::NonCompliant);
    set(&mut c, "reviewed_on", "2021-05-01");
    let v = certificates(&[&c], &rules, none(), d("2022-01-01"));
    assert_eq!(proposed(&v, "E12"), AnswerResult::Compliant);
}

// ---- hot-work permits -----------------------------------------------------------------------

fn permit(level: &str, start: &str, end: &str, sampled: &str) -> Values {
    values(&[
        ("permit_no", "DH-01"),
        ("level", level),
        ("method", "电焊"),
        ("welder", "赵六"),
        ("welder_cert_no", "T11010519491231002X"),
        ("start_at", start),
        ("end_at", end),
        ("gas_sampled_at", sampled),
        ("fire_watch", "钱七"),
    ])
}

fn fuel() -> Subject<'static> {
    in_sector("fuel")
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
    let a = hot_work_permits(&[&eight], &rules, fuel());
    assert_eq!(proposed(&a, "E10"), AnswerResult::Compliant);
    assert_eq!(proposed(&a, "FUEL-10"), AnswerResult::Compliant);
    let over = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 16:01",
        "2023-08-15 07:30",
    );
    let a = hot_work_permits(&[&over], &rules, fuel());
    assert_eq!(
        reasons(&a, "E10"),
        ["作业票 DH-01作业时间 8 小时 1 分 超过一级动火作业票有效期 8 小时"]
    );
    assert_eq!(proposed(&a, "FUEL-10"), AnswerResult::NonCompliant);
    let second = permit(
        "二级",
        "2023-08-13 08:00",
        "2023-08-16 08:00",
        "2023-08-13 07:45",
    );
    let a = hot_work_permits(&[&second], &rules, fuel());
    assert_eq!(proposed(&a, "E10"), AnswerResult::Compliant);
    // Across the end of February in a leap year the 29th counts.
    let leap = permit(
        "二级",
        "2024-02-28 08:00",
        "2024-03-02 08:00",
        "2024-02-28 07:45",
    );
    assert_eq!(
        proposed(&hot_work_permits(&[&leap], &rules, fuel()), "E10"),
        AnswerResult::Compliant
    );
    let leap = permit(
        "二级",
        "2024-02-28 08:00",
        "2024-03-02 08:01",
        "2024-02-28 07:45",
    );
    assert_eq!(
        reasons(&hot_work_permits(&[&leap], &rules, fuel()), "E10"),
        ["作业票 DH-01作业时间 72 小时 1 分 超过二级动火作业票有效期 72 小时"]
    );
    // Night work upgrades 二级 to 一级: 8 hours.
    let mut night = permit(
        "二级",
        "2023-08-15 20:00",
        "2023-08-16 06:00",
        "2023-08-15 19:40",
    );
    set(&mut night, "upgraded", "是");
    assert_eq!(
        reasons(&hot_work_permits(&[&night], &rules, fuel()), "E10"),
        [
            "作业票 DH-01作业时间 10 小时 超过一级（节假日、公休日、夜间或大风升级后）动火作业票有效期 8 小时"
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
        proposed(&hot_work_permits(&[&thirty], &rules, fuel()), "E10"),
        AnswerResult::Compliant
    );
    let early = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 12:00",
        "2023-08-15 07:29",
    );
    assert_eq!(
        reasons(&hot_work_permits(&[&early], &rules, fuel()), "E10"),
        ["作业票 DH-01的气体分析在动火前 31 分钟，超过 30 分钟"]
    );
    let mut no_watch = thirty.clone();
    no_watch.remove("fire_watch");
    no_watch.remove("gas_sampled_at");
    assert_eq!(
        reasons(&hot_work_permits(&[&no_watch], &rules, fuel()), "E10"),
        [
            "作业票 DH-01未记录动火前气体分析时间",
            "作业票 DH-01未明确现场监护人"
        ]
    );
}

#[test]
fn a_permit_outside_gb_30871_scope_gets_no_proposal_and_a_reason() {
    // 10 hours of 一级 work: a finding at a fuel station, nothing for a village, a high-rise,
    // a 人防 work, a gas station, a grain depot or an enterprise without a sector.
    let rules = config().hot_work;
    let long = permit(
        "一级",
        "2023-08-15 08:00",
        "2023-08-15 18:00",
        "2023-08-15 07:30",
    );
    assert_eq!(
        proposed(&hot_work_permits(&[&long], &rules, fuel()), "E10"),
        AnswerResult::NonCompliant
    );
    for sector in [
        "village",
        "high_rise",
        "civil_air_defence",
        "town_gas",
        "grain",
    ] {
        let a = hot_work_permits(&[&long], &rules, in_sector(sector));
        assert!(a.verdicts.is_empty(), "{sector}: {a:?}");
        assert!(a.notes[0].contains("GB 30871-2022"), "{a:?}");
    }
    let village = Subject {
        sector: Some("village"),
        sector_name: Some("帮扶村"),
        listed: Listed::No,
    };
    let a = hot_work_permits(&[&long], &rules, village);
    assert!(
        a.notes[0].contains("本企业所属行业领域（帮扶村）不在其适用范围内"),
        "{a:?}"
    );
    assert!(
        hot_work_permits(&[&long], &rules, none())
            .verdicts
            .is_empty()
    );
}

// ---- a permit's operator against the certificates on record ----------------------------------

#[test]
fn a_permits_welder_certificate_is_checked_on_the_day_of_the_work() {
    let config = config();
    let (rules, certs) = (&config.permit_certificate, &config.certificate);
    let p = permit(
        "二级",
        "2023-08-15 08:00",
        "2023-08-15 12:00",
        "2023-08-15 07:45",
    );
    let mut c = cert("赵六", ID, "T11010519491231002X", "2023-08-15");
    set(&mut c, "reviewed_on", "2020-08-01");
    // Valid on the day of the work (its last day), though the inspection is later.
    let a = permit_certificates(&[&p], &[&c], rules, certs, fuel(), d("2023-09-01"));
    assert_eq!(proposed(&a, "E12"), AnswerResult::Compliant, "{a:?}");
    assert_eq!(proposed(&a, "FUEL-02"), AnswerResult::Compliant);
    // Work the day after the certificate expired.
    let late = permit(
        "二级",
        "2023-08-16 08:00",
        "2023-08-16 12:00",
        "2023-08-16 07:45",
    );
    let a = permit_certificates(&[&late], &[&c], rules, certs, fuel(), d("2023-09-01"));
    assert_eq!(
        reasons(&a, "E12"),
        ["作业票 DH-01（动火日期 2023-08-16）：赵六的特种作业操作证已于 2023-08-15 过期"]
    );
    assert_eq!(proposed(&a, "FUEL-02"), AnswerResult::NonCompliant);
    assert_eq!(
        a.verdict("E12").map(|v| v.from.clone()),
        Some(vec![EvidenceKind::HotWorkPermit])
    );
}

#[test]
fn a_permit_naming_a_certificate_not_on_record_or_of_the_wrong_type() {
    let config = config();
    let (rules, certs) = (&config.permit_certificate, &config.certificate);
    let p = permit(
        "二级",
        "2023-08-15 08:00",
        "2023-08-15 12:00",
        "2023-08-15 07:45",
    );
    let other = cert(
        "钱七",
        "440524188001010014",
        "T440524188001010014",
        "2027-01-01",
    );
    let a = permit_certificates(&[&p], &[&other], rules, certs, none(), d("2023-08-15"));
    assert_eq!(
        reasons(&a, "E12"),
        ["作业票 DH-01的动火人赵六证书编号 T11010519491231002X 不在本次检查的证书记录中"]
    );
    let mut electrician = cert("赵六", ID, "T11010519491231002X", "2027-01-01");
    set(&mut electrician, "category", "电工作业");
    let a = permit_certificates(
        &[&p],
        &[&electrician],
        rules,
        certs,
        none(),
        d("2023-08-15"),
    );
    assert_eq!(
        reasons(&a, "E12"),
        [
            "作业票 DH-01的动火人赵六所持证书 T11010519491231002X 为应急管理（特种作业操作证）“电工作业”，不是应急管理（特种作业操作证）“焊接与热切割作业”"
        ]
    );
    // No certificates recorded yet: nothing proposed, and a note.
    let a = permit_certificates(&[&p], &[], rules, certs, none(), d("2023-08-15"));
    assert!(a.verdicts.is_empty() && a.notes.len() == 1, "{a:?}");
    // A grinder needs no welding certificate.
    let mut grinding = p.clone();
    set(&mut grinding, "method", "砂轮切割");
    let a = permit_certificates(
        &[&grinding],
        &[&other],
        rules,
        certs,
        none(),
        d("2023-08-15"),
    );
    assert_eq!(a, Assessment::default());
}

// ---- outsourcing ----------------------------------------------------------------------------

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
    let a = outsourcing(&[&same_day], &rules, in_sector("grain"));
    for item in ["E13", "E14", "GRAIN-01", "GRAIN-02"] {
        assert_eq!(proposed(&a, item), AnswerResult::Compliant, "{item}");
    }
    let late = agreement("2023-03-02", "2023-03-01");
    let a = outsourcing(&[&late], &rules, none());
    assert_eq!(
        reasons(&a, "E13"),
        ["与某某安装公司的安全生产管理协议 2023-03-02 才签订，晚于进场日期 2023-03-01"]
    );
}

#[test]
fn contractor_without_qualification_or_agreement_or_management() {
    let rules = config().outsourcing;
    let mut bad = agreement("2023-03-01", "2023-03-01");
    set(&mut bad, "contractor_qualified", "否");
    set(&mut bad, "agreement_signed", "否");
    set(&mut bad, "regular_inspections", "否");
    let a = outsourcing(&[&bad], &rules, fuel());
    assert_eq!(
        reasons(&a, "E13"),
        [
            "某某安装公司不具备或未核实安全生产条件和相应资质",
            "与某某安装公司未签订安全生产管理协议"
        ]
    );
    assert_eq!(reasons(&a, "E14"), ["未对某某安装公司定期进行安全检查"]);
    // FUEL-11 covers both: every finding, in order.
    assert_eq!(reasons(&a, "FUEL-11").len(), 3);
    assert!(outsourcing(&[], &rules, fuel()).verdicts.is_empty());
    // A village is not a 生产经营单位.
    assert!(
        outsourcing(&[&bad], &rules, in_sector("village"))
            .verdicts
            .is_empty()
    );
}

// ---- drills ---------------------------------------------------------------------------------

fn drill(plan_type: &str, held: &str) -> Values {
    values(&[
        ("name", "演练"),
        ("plan_type", plan_type),
        ("held_on", held),
        ("staff_know_exits", "是"),
        ("reported_to", "县应急管理局"),
    ])
}

const SITE: &str = "现场处置方案";
const SPECIAL: &str = "专项应急预案";

#[test]
fn an_on_site_procedure_drill_every_six_months_and_a_plan_drill_every_year() {
    // Grain: 第三十三条第一款 only.
    let rules = config().drill;
    let grain = in_sector("grain");
    let plan = drill(SPECIAL, "2023-02-28");
    let site = drill(SITE, "2023-02-28");
    let both = [&plan, &site];
    // The 6-month boundary: 2023-02-28 + 6 months = 2023-08-28.
    let a = drills(&both, &rules, grain, d("2023-08-28"));
    assert_eq!(proposed(&a, "E15"), AnswerResult::Compliant, "{a:?}");
    assert_eq!(proposed(&a, "GRAIN-15"), AnswerResult::Compliant);
    let a = drills(&both, &rules, grain, d("2023-08-29"));
    assert_eq!(
        reasons(&a, "E15"),
        [
            "最近一次现场处置方案演练在 2023-02-28，已超过 6 个月（应急管理部令第2号 第三十三条第一款：每 6 个月至少一次）"
        ]
    );
    // A 专项 drill alone never answers the 现场处置方案 clock, however recent.
    let recent_plan = drill(SPECIAL, "2023-08-01");
    let a = drills(&[&recent_plan], &rules, grain, d("2023-08-15"));
    assert_eq!(
        reasons(&a, "E15"),
        [
            "未见近 6 个月内的现场处置方案演练记录（应急管理部令第2号 第三十三条第一款：每 6 个月至少一次）"
        ]
    );
    // The yearly clock across a leap year's February: due by 2024-02-28.
    let fresh_site = drill(SITE, "2024-01-10");
    let a = drills(&[&plan, &fresh_site], &rules, grain, d("2024-02-28"));
    assert_eq!(proposed(&a, "E15"), AnswerResult::Compliant, "{a:?}");
    let a = drills(&[&plan, &fresh_site], &rules, grain, d("2024-02-29"));
    assert_eq!(
        reasons(&a, "E15"),
        [
            "最近一次综合或专项应急预案演练在 2023-02-28，已超过 12 个月（应急管理部令第2号 第三十三条第一款：每 12 个月至少一次）"
        ]
    );
}

#[test]
fn listed_units_drill_every_plan_half_yearly_and_report_it() {
    let rules = config().drill;
    let plan = drill(SPECIAL, "2023-02-28");
    let site = drill(SITE, "2023-06-01");
    // A fuel station (第三十三条第二款): the 专项 drill is due within six months too.
    let a = drills(&[&plan, &site], &rules, fuel(), d("2023-08-28"));
    assert_eq!(proposed(&a, "FUEL-12"), AnswerResult::Compliant, "{a:?}");
    let a = drills(&[&plan, &site], &rules, fuel(), d("2023-08-29"));
    assert_eq!(
        reasons(&a, "E15"),
        [
            "最近一次综合或专项应急预案演练在 2023-02-28，已超过 6 个月（应急管理部令第2号 第三十三条第一款：每 6 个月至少一次）"
        ]
    );
    // The same records at a grain depot are fine.
    let a = drills(&[&plan, &site], &rules, in_sector("grain"), d("2023-08-29"));
    assert_eq!(proposed(&a, "E15"), AnswerResult::Compliant);
    // An unreported drill of a listed unit.
    let mut unreported = site.clone();
    unreported.remove("reported_to");
    let a = drills(&[&plan, &unreported], &rules, fuel(), d("2023-08-15"));
    assert_eq!(
        reasons(&a, "E15"),
        [
            "演练（2023-06-01）未见报送县级以上负有安全生产监督管理职责的部门（应急管理部令第2号 第三十三条第二款）"
        ]
    );
    // Not listed: reporting is not required.
    let a = drills(
        &[&plan, &unreported],
        &rules,
        in_sector("grain"),
        d("2023-08-15"),
    );
    assert_eq!(proposed(&a, "E15"), AnswerResult::Compliant);
}

#[test]
fn by_use_sectors_follow_the_drill_record_and_high_rise_needs_a_full_element_drill() {
    let rules = config().drill;
    let plan = drill(SPECIAL, "2023-02-28");
    let site = drill(SITE, "2023-06-01");
    let rf = in_sector("civil_air_defence");
    // Unanswered: 第一款, with a note.
    let a = drills(&[&plan, &site], &rules, rf, d("2023-08-29"));
    assert_eq!(proposed(&a, "RF-15"), AnswerResult::Compliant, "{a:?}");
    assert!(a.notes[0].contains("第三十三条第二款"), "{a:?}");
    // A shop in the 人防 work: listed, so the 专项 drill is six months old too many.
    let mut shop_site = site.clone();
    set(&mut shop_site, "listed_unit", "是");
    let a = drills(&[&plan, &shop_site], &rules, rf, d("2023-08-29"));
    assert_eq!(proposed(&a, "RF-15"), AnswerResult::NonCompliant);
    // High-rise: a 全要素综合演练 within a year as well (应急管理部令第5号 第四十四条).
    let hr = in_sector("high_rise");
    let a = drills(&[&plan, &site], &rules, hr, d("2023-08-15"));
    assert_eq!(
        reasons(&a, "HR-15"),
        [
            "未见近 12 个月内的全要素综合演练记录（应急管理部令第5号 第四十四条：每 12 个月至少一次）"
        ]
    );
    let mut full = plan.clone();
    set(&mut full, "full_element", "是");
    let a = drills(&[&full, &site], &rules, hr, d("2024-02-28"));
    assert_eq!(
        proposed(&a, "HR-15"),
        AnswerResult::NonCompliant,
        "site drill is old"
    );
    let fresh_site = drill(SITE, "2024-01-10");
    let a = drills(&[&full, &fresh_site], &rules, hr, d("2024-02-28"));
    assert_eq!(proposed(&a, "HR-15"), AnswerResult::Compliant, "{a:?}");
    let a = drills(&[&full, &fresh_site], &rules, hr, d("2024-02-29"));
    assert_eq!(proposed(&a, "HR-15"), AnswerResult::NonCompliant);
}

#[test]
fn no_drill_record_staff_not_knowing_exits_and_villages() {
    let rules = config().drill;
    let a = drills(&[], &rules, none(), d("2023-08-15"));
    assert_eq!(reasons(&a, "E15").len(), 2);
    // A drill dated after the inspection does not count.
    let future = drill(SITE, "2023-09-01");
    let a = drills(&[&future], &rules, none(), d("2023-08-15"));
    assert_eq!(proposed(&a, "E15"), AnswerResult::NonCompliant);
    let plan = drill(SPECIAL, "2023-01-10");
    let mut latest = drill(SITE, "2023-06-01");
    set(&mut latest, "staff_know_exits", "否");
    let a = drills(&[&plan, &latest], &rules, none(), d("2023-08-15"));
    assert_eq!(
        reasons(&a, "E15"),
        ["演练记录显示从业人员不熟悉安全逃生出口"]
    );
    // A village is not a 生产经营单位: no proposal, a note.
    let a = drills(&[&plan], &rules, in_sector("village"), d("2023-08-15"));
    assert!(a.verdicts.is_empty() && a.notes.len() == 1, "{a:?}");
}

// ---- all rules together ---------------------------------------------------------------------

#[test]
fn assess_merges_proposals_for_the_same_item_and_keeps_holding_back() {
    let rules = config();
    let record = |kind, values| EvidenceRecord {
        inspection_id: uuid::Uuid::nil(),
        kind,
        form_version: 2,
        values,
    };
    let expired = record(
        EvidenceKind::SpecialOperationCertificate,
        cert("赵六", ID, "T11010519491231002X", "2023-01-31"),
    );
    let work = record(
        EvidenceKind::HotWorkPermit,
        permit(
            "二级",
            "2023-08-15 08:00",
            "2023-08-15 12:00",
            "2023-08-15 07:45",
        ),
    );
    let old_drill = record(EvidenceKind::DrillRecord, drill(SITE, "2022-12-01"));
    let a = assess(
        &rules,
        &[&expired, &work, &old_drill],
        fuel(),
        d("2023-08-15"),
    );
    let summary: Vec<(&str, AnswerResult)> = a
        .verdicts
        .iter()
        .map(|v| (v.item_code.as_str(), v.proposed))
        .collect();
    assert_eq!(
        summary,
        [
            ("E10", AnswerResult::Compliant),
            ("FUEL-10", AnswerResult::Compliant),
            ("E12", AnswerResult::NonCompliant),
            ("FUEL-02", AnswerResult::NonCompliant),
            ("E15", AnswerResult::NonCompliant),
            ("FUEL-12", AnswerResult::NonCompliant),
        ]
    );
    // E12 rests on both the certificate and the permit, each finding kept.
    let e12 = a.verdict("E12").expect("E12");
    assert_eq!(
        e12.from,
        [
            EvidenceKind::SpecialOperationCertificate,
            EvidenceKind::HotWorkPermit
        ]
    );
    assert_eq!(e12.reasons.len(), 2, "{e12:?}");
    // An unknown certificate holds E12 back even when the permit's welder is fine.
    let fine = record(
        EvidenceKind::SpecialOperationCertificate,
        cert("赵六", ID, "T11010519491231002X", "2027-01-31"),
    );
    let mut odd = cert("周九", "440524188001010014", "X-1", "2027-01-31");
    set(&mut odd, "issuing_system", "某省自定证书");
    let odd = record(EvidenceKind::SpecialOperationCertificate, odd);
    let a = assess(&rules, &[&fine, &odd, &work], none(), d("2023-08-15"));
    assert!(a.verdict("E12").is_none(), "{a:?}");
    assert!(evaluate(&rules, &[], fuel(), d("2023-08-15")).is_empty());
}
