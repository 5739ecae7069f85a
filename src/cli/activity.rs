//! `paicha activity add | list`: the log of organisational work behind C1 and the D rows of
//! the monthly table. Entries are never edited: a correction is a new entry (`--corrects`).

use super::TableFormat;
use crate::domain::{Activity, ActivityKind, ActivityLevel};
use crate::storage::Store;
use clap::Subcommand;
use uuid::Uuid;

// Parsed once per run: the size of the `Add` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// 登记一项工作活动（专题学习、督导检查、举报奖励等）
    Add {
        /// 活动类别：town_guidance 帮扶指导重点镇(C1)、group_study 专题学习(D1)、section_study 股室负责人专题研究(D2)、leader_supervision 领导现场督导(D3)、leader_briefing 分管领导到企业宣讲(D4)、report_reward 举报奖励(D5)、media_column 主流媒体专题栏目(D6)、tech_inspectors 配备技术检查员(D7)、assessment_tour 考核巡查督导(D8)；中文名称也可
        #[arg(long, value_name = "类别")]
        kind: String,
        /// 层级：county 县（默认）、town 镇、department 部门（中文也可）
        #[arg(
            long,
            value_name = "层级",
            default_value = "county",
            hide_default_value = true
        )]
        level: String,
        /// 日期，如 2023-09-05、2023.9.5 或 2023年9月5日
        #[arg(long, value_name = "日期")]
        on: String,
        /// 名称或内容摘要
        #[arg(long, value_name = "名称")]
        title: String,
        /// 专项行动小组代码（不写则用本机档案所属小组）
        #[arg(long, value_name = "小组")]
        group: Option<String>,
        /// 金额（举报奖励用），如 0.5、0.5万元 或 5000元
        #[arg(long, value_name = "金额")]
        amount: Option<String>,
        /// 确认金额超过配置上限（rules.toml [money]）无误
        #[arg(long)]
        confirm_large: bool,
        /// 人数（配备技术检查员用）
        #[arg(long, value_name = "人数")]
        count: Option<u32>,
        /// 举报奖励是否为匿名举报查实
        #[arg(long)]
        anonymous: bool,
        /// 备注
        #[arg(
            long,
            value_name = "备注",
            default_value = "",
            hide_default_value = true
        )]
        note: String,
        /// 更正此前登记的某条活动（写其编号）；原记录保留，报表只计更正后的
        #[arg(long, value_name = "编号")]
        corrects: Option<String>,
    },
    /// 列出已登记的工作活动
    List {
        #[command(flatten)]
        format: TableFormat,
    },
}

pub fn run(
    cmd: ActivityCommand,
    store: &mut Store,
    catalog: &crate::templates::Catalog,
) -> anyhow::Result<()> {
    match cmd {
        ActivityCommand::Add {
            kind,
            level,
            on,
            title,
            group,
            amount,
            confirm_large,
            count,
            anonymous,
            note,
            corrects,
        } => {
            let kind = ActivityKind::parse(&kind)?;
            let level = ActivityLevel::parse(&level)?;
            let held_on = super::typed_day(&on, "--on ")?;
            let title = title.trim().to_string();
            let amount_fen = amount
                .as_deref()
                .map(|a| super::typed_amount(a, "--amount", &catalog.rules.money, confirm_large))
                .transpose()?;
            let corrects = corrects
                .as_deref()
                .map(|c| {
                    let id = Uuid::parse_str(c.trim())
                        .map_err(|_| anyhow::anyhow!("“{c}”不是活动编号"))?;
                    store
                        .activities()?
                        .into_iter()
                        .find(|a| a.id() == id)
                        .map(|a| a.id())
                        .ok_or_else(|| anyhow::anyhow!("没有编号为 {id} 的活动"))
                })
                .transpose()?;
            let group_code = match group {
                Some(g) => Some(g.trim().to_string()),
                None => store.profile()?.and_then(|p| p.data.group_code),
            };
            if let Some(code) = &group_code {
                catalog
                    .campaign
                    .find_group(code)
                    .map_err(anyhow::Error::msg)?;
            }
            let activity = Activity {
                kind,
                level,
                group_code,
                held_on,
                title,
                amount_fen,
                count,
                anonymous,
                note,
                corrects,
            };
            activity.check().map_err(|why| {
                anyhow::anyhow!("{why}（命令行用 --amount 写金额、--count 写人数、--level 写层级）")
            })?;
            let record = store.record_activity(activity)?;
            println!(
                "已登记：{} {}（编号 {}）",
                kind.label(),
                held_on,
                record.id()
            );
            Ok(())
        }
        ActivityCommand::List { format } => {
            let list = store.activities()?;
            let corrected: std::collections::HashSet<Uuid> =
                list.iter().filter_map(|a| a.data.corrects).collect();
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|a| {
                    let d = &a.data;
                    vec![
                        d.held_on.to_string(),
                        d.kind.label().to_string(),
                        d.level.label().to_string(),
                        d.group_code.clone().unwrap_or_default(),
                        // Titles are free text: contact details typed in never show.
                        crate::report::hazard_list::mask_personal(&d.title),
                        d.amount_fen
                            .map(|f| crate::report::monthly::Figure::Fen(f).text())
                            .unwrap_or_default(),
                        d.count.map(|c| c.to_string()).unwrap_or_default(),
                        super::table::correction_mark(&corrected, a.id(), d.corrects),
                        a.id().to_string(),
                    ]
                })
                .collect();
            super::table::write_rows(
                format.format,
                &list,
                &[
                    "日期",
                    "类别",
                    "层级",
                    "小组",
                    "名称",
                    "金额(万元)",
                    "人数",
                    "更正",
                    "编号",
                ],
                &rows,
                "尚未登记任何工作活动。用 paicha activity add 登记。",
                Some(format!("共 {} 条", rows.len())),
            )
        }
    }
}
