//! `paicha doc onsite | order | measures | referral | reinspection | supervision`: issue and print
//! enforcement documents as HTML; `paicha doc photos`: the photos added after the on-site
//! record was issued. The first time a document is made it is issued (numbered and dated at
//! the moment given); later runs print the same document again.

use crate::documents::{self, Document, DocumentError, IssueAt};
use crate::domain::{HazardEventKind, MeasureKind, OnsiteMeasures, time};
use crate::storage::Store;
use crate::templates::Catalog;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// 现场检查记录（从已定稿的检查记录出具，出具时间为离开现场的时间）
    Onsite {
        /// 检查记录编号（见 paicha inspection list）
        #[arg(long, value_name = "编号")]
        inspection: String,
        /// 写入的 HTML 文件，用浏览器打开后打印
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 责令限期整改指令书（列出这次检查发现的隐患和不符合项）
    Order {
        /// 检查记录编号
        #[arg(long, value_name = "编号")]
        inspection: String,
        /// 没有各自整改期限的问题的整改期限，格式 2023-09-15（首次出具时需要）
        #[arg(long, value_name = "日期")]
        deadline: Option<String>,
        #[command(flatten)]
        issue: IssueArgs,
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 现场处理措施决定书（重大事故隐患排除前无法保证安全时：撤出人员、暂时停产停业、停止使用设施设备）
    Measures {
        /// 检查记录编号
        #[arg(long, value_name = "编号")]
        inspection: String,
        /// 现场发现的危险情况（事实）
        #[arg(long, value_name = "事实")]
        danger: Option<String>,
        /// 措施（可多次给出）：withdraw 撤出作业人员、suspend 暂时停产停业、stop_use 停止使用相关设施设备
        #[arg(long = "measure", value_name = "措施")]
        measures: Vec<String>,
        /// 措施适用的区域、设施或设备
        #[arg(long, value_name = "范围")]
        scope: Option<String>,
        /// 解除条件（默认：重大事故隐患排除后，经审查同意，方可恢复）
        #[arg(long, value_name = "条件")]
        lifting: Option<String>,
        /// 针对的隐患编号（可多次给出，须为本次检查发现的隐患）
        #[arg(long = "hazard", value_name = "隐患编号")]
        hazards: Vec<String>,
        #[command(flatten)]
        issue: IssueArgs,
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 事故隐患移交书（帮扶村的检查发现移交乡镇人民政府或有关主管部门，同时办理隐患的移交）
    Referral {
        /// 检查记录编号
        #[arg(long, value_name = "编号")]
        inspection: String,
        /// 接收移交的单位，如“XX镇人民政府”（首次出具时需要）
        #[arg(long, value_name = "单位")]
        to: Option<String>,
        #[command(flatten)]
        issue: IssueArgs,
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 整改复查意见书（从复查验收记录出具）
    Reinspection {
        /// 隐患编号：取其最近一次复查验收
        #[arg(long, value_name = "编号", conflicts_with = "event")]
        hazard: Option<String>,
        /// 复查验收事件的编号
        #[arg(long, value_name = "编号")]
        event: Option<String>,
        #[command(flatten)]
        issue: IssueArgs,
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 现场照片补充页（现场检查记录出具后才添加的照片及其他附件；不编号，可随时重印）
    Photos {
        /// 检查记录编号
        #[arg(long, value_name = "编号")]
        inspection: String,
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 重大事故隐患挂牌督办通知书（从挂牌督办记录出具）
    Supervision {
        /// 隐患编号
        #[arg(long, value_name = "编号")]
        hazard: String,
        #[command(flatten)]
        issue: IssueArgs,
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
}

/// When the document is issued, the first time it is made (default: now).
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// 现场出具：出具时间为离开现场的时间（复查、督办文书为该办理记录的时间）
    #[arg(long, conflicts_with = "issued_at")]
    on_site: bool,
    /// 出具时间（北京时间），格式 2023-09-05 16:30；默认为现在
    #[arg(long, value_name = "时间")]
    issued_at: Option<String>,
}

impl IssueArgs {
    fn when(&self) -> anyhow::Result<IssueAt> {
        Ok(match (&self.issued_at, self.on_site) {
            (Some(text), _) => IssueAt::At(time::parse_minute(text).ok_or_else(|| {
                anyhow::anyhow!("--issued-at：“{text}”不是时间，格式如 2023-09-05 16:30")
            })?),
            (None, true) => IssueAt::OnSite,
            (None, false) => IssueAt::Now,
        })
    }
}

pub fn run(cmd: DocCommand, store: &mut Store, catalog: &Catalog) -> anyhow::Result<()> {
    let campaign = &catalog.campaign;
    let (document, out) = match cmd {
        DocCommand::Onsite { inspection, out } => (
            documents::onsite_record(store, campaign, id(&inspection, "检查记录")?),
            out,
        ),
        DocCommand::Order {
            inspection,
            deadline,
            issue,
            out,
        } => {
            let deadline = deadline.as_deref().map(day).transpose()?;
            let inspection = id(&inspection, "检查记录")?;
            (
                documents::rectification_order(
                    store,
                    campaign,
                    inspection,
                    issue.when()?,
                    deadline,
                ),
                out,
            )
        }
        DocCommand::Measures {
            inspection,
            danger,
            measures,
            scope,
            lifting,
            hazards,
            issue,
            out,
        } => {
            let given = danger.is_some() || !measures.is_empty() || scope.is_some();
            let decision = if given {
                Some(OnsiteMeasures {
                    danger: danger.unwrap_or_default(),
                    hazard_ids: hazards
                        .iter()
                        .map(|h| id(h, "隐患"))
                        .collect::<anyhow::Result<_>>()?,
                    measures: measures
                        .iter()
                        .map(|m| {
                            MeasureKind::parse(m).map_err(|e| anyhow::anyhow!("--measure：{e}"))
                        })
                        .collect::<anyhow::Result<_>>()?,
                    scope: scope.unwrap_or_default(),
                    lifting: lifting.unwrap_or_else(|| OnsiteMeasures::LAWFUL_LIFTING.to_string()),
                })
            } else {
                None
            };
            let inspection = id(&inspection, "检查记录")?;
            (
                documents::onsite_measures(
                    store,
                    campaign,
                    inspection,
                    decision.as_ref(),
                    issue.when()?,
                ),
                out,
            )
        }
        DocCommand::Referral {
            inspection,
            to,
            issue,
            out,
        } => {
            let inspection = id(&inspection, "检查记录")?;
            (
                documents::referral(store, campaign, inspection, to.as_deref(), issue.when()?),
                out,
            )
        }
        DocCommand::Reinspection {
            hazard,
            event,
            issue,
            out,
        } => {
            let event = match (hazard, event) {
                (_, Some(e)) => id(&e, "复查验收记录")?,
                (Some(h), None) => last_verification(store, id(&h, "隐患")?)?,
                (None, None) => {
                    anyhow::bail!("请用 --hazard 隐患编号 或 --event 事件编号 指明哪次复查")
                }
            };
            (
                documents::reinspection_opinion(store, campaign, event, issue.when()?),
                out,
            )
        }
        DocCommand::Photos { inspection, out } => {
            let page = documents::photo_supplement(store, campaign, id(&inspection, "检查记录")?)
                .map_err(refused)?;
            super::report::write_file(&out, page.html.as_bytes())?;
            for warning in &page.warnings {
                eprintln!("注意：{warning}");
            }
            println!(
                "已写入 {}（{}，{} 份附件）：用浏览器打开后打印",
                out.display(),
                documents::PHOTO_SUPPLEMENT,
                page.count
            );
            return Ok(());
        }
        DocCommand::Supervision { hazard, issue, out } => (
            documents::supervision_notice(store, campaign, id(&hazard, "隐患")?, issue.when()?),
            out,
        ),
    };
    let document: Document = document.map_err(refused)?;
    super::report::write_file(&out, document.html.as_bytes())?;
    for warning in &document.warnings {
        eprintln!("注意：{warning}");
    }
    println!(
        "已写入 {}（{}，{}，{} 出具）：用浏览器打开后打印",
        out.display(),
        document.kind.title(),
        document.number,
        time::record_minute(document.issued_at)
    );
    Ok(())
}

fn refused(e: DocumentError) -> anyhow::Error {
    match e {
        DocumentError::Refused(why) => anyhow::anyhow!(why),
        DocumentError::Store(e) => anyhow::Error::new(e),
    }
}

fn id(text: &str, what: &str) -> anyhow::Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| anyhow::anyhow!("“{text}”不是{what}编号"))
}

fn day(text: &str) -> anyhow::Result<chrono::NaiveDate> {
    super::typed_day(text, "")
}

/// The hazard's most recent verification (复查验收) event.
fn last_verification(store: &Store, hazard: Uuid) -> anyhow::Result<Uuid> {
    store
        .hazard_events(hazard)?
        .into_iter()
        .rev()
        .find(|e| e.data.kind == HazardEventKind::Verified)
        .map(|e| e.id())
        .ok_or_else(|| anyhow::anyhow!("隐患 {hazard} 还没有复查验收记录"))
}
