//! Special-operation certificates (E12): expiry, review (复审), number form, duplicates.

use super::Verdict;
use super::config::CertificateRules;
use super::values::{Values, date, label, text};
use chrono::{Days, Months, NaiveDate};
use std::collections::HashMap;

/// Checks the certificates recorded at an inspection on `on`. `None` when there are none.
pub fn certificates(
    records: &[&Values],
    rules: &CertificateRules,
    on: NaiveDate,
) -> Option<Verdict> {
    if records.is_empty() {
        return None;
    }
    let mut findings = Vec::new();
    let mut holders_by_number: HashMap<String, Vec<String>> = HashMap::new();
    for values in records {
        let who = label(values, &["holder_name"], "（未填姓名）");
        let number = text(values, "cert_no");
        match date(values, "valid_until") {
            Some(until) if on > until => {
                findings.push(format!("{who}的特种作业操作证已于 {until} 过期"));
            }
            Some(until) => {
                if let Some(due) = review_due(values, rules, until) {
                    let window_opens = due
                        .checked_sub_days(Days::new(u64::from(rules.review_window_days)))
                        .unwrap_or(due);
                    let reviewed =
                        date(values, "reviewed_on").is_some_and(|r| window_opens <= r && r <= on);
                    if on > due && !reviewed {
                        findings.push(format!(
                            "{who}的特种作业操作证应于 {due} 前复审，未见复审记录"
                        ));
                    }
                }
            }
            None => findings.push(format!("{who}的特种作业操作证未填有效期")),
        }
        let prefixed = text(values, "issuing_system") == Some(rules.prefixed_system.as_str());
        if let (true, Some(number), Some(id)) = (prefixed, number, text(values, "id_number")) {
            let expected = format!("{}{}", rules.number_prefix, id);
            if !number.eq_ignore_ascii_case(&expected) {
                findings.push(format!(
                    "{who}的证号 {number} 不是“{}”加身份证号（应为 {expected}）",
                    rules.number_prefix
                ));
            }
        }
        if let Some(number) = number.map(str::to_ascii_uppercase) {
            let holder = text(values, "id_number").map_or(who.clone(), |id| format!("{who}:{id}"));
            let holders = holders_by_number.entry(number).or_default();
            if !holders.contains(&holder) {
                holders.push(holder);
            }
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
        findings.push(format!("证号 {number} 同时登记在{}名下", names.join("、")));
    }
    let all_clear = format!("已核对 {} 本证书，均在有效期内并按期复审", records.len());
    Some(Verdict::from_findings(&rules.item, findings, all_clear))
}

/// When the review falls due: as recorded, else the validity's end less the years that the
/// validity runs past one review interval (6-year validity, 3-year review → 3 years before end).
fn review_due(values: &Values, rules: &CertificateRules, until: NaiveDate) -> Option<NaiveDate> {
    if let Some(due) = date(values, "review_due_on") {
        return Some(due);
    }
    let before_end = rules
        .validity_years
        .checked_sub(rules.review_interval_years)?;
    if before_end == 0 {
        return None;
    }
    until.checked_sub_months(Months::new(before_end.checked_mul(12)?))
}
