//! Plain-text tables aligned by display width, so Chinese (two columns a character) lines up.

use super::Format;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Writes a listing in the chosen format to stdout: `json` as JSON; the rows as CSV (UTF-8
/// with a BOM, so Excel and WPS open it) or as an aligned table, with `empty` when there are
/// no rows and `total` after them.
pub fn write_rows(
    format: Format,
    json: &impl serde::Serialize,
    header: &[&str],
    rows: &[Vec<String>],
    empty: &str,
    total: Option<String>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, json)?;
            writeln!(out)?;
        }
        Format::Csv => {
            out.write_all(b"\xEF\xBB\xBF")?;
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for row in rows {
                w.write_record(row)?;
            }
            w.flush()?;
        }
        Format::Table if rows.is_empty() => writeln!(out, "{empty}")?,
        Format::Table => {
            write!(out, "{}", render(header, rows))?;
            if let Some(total) = total {
                writeln!(out, "{total}")?;
            }
        }
    }
    Ok(())
}

/// Renders `rows` under `header`, columns separated by two spaces, no trailing spaces.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.width());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The 更正 column of a list of records that corrections name: 已被更正 for a record another
/// one corrects, 更正记录 for a correction, empty otherwise.
pub fn correction_mark(
    corrected: &std::collections::HashSet<uuid::Uuid>,
    id: uuid::Uuid,
    corrects: Option<uuid::Uuid>,
) -> String {
    if corrected.contains(&id) {
        "已被更正".to_string()
    } else if corrects.is_some() {
        "更正记录".to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width() {
        let text = render(
            &["名称", "code"],
            &[
                vec!["方山县加油站".into(), "A".into()],
                vec!["ab".into(), "B".into()],
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "名称          code");
        assert_eq!(lines[1], "方山县加油站  A");
        assert_eq!(lines[2], "ab            B");
        let col = |l: &str| {
            l[..l
                .rfind(|c: char| c.is_ascii_uppercase() || c == 'c')
                .unwrap_or(0)]
                .width()
        };
        assert_eq!(col(lines[1]), col(lines[2]));
    }
}
