//! The month's two lists as tables, built once for the CLI (`paicha report hazards |
//! disclosure`) and the TUI (monthly table, `h` and `g`): the same rows, the same title, the
//! same xlsx writer, so the public list on screen is exactly what is published.

use super::hazard_list::{self, Window, Withheld};
use super::listing::Listing;
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;

/// Which of the two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// 每月重大事故隐患清单 (for the office and the bureau).
    Hazards,
    /// 信息公开清单: no personal data, no source.
    Disclosure,
}

impl Which {
    pub fn title(self) -> &'static str {
        match self {
            Which::Hazards => "每月重大事故隐患清单",
            Which::Disclosure => "信息公开清单",
        }
    }

    /// The name a saved file gets by default.
    pub fn file_name(self, window: &Window) -> String {
        let name = match self {
            Which::Hazards => "重大事故隐患清单",
            Which::Disclosure => "重大事故隐患信息公开清单",
        };
        format!("{}{name}.xlsx", window.label())
    }
}

/// A month's list: the table, its entries as JSON, and what the public list left out.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthList {
    pub which: Which,
    pub window: Window,
    pub listing: Listing,
    pub json: serde_json::Value,
    /// Disclosure only: hazards withheld (their description would be blank once cleaned).
    pub withheld: Vec<Withheld>,
}

impl MonthList {
    /// A withheld hazard in a line, for the clerk.
    pub fn withheld_line(w: &Withheld) -> String {
        format!(
            "未公开：第{}项 {} {}：{}",
            w.seq, w.number, w.enterprise, w.reason
        )
    }
}

/// `year`-`month`'s list, for the enterprises in the sectors of `sectors` when given.
pub fn build(
    store: &Store,
    catalog: &Catalog,
    window: Window,
    sectors: Option<&[String]>,
    which: Which,
) -> Result<MonthList, StoreError> {
    let hazards = super::gather::hazard_facts(store)?;
    let lines = hazard_list::monthly(&hazards, &store.enterprise_facts()?, window, sectors);
    from_lines(&catalog.campaign, window, &lines, which)
}

/// The list made of the month's hazards as [`hazard_list::monthly`] selected them.
pub fn from_lines(
    campaign: &crate::templates::campaign::Campaign,
    window: Window,
    lines: &[hazard_list::ListedHazard],
    which: Which,
) -> Result<MonthList, StoreError> {
    let to_json = |v: Result<serde_json::Value, serde_json::Error>| {
        v.map_err(|e| StoreError::Invalid(format!("清单无法生成：{e}")))
    };
    if which == Which::Disclosure {
        let (entries, withheld) = hazard_list::disclosure(lines);
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
        return Ok(MonthList {
            which,
            window,
            listing: Listing {
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
            json: to_json(serde_json::to_value(&entries))?,
            withheld,
        });
    }
    let subtitle = format!(
        "填报单位：{}　统计期间：{} 至 {}　共 {} 项",
        campaign.bureau,
        window.from,
        window.to,
        lines.len()
    );
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
    Ok(MonthList {
        which,
        window,
        listing: Listing {
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
        json: to_json(serde_json::to_value(lines))?,
        withheld: Vec::new(),
    })
}
