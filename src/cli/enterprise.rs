//! `paicha enterprise …`: the registry.

use super::Format;
use crate::domain::{Enterprise, Record};
use crate::roster;
use crate::storage::Store;
use crate::templates::sectors::SectorTable;
use anyhow::Context;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum EnterpriseCommand {
    /// 导入企业名册：Excel/WPS 表格（.xlsx/.xls，读第一个工作表）或 CSV（UTF-8 或 GBK）；有任何错误则整份不导入
    Import {
        /// 名册文件（.xlsx、.xls 或 .csv），表头含：企业名称、统一社会信用代码、地址、乡镇、行业、主要负责人、联系电话、风险等级
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 列出已登记的企业
    List {
        /// 输出格式：table 对齐的表格（默认）、csv（UTF-8 带 BOM，Excel/WPS 可直接打开）、json（英文键名）
        #[arg(
            long,
            value_enum,
            default_value = "table",
            value_name = "格式",
            hide_possible_values = true,
            hide_default_value = true
        )]
        format: Format,
    },
}

pub fn run(
    cmd: EnterpriseCommand,
    data_dir: &Path,
    config_dir: Option<&Path>,
) -> anyhow::Result<()> {
    match cmd {
        // The sectors as this county configured them, like the TUI's import.
        EnterpriseCommand::Import { file } => {
            let catalog = super::catalog(config_dir)?;
            import(data_dir, &file, &catalog.sectors)
        }
        EnterpriseCommand::List { format } => list(&super::open(data_dir)?, format),
    }
}

/// Reads and checks the whole file first: a bad roster leaves the data directory untouched
/// (not even created).
fn import(data_dir: &Path, file: &Path, sectors: &SectorTable) -> anyhow::Result<()> {
    let parsed = roster::file::read(file, sectors)?;
    for warning in &parsed.warnings {
        eprintln!("提示：{warning}");
    }
    let total = parsed.enterprises.len();
    let mut store = super::open(data_dir)?;
    let summary = store
        .import_roster(parsed.enterprises, parsed.fields)
        .with_context(|| format!("企业名册 {} 未导入", file.display()))?;
    println!("{}。", roster::file::summary_line(file, total, &summary));
    Ok(())
}

fn list(store: &Store, format: Format) -> anyhow::Result<()> {
    let enterprises = store.enterprises()?;
    let rows: Vec<Vec<String>> = enterprises.iter().map(roster_row).collect();
    super::table::write_rows(
        format,
        &enterprises,
        &roster::COLUMNS,
        &rows,
        "尚未登记企业。用 paicha enterprise import 名册.csv 导入企业名册。",
        Some(format!("共 {} 家企业", enterprises.len())),
    )
}

/// One enterprise as a roster row (the same columns `import` reads).
fn roster_row(rec: &Record<Enterprise>) -> Vec<String> {
    let e = &rec.data;
    vec![
        e.name.clone(),
        e.credit_code.to_string(),
        e.address.clone(),
        e.town.clone(),
        e.sector.clone(),
        e.principal.clone(),
        e.phone.clone(),
        e.risk_level
            .map(|r| r.label().to_string())
            .unwrap_or_default(),
    ]
}
