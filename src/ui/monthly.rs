//! The monthly progress table: a heading with the scope and cut-off, then one line per row
//! (code, the form's wording cut to fit, the figures), the selected one highlighted and kept
//! in view; or, after Enter, the records behind the selected row.

use super::theme;
use crate::app::screens::monthly::Monthly;
use crate::report::monthly::render;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn draw(frame: &mut Frame, area: Rect, m: &Monthly) {
    if let Some(form) = &m.form {
        super::form::draw(frame, area, form);
        return;
    }
    if let Some(list) = &m.list {
        super::office::draw_list(frame, area, list);
        return;
    }
    if let Some(explain) = &m.explain {
        super::office::draw_explain(frame, area, explain);
        return;
    }
    let [head, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
    let choice = &m.choices[m.choice];
    let heading = vec![
        Line::from(Span::styled(
            format!(
                "{}年{}月 进展情况调度表（截至{}月28日累计）",
                m.year, m.month, m.month
            ),
            theme::heading(),
        )),
        Line::from(format!(
            "范围：{}（{}）  [{}/{}]",
            choice.unit,
            choice.scope.label(),
            m.choice + 1,
            m.choices.len()
        )),
        Line::from(""),
    ];
    frame.render_widget(Paragraph::new(heading), head);
    let Some(table) = &m.table else {
        frame.render_widget(Paragraph::new("正在统计……"), body);
        return;
    };
    let width = body.width as usize;
    let height = body.height as usize;
    // Keep the selection in view: scroll so it sits within the window.
    let top = m.selected.saturating_sub(height.saturating_sub(1));
    let figures: Vec<String> = table.rows.iter().map(render::figures).collect();
    let figure_width = figures
        .iter()
        .map(|f| f.width())
        .max()
        .unwrap_or(0)
        .min(width / 2);
    let label_width = width.saturating_sub(5 + 2 + figure_width);
    let lines: Vec<Line> = table
        .rows
        .iter()
        .zip(&figures)
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, (row, figure))| {
            let label = fit(row.label, label_width);
            let pad = label_width.saturating_sub(label.width());
            let text = format!("{:<5}{label}{}  {figure}", row.code, " ".repeat(pad));
            if i == m.selected {
                Line::from(Span::styled(text, theme::selected()))
            } else {
                Line::from(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

/// `text` cut to `width` display columns, with … when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}
