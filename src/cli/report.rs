//! `paicha report monthly | explain`: the monthly progress table (调度表) and the records
//! behind any of its rows.

use super::report_lists as lists;
use crate::report::monthly::MonthlyData;
use crate::report::monthly::{self, Period, Scope, Table, render};
use crate::storage::Store;
use crate::templates::Catalog;
use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// 月度进展情况调度表（截至当月28日累计）
    Monthly {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        output: Output,
    },
    /// 每月重大事故隐患清单（上月26日至本月25日发现的重大事故隐患，按编号）
    Hazards {
        #[command(flatten)]
        list: lists::ListArgs,
    },
    /// 信息公开清单：本月重大事故隐患及其整改进展和结果（已去除个人信息，可直接公开）
    Disclosure {
        #[command(flatten)]
        list: lists::ListArgs,
    },
    /// 列出调度表某一行计入的全部记录，便于核对
    Explain {
        /// 行代码，如 A1、B6、C3、D1
        #[arg(value_name = "代码")]
        code: String,
        #[command(flatten)]
        which: Which,
    },
}

/// Output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// 对齐的表格（终端查看）
    Table,
    /// CSV（UTF-8 带 BOM，Excel/WPS 可直接打开）
    Csv,
    /// Excel 工作簿，按纸质表样式排版（A4 横向）
    Xlsx,
    /// JSON（英文键名，供其他程序使用）
    Json,
}

/// Where and how a report is written.
#[derive(Debug, Args)]
pub struct Output {
    /// 输出格式：table 对齐的表格（默认）、csv、xlsx（按纸质表样式，需 --out）、json
    #[arg(
        long,
        value_enum,
        default_value = "table",
        value_name = "格式",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: ReportFormat,
    /// 写入文件（不写则输出到屏幕）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
}

impl Output {
    /// An xlsx goes to a file only (a terminal cannot show it).
    pub fn check(&self, example: &str) -> anyhow::Result<()> {
        if self.format == ReportFormat::Xlsx && self.out.is_none() {
            anyhow::bail!("xlsx 格式需要用 --out 指定要写入的文件，例如 --out {example}");
        }
        Ok(())
    }

    pub fn write(&self, bytes: &[u8]) -> anyhow::Result<()> {
        match &self.out {
            Some(path) => {
                write_file(path, bytes)?;
                eprintln!("已写入 {}", path.display());
            }
            None => std::io::stdout().lock().write_all(bytes)?,
        }
        Ok(())
    }
}

/// Which table: month, group and scope.
#[derive(Debug, Args)]
pub struct Which {
    /// 月份，如 2023-09（统计自专项行动开始至该月28日）
    #[arg(long, value_name = "YYYY-MM")]
    month: String,
    /// 专项行动小组代码（如 energy、grain；不写则用本机档案所属小组）
    #[arg(long, value_name = "小组")]
    group: Option<String>,
    /// 统计范围：own 本股室、sector 所属行业领域、all 全局（给了小组时默认 own，否则 all）
    #[arg(long, value_name = "范围")]
    scope: Option<String>,
}

pub fn run(cmd: ReportCommand, store: &Store, catalog: &Catalog) -> anyhow::Result<()> {
    match cmd {
        ReportCommand::Monthly { which, output } => {
            output.check("调度表.xlsx")?;
            let table = compute(&which, store, catalog)?;
            output.write(&rendered(&table, output.format)?)
        }
        ReportCommand::Hazards { list } => lists::hazard_list(&list, store, catalog, false),
        ReportCommand::Disclosure { list } => lists::hazard_list(&list, store, catalog, true),
        ReportCommand::Explain { code, which } => {
            let table = compute(&which, store, catalog)?;
            let code = code.trim().to_uppercase();
            let Some(row) = table.row(&code) else {
                anyhow::bail!(
                    "没有代码为“{code}”的行；调度表的行代码为 {}",
                    crate::domain::report_codes::ALL.join("、")
                );
            };
            print!("{}", render::explain(&table, row));
            Ok(())
        }
    }
}

/// The table the options ask for.
fn compute(which: &Which, store: &Store, catalog: &Catalog) -> anyhow::Result<Table> {
    let campaign = &catalog.campaign;
    let period = Period::campaign_month(campaign.start, campaign.end, &which.month)
        .map_err(anyhow::Error::msg)?;
    let group_code = match &which.group {
        Some(g) => Some(g.trim().to_string()),
        None => store.profile()?.and_then(|p| p.data.group_code),
    };
    let scope_word = which
        .scope
        .as_deref()
        .map(str::trim)
        .unwrap_or(match group_code {
            Some(_) => "own",
            None => "all",
        });
    let group = |code: &Option<String>| -> anyhow::Result<&crate::templates::campaign::Group> {
        let code = code.as_deref().ok_or_else(|| {
            anyhow::anyhow!(
                "请用 --group 指定专项行动小组（可选：{}），或在本机档案中设置所属小组",
                campaign.group_codes().join("、")
            )
        })?;
        campaign.find_group(code).map_err(anyhow::Error::msg)
    };
    let (scope, unit) = match scope_word {
        "all" | "全局" => (Scope::All, campaign.bureau.clone()),
        "own" | "本股室" => {
            let g = group(&group_code)?;
            (
                Scope::Own {
                    group: g.code.clone(),
                },
                g.name.clone(),
            )
        }
        "sector" | "所属行业领域" => {
            let g = group(&group_code)?;
            (
                Scope::Sector {
                    group: g.code.clone(),
                    sectors: g.sectors.clone(),
                },
                g.name.clone(),
            )
        }
        other => anyhow::bail!(
            "统计范围“{other}”无效，可选：own（本股室）、sector（所属行业领域）、all（全局）"
        ),
    };
    let data = MonthlyData::load(store, catalog)?;
    let title = monthly::form_title(&campaign.name);
    Ok(monthly::table(&data.input(), &scope, period, &title, &unit))
}

/// The table in `format`, as bytes.
fn rendered(table: &Table, format: ReportFormat) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ReportFormat::Xlsx => {
            out = crate::report::monthly::xlsx::workbook(table).map_err(anyhow::Error::msg)?;
        }
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, table)?;
            out.push(b'\n');
        }
        ReportFormat::Csv => {
            out.extend_from_slice(b"\xEF\xBB\xBF");
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "标题",
                &table.title,
                &format!("{}（{}）", table.unit, table.scope),
                &format!("截至 {}", table.period.to),
                "",
            ])?;
            w.write_record(render::HEADER)?;
            for line in render::lines(table) {
                w.write_record(&line)?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            out.extend_from_slice(render::heading(table).as_bytes());
            out.push(b'\n');
            let rows: Vec<Vec<String>> = table
                .rows
                .iter()
                .map(|r| {
                    vec![
                        render::section_of(r.code).to_string(),
                        r.code.to_string(),
                        r.label.to_string(),
                        render::figures(r),
                    ]
                })
                .collect();
            let text = super::table::render(&["栏目", "代码", "项目", "数值"], &rows);
            out.extend_from_slice(text.as_bytes());
        }
    }
    Ok(out)
}

/// Writes `bytes` to `path` through a temporary file and a rename: never a half file.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{} 不是文件名", path.display()))?;
    let temp = dir.join(format!(".{}.part", name.to_string_lossy()));
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        anyhow::bail!("无法写入 {}：{e}", path.display());
    }
    Ok(())
}
