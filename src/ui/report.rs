//! A report opened from the ledger: plain text, wrapped by display width (CJK counts two
//! columns), scrolled by line.

use super::theme;
use crate::app::screens::report::ReportView;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthChar;

pub fn draw(frame: &mut Frame, area: Rect, report: &ReportView) {
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {} ", report.title))
        .title_style(theme::heading());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = wrap(&report.text, inner.width as usize);
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

/// Splits each line of `text` into pieces at most `width` columns wide.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    for line in text.lines() {
        let mut piece = String::new();
        let mut used = 0;
        for c in line.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                out.push(std::mem::take(&mut piece));
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        out.push(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wraps_by_display_width_never_splitting_a_wide_character() {
        let lines = wrap("方山县加油站ab\n\nxyz", 5);
        assert_eq!(lines, ["方山", "县加", "油站a", "b", "", "xyz"]);
        assert!(lines.iter().all(|l| l.width() <= 5));
    }
}
