//! The attach browser: the folder, its folders and photos/videos newest first, the marks.

use super::theme;
use crate::app::screens::attach::{Browser, Entry};
use crate::storage::attachment_files::size_text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Columns of the time ("2026-04-26 17:25*") and size ("12.3 MB") columns.
pub(super) const TIME_W: usize = 17;
const SIZE_W: usize = 9;
/// Below this many columns the year is left out of the time.
const WIDE: usize = 60;

pub fn draw(frame: &mut Frame, rect: Rect, b: &Browser) {
    frame.render_widget(super::popup::ClearPopup, rect);
    let block = Block::bordered().title(format!(" 添加附件到：{} ", b.to.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [head, list, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let width = inner.width as usize;
    let dir = match (&b.dir, b.reading) {
        _ if b.showing_attached => format!(
            "已附 {} 个文件（原样保存，不可删除；v 回到文件夹）",
            b.attached.len()
        ),
        (Some(d), false) => format!("文件夹：{}", d.display()),
        (Some(d), true) => format!("正在读取文件夹…（{}）", d.display()),
        (None, _) => "正在读取文件夹…".to_string(),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(super::fit_tail(&dir, width), theme::heading())),
        head,
    );
    // The preview takes a third of the width beside the list.
    let [list, preview] =
        Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)]).areas(list);
    if b.showing_attached {
        super::attach_stored::draw_list(frame, list, b);
        super::attach_stored::draw_preview(frame, preview, b);
    } else {
        draw_list(frame, list, b);
        draw_preview(frame, preview, b);
    }
    if let Some(n) = b.attaching {
        draw_progress(frame, status, n, b.progress);
        return;
    }
    if b.showing_attached {
        return;
    }
    let files = b.entries.iter().filter(|e| !e.is_folder()).count();
    let mut text = format!("照片/视频 {files} 个，已标记 {} 个", b.marked.len());
    if !b.attached.is_empty() {
        text.push_str(&format!("；已附 {} 个（v 查看）", b.attached.len()));
    }
    if b.skipped > 0 {
        text.push_str(&format!(
            "；另有 {} 个文件不是支持的类型，未列出",
            b.skipped
        ));
    }
    frame.render_widget(
        Paragraph::new(Span::styled(super::fit(&text, width), theme::dim())),
        status,
    );
}

/// While attaching: what is copied and a bar by bytes (a label until the sizes are known).
fn draw_progress(frame: &mut Frame, area: Rect, n: usize, (done, total): (u64, u64)) {
    let label = format!("正在添加 {n} 个文件（Esc 转到后台）");
    if total == 0 {
        frame.render_widget(Paragraph::new(Span::styled(label, theme::notice())), area);
        return;
    }
    let [text, bar] = Layout::horizontal([
        Constraint::Length(label.width() as u16 + 1),
        Constraint::Min(10),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Span::styled(label, theme::notice())), text);
    let ratio = (done as f64 / total as f64).clamp(0.0, 1.0);
    frame.render_widget(
        Gauge::default()
            .gauge_style(theme::good())
            .ratio(ratio)
            .label(format!("{} / {}", size_text(done), size_text(total))),
        bar,
    );
}

