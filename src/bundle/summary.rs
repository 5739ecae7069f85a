//! What an export or import did, as lines of Chinese text for the command line and the TUI.

use super::ExportSummary;
use crate::storage::bundle::import::ImportReport;

fn label(kind: &str) -> &'static str {
    crate::storage::bundle::kinds::by_name(kind).map_or("记录", |k| k.label)
}

pub fn export_lines(summary: &ExportSummary) -> Vec<String> {
    let counted: Vec<String> = summary
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{} {n}", label(k)))
        .collect();
    vec![
        format!("已导出到 {}", summary.path.display()),
        format!(
            "范围：{}",
            match summary.from {
                Some(t) => format!(
                    "{} 以来",
                    crate::domain::time::local(t).format("%Y-%m-%d %H:%M")
                ),
                None => "全部".to_string(),
            }
        ),
        format!(
            "内容：{}",
            if counted.is_empty() {
                "（没有新记录）".to_string()
            } else {
                counted.join("，")
            }
        ),
        format!("SHA-256：{}", summary.sha256),
    ]
}

/// The lines under a file's name: what was (or, in a dry run, would be) added.
pub fn import_lines(report: &ImportReport) -> Vec<String> {
    let added: Vec<String> = report
        .added
        .iter()
        .map(|(k, n)| format!("{} {n}", label(k)))
        .collect();
    let mut lines = vec![format!(
        "新增：{}",
        if added.is_empty() {
            "无（全部已在本机）".to_string()
        } else {
            added.join("，")
        }
    )];
    if report.unchanged > 0 {
        lines.push(format!("已有且一致：{} 条", report.unchanged));
    }
    if report.enterprises_updated + report.enterprise_versions_kept > 0 {
        lines.push(format!(
            "企业信息：{} 家更新为较新版本，{} 个较旧版本存为历史",
            report.enterprises_updated, report.enterprise_versions_kept
        ));
    }
    if !report.new_enterprises.is_empty() {
        lines.push(format!("新企业：{}", report.new_enterprises.join("、")));
    }
    if report.roster_entries > 0 {
        lines.push(format!(
            "办公室人员名册：新增 {} 条（人员、角色、公钥的变动）",
            report.roster_entries
        ));
    }
    for key in &report.new_keys {
        lines.push(format!("登记公钥：{key}"));
    }
    lines
}
