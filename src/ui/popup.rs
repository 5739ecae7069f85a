//! Clearing the ground for a popup drawn over a screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};
use unicode_width::UnicodeWidthStr;

/// Like [`Clear`], and mends the popup's left edge: a wide (CJK) character of the screen
/// beneath that starts just left of the popup would otherwise still cover the popup's first
/// column, hiding its border and shifting the row.
pub struct ClearPopup;

impl Widget for ClearPopup {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.left() > buf.area.left() {
            for y in area.top()..area.bottom() {
                let cell = &mut buf[(area.left() - 1, y)];
                if cell.symbol().width() > 1 {
                    cell.set_symbol(" ");
                }
            }
        }
        Clear.render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_character_straddling_the_left_edge_gives_way_to_the_popup() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        buf.set_string(0, 0, "检查项目", ratatui::style::Style::new());
        buf.set_string(0, 1, "ab检查", ratatui::style::Style::new());
        // "查" spans columns 2–3; a popup at column 3 takes half of it.
        ClearPopup.render(Rect::new(3, 0, 4, 2), &mut buf);
        buf.set_string(3, 0, "│", ratatui::style::Style::new());
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(buf[(3, 0)].symbol(), "│");
        // Row 1: "检" spans 2–3 as well.
        assert_eq!(buf[(2, 1)].symbol(), " ");
        assert_eq!(buf[(0, 0)].symbol(), "检");
    }
}
