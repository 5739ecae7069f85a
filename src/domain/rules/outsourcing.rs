//! Outsourcing and leasing (E13, E14): qualification, agreement before entry, clear duties;
//! unified management and regular inspection.

use super::config::{OutsourcingRules, binds, targets};
use super::values::{Values, date, flag, label};
use super::{Assessment, Subject};
use crate::domain::EvidenceKind;

/// Checks the outsourcing/lease agreements recorded at an inspection: proposals for the
/// qualification items and for the management items, or nothing when there are no records.
pub fn outsourcing(
    records: &[&Values],
    rules: &OutsourcingRules,
    subject: Subject<'_>,
) -> Assessment {
    let mut out = Assessment::default();
    if records.is_empty() {
        return out;
    }
    if !binds(&rules.sectors, subject.sector) {
        out.note(subject.outside("外包外租规则", "安全生产法第四十九条（生产经营单位）"));
        return out;
    }
    let mut qualification = Vec::new();
    let mut management = Vec::new();
    for values in records {
        let who = label(values, &["contractor_name"], "（未填承包方）");
        if flag(values, "contractor_qualified") != Some(true) {
            qualification.push(format!("{who}不具备或未核实安全生产条件和相应资质"));
        }
        if flag(values, "agreement_signed") != Some(true) {
            qualification.push(format!("与{who}未签订安全生产管理协议"));
        } else if let (Some(signed), Some(entered)) = (
            date(values, "agreement_signed_on"),
            date(values, "entered_site_on"),
        ) && signed > entered
        {
            qualification.push(format!(
                "与{who}的安全生产管理协议 {signed} 才签订，晚于进场日期 {entered}"
            ));
        }
        if flag(values, "duties_clear") != Some(true) {
            qualification.push(format!("与{who}的安全管理职责不清"));
        }
        if flag(values, "unified_management") != Some(true) {
            management.push(format!("{who}未纳入本单位安全生产管理体系统一协调、管理"));
        }
        if flag(values, "regular_inspections") != Some(true) {
            management.push(format!("未对{who}定期进行安全检查"));
        }
    }
    let n = records.len();
    let kind = EvidenceKind::OutsourcingAgreement;
    out.propose(
        &targets(
            &rules.qualification_item,
            &rules.qualification_sector_items,
            subject.sector,
        ),
        kind,
        &qualification,
        &format!("已核对 {n} 个外包外租项目：资质具备，协议在进场前签订，职责清楚"),
    );
    out.propose(
        &targets(
            &rules.management_item,
            &rules.management_sector_items,
            subject.sector,
        ),
        kind,
        &management,
        &format!("已核对 {n} 个外包外租项目：均纳入统一管理并定期检查"),
    );
    out
}
