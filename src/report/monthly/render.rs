//! The table as rows of text (for the terminal table and CSV) and the explanation of a row.

use super::{Row, SECTIONS, Table};

/// Column heads of the flat form: one line per figure.
pub const HEADER: [&str; 5] = ["栏目", "代码", "项目", "分项", "数值"];

/// The section a row code belongs to.
pub fn section_of(code: &str) -> &'static str {
    SECTIONS
        .iter()
        .find(|(letter, _)| code.starts_with(*letter))
        .map_or("", |(_, name)| name)
}

/// One line per figure: section, code, the form's wording, split, figure.
pub fn lines(table: &Table) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for row in &table.rows {
        for cell in &row.cells {
            out.push(vec![
                section_of(row.code).to_string(),
                row.code.to_string(),
                row.label.to_string(),
                cell.split.to_string(),
                cell.figure.text(),
            ]);
        }
    }
    out
}

/// The heading: title, who files it, scope and cut-off.
pub fn heading(table: &Table) -> String {
    format!(
        "{}\n{}\n时间：截至 {}（自 {} 起累计）\n",
        table.title,
        filer_line(table),
        table.period.to.format("%Y年%-m月%-d日"),
        table.period.from.format("%Y年%-m月%-d日"),
    )
}

/// Who files the table, as the form's line reads: a group's name fills the blank before
/// “专项行动小组” (so it is not said twice); the bureau files as itself.
pub fn filer_line(table: &Table) -> String {
    if table.unit.ends_with("小组") {
        format!("{}（{}）", table.unit, table.scope)
    } else {
        format!("填报单位：{}（{}）", table.unit, table.scope)
    }
}

/// A row's figures in one line, as the form shows them ("县 2  镇 1  部门 0").
pub fn figures(row: &Row) -> String {
    row.cells
        .iter()
        .map(|c| {
            if c.split.is_empty() {
                c.figure.text()
            } else {
                format!("{} {}", c.split, c.figure.text())
            }
        })
        .collect::<Vec<_>>()
        .join("  ")
}

/// What `paicha report explain` prints: the row, then every counted record under its figure.
pub fn explain(table: &Table, row: &Row) -> String {
    let mut out = format!(
        "{} {}：{}\n范围：{}（{}），{} 至 {}\n",
        row.code,
        row.label,
        figures(row),
        table.unit,
        table.scope,
        table.period.from,
        table.period.to
    );
    for cell in &row.cells {
        let head = if cell.split.is_empty() {
            "计入的记录".to_string()
        } else {
            format!("{}（{}）", cell.split, cell.figure.text())
        };
        out.push_str(&format!("\n{head}：{} 条\n", cell.records.len()));
        if cell.records.is_empty() {
            out.push_str("  （无）\n");
        }
        for r in &cell.records {
            out.push_str(&format!("  {}  {}  {}\n", r.day, r.what, r.id));
        }
    }
    out
}
