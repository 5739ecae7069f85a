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
    /// 更正已定稿检查的到达/离开时间（另存为更正记录，原记录不变）
    Correct {
        /// 检查记录编号
        #[arg(value_name = "编号")]
        id: String,
        /// 更正后的到达时间（北京时间），如 "2023-08-15 09:30"
        #[arg(long, value_name = "时间")]
        arrived_at: Option<String>,
        /// 更正后的离开现场时间（北京时间），不能晚于定稿签名
        #[arg(long, value_name = "时间")]
        departed_at: Option<String>,
        /// 更正理由：哪里记错了、以什么为准
        #[arg(long, value_name = "理由")]
        reason: String,
    },
    /// 列出一次检查的证据记录（编号、现行内容、更正经过）
    Evidence {
        /// 检查记录编号
        #[arg(value_name = "编号")]
        id: String,
    },
    /// 更正已定稿检查的一条证据记录（另存为更正记录，原记录不变）
    CorrectEvidence {
        /// 证据记录编号（见 paicha inspection evidence）
        #[arg(value_name = "证据编号")]
        id: String,
        /// 更正的字段：字段=值（字段写键名或名称，可重复；值为空表示清空选填项）
        #[arg(long = "set", value_name = "字段=值")]
        sets: Vec<String>,
        /// 更正理由：哪里记错了、以什么为准
        #[arg(long, value_name = "理由")]
        reason: String,
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
        InspectionCommand::Correct {
            id,
            arrived_at,
            departed_at,
            reason,
        } => super::correction::correct_times(
            store,
            parse_id(&id)?,
            arrived_at.as_deref(),
            departed_at.as_deref(),
            &reason,
        ),
        InspectionCommand::Evidence { id } => {
            super::correction::list_evidence(store, parse_id(&id)?)
        }
        InspectionCommand::CorrectEvidence { id, sets, reason } => {
            let evidence = uuid::Uuid::parse_str(id.trim())
                .with_context(|| format!("“{id}”不是证据记录编号"))?;
            super::correction::correct_evidence(store, evidence, &sets, &reason)
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
    // The signed record as it is; the times in force (corrected or not) beside it.
    let visit = store.visit_times(id)?;
    let doc = json!({
        "visit": {
            "arrived_at": time::record_minute(visit.arrival),
            "departed_at": visit.departure.map(time::record_minute),
            "corrected": visit.corrected,
            "text": visit.text(),
        },
        "inspection": inspection,
        "enterprise": enterprise,
        "answers": store.answers(id)?,
        "hazards": store.hazards_of_inspection(id)?,
        "evidence": store.evidence_for(id)?,
        "exams": store.exams_for(id)?,
        "enforcement_actions": actions,
        "addenda": store.addenda(id)?,
        "time_corrections": store.time_corrections(id)?,
        "evidence_corrections": store.evidence_corrections_for(id)?,
    });
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &doc)?;
    writeln!(out)?;
    Ok(())
}
