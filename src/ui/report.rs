//! A report opened from the ledger: plain text, wrapped by display width (CJK counts two
//! columns), scrolled by line.

use super::theme;
use crate::app::screens::report::ReportView;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, report: &ReportView) {
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {} ", report.title))
        .title_style(theme::heading());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = super::text::wrap(&report.text, inner.width as usize);
    let height = inner.height as usize;
    let max_scroll = lines.len().saturating_sub(height);
    report.max_scroll.set(max_scroll);
    let top = report.scroll.min(max_scroll);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(top)
        .take(height)
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
