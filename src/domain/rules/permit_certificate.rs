//! The operator named on a hot-work permit against the certificates on record (E12 and the
//! sector's certificate items). 填报说明 2: B6 (电焊等特种作业岗位人员无证上岗作业) is also found
//! by checking hot-work permits; a permit naming a certificate not on record, expired on the day
//! of the work, or of another type than welding and thermal cutting is such a case.

use super::certificate::status;
use super::config::{CertificateRules, PermitCertificateRules, binds, targets};
use super::values::{Values, datetime, label, text};
use super::{Assessment, Subject};
use crate::domain::EvidenceKind;
use chrono::NaiveDate;

/// Checks each permit's operator certificate. Nothing when there are no permits; a note and no
/// proposal while no certificate has been recorded (the inspector may not have got to them).
pub fn permit_certificates(
    permits: &[&Values],
    certificates: &[&Values],
    rules: &PermitCertificateRules,
    certificate_rules: &CertificateRules,
    subject: Subject<'_>,
    on: NaiveDate,
) -> Assessment {
    let mut out = Assessment::default();
    if permits.is_empty() {
        return out;
    }
    if !binds(&rules.sectors, subject.sector) {
        out.note(subject.outside(
            "动火人证书核对",
            "原国家安全监管总局令第30号、消防法第二十一条",
        ));
        return out;
    }
    let checked: Vec<&&Values> = permits
        .iter()
        .filter(|p| text(p, "method").is_none_or(|m| rules.methods.iter().any(|r| r == m)))
        .collect();
    if checked.is_empty() {
        return out;
    }
    if certificates.is_empty() {
        out.note("尚未录入特种作业操作证记录，动火作业票上的动火人证书未核对".to_string());
        return out;
    }
    let Some(system) = certificate_rules.system(&rules.system) else {
        out.note(format!(
            "证书规则中没有“{}”的有效期规定，动火人证书未核对",
            rules.system
        ));
        return out;
    };
    let mut findings = Vec::new();
    for permit in &checked {
        let name = format!("作业票 {}", label(permit, &["permit_no"], "（未填编号）"));
        let welder = label(permit, &["welder"], "动火人");
        let Some(number) = text(permit, "welder_cert_no") else {
            findings.push(format!("{name}未填动火人{welder}的证书编号"));
            continue;
        };
        let Some(cert) = certificates
            .iter()
            .find(|c| text(c, "cert_no").is_some_and(|n| n.eq_ignore_ascii_case(number)))
        else {
            findings.push(format!(
                "{name}的动火人{welder}证书编号 {number} 不在本次检查的证书记录中"
            ));
            continue;
        };
        if let Some(holder) = text(cert, "holder_name")
            && text(permit, "welder").is_some_and(|w| w != holder)
        {
            findings.push(format!(
                "{name}的动火人为{welder}，证书 {number} 却登记在{holder}名下"
            ));
        }
        let issued_by = text(cert, "issuing_system").unwrap_or("（未填发证系统）");
        let category = text(cert, "category").unwrap_or("（未填作业类别）");
        if issued_by != rules.system || category != rules.category {
            findings.push(format!(
                "{name}的动火人{welder}所持证书 {number} 为{issued_by}“{category}”，不是{}“{}”",
                rules.system, rules.category
            ));
            continue;
        }
        let work_day = datetime(permit, "start_at").map_or(on, |t| t.date());
        for finding in status(cert, system, work_day) {
            findings.push(format!("{name}（动火日期 {work_day}）：{finding}"));
        }
    }
    let all_clear = format!(
        "已核对 {} 张动火作业票的动火人证书：均在证书记录中，类别相符，动火时有效",
        checked.len()
    );
    let items = targets(&rules.item, &rules.sector_items, subject.sector);
    out.propose(&items, EvidenceKind::HotWorkPermit, &findings, &all_clear);
    out
}
