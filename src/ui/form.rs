//! A form: one line per field, the focused one marked, errors in red under their field.

use super::theme;
use crate::app::form::{FieldKind, Form};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, form: &Form) {
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(format!(
        " {} ",
        super::fit(&form.title, area.width.saturating_sub(4) as usize)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    let mut focus_line = 0;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        if focused {
            focus_line = lines.len();
        }
        let star = if field.required { "*" } else { " " };
        let value = match &field.kind {
            FieldKind::Choice(_) => format!("‹ {} ›", field.value),
            _ if focused => format!("{}▏", field.value),
            _ => field.value.clone(),
        };
        let style = if focused {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::raw(if focused { "▶" } else { " " }),
            Span::raw(format!("{star}{}：", field.label)),
            Span::styled(value, style),
        ]));
        if let Some(err) = &field.error {
            lines.push(Line::from(Span::styled(
                format!("   {err}"),
                theme::error(),
            )));
        } else if focused && let Some(help) = &field.help {
            lines.push(Line::from(Span::styled(format!("   {help}"), theme::dim())));
        }
    }
    let height = inner.height as usize;
    let start = super::window_start(focus_line, height, lines.len());
    let visible: Vec<Line> = lines.into_iter().skip(start).take(height).collect();
    frame.render_widget(Paragraph::new(visible).wrap(Wrap { trim: false }), inner);
}
