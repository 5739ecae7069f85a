//! A form: one line per field, the focused one marked, errors in red under their field.

use super::theme;
use crate::app::form::{FieldKind, Form};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, form: &Form) {
    frame.render_widget(super::popup::ClearPopup, area);
    let block = Block::bordered().title(format!(
        " {} ",
        super::fit(&form.title, area.width.saturating_sub(4) as usize)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    // One display row per line (no wrapping), so the window below is exact and the field being
    // typed in is always on screen.
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    let mut cursor: Option<String> = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let star = if field.required { "*" } else { " " };
        let prefix = format!("{}{star}{}：", if focused { "▶" } else { " " }, field.label);
        let room = width.saturating_sub(unicode_width::UnicodeWidthStr::width(prefix.as_str()) + 1);
        let value = match &field.kind {
            FieldKind::Choice(_) => super::fit(&format!("‹ {} ›", field.value), room),
            _ if focused => super::fit_tail(&field.value, room),
            _ => super::fit(&field.value, room),
        };
        if focused {
            focus_line = lines.len();
            if !matches!(field.kind, FieldKind::Choice(_)) {
                cursor = Some(format!("{prefix}{value}"));
            }
        }
        let style = if focused {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::raw(prefix),
            Span::styled(value, style),
        ]));
        if let Some(err) = &field.error {
            lines.push(Line::from(Span::styled(
                super::fit(&format!("   {err}"), width),
                theme::error(),
            )));
        } else if focused && let Some(help) = &field.help {
            lines.push(Line::from(Span::styled(
                super::fit(&format!("   {help}"), width),
                theme::dim(),
            )));
        }
    }
    let height = inner.height as usize;
    let start = super::window_start(focus_line, height, lines.len());
    if let Some(before) = cursor
        && focus_line >= start
    {
        super::place_cursor(
            frame,
            inner.x,
            inner.y + (focus_line - start) as u16,
            &before,
        );
    }
    let visible: Vec<Line> = lines.into_iter().skip(start).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
