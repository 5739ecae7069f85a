//! `paicha report hazards | disclosure`: the monthly major-hazard list and its public version.

use super::report::{Output, ReportFormat};
use crate::storage::Store;
use crate::templates::Catalog;
use clap::Args;

/// Which month's list, in which format.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// 月份，如 2023-09
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// 只列某专项行动小组所属行业领域的企业（小组代码，如 energy）
    #[arg(long, value_name = "小组")]
    pub group: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

/// The month's hazard list, or its public version.
pub fn hazard_list(
    args: &ListArgs,
    store: &Store,
    catalog: &Catalog,
    public: bool,
) -> anyhow::Result<()> {
    use crate::report::hazard_list::{self, Window};
    use crate::report::listing::Listing;
    args.output.check("清单.xlsx")?;
    let bad = || anyhow::anyhow!(crate::report::monthly::month_error(&args.month));
    let (year, month) = crate::domain::time::parse_month(&args.month).ok_or_else(bad)?;
    let window = Window::month(year, month).ok_or_else(bad)?;
    let campaign = &catalog.campaign;
    let sectors = match &args.group {
        None => None,
        Some(code) => Some(
            campaign
                .find_group(code)
                .map_err(anyhow::Error::msg)?
                .sectors
                .clone(),
        ),
    };
    let hazards = crate::report::gather::hazard_facts(store)?;
    let lines = hazard_list::monthly(
        &hazards,
        &store.enterprise_facts()?,
        window,
        sectors.as_deref(),
    );
    let subtitle = format!(
        "填报单位：{}　统计期间：{} 至 {}　共 {} 项",
        campaign.bureau,
        window.from,
        window.to,
        lines.len()
    );
    let (listing, json) = if public {
        let (entries, withheld) = hazard_list::disclosure(&lines);
        // Never published blank: the clerk is told which to rewrite (on stderr, so the list
        // itself stays clean for publishing).
        for w in &withheld {
            eprintln!(
                "未公开：第{}项 {} {}：{}",
                w.seq, w.number, w.enterprise, w.reason
            );
        }
        let rows = entries
            .iter()
            .map(|e| {
                vec![
                    e.seq.to_string(),
                    e.number.clone(),
                    e.enterprise.clone(),
                    e.town.clone(),
                    e.description.clone(),
                    e.found_month.clone(),
                    e.deadline.clone(),
                    e.progress.clone(),
                    e.result.clone(),
                ]
            })
            .collect();
        (
            Listing {
                title: format!(
                    "{}{}重大事故隐患整改情况公开",
                    campaign.county,
                    window.label()
                ),
                subtitle: format!("{}　截至 {}", campaign.bureau, window.to),
                header: vec![
                    "序号",
                    "编号",
                    "企业名称",
                    "所在镇",
                    "隐患内容",
                    "发现时间",
                    "整改期限",
                    "整改进展",
                    "整改结果",
                ],
                rows,
            },
            serde_json::to_value(&entries)?,
        )
    } else {
        let rows = lines
            .iter()
            .map(|h| {
                vec![
                    h.seq.to_string(),
                    h.number.clone().unwrap_or_default(),
                    h.enterprise.clone(),
                    h.town.clone(),
                    h.description.clone(),
                    h.location.clone(),
                    h.source.to_string(),
                    h.found_on.to_string(),
                    h.responsible_person.clone().unwrap_or_default(),
                    h.measures.clone().unwrap_or_default(),
                    h.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    h.tracking_person.clone().unwrap_or_default(),
                    h.stage.to_string(),
                ]
            })
            .collect();
        (
            Listing {
                title: format!("{}重大事故隐患清单", window.label()),
                subtitle,
                header: vec![
                    "序号",
                    "编号",
                    "企业名称",
                    "所在镇",
                    "隐患内容",
                    "部位",
                    "来源",
                    "发现日期",
                    "整改责任人",
                    "整改措施",
                    "整改期限",
                    "挂牌督办跟踪人",
                    "状态",
                ],
                rows,
            },
            serde_json::to_value(&lines)?,
        )
    };
    let bytes = match args.output.format {
        ReportFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&serde_json::json!({
                "title": listing.title,
                "from": window.from,
                "to": window.to,
                "entries": json,
            }))?;
            out.push(b'\n');
            out
        }
        ReportFormat::Csv => listing.csv().map_err(anyhow::Error::msg)?,
        ReportFormat::Xlsx => listing.xlsx().map_err(anyhow::Error::msg)?,
        ReportFormat::Table => {
            let mut text = format!("{}\n{}\n\n", listing.title, listing.subtitle);
            if listing.rows.is_empty() {
                text.push_str("（本期没有重大事故隐患）\n");
            } else {
                text.push_str(&super::table::render(&listing.header, &listing.rows));
            }
            text.into_bytes()
        }
    };
    args.output.write(&bytes)
}
