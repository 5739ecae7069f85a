//! The attach browser's 已附 list (`v`): the files the record already has, oldest first, with
//! the selected one previewed from its stored copy (the bytes as attached, found by hash).

use super::theme;
use crate::app::screens::attach::{Browser, Stored};
use crate::domain::attachment::CaptureSource;
use crate::storage::attachment_files::size_text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw_list(frame: &mut Frame, area: Rect, b: &Browser) {
    let width = area.width as usize;
    let rows = area.height as usize;
    let first = b.attached_selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = b
        .attached
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, s)| {
            let style = if i == b.attached_selected {
                theme::selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(row(s, width), style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// "[整改前] IMG_0001.jpg    2026-04-26 17:25    3.2 MB", padded to `width`.
fn row(s: &Stored, width: usize) -> String {
    let a = &s.record.data;
    let name = match a.role {
        Some(role) => format!("[{}] {}", role.label(), a.file_name),
        None => a.file_name.clone(),
    };
    let time = time_text(s, "%Y-%m-%d %H:%M");
    let size = size_text(a.size);
    super::attach::columns("  ", &name, &time, &size, super::attach::TIME_W, width)
}

/// The capture time, `*` after a file time (not one the file records itself).
fn time_text(s: &Stored, format: &str) -> String {
    let a = &s.record.data;
    super::attach::capture_text(
        a.captured_at,
        a.capture_source == CaptureSource::FileTime,
        format,
    )
}

/// The selected stored file: its picture and what the record says of it.
pub fn draw_preview(frame: &mut Frame, area: Rect, b: &Browser) {
    let block = Block::bordered().title(" 预览 ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(s) = b.current_stored() else {
        return;
    };
    let width = inner.width as usize;
    let a = &s.record.data;
    let when = match a.captured_at {
        Some(t) => format!(
            "{}（{}）",
            crate::domain::time::local(t).format("%Y-%m-%d %H:%M"),
            a.capture_source.label()
        ),
        None => "拍摄时间不详".into(),
    };
    let mut card = vec![
        Line::from(super::fit(&a.file_name, width)),
        Line::from(Span::styled(super::fit(&when, width), theme::dim())),
    ];
    if let Some(place) = a.place {
        card.push(Line::from(Span::styled(
            super::fit(&place.text(), width),
            theme::dim(),
        )));
    }
    let added = crate::domain::time::local(s.record.meta.created_at).format("%Y-%m-%d %H:%M");
    card.push(Line::from(Span::styled(
        super::fit(
            &format!(
                "{added} 添加 · SHA-256 {}",
                a.sha256.get(..12).unwrap_or(&a.sha256)
            ),
            width,
        ),
        theme::dim(),
    )));
    super::attach::draw_file(
        frame,
        inner,
        b,
        (s.path.clone(), a.size),
        &a.media_type,
        card,
    );
}