fn draw_list(frame: &mut Frame, area: Rect, b: &Browser) {
    let width = area.width as usize;
    let rows = area.height as usize;
    if b.dir.is_some() && b.entries.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                super::fit("此文件夹中没有照片或视频。按 Backspace 回到上一级", width),
                theme::dim(),
            )),
            area,
        );
        return;
    }
    // The selected row stays in view.
    let first = b.selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = b
        .entries
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, e)| {
            let style = if i == b.selected {
                theme::selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(
                row(e, b.marked.contains(&e.path), width),
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The selected file: its picture where it is a JPEG or PNG (once the worker made it), else a
/// card saying what it is.
fn draw_preview(frame: &mut Frame, area: Rect, b: &Browser) {
    let block = Block::bordered().title(" 预览 ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let Some(e) = b.current().filter(|e| !e.is_folder()) else {
        frame.render_widget(
            Paragraph::new(Span::styled(
                super::fit("选中照片时在此预览", width),
                theme::dim(),
            )),
            inner,
        );
        return;
    };
    let media_type = e.media_type.unwrap_or_default();
    let card = vec![
        Line::from(super::fit(&e.name, width)),
        Line::from(Span::styled(
            super::fit(&time_text(e, "%Y-%m-%d %H:%M"), width),
            theme::dim(),
        )),
    ];
    draw_file(frame, inner, b, (e.path.clone(), e.size), media_type, card);
}

/// A file's picture above its `card` where it is a JPEG or PNG (once the worker made it), else
/// the card with what it is.
pub(super) fn draw_file(
    frame: &mut Frame,
    inner: Rect,
    b: &Browser,
    key: crate::app::preview::Key,
    media_type: &str,
    mut card: Vec<Line<'static>>,
) {
    let width = inner.width as usize;
    let previewable = matches!(media_type, "image/jpeg" | "image/png");
    if !previewable {
        card.push(Line::from(super::fit(
            &format!(
                "{} · {}",
                crate::domain::attachment::media_label(media_type),
                size_text(key.1)
            ),
            width,
        )));
        card.push(Line::from(Span::styled(
            super::fit("此类文件不在终端中预览，原样保存", width),
            theme::dim(),
        )));
        frame.render_widget(Paragraph::new(card), inner);
        return;
    }
    let [picture, text] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(card.len() as u16)]).areas(inner);
    b.cells.set(Some(picture.as_size()));
    let mut thumbs = b.thumbs.borrow_mut();
    match thumbs.get(&key) {
        Some(crate::app::preview::Thumb::Ready(protocol)) => {
            frame.render_stateful_widget(
                ratatui_image::StatefulImage::default().resize(ratatui_image::Resize::Fit(None)),
                picture,
                &mut **protocol,
            );
        }
        Some(crate::app::preview::Thumb::Failed(why)) => frame.render_widget(
            Paragraph::new(Span::styled(super::fit(why, width), theme::error())),
            picture,
        ),
        None => frame.render_widget(
            Paragraph::new(Span::styled(
                super::fit("正在生成预览…", width),
                theme::dim(),
            )),
            picture,
        ),
    }
    frame.render_widget(Paragraph::new(card), text);
}

/// The capture time in `format` (local time), `*` after a file time; empty when none.
pub(super) fn time_text(e: &Entry, format: &str) -> String {
    capture_text(e.time, e.file_time, format)
}

/// A capture time in `format` (local time), `*` after a file time (usually the copy time, not
/// the capture time); empty when none. Shared with the 已附 list.
pub(super) fn capture_text(
    time: Option<chrono::DateTime<chrono::Utc>>,
    file_time: bool,
    format: &str,
) -> String {
    time.map(|t| {
        let local = crate::domain::time::local(t).format(format);
        if file_time {
            format!("{local}*")
        } else {
            local.to_string()
        }
    })
    .unwrap_or_default()
}

/// "✓ IMG_0001.jpg          2026-04-26 17:25   3.2 MB", padded to `width`.
fn row(e: &Entry, marked: bool, width: usize) -> String {
    let mark = if marked { "✓ " } else { "  " };
    let (name, time, size) = if e.is_folder() {
        (format!("{}/", e.name), String::new(), "文件夹".to_string())
    } else {
        let format = if width < WIDE {
            "%m-%d %H:%M"
        } else {
            "%Y-%m-%d %H:%M"
        };
        (e.name.clone(), time_text(e, format), size_text(e.size))
    };
    let time_w = if width < WIDE { TIME_W - 5 } else { TIME_W };
    columns(mark, &name, &time, &size, time_w, width)
}

/// One row of a file list: the mark, the name cut to what is left, the time in `time_w`
/// columns and the size right-aligned, padded to `width`. Shared with the 已附 list.
pub(super) fn columns(
    mark: &str,
    name: &str,
    time: &str,
    size: &str,
    time_w: usize,
    width: usize,
) -> String {
    let name_w = width.saturating_sub(2 + time_w + SIZE_W + 2);
    let name = super::fit(name, name_w);
    format!(
        "{mark}{name}{} {time:<time_w$} {}{size}",
        " ".repeat(name_w.saturating_sub(name.width())),
        " ".repeat(SIZE_W.saturating_sub(size.width())),
    )
}
