//! Enforcement actions of the inspection.

use super::theme;
use crate::app::screens::actions::ActionsScreen;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &ActionsScreen) {
    if let Some(form) = &s.form {
        super::form::draw(frame, area, form);
        return;
    }
    let block = Block::bordered().title(" 执法措施 ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let actions = &s.back.view.actions;
    if actions.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "本次检查还没有记录执法措施。按 a 新增；记错的按 c 更正。",
                theme::dim(),
            )),
            inner,
        );
        return;
    }
    let lines: Vec<Line> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let d = &a.data;
            let amount = d
                .amount_fen
                .map(|f| format!("  {}", crate::domain::money::wan_text(f)))
                .unwrap_or_default();
            // A corrected action stays on record; the correction is what counts.
            let mark = if actions.iter().any(|b| b.data.corrects == Some(a.id())) {
                "  （已被更正，不计入统计）"
            } else if d.corrects.is_some() {
                "  （更正记录）"
            } else {
                ""
            };
            let text = format!(
                "{}  {}  {}{amount}{mark}",
                d.decided_on,
                d.kind.label(),
                d.document_no
            );
            let style = if i == s.selected {
                theme::selected()
            } else {
                Style::new()
            };
            let files = s.back.view.attachment_count(a.id(), None);
            let text = super::fit_with_count(&text, files, inner.width as usize);
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
