//! The enterprise roster an office keeps in Excel/WPS: the workbook itself (.xlsx/.xls, first
//! sheet) or a CSV saved from it, in UTF-8 or in the GBK that Chinese Excel writes by default.
//!
//! Parsing is all-or-nothing: either every row is valid and the whole roster comes back, or
//! every problem comes back, each naming its line as the spreadsheet numbers it (and, for a
//! workbook, its sheet).

mod decode;
pub mod file;
mod workbook;

use crate::domain::enterprise::validate_phone;
use crate::domain::{CreditCode, Enterprise, RiskLevel, RosterFields};
use crate::templates::sectors::SectorTable;
use std::collections::HashMap;
use std::fmt;

pub use decode::decode_text;
pub use workbook::is_workbook;

/// The roster columns, as the office names them.
pub const COL_NAME: &str = "企业名称";
pub const COL_CODE: &str = "统一社会信用代码";
pub const COL_ADDRESS: &str = "地址";
pub const COL_TOWN: &str = "乡镇";
pub const COL_SECTOR: &str = "行业";
pub const COL_PRINCIPAL: &str = "主要负责人";
pub const COL_PHONE: &str = "联系电话";
pub const COL_RISK: &str = "风险等级";

/// Column order used when paicha writes a roster.
pub const COLUMNS: [&str; 8] = [
    COL_NAME,
    COL_CODE,
    COL_ADDRESS,
    COL_TOWN,
    COL_SECTOR,
    COL_PRINCIPAL,
    COL_PHONE,
    COL_RISK,
];
const REQUIRED: [&str; 2] = [COL_NAME, COL_CODE];

/// A problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The workbook sheet the row is on; `None` for a CSV file.
    pub sheet: Option<String>,
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(sheet) = &self.sheet {
            write!(f, "工作表“{sheet}”")?;
        }
        write!(f, "第{}行: {}", self.line, self.message)
    }
}

