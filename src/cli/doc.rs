//! `paicha doc onsite | order | reinspection`: printable enforcement documents as HTML.

use crate::documents::{self, Document, DocumentError};
use crate::domain::HazardEventKind;
use crate::storage::Store;
use crate::templates::Catalog;
use clap::Subcommand;
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// 现场检查记录（从已定稿的检查记录出具）
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
        /// 写入的 HTML 文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
}

pub fn run(cmd: DocCommand, store: &mut Store, catalog: &Catalog) -> anyhow::Result<()> {
    let campaign = &catalog.campaign;
    let (document, out) = match cmd {
        DocCommand::Onsite { inspection, out } => (
            documents::onsite_record(store, campaign, id(&inspection, "检查记录")?),
            out,
        ),
        DocCommand::Order { inspection, out } => (
            documents::rectification_order(store, campaign, id(&inspection, "检查记录")?),
            out,
        ),
        DocCommand::Reinspection { hazard, event, out } => {
            let event = match (hazard, event) {
                (_, Some(e)) => id(&e, "复查验收记录")?,
                (Some(h), None) => last_verification(store, id(&h, "隐患")?)?,
                (None, None) => {
                    anyhow::bail!("请用 --hazard 隐患编号 或 --event 事件编号 指明哪次复查")
                }
            };
            (documents::reinspection_opinion(store, campaign, event), out)
        }
    };
    let document: Document = document.map_err(|e| match e {
        DocumentError::Refused(why) => anyhow::anyhow!(why),
        DocumentError::Store(e) => anyhow::Error::new(e),
    })?;
    super::report::write_file(&out, document.html.as_bytes())?;
    for warning in &document.warnings {
        eprintln!("注意：{warning}");
    }
    println!(
        "已写入 {}（{}，{}）：用浏览器打开后打印",
        out.display(),
        document.kind.title(),
        document.number
    );
    Ok(())
}

fn id(text: &str, what: &str) -> anyhow::Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| anyhow::anyhow!("“{text}”不是{what}编号"))
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
