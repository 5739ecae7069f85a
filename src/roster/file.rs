//! A roster file as the CLI and the TUI both import it: read and checked whole before anything
//! is written, and the outcome told the same way in both.

use super::{Roster, RosterError};
use crate::storage::{RosterSummary, describe_io};
use crate::templates::sectors::SectorTable;
use std::path::Path;

/// Why a file was not imported: a title naming the file, and every problem, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub title: String,
    pub lines: Vec<String>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.title)?;
        for line in &self.lines {
            write!(f, "\n{line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

/// Reads and checks the whole file; nothing is written here.
pub fn read(path: &Path, sectors: &SectorTable) -> Result<Roster, Refusal> {
    let title = format!("企业名册 {} 未导入", path.display());
    let bytes = std::fs::read(path).map_err(|e| Refusal {
        title: title.clone(),
        lines: vec![format!(
            "无法读取文件 {}：{}",
            path.display(),
            describe_io(&e)
        )],
    })?;
    super::parse(&bytes, sectors).map_err(|e| Refusal {
        lines: match e {
            RosterError::Rows(problems) => std::iter::once(format!(
                "企业名册有 {} 处错误，未导入任何企业（改正后重新导入）：",
                problems.len()
            ))
            .chain(problems.iter().map(ToString::to_string))
            .collect(),
            other => vec![other.to_string()],
        },
        title,
    })
}

/// What an import did, in one sentence.
pub fn summary_line(path: &Path, total: usize, summary: &RosterSummary) -> String {
    format!(
        "已导入企业名册 {}：共 {total} 家，新增 {} 家，更新 {} 家，未变 {} 家",
        path.display(),
        summary.added,
        summary.updated,
        summary.unchanged
    )
}