/// Why a roster was refused. Nothing is imported in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterError {
    /// The bytes are neither UTF-8 nor GBK text, nor a workbook.
    Encoding(String),
    /// A workbook (.xlsx/.xls) that cannot be read.
    Workbook(String),
    Empty,
    MissingColumns(Vec<String>),
    Rows(Vec<RowProblem>),
}

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterError::Encoding(msg) | RosterError::Workbook(msg) => f.write_str(msg),
            RosterError::Empty => f.write_str("文件是空的，没有表头也没有企业"),
            RosterError::MissingColumns(cols) => write!(
                f,
                "表头缺少必需的列：{}。第一行应为列名，例如：{}",
                cols.join("、"),
                COLUMNS.join(",")
            ),
            RosterError::Rows(problems) => {
                write!(f, "企业名册有 {} 处错误，未导入任何企业：", problems.len())?;
                for p in problems {
                    write!(f, "\n{p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for RosterError {}

/// A valid roster, with notes that do not block the import.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    pub enterprises: Vec<Enterprise>,
    /// The optional columns the file has; the others keep stored values on re-import.
    pub fields: RosterFields,
    pub warnings: Vec<RowProblem>,
}

/// Rows read from a file before their values are checked: the header, then each row with the
/// line the spreadsheet shows for it (or why it could not be read).
pub(crate) struct Table {
    pub sheet: Option<String>,
    pub header_line: u64,
    pub header: Vec<String>,
    pub rows: Vec<Result<TableRow, RowProblem>>,
}

pub(crate) struct TableRow {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Parses a roster file's bytes: a workbook (.xlsx/.xls, recognised by its content, not its
/// name) or CSV text in UTF-8 or GBK.
pub fn parse(bytes: &[u8], sectors: &SectorTable) -> Result<Roster, RosterError> {
    let table = if workbook::is_workbook(bytes) {
        workbook::first_sheet(bytes)?
    } else {
        let text = decode_text(bytes).map_err(RosterError::Encoding)?;
        csv_table(&text)?
    };
    check_table(table, sectors)
}

/// The CSV text as a table, each record numbered by the line it starts on.
fn csv_table(text: &str) -> Result<Table, RosterError> {
    if text.trim().is_empty() {
        return Err(RosterError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(RosterError::Rows(vec![csv_problem(text, &e, 1)])),
        None => return Err(RosterError::Empty),
    };
    let rows = records
        .enumerate()
        .map(|(index, record)| {
            let fallback_line = index as u64 + 2;
            let record = record.map_err(|e| csv_problem(text, &e, fallback_line))?;
            let line = record
                .position()
                .map(|p| record_line(text, p.byte() as usize))
                .unwrap_or(fallback_line);
            Ok(TableRow {
                line,
                cells: record.iter().map(str::to_string).collect(),
            })
        })
        .collect();
    Ok(Table {
        sheet: None,
        header_line: 1,
        header: header.iter().map(str::to_string).collect(),
        rows,
    })
}

/// Applies the column rules to a table read from either kind of file.
fn check_table(table: Table, sectors: &SectorTable) -> Result<Roster, RosterError> {
    let Table {
        sheet,
        header_line,
        header,
        rows,
    } = table;
    let problem = |line: u64, message: String| RowProblem {
        sheet: sheet.clone(),
        line,
        message,
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (clean_cell(name), i))
        .collect();
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|c| !columns.contains_key(**c))
        .map(|c| c.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(RosterError::MissingColumns(missing));
    }

    let has = |col: &str| columns.contains_key(col);
    let fields = RosterFields {
        address: has(COL_ADDRESS),
        town: has(COL_TOWN),
        sector: has(COL_SECTOR),
        principal: has(COL_PRINCIPAL),
        phone: has(COL_PHONE),
        risk_level: has(COL_RISK),
    };
    let mut warnings = Vec::new();
    let mut unused: Vec<String> = header
        .iter()
        .map(|h| clean_cell(h))
        .filter(|h| !h.is_empty() && !COLUMNS.contains(&h.as_str()))
        .collect();
    unused.dedup();
    if !unused.is_empty() {
        warnings.push(problem(
            header_line,
            format!(
                "以下列不是名册列，已忽略：{}（名册列为：{}）",
                unused.join("、"),
                COLUMNS.join("、")
            ),
        ));
    }
    let absent: Vec<&str> = COLUMNS.iter().copied().filter(|c| !has(c)).collect();
    if !absent.is_empty() {
        warnings.push(problem(
            header_line,
            format!(
                "没有以下列，已登记企业的这些信息保持不变：{}",
                absent.join("、")
            ),
        ));
    }
    let mut enterprises = Vec::new();
    let mut problems = Vec::new();
    let mut seen_codes: HashMap<String, u64> = HashMap::new();
    for row in rows {
        let TableRow { line, cells } = match row {
            Ok(r) => r,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if cells.iter().all(|cell| clean_cell(cell).is_empty()) {
            continue; // blank spreadsheet rows
        }
        if cells.len() > header.len() {
            let extra = cells
                .iter()
                .skip(header.len())
                .any(|c| !clean_cell(c).is_empty());
            if extra {
                let message = if sheet.is_some() {
                    format!(
                        "第 {} 列起有内容，但表头只有 {} 列；请给这些列加上列名或删去",
                        header.len() + 1,
                        header.len()
                    )
                } else {
                    format!(
                        "有 {} 列，比表头多（表头 {} 列）；可能是某个单元格里有未加引号的逗号",
                        cells.len(),
                        header.len()
                    )
                };
                problems.push(problem(line, message));
                continue;
            }
        }
        let cell = |col: &str| -> String {
            columns
                .get(col)
                .and_then(|&i| cells.get(i))
                .map(|c| clean_cell(c))
                .unwrap_or_default()
        };
        match parse_row(&cell, sectors) {
            Ok((enterprise, warning)) => {
                let code = enterprise.credit_code.as_str().to_string();
                if let Some(first) = seen_codes.get(&code) {
                    problems.push(problem(
                        line,
                        format!("统一社会信用代码 {code} 与第{first}行重复"),
                    ));
                    continue;
                }
                seen_codes.insert(code, line);
                if let Some(message) = warning {
                    warnings.push(problem(line, message));
                }
                enterprises.push(enterprise);
            }
            Err(reasons) => problems.push(problem(line, reasons.join("；"))),
        }
    }
    if !problems.is_empty() {
        return Err(RosterError::Rows(problems));
    }
    Ok(Roster {
        enterprises,
        fields,
        warnings,
    })
}

/// Validates one row; returns the enterprise and an optional non-blocking note, or every
/// reason the row is invalid.
fn parse_row(
    cell: &dyn Fn(&str) -> String,
    sectors: &SectorTable,
) -> Result<(Enterprise, Option<String>), Vec<String>> {
    let mut reasons = Vec::new();
    let name = cell(COL_NAME);
    if name.is_empty() {
        reasons.push("企业名称为空".to_string());
    }
    let code = CreditCode::parse(&cell(COL_CODE)).map_err(|e| reasons.push(e.to_string()));
    let risk_text = cell(COL_RISK);
    let risk = if risk_text.is_empty() {
        Ok(None)
    } else {
        RiskLevel::parse_loose(&risk_text)
            .map(Some)
            .map_err(|e| reasons.push(e.to_string()))
    };
    let phone = cell(COL_PHONE);
    if let Err(e) = validate_phone(&phone) {
        reasons.push(e);
    }
    let sector = cell(COL_SECTOR);
    let sector_code = sectors.classify(&sector).map(|s| s.code.clone());
    let (Ok(credit_code), Ok(risk_level), true) = (code, risk, reasons.is_empty()) else {
        return Err(reasons);
    };
    let warning = (sector_code.is_none() && !sector.is_empty())
        .then(|| format!("行业“{sector}”不属于专项行动的行业领域，已按原文登记，未归入任何领域"));
    Ok((
        Enterprise {
            name,
            credit_code,
            address: cell(COL_ADDRESS),
            town: cell(COL_TOWN),
            sector,
            sector_code,
            risk_level,
            principal: cell(COL_PRINCIPAL),
            phone,
        },
        warning,
    ))
}

/// The spreadsheet line a record starts on. The reader reports the offset where it began
/// reading, which is before any blank lines it skipped.
fn record_line(text: &str, offset: usize) -> u64 {
    let skipped = text.as_bytes()[offset.min(text.len())..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .count();
    crate::templates::error::line_of(text, offset + skipped) as u64
}

/// Trims ASCII and full-width spaces that spreadsheets leave around values.
fn clean_cell(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}')
        .to_string()
}

fn csv_problem(text: &str, e: &csv::Error, fallback_line: u64) -> RowProblem {
    let line = e
        .position()
        .map(|p| crate::templates::error::line_of(text, p.byte() as usize) as u64)
        .unwrap_or(fallback_line);
    RowProblem {
        sheet: None,
        line,
        message: format!("无法按 CSV 读取：{e}"),
    }
}

#[cfg(test)]
mod tests;
