//! `paicha checklist …`: the checklist templates in force, and checking template files.

use super::Format;
use crate::templates::Catalog;
use crate::templates::checklist::Checklist;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// 列出在用的检查表（内置与配置目录中的）
    List {
        #[command(flatten)]
        out: super::TableFormat,
    },
    /// 查看一个检查表的全部检查项
    Show {
        /// 检查表编号（见 paicha checklist list）
        #[arg(value_name = "编号")]
        id: String,
        /// 输出格式：table 文本（默认）、json
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
    /// 校验检查表等配置文件；有错误时逐条列出“文件:行:列: 说明”
    Validate {
        /// 要校验的 TOML 文件（与内置配置和配置目录一起校验）
        #[arg(value_name = "文件", required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run(cmd: ChecklistCommand, config_dir: Option<&Path>) -> anyhow::Result<()> {
    match cmd {
        ChecklistCommand::List { out } => list(&super::catalog(config_dir)?, out.format),
        ChecklistCommand::Show { id, format } => show(&super::catalog(config_dir)?, &id, format),
        ChecklistCommand::Validate { files } => validate(config_dir, &files),
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    id: &'a str,
    version: u32,
    title: &'a str,
    sectors: &'a [String],
    item_count: usize,
    source: String,
}

fn list(catalog: &Catalog, format: Format) -> anyhow::Result<()> {
    let rows: Vec<Summary> = catalog
        .checklists
        .iter()
        .map(|(c, origin)| Summary {
            id: &c.id,
            version: c.version,
            title: &c.title,
            sectors: &c.sectors,
            item_count: c.item_count(),
            source: origin.describe(),
        })
        .collect();
    let header = ["编号", "版本", "名称", "适用行业", "检查项数", "来源"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.version.to_string(),
                r.title.to_string(),
                sector_names(catalog, r.sectors),
                r.item_count.to_string(),
                r.source.clone(),
            ]
        })
        .collect();
    super::table::write_rows(format, &rows, &header, &cells, "没有在用的检查表", None)
}

fn sector_names(catalog: &Catalog, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| match c.as_str() {
            "*" => "全部".to_string(),
            code => catalog
                .sectors
                .get(code)
                .map_or(code.to_string(), |s| s.name.clone()),
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn show(catalog: &Catalog, id: &str, format: Format) -> anyhow::Result<()> {
    let Some(checklist) = catalog.checklist(id) else {
        let ids: Vec<&str> = catalog
            .checklists
            .iter()
            .map(|(c, _)| c.id.as_str())
            .collect();
        anyhow::bail!("没有编号为“{id}”的检查表，在用的有：{}", ids.join("、"));
    };
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut out, checklist)?;
        writeln!(out)?;
        return Ok(());
    }
    write!(out, "{}", render(catalog, checklist))?;
    Ok(())
}

/// A checklist as readable text: sections, items, guidance and basis.
fn render(catalog: &Catalog, c: &Checklist) -> String {
    let mut s = format!(
        "{}（{} 第 {} 版）\n适用行业：{}\n依据：{}\n",
        c.title,
        c.id,
        c.version,
        sector_names(catalog, &c.sectors),
        c.basis
    );
    if c.effective != Default::default() {
        s.push_str(&format!("适用日期：{}\n", c.effective.describe()));
    }
    for section in &c.sections {
        s.push_str(&format!("\n{}\n", section.title));
        for item in &section.items {
            let major = if item.major_hazard {
                "【重大隐患】"
            } else {
                ""
            };
            s.push_str(&format!("  {} {major}{}\n", item.code, item.question));
            s.push_str(&format!("      检查指引：{}\n", item.guidance));
            s.push_str(&format!("      依据：{}\n", item.basis));
            let mut extra = Vec::new();
            if !item.report_rows.is_empty() {
                extra.push(format!("计入调度表：{}", item.report_rows.join("、")));
            }
            if let Some(kind) = item.evidence {
                extra.push(format!("证据记录：{}", kind.label()));
            }
            if item.effective != Default::default() {
                extra.push(format!("适用日期：{}", item.effective.describe()));
            }
            if !extra.is_empty() {
                s.push_str(&format!("      {}\n", extra.join("；")));
            }
        }
    }
    s
}

fn validate(config_dir: Option<&Path>, files: &[PathBuf]) -> anyhow::Result<()> {
    match Catalog::load(config_dir, files) {
        Ok(catalog) => {
            println!(
                "校验通过：{} 个文件无误（在用检查表 {} 个，题库 {} 个）。",
                files.len(),
                catalog.checklists.len(),
                catalog.exams.len()
            );
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            anyhow::bail!("校验未通过：共 {} 处错误", errors.len())
        }
    }
}
