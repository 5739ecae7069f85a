//! `paicha inspection …`: reading inspections back (the TUI makes them).

use super::Format;
use crate::domain::time;
use crate::storage::Store;
use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum InspectionCommand {
    /// 列出检查记录（草稿与已定稿）
    List {
        #[command(flatten)]
        out: super::TableFormat,
    },
    /// 以 JSON 输出一次检查的全部记录：检查项与回答、隐患、证据记录、逢查必考、执法措施
    Show {
        /// 检查记录编号（见 paicha inspection list）
        #[arg(value_name = "编号")]
        id: String,
    },
    /// 为已定稿的检查添加补充说明（定稿的记录不能修改，只能补充）
    Amend {
        /// 检查记录编号
        #[arg(value_name = "编号")]
        id: String,
        /// 补充说明的内容
        #[arg(long, value_name = "内容")]
        text: String,
    },
}

pub fn run(cmd: InspectionCommand, store: &mut Store) -> anyhow::Result<()> {
    match cmd {
        InspectionCommand::List { out } => list(store, out.format),
        InspectionCommand::Show { id } => show(store, &id),
        InspectionCommand::Amend { id, text } => {
            let added = store.add_addendum(parse_id(&id)?, &text)?;
            println!("已添加补充说明（{}）", added.id());
            Ok(())
        }
    }
}

fn parse_id(id: &str) -> anyhow::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim()).with_context(|| format!("“{id}”不是检查记录编号"))
}

fn list(store: &Store, format: Format) -> anyhow::Result<()> {
    let rows = store.inspection_summaries(None)?;
    let json: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "enterprise_name": r.enterprise_name, "arrival_at": r.arrival_at,
                "status": r.status.code(), "answered": r.answered, "items": r.items,
            })
        })
        .collect();
    let header = ["编号", "企业", "到达时间", "状态", "已答"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.enterprise_name.clone(),
                time::local(r.arrival_at)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                r.status.label().to_string(),
                format!("{}/{}", r.answered, r.items),
            ]
        })
        .collect();
    super::table::write_rows(
        format,
        &json,
        &header,
        &cells,
        "还没有检查记录。运行 paicha 打开界面开始检查。",
        None,
    )
}

fn show(store: &Store, id: &str) -> anyhow::Result<()> {
    let id = parse_id(id)?;
    let inspection = store.inspection(id)?;
    let enterprise = store.enterprise(inspection.data.enterprise_id)?;
    let actions: Vec<_> = store
        .enforcement_actions()?
        .into_iter()
        .filter(|a| a.data.inspection_id == Some(id))
        .collect();
    let doc = json!({
        "inspection": inspection,
        "enterprise": enterprise,
        "answers": store.answers(id)?,
        "hazards": store.hazards_of_inspection(id)?,
        "evidence": store.evidence_for(id)?,
        "exams": store.exams_for(id)?,
        "enforcement_actions": actions,
        "addenda": store.addenda(id)?,
    });
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &doc)?;
    writeln!(out)?;
    Ok(())
}
