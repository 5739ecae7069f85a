//! A titled list (the monthly hazard list, the disclosure list) as CSV or as a printable xlsx:
//! title, a line under it, a bordered table in 宋体 with its header repeated on every page,
//! A4 landscape fitted to the page width.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub title: String,
    pub subtitle: String,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Listing {
    /// UTF-8 with a BOM (Excel and WPS read it as such); title and subtitle first.
    pub fn csv(&self) -> Result<Vec<u8>, String> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut out);
            let failed = |e: csv::Error| format!("无法生成 CSV：{e}");
            w.write_record([&self.title]).map_err(failed)?;
            w.write_record([&self.subtitle]).map_err(failed)?;
            w.write_record(&self.header).map_err(failed)?;
            for row in &self.rows {
                w.write_record(row).map_err(failed)?;
            }
            w.flush().map_err(|e| format!("无法生成 CSV：{e}"))?;
        }
        Ok(out)
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, String> {
        self.build_xlsx()
            .map_err(|e| format!("无法生成 Excel 文件：{e}"))
    }

    fn build_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let base = Format::new().set_font_name("宋体").set_font_size(10);
        let title = base
            .clone()
            .set_font_size(16)
            .set_bold()
            .set_align(FormatAlign::Center);
        let head = base
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("清单")?;
        let last = self.header.len().saturating_sub(1) as u16;
        sheet.merge_range(0, 0, 0, last, &self.title, &title)?;
        sheet.set_row_height(0, 30)?;
        sheet.merge_range(1, 0, 1, last, &self.subtitle, &base)?;
        for (col, name) in self.header.iter().enumerate() {
            sheet.write_string_with_format(2, col as u16, *name, &head)?;
            // Wide enough for the longest line of the column, within reason (CJK counts 2).
            let widest = self
                .rows
                .iter()
                .filter_map(|r| r.get(col))
                .map(|v| v.width())
                .chain(std::iter::once(name.width()))
                .max()
                .unwrap_or(4);
            sheet.set_column_width(col as u16, (widest as f64 + 2.0).clamp(5.0, 40.0))?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            for (col, value) in row.iter().enumerate() {
                sheet.write_string_with_format(3 + i as u32, col as u16, value, &cell)?;
            }
        }
        sheet
            .set_landscape()
            .set_paper_size(9) // A4
            .set_print_fit_to_pages(1, 0)
            .set_print_center_horizontally(true)
            .set_repeat_rows(2, 2)?
            .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        book.save_to_buffer()
    }
}
