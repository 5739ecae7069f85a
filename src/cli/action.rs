//! `paicha action list | correct`: enforcement actions (行政处罚、一案双罚、停产整顿…, recorded on
//! an inspection's 执法措施 screen). An action is never edited: a correction is a new record
//! that names the one it corrects (`corrects`); the monthly table and the lists then count the
//! correction, dated as corrected, instead of the original.

use super::TableFormat;
use crate::domain::{EnforcementAction, time};
use crate::storage::Store;
use clap::Subcommand;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// 列出执法措施（含更正记录）
    List {
        #[command(flatten)]
        format: TableFormat,
    },
    /// 更正一条执法措施：另存一条更正记录，原记录保留、不再计入统计
    Correct {
        /// 要更正的执法措施编号（见 paicha action list）
        id: String,
        /// 更正后的决定日期，格式 2023-09-15
        #[arg(long, value_name = "日期")]
        decided_on: Option<String>,
        /// 更正后的文书编号
        #[arg(long, value_name = "文号")]
        document_no: Option<String>,
        /// 更正后的罚款金额，如 0.5、0.5万元 或 5000元
        #[arg(long, value_name = "金额")]
        amount: Option<String>,
        /// 确认金额超过配置上限（rules.toml [money]）无误
        #[arg(long)]
        confirm_large: bool,
        /// 更正后的人数（移送司法机关、追责问责）
        #[arg(long, value_name = "人数")]
        persons: Option<u32>,
        /// 更正的理由（必填，写入更正记录）
        #[arg(long, value_name = "理由")]
        reason: String,
    },
}

pub fn run(
    cmd: ActionCommand,
    store: &mut Store,
    money: &crate::domain::money::MoneyRules,
) -> anyhow::Result<()> {
    match cmd {
        ActionCommand::List { format } => list(store, format),
        ActionCommand::Correct {
            id,
            decided_on,
            document_no,
            amount,
            confirm_large,
            persons,
            reason,
        } => {
            let id = Uuid::parse_str(id.trim())
                .map_err(|_| anyhow::anyhow!("“{id}”不是执法措施编号"))?;
            let all = store.enforcement_actions()?;
            let Some(original) = all.iter().find(|a| a.id() == id) else {
                anyhow::bail!("没有编号为 {id} 的执法措施");
            };
            if let Some(newer) = all.iter().find(|a| a.data.corrects == Some(id)) {
                anyhow::bail!(
                    "这条执法措施已被更正（更正记录 {}）：请更正最新的那条",
                    newer.id()
                );
            }
            if reason.trim().is_empty() {
                anyhow::bail!("请用 --reason 写明更正的理由");
            }
            let mut corrected: EnforcementAction = original.data.clone();
            let mut changed = Vec::new();
            if let Some(text) = decided_on {
                let day = time::parse_day(&text).ok_or_else(|| {
                    anyhow::anyhow!("--decided-on：“{text}”不是日期，格式如 2023-09-15")
                })?;
                if day > time::local(store.now()).date() {
                    anyhow::bail!("--decided-on：决定日期 {day} 晚于今天");
                }
                corrected.decided_on = day;
                changed.push(format!("决定日期 {day}"));
            }
            if let Some(no) = document_no {
                corrected.document_no = no.trim().to_string();
                changed.push(format!("文书编号 {}", corrected.document_no));
            }
            if let Some(text) = amount {
                if corrected.amount_fen.is_none() {
                    anyhow::bail!("{}没有罚款金额，不能更正金额", corrected.kind.label());
                }
                let fen = super::typed_amount(&text, "--amount", money, confirm_large)?;
                corrected.amount_fen = Some(fen);
                changed.push(format!("罚款 {}", crate::domain::money::wan_text(fen)));
            }
            if let Some(n) = persons {
                if corrected.persons.is_none() {
                    anyhow::bail!("{}没有人数，不能更正人数", corrected.kind.label());
                }
                corrected.persons = Some(n);
                changed.push(format!("人数 {n}"));
            }
            if changed.is_empty() {
                anyhow::bail!(
                    "没有要更正的内容：用 --decided-on、--document-no、--amount 或 --persons 给出更正后的值"
                );
            }
            corrected.corrects = Some(id);
            corrected.note = format!("更正：{}（{}）", changed.join("，"), reason.trim());
            let record = store.record_enforcement(corrected)?;
            println!(
                "已更正：{}（更正记录编号 {}；原记录保留，不再计入统计）",
                changed.join("，"),
                record.id()
            );
            Ok(())
        }
    }
}

fn list(store: &Store, format: TableFormat) -> anyhow::Result<()> {
    let list = store.enforcement_actions()?;
    let corrected: std::collections::HashSet<Uuid> =
        list.iter().filter_map(|a| a.data.corrects).collect();
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            let d = &a.data;
            vec![
                d.decided_on.to_string(),
                d.kind.label().to_string(),
                d.document_no.clone(),
                d.amount_fen
                    .map(|f| crate::report::monthly::Figure::Fen(f).text())
                    .unwrap_or_default(),
                d.persons.map(|p| p.to_string()).unwrap_or_default(),
                super::table::correction_mark(&corrected, a.id(), d.corrects),
                a.id().to_string(),
            ]
        })
        .collect();
    super::table::write_rows(
        format.format,
        &list,
        &[
            "决定日期",
            "措施",
            "文书编号",
            "罚款(万元)",
            "人数",
            "更正",
            "编号",
        ],
        &rows,
        "尚未记录执法措施（在逐项检查界面按 f 记录）。",
        Some(format!("共 {} 条", rows.len())),
    )
}
