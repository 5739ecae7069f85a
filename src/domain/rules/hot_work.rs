//! Hot-work permits (E10 and the sector's hot-work items): validity for the level, gas analysis
//! timing, a named fire watch — GB 30871-2022, which binds only the units its clause 1 names
//! (the `sectors` of `[hot_work]`); elsewhere the rule proposes nothing.

use super::config::{HotWorkRules, binds, targets};
use super::values::{Values, datetime, flag, label, text};
use super::{Assessment, Subject};
use crate::domain::EvidenceKind;

/// Checks the hot-work permits recorded at an inspection. Nothing when there are none.
pub fn hot_work_permits(
    records: &[&Values],
    rules: &HotWorkRules,
    subject: Subject<'_>,
) -> Assessment {
    let mut out = Assessment::default();
    if records.is_empty() {
        return out;
    }
    if !binds(&rules.sectors, subject.sector) {
        out.note(subject.outside("动火作业票规则", &rules.basis));
        return out;
    }
    let mut findings = Vec::new();
    for values in records {
        let permit = format!("作业票 {}", label(values, &["permit_no"], "（未填编号）"));
        let upgraded = flag(values, "upgraded").unwrap_or(false);
        let level = text(values, "level").and_then(|l| rules.effective_level(l, upgraded));
        let start = datetime(values, "start_at");
        match (level, start, datetime(values, "end_at")) {
            (Some(level), Some(start), Some(end)) => {
                let minutes = (end - start).num_minutes();
                if minutes < 0 {
                    findings.push(format!("{permit}的结束时间早于开始时间"));
                } else if minutes > i64::from(level.max_hours) * 60 {
                    let raised = if upgraded {
                        "（节假日、公休日、夜间或大风升级后）"
                    } else {
                        ""
                    };
                    findings.push(format!(
                        "{permit}作业时间 {} 超过{}{raised}动火作业票有效期 {} 小时",
                        hours(minutes),
                        level.name,
                        level.max_hours
                    ));
                }
            }
            (None, ..) => findings.push(format!("{permit}未填或填错动火级别，无法核对有效期")),
            _ => findings.push(format!("{permit}未填完整作业起止时间")),
        }
        match (datetime(values, "gas_sampled_at"), start) {
            (Some(sampled), Some(start)) => {
                let lead = (start - sampled).num_minutes();
                if lead < 0 {
                    findings.push(format!("{permit}的气体分析在动火开始之后才做"));
                } else if lead > i64::from(rules.gas_sample_max_minutes) {
                    findings.push(format!(
                        "{permit}的气体分析在动火前 {lead} 分钟，超过 {} 分钟",
                        rules.gas_sample_max_minutes
                    ));
                }
            }
            (None, _) => findings.push(format!("{permit}未记录动火前气体分析时间")),
            (Some(_), None) => {}
        }
        if text(values, "fire_watch").is_none() {
            findings.push(format!("{permit}未明确现场监护人"));
        }
    }
    let all_clear = format!(
        "已核对 {} 张动火作业票：在有效期内，气体分析及时，监护人明确",
        records.len()
    );
    let items = targets(&rules.item, &rules.sector_items, subject.sector);
    out.propose(&items, EvidenceKind::HotWorkPermit, &findings, &all_clear);
    out
}

fn hours(minutes: i64) -> String {
    match minutes % 60 {
        0 => format!("{} 小时", minutes / 60),
        m => format!("{} 小时 {m} 分", minutes / 60),
    }
}
