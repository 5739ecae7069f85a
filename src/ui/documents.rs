//! 执法文书: the documents of an inspection or a hazard, each issued (number and moment) or
//! not; the folder files go to; below, the file last written and how to print it, or why
//! nothing was issued. A first issue's form takes the list's place.

use super::theme;
use crate::app::screens::documents::{Documents, Panel};
use crate::domain::time;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Columns of the title column (the longest title, 责令限期整改指令书, takes 18).
const TITLE: usize = 20;

/// How to print a written file (docs/printing.md): the page sets its own margins.
pub const HOW_TO_PRINT: &str = "打印：用浏览器打开这个文件（按 o 用系统默认程序打开），按 Ctrl-P 打印；\
     纸张 A4 纵向，其余保持浏览器的默认设置（页边距和页眉页脚由文书自带，无需调整）。";

pub fn draw(frame: &mut Frame, area: Rect, d: &Documents) {
    let Some(list) = &d.list else {
        frame.render_widget(Paragraph::new("正在读取执法文书……"), area);
        return;
    };
    let width = area.width as usize;
    let panel = panel_lines(d, width);
    // The panel takes what it needs, up to half the screen; the list keeps the rest.
    let panel_height = (panel.len() as u16).min(area.height / 2).max(1);
    let [head, folder, main, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(panel_height),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            super::fit(&list.heading, width),
            theme::heading(),
        )),
        head,
    );
    let label = "保存到：";
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(label),
            Span::raw(super::fit_tail(
                &list.folder,
                width.saturating_sub(label.width() + 14),
            )),
            Span::styled("（d 更改）", theme::dim()),
        ])),
        folder,
    );
    if let Some(form) = &d.folder_form {
        super::form::draw(frame, main, form);
    } else if let Some((_, form)) = &d.form {
        super::form::draw(frame, main, form);
    } else {
        draw_rows(frame, main, d);
    }
    frame.render_widget(Paragraph::new(panel), bottom);
}

fn draw_rows(frame: &mut Frame, area: Rect, d: &Documents) {
    let block = Block::bordered().title(" 执法文书 ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(list) = &d.list else { return };
    let width = inner.width as usize;
    if list.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(super::fit(
                "没有可出具的执法文书（复查验收或挂牌督办之后才有相应文书）",
                width,
            )),
            inner,
        );
        return;
    }
    let height = inner.height as usize;
    let start = super::window_start(d.selected, height, list.rows.len());
    let lines: Vec<Line> = list
        .rows
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, row)| {
            let chosen = i == d.selected;
            let title = row.kind.title();
            let pad = TITLE.saturating_sub(title.width());
            let (status, style) = match &row.issued {
                Some((number, at)) => (
                    format!("已出具 {number} {}", time::record_minute(*at)),
                    theme::good(),
                ),
                None => ("未出具".to_string(), theme::dim()),
            };
            let lead = format!(
                "{}{title}{}",
                if chosen { "▶ " } else { "  " },
                " ".repeat(pad)
            );
            let rest = width.saturating_sub(lead.width());
            let status = super::fit(&status, rest);
            let detail_room = rest.saturating_sub(status.width() + 2);
            let detail = if row.detail.is_empty() || detail_room < 6 {
                String::new()
            } else {
                format!("  {}", super::fit(&row.detail, detail_room))
            };
            let base = if chosen {
                theme::selected()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(lead, base),
                Span::styled(status, if chosen { base } else { style }),
                Span::styled(detail, theme::dim()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The panel below the list: the file written and how to print it, or why not, or what
/// Enter does.
fn panel_lines(d: &Documents, width: usize) -> Vec<Line<'static>> {
    let wrap = |text: &str, style: Style| -> Vec<Line<'static>> {
        super::text::wrap(text, width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect()
    };
    match &d.result {
        Some(Panel::Written(w)) => {
            let mut lines = wrap(
                &format!(
                    "《{}》{}（{} 出具）{}：",
                    w.kind.title(),
                    w.number,
                    time::record_minute(w.issued_at),
                    if w.first {
                        "已出具并写入"
                    } else {
                        "已重印，内容与首次出具相同，写入"
                    }
                ),
                theme::good(),
            );
            lines.extend(wrap(&w.path.display().to_string(), Style::new()));
            lines.extend(wrap(HOW_TO_PRINT, Style::new()));
            for warning in &w.warnings {
                lines.extend(wrap(&format!("注意：{warning}"), theme::bad()));
            }
            lines
        }
        Some(Panel::Photos(w)) => {
            let mut lines = wrap(
                &format!("现场照片补充页（{} 份附件）已写入：", w.count),
                theme::good(),
            );
            lines.extend(wrap(&w.path.display().to_string(), Style::new()));
            lines.extend(wrap(HOW_TO_PRINT, Style::new()));
            for warning in &w.warnings {
                lines.extend(wrap(&format!("注意：{warning}"), theme::bad()));
            }
            lines
        }
        Some(Panel::Refused(why)) => wrap(why, theme::error()),
        None if d.form.is_some() => wrap(
            "Ctrl-S 出具：编号在出具时给出，出具时间和决定内容随之保存，以后重印内容不变。",
            theme::dim(),
        ),
        None => wrap(
            "Enter：未出具的先填写出具时间等再出具（编号此时给出）；已出具的按首次出具的内容重印，写入同一个文件。",
            theme::dim(),
        ),
    }
}

#[cfg(test)]
#[path = "documents_tests.rs"]
mod tests;
