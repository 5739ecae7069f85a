//! `paicha report hazards | disclosure`: the monthly major-hazard list and its public version.

use super::report::{Output, ReportFormat};
use crate::storage::Store;
use crate::templates::Catalog;
use clap::Args;

/// Which month's list, in which format.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// 月份，如 2023-09
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// 只列某专项行动小组所属行业领域的企业（小组代码，如 energy）
    #[arg(long, value_name = "小组")]
    pub group: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

/// The month's hazard list, or its public version.
pub fn hazard_list(
    args: &ListArgs,
    store: &Store,
    catalog: &Catalog,
    public: bool,
) -> anyhow::Result<()> {
    use crate::report::hazard_list::Window;
    use crate::report::month_lists::{self, Which};
    args.output.check("清单.xlsx")?;
    let bad = || anyhow::anyhow!(crate::report::monthly::month_error(&args.month));
    let (year, month) = crate::domain::time::parse_month(&args.month).ok_or_else(bad)?;
    let window = Window::month(year, month).ok_or_else(bad)?;
    let campaign = &catalog.campaign;
    let sectors = match &args.group {
        None => None,
        Some(code) => Some(
            campaign
                .find_group(code)
                .map_err(anyhow::Error::msg)?
                .sectors
                .clone(),
        ),
    };
    let which = if public {
        Which::Disclosure
    } else {
        Which::Hazards
    };
    let list = month_lists::build(store, catalog, window, sectors.as_deref(), which)?;
    // Never published blank: the clerk is told which to rewrite (on stderr, so the list
    // itself stays clean for publishing).
    for w in &list.withheld {
        eprintln!("{}", month_lists::MonthList::withheld_line(w));
    }
    let (listing, json) = (list.listing, list.json);
    let bytes = match args.output.format {
        ReportFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&serde_json::json!({
                "title": listing.title,
                "from": window.from,
                "to": window.to,
                "entries": json,
            }))?;
            out.push(b'\n');
            out
        }
        ReportFormat::Csv => listing.csv().map_err(anyhow::Error::msg)?,
        ReportFormat::Xlsx => listing.xlsx().map_err(anyhow::Error::msg)?,
        ReportFormat::Table => {
            let mut text = format!("{}\n{}\n\n", listing.title, listing.subtitle);
            if listing.rows.is_empty() {
                text.push_str("（本期没有重大事故隐患）\n");
            } else {
                text.push_str(&super::table::render(&listing.header, &listing.rows));
            }
            text.into_bytes()
        }
    };
    args.output.write(&bytes)
}
