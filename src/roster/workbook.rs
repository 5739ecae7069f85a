//! A roster kept as an Excel/WPS workbook (.xlsx, or the older .xls): the first sheet is read
//! with the same column rules as a CSV roster.

use super::{RosterError, Table, TableRow};
use calamine::{Data, Reader};
use std::io::Cursor;

/// Whether the bytes are a workbook rather than text: a ZIP container (.xlsx) or an OLE
/// compound document (.xls, also what WPS writes for its "Excel 97-2003" format).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// The first sheet as a table: its first used row is the header, and each row keeps the
/// number the spreadsheet shows for it.
pub fn first_sheet(bytes: &[u8]) -> Result<Table, RosterError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        RosterError::Workbook(format!(
            "无法读取 Excel/WPS 表格（{e}）。请确认文件未损坏、未加密，或在 Excel/WPS 中另存为 .xlsx 后重新导入"
        ))
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(RosterError::Empty)?;
    let range = book.worksheet_range(&sheet).map_err(|e| unreadable(&e))?;
    let Some((first_row, _)) = range.start() else {
        return Err(RosterError::Empty);
    };
    let mut rows = range.rows().enumerate().map(|(i, cells)| TableRow {
        line: u64::from(first_row) + i as u64 + 1,
        cells: cells.iter().map(cell_text).collect(),
    });
    let Some(mut header) = rows.next() else {
        return Err(RosterError::Empty);
    };
    // The used range is as wide as its widest row: columns with no header are not columns.
    while header.cells.last().is_some_and(|c| c.trim().is_empty()) {
        header.cells.pop();
    }
    Ok(Table {
        sheet: Some(sheet),
        header_line: header.line,
        header: header.cells,
        rows: rows.map(Ok).collect(),
    })
}

/// A cell as the spreadsheet shows it. Whole numbers (a phone number typed as a number) lose
/// the ".0" a float would print.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}
