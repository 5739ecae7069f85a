//! `paicha ledger …`: the hazard ledger, one hazard a row, and the monthly numbering.

use super::Format;
use crate::domain::lifecycle::Stage;
use crate::domain::{HazardGrade, HazardSource, time};
use crate::storage::{HazardSummary, Store};
use crate::templates::Catalog;
use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};
use serde_json::json;
use std::collections::HashMap;

#[derive(Debug, Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    command: Option<LedgerCommand>,
    /// 状态：登记、已移交、整改中、待验收、已验收、已销号
    #[arg(long, value_name = "状态")]
    status: Option<String>,
    /// 等级：重大、一般
    #[arg(long, value_name = "等级")]
    grade: Option<String>,
    /// 来源：企业自查、执法检查、群众举报、上级交办
    #[arg(long, value_name = "来源")]
    source: Option<String>,
    /// 只列逾期的
    #[arg(long)]
    overdue: bool,
    /// 只列挂牌督办的
    #[arg(long)]
    listed: bool,
    /// 以哪一天计算逾期和剩余天数（默认今天）
    #[arg(long, value_name = "日期")]
    date: Option<String>,
    #[command(flatten)]
    out: super::TableFormat,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// 以 JSON 输出一个隐患及其全部办理记录
    Show {
        #[arg(value_name = "隐患")]
        hazard: String,
    },
    /// 为某月发现的重大事故隐患逐项编号（已编号的不变，编号不重复使用）
    Number {
        /// 月份，如 2023-08
        #[arg(long, value_name = "年-月")]
        month: String,
    },
    /// 每周四反馈：交办隐患的整改治理情况（可直接粘贴进正式文件的文字）
    Weekly {
        /// 截止日期（默认今天），通常是星期四
        #[arg(long, value_name = "日期")]
        date: Option<String>,
    },
    /// 下一步“四不两直”检查的对象：按逾期重大隐患、近期隐患、高危行业、距上次检查天数等打分，逐项说明理由
    Targets {
        #[arg(long, value_name = "日期")]
        date: Option<String>,
        /// 最多列出多少家
        #[arg(
            long,
            default_value = "20",
            hide_default_value = true,
            value_name = "数量"
        )]
        limit: usize,
        #[command(flatten)]
        out: super::TableFormat,
    },
    /// 专项行动规则提示：不予处罚、一案双罚、提请关闭的候选
    Warnings {
        #[arg(long, value_name = "日期")]
        date: Option<String>,
    },
}

pub fn run(args: LedgerArgs, store: &mut Store, catalog: &Catalog) -> anyhow::Result<()> {
    match args.command {
        Some(LedgerCommand::Show { hazard }) => show(store, &hazard),
        Some(LedgerCommand::Number { month }) => number(store, catalog, &month),
        Some(LedgerCommand::Weekly { date }) => {
            let day = today(store, date.as_deref())?;
            print!("{}", crate::report::weekly::report(&facts(store)?, day));
            Ok(())
        }
        Some(LedgerCommand::Targets { date, limit, out }) => {
            targets(store, catalog, date.as_deref(), limit, out.format)
        }
        Some(LedgerCommand::Warnings { date }) => {
            let day = today(store, date.as_deref())?;
            let found = crate::report::warnings::warnings(
                &facts(store)?,
                &store.enforcement_actions()?,
                day,
            );
            print!("{}", crate::report::gather::warnings_text(&found));
            Ok(())
        }
        None => list(store, &args),
    }
}

fn today(store: &Store, date: Option<&str>) -> anyhow::Result<NaiveDate> {
    match date {
        Some(d) => super::typed_day(d, "--date "),
        None => Ok(time::local(store.now()).date()),
    }
}

