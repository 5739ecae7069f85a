//! The table as an .xlsx laid out like the paper form (the campaign document's attachment):
//! title, group and date line, the four sections down the left in merged cells, two items per
//! line (序号, 项目, 数值), thin borders, 宋体, A4 landscape fitted to one page. A second sheet
//! holds one line per figure with numbers as numbers, for other programs.

use super::{Cell, Figure, Row, SECTIONS, Table, render};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// The CJK font of the printed form.
const FONT: &str = "宋体";

/// The workbook's bytes.
pub fn workbook(table: &Table) -> Result<Vec<u8>, String> {
    build(table).map_err(|e| format!("无法生成 Excel 文件：{e}"))
}

fn build(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    form(book.add_worksheet().set_name("调度表")?, table)?;
    data(book.add_worksheet().set_name("数据")?, table)?;
    book.save_to_buffer()
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11)
}

fn form(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let title = base()
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center);
    let plain = base();
    let boxed = base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let centred = boxed.clone().set_align(FormatAlign::Center);
    let section = centred.clone().set_bold();

    for (col, width) in [
        (0, 14.0),
        (1, 5.0),
        (2, 40.0),
        (3, 16.0),
        (4, 5.0),
        (5, 40.0),
        (6, 16.0),
    ] {
        sheet.set_column_width(col, width)?;
    }
    sheet.merge_range(0, 0, 0, 6, &table.title, &title)?;
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(1, 0, 1, 3, &render::filer_line(table), &plain)?;
    sheet.merge_range(
        1,
        4,
        1,
        6,
        &format!("时间：{}", table.period.to.format("%Y年%-m月%-d日")),
        &plain,
    )?;

    let mut line: u32 = 2;
    for (letter, name) in SECTIONS {
        let rows: Vec<&Row> = table
            .rows
            .iter()
            .filter(|r| r.code.starts_with(letter))
            .collect();
        let lines = rows.len().div_ceil(2) as u32;
        if lines == 0 {
            continue;
        }
        if lines == 1 {
            sheet.write_string_with_format(line, 0, name, &section)?;
        } else {
            sheet.merge_range(line, 0, line + lines - 1, 0, name, &section)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let at = line + (i / 2) as u32;
            let col = if i % 2 == 0 { 1 } else { 4 };
            let number = row.code[1..].parse::<f64>().unwrap_or(0.0);
            sheet.write_number_with_format(at, col, number, &centred)?;
            sheet.write_string_with_format(at, col + 1, row.label, &boxed)?;
            write_value(sheet, at, col + 2, row, &centred)?;
            // Split values stand one to a line (never broken inside "部门（0）"): the line is
            // as tall as the item beside it with the most.
            let pair = &rows[(i / 2) * 2..((i / 2) * 2 + 2).min(rows.len())];
            let most = pair.iter().map(|r| r.cells.len()).max().unwrap_or(1) as f64;
            sheet.set_row_height(at, (15.0 * most + 4.0).max(32.0))?;
        }
        if rows.len() % 2 == 1 {
            let at = line + lines - 1;
            for col in 4..=6 {
                sheet.write_blank(at, col, &boxed)?;
            }
        }
        line += lines;
    }
    sheet.merge_range(
        line + 1,
        0,
        line + 1,
        6,
        "填报说明：每月28日前上报截至当月28日的累计情况；县、镇、部门的有关事项分开统计；\
         各专项行动小组分别报送本股室和所属行业领域两张表。",
        &plain.clone().set_text_wrap(),
    )?;
    sheet.set_row_height(line + 1, 30)?;
    sheet
        .set_landscape()
        .set_paper_size(9) // A4
        .set_print_fit_to_pages(1, 1)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    Ok(())
}

/// A row's value cell: a number for a single count, the form's wording otherwise
/// ("县（1） 镇（2） 部门（0）", "停产（1） 关闭（0）").
fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    r: &Row,
    format: &Format,
) -> Result<(), XlsxError> {
    match r.cells.as_slice() {
        [
            Cell {
                split: "",
                figure: Figure::Count(n),
                ..
            },
        ] => sheet.write_number_with_format(row, col, *n as f64, format)?,
        [
            Cell {
                split: "",
                figure: Figure::YesNo(_) | Figure::Fen(_),
                ..
            },
        ] => sheet.write_string_with_format(row, col, r.cells[0].figure.text(), format)?,
        cells => {
            let text: Vec<String> = cells
                .iter()
                .map(|c| {
                    if c.split.is_empty() {
                        c.figure.text()
                    } else {
                        format!("{}（{}）", c.split, c.figure.text())
                    }
                })
                .collect();
            sheet.write_string_with_format(row, col, text.join("\n"), format)?
        }
    };
    Ok(())
}

/// One line per figure: 栏目, 代码, 项目, 分项, 数值 (money in 万元), with numbers as numbers.
fn data(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let head = base().set_bold().set_border(FormatBorder::Thin);
    let cell = base().set_border(FormatBorder::Thin);
    for (col, name) in render::HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &head)?;
    }
    for (col, width) in [(0, 28.0), (1, 6.0), (2, 48.0), (3, 14.0), (4, 10.0)] {
        sheet.set_column_width(col, width)?;
    }
    let mut at = 1;
    for row in &table.rows {
        for c in &row.cells {
            sheet.write_string_with_format(at, 0, render::section_of(row.code), &cell)?;
            sheet.write_string_with_format(at, 1, row.code, &cell)?;
            sheet.write_string_with_format(at, 2, row.label, &cell)?;
            sheet.write_string_with_format(at, 3, c.split, &cell)?;
            match c.figure {
                Figure::Count(n) => sheet.write_number_with_format(at, 4, n as f64, &cell)?,
                Figure::Fen(fen) => {
                    sheet.write_number_with_format(at, 4, fen as f64 / 1_000_000.0, &cell)?
                }
                Figure::YesNo(_) => {
                    sheet.write_string_with_format(at, 4, c.figure.text(), &cell)?
                }
            };
            at += 1;
        }
    }
    // On A4 like the form: portrait, fitted to the page's width (as many pages down as it
    // takes), the header row repeated on each page.
    sheet
        .set_portrait()
        .set_paper_size(9) // A4
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    Ok(())
}
