//! Operator certificates (E12 and the sector items of each issuing system): expiry, review
//! (复审) where the system has one, number form, duplicates.
//!
//! Each issuing system has its own rule (`[[certificate.system]]` in `config/rules.toml`):
//! 应急管理's 特种作业操作证 is valid 6 years and reviewed every 3 (every 6 once extended, 30号令
//! 第二十一条); 市场监管's 特种设备作业人员证 and 住建's 建筑施工特种作业操作资格证书 have no
//! review inside their validity. A certificate of a system the rule does not know is not judged.

use super::config::{CertificateRules, CertificateSystem, binds, targets};
use super::values::{Values, date, flag, label, text};
use super::{Assessment, Subject};
use crate::domain::EvidenceKind;
use chrono::{Days, Months, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Checks the certificates recorded at an inspection on `on`. Nothing when there are none.
pub fn certificates(
    records: &[&Values],
    rules: &CertificateRules,
    subject: Subject<'_>,
    on: NaiveDate,
) -> Assessment {
    let mut out = Assessment::default();
    if records.is_empty() {
        return out;
    }
    if !binds(&rules.sectors, subject.sector) {
        out.note(subject.outside("证书规则", "原国家安全监管总局令第30号等发证规定"));
        return out;
    }
    let duty = std::slice::from_ref(&rules.item);
    // Item → (findings, certificates checked for it).
    let mut per_item: BTreeMap<String, (Vec<String>, usize)> = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut holders_by_number: HashMap<String, Vec<String>> = HashMap::new();
    for values in records {
        let who = label(values, &["holder_name"], "（未填姓名）");
        if let Some(number) = text(values, "cert_no").map(str::to_ascii_uppercase) {
            let holder = text(values, "id_number").map_or(who.clone(), |id| format!("{who}:{id}"));
            let holders = holders_by_number.entry(number).or_default();
            if !holders.contains(&holder) {
                holders.push(holder);
            }
        }
        let named = text(values, "issuing_system");
        let Some(system) = named.and_then(|s| rules.system(s)) else {
            unknown.push(match named {
                Some(s) => format!("{who}的证书发证系统为“{s}”"),
                None => format!("{who}的证书未填发证系统"),
            });
            continue;
        };
        let findings = status(values, system, on);
        for item in targets(&rules.item, &system.sector_items, subject.sector) {
            let entry = per_item.entry(item).or_default();
            entry.0.extend(findings.iter().cloned());
            entry.1 += 1;
        }
    }
    let mut duplicated: Vec<_> = holders_by_number
        .into_iter()
        .filter(|(_, holders)| holders.len() > 1)
        .collect();
    duplicated.sort();
    for (number, holders) in duplicated {
        let names: Vec<&str> = holders
            .iter()
            .map(|h| h.split(':').next().unwrap_or(h))
            .collect();
        per_item
            .entry(rules.item.clone())
            .or_default()
            .0
            .push(format!("证号 {number} 同时登记在{}名下", names.join("、")));
    }
    if !unknown.is_empty() {
        let known: Vec<&str> = rules.systems.iter().map(|s| s.name.as_str()).collect();
        let why = format!(
            "{}：规则只掌握{}的有效期和复审规定，这些证书未作判断；{}是否符合由检查人员判断",
            unknown.join("；"),
            known.join("、"),
            rules.item
        );
        // Only the duty item is held back: a sector item belongs to one known system.
        if per_item.get(&rules.item).is_none_or(|(f, _)| f.is_empty()) {
            out.withhold(duty, why);
        } else {
            out.note(why);
        }
    }
    for (item, (findings, checked)) in per_item {
        let all_clear = format!("已核对 {checked} 本证书，均在有效期内并按期复审");
        out.propose(
            &[item],
            EvidenceKind::SpecialOperationCertificate,
            &findings,
            &all_clear,
        );
    }
    out
}

/// What is wrong with one certificate of `system` on `on`: expired, review overdue, number not
/// of the system's form. Empty when it is in order.
pub(super) fn status(values: &Values, system: &CertificateSystem, on: NaiveDate) -> Vec<String> {
    let who = label(values, &["holder_name"], "（未填姓名）");
    let title = &system.title;
    let mut findings = Vec::new();
    match date(values, "valid_until") {
        Some(until) if on > until => findings.push(format!("{who}的{title}已于 {until} 过期")),
        Some(until) => {
            if let Some(due) = review_due(values, system, until) {
                let window_opens = due
                    .checked_sub_days(Days::new(u64::from(system.review_window_days)))
                    .unwrap_or(due);
                let reviewed =
                    date(values, "reviewed_on").is_some_and(|r| window_opens <= r && r <= on);
                if on > due && !reviewed {
                    findings.push(format!("{who}的{title}应于 {due} 前复审，未见复审记录"));
                }
            }
        }
        None => findings.push(format!("{who}的{title}未填有效期")),
    }
    if let (Some(prefix), Some(number), Some(id)) = (
        system.number_prefix.as_deref(),
        text(values, "cert_no"),
        text(values, "id_number"),
    ) {
        let expected = format!("{prefix}{id}");
        if !number.eq_ignore_ascii_case(&expected) {
            findings.push(format!(
                "{who}的证号 {number} 不是“{prefix}”加身份证号（应为 {expected}）"
            ));
        }
    }
    findings
}

/// When the review falls due inside the validity: as recorded (unless since extended), else the validity's end less the
/// years it runs past one review interval (6-year validity, 3-year review → 3 years before the
/// end). None when the system has no review inside the validity, or the review was extended to
/// the whole validity (30号令 第二十一条: every 6 years).
fn review_due(values: &Values, system: &CertificateSystem, until: NaiveDate) -> Option<NaiveDate> {
    let interval = system.review_interval_years?;
    // An extension replaces the due date printed before it was granted.
    let interval = match (
        flag(values, "review_extended"),
        system.extended_review_interval_years,
    ) {
        (Some(true), Some(extended)) => extended,
        _ => {
            if let Some(due) = date(values, "review_due_on") {
                return Some(due);
            }
            interval
        }
    };
    let before_end = system.validity_years?.checked_sub(interval)?;
    if before_end == 0 {
        return None;
    }
    until.checked_sub_months(Months::new(before_end.checked_mul(12)?))
}