fn list(store: &Store, a: &LedgerArgs) -> anyhow::Result<()> {
    let today = today(store, a.date.as_deref())?;
    let stage = a
        .status
        .as_deref()
        .map(Stage::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let grade = a.grade.as_deref().map(HazardGrade::parse).transpose()?;
    let source = a.source.as_deref().map(HazardSource::parse).transpose()?;
    let names: HashMap<_, _> = store
        .enterprises()?
        .into_iter()
        .map(|e| (e.id(), e.data.name))
        .collect();
    let rows: Vec<HazardSummary> = store
        .hazard_summaries()?
        .into_iter()
        .filter(|s| {
            stage.is_none_or(|x| s.stage == x)
                && grade.is_none_or(|g| s.grade == g)
                && source.is_none_or(|x| s.source == x)
                && (!a.overdue || s.overdue(today))
                && (!a.listed || s.listed())
        })
        .collect();
    let json: Vec<_> = rows
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "number": s.number, "enterprise_id": s.enterprise_id,
                "enterprise_name": names.get(&s.enterprise_id), "grade": s.grade.code(),
                "source": s.source.code(), "stage": s.stage, "deadline": s.deadline,
                "days_left": s.days_left(today), "overdue": s.overdue(today),
                "tracking_person": s.tracking_person, "description": s.description,
                "found_at": s.found_at,
            })
        })
        .collect();
    let header = [
        "编号",
        "企业",
        "等级",
        "来源",
        "状态",
        "整改时限",
        "剩余天数",
        "挂牌督办",
        "描述",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            vec![
                s.number.clone().unwrap_or_else(|| "（未编号）".to_string()),
                names.get(&s.enterprise_id).cloned().unwrap_or_default(),
                s.grade.label().to_string(),
                s.source.label().to_string(),
                if s.overdue(today) {
                    format!("{}·逾期", s.stage.label())
                } else {
                    s.stage.label().to_string()
                },
                s.deadline.map(|d| d.to_string()).unwrap_or_default(),
                s.days_left(today)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                s.tracking_person.clone().unwrap_or_default(),
                s.description.clone(),
            ]
        })
        .collect();
    super::table::write_rows(
        a.out.format,
        &json,
        &header,
        &cells,
        "没有符合条件的隐患",
        Some(format!("共 {} 个隐患", rows.len())),
    )
}

fn facts(store: &Store) -> anyhow::Result<Vec<crate::report::HazardFacts>> {
    Ok(crate::report::gather::hazard_facts(store)?)
}

fn targets(
    store: &Store,
    catalog: &Catalog,
    date: Option<&str>,
    limit: usize,
    format: Format,
) -> anyhow::Result<()> {
    use crate::report::targeting::rank;
    let day = today(store, date)?;
    let hazards = facts(store)?;
    let enterprises = crate::report::gather::enterprise_facts(store, catalog, &hazards, day)?;
    let mut ranked = rank(&enterprises, &catalog.rules.targeting, day);
    ranked.truncate(limit);
    let header = ["名次", "企业", "得分", "理由"];
    let cells: Vec<Vec<String>> = ranked
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                t.name.clone(),
                t.score.to_string(),
                t.reasons.join("；"),
            ]
        })
        .collect();
    super::table::write_rows(
        format,
        &ranked,
        &header,
        &cells,
        "没有需要优先检查的企业",
        None,
    )
}

fn show(store: &Store, key: &str) -> anyhow::Result<()> {
    let id = super::hazard::resolve(store, key)?;
    let (hazard, events, status) = store.hazard_status(id)?;
    let doc = json!({
        "hazard": hazard,
        "stage": status.stage,
        "number": status.number,
        "deadline": status.deadline,
        "tracking_person": status.tracking_person,
        "events": events,
    });
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(())
}

/// Numbers the month's unnumbered major hazards in the order they were found, after the highest
/// number already given that month (numbers are never reused).
fn number(store: &mut Store, catalog: &Catalog, month: &str) -> anyhow::Result<()> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
        .with_context(|| format!("月份应为 2023-09 的格式，不是“{month}”"))?;
    let prefix = format!(
        "{}-{}-{:02}-",
        catalog.campaign.ledger_prefix(),
        first.year(),
        first.month()
    );
    store.set_permissions(catalog.rules.permissions.clone());
    let given = store.number_hazards(&prefix, |ledger| {
        let mut todo: Vec<&HazardSummary> = ledger
            .iter()
            .filter(|s| {
                let found = time::local(s.found_at).date();
                s.grade == HazardGrade::Major
                    && s.number.is_none()
                    && found.year() == first.year()
                    && found.month() == first.month()
            })
            .collect();
        todo.sort_by_key(|s| (s.found_at, s.id));
        todo.into_iter().map(|s| s.id).collect()
    })?;
    if given.is_empty() {
        println!("{month} 没有需要编号的重大事故隐患");
    } else {
        println!("已编号 {} 个：{}", given.len(), given.join("、"));
    }
    Ok(())
}
