//! Exchanging bundles: the file form, a progress bar while the work runs, an import's findings
//! before it is applied, and the outcome.

use super::{form, theme};
use crate::app::screens::exchange::{Direction, Exchange, Stage};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, x: &Exchange) {
    let title = match x.direction {
        Direction::Export => " 导出数据包 ",
        Direction::Import => " 导入数据包 ",
    };
    use crate::storage::attachment_files::size_text;
    match &x.stage {
        Stage::Ask(f) => form::draw(frame, area, f),
        Stage::Running { label, done, total } => {
            let block = Block::default()
                .borders(Borders::TOP)
                .title(title)
                .title_style(theme::heading());
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let [text, bar, _] = Layout::vertical([
                Constraint::Length(2),
                Constraint::Length(1),
                Constraint::Min(0),
            ])
            .areas(inner);
            frame.render_widget(Paragraph::new(format!("{label}……")), text);
            let (ratio, caption) = if *total > 0 {
                let r = (*done as f64 / *total as f64).clamp(0.0, 1.0);
                (r, format!("{} / {}", size_text(*done), size_text(*total)))
            } else {
                (0.0, format!("已处理 {}", size_text(*done)))
            };
            frame.render_widget(
                Gauge::default()
                    .gauge_style(theme::good())
                    .ratio(ratio)
                    .label(caption),
                bar,
            );
        }
        Stage::Preview {
            path,
            lines,
            anything,
            ..
        } => {
            let mut shown = vec![
                Line::from(Span::styled(
                    format!(
                        "{} 已通过全部校验（签名、校验值、格式、引用）。",
                        path.display()
                    ),
                    theme::good(),
                )),
                Line::from(""),
                Line::from(if *anything {
                    "将导入："
                } else {
                    "其中的记录本机都已有，没有需要导入的内容。"
                }),
            ];
            shown.extend(lines.iter().map(|l| Line::from(format!("  {l}"))));
            // The question stays on screen however long the list above it is.
            let ask = Line::from(Span::styled(
                if *anything {
                    "按 Enter 导入（一次写入，要么全部导入，要么完全不导入），按 Esc 取消。"
                } else {
                    "按 Enter 或 Esc 返回首页。"
                },
                theme::heading(),
            ));
            scrolled(frame, area, title, shown, Some(ask), x.scroll);
        }
        Stage::TrustOffice {
            path,
            office,
            fingerprint,
        } => {
            let shown = vec![
                Line::from(format!("{} 带来了“{office}”的人员名册。", path.display())),
                Line::from("这台电脑还没有信任任何办公室。请与办公室当面核对下面的指纹"),
                Line::from("（办公室电脑上 paicha office show 显示的“锚定公钥指纹”）："),
                Line::from(""),
                Line::from(Span::styled(format!("    {fingerprint}"), theme::heading())),
                Line::from(""),
                Line::from(
                    "一致才按 y：此后只接受这个办公室签发的名册，谁能签字、销号、编号都以它为准。",
                ),
                Line::from(Span::styled(
                    "按 y 信任并继续校验，按 n 或 Esc 取消。",
                    theme::heading(),
                )),
            ];
            scrolled(frame, area, title, shown, None, 0);
        }
        Stage::Finished { lines, failed } => {
            let style = if *failed {
                theme::error()
            } else {
                theme::good()
            };
            let shown = lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        Line::from(Span::styled(l.clone(), style))
                    } else {
                        Line::from(l.clone())
                    }
                })
                .collect();
            scrolled(frame, area, title, shown, None, x.scroll);
        }
    }
}

/// Lines under a title, wrapped to the width, scrolled by `scroll` rows (clamped), with
/// `pinned` kept on the last row and a marker where more lies above or below.
fn scrolled(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    pinned: Option<Line>,
    scroll: usize,
) {
    let block = Block::default()
        .borders(Borders::TOP)
        .title(title.to_string())
        .title_style(theme::heading());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let pinned = pinned.map(|p| super::text::wrap_lines(&[p], width));
    let pinned_rows = pinned.as_ref().map_or(0, |p| p.len() + 1);
    let room = (inner.height as usize).saturating_sub(pinned_rows);
    let rows = super::text::wrap_lines(&lines, width);
    let (start, end, more_below) = window(rows.len(), room, scroll);
    let mut visible: Vec<Line> = rows[start..end].to_vec();
    if more_below {
        visible.push(Line::from(Span::styled(
            format!("…… 下面还有 {} 行（↓/PgDn 滚动）", rows.len() - end),
            theme::dim(),
        )));
    } else if start > 0 {
        visible.push(Line::from(Span::styled(
            "（已到末尾；↑/PgUp 向上滚动）",
            theme::dim(),
        )));
    }
    if let Some(p) = pinned {
        // Right after what is shown, so it is on screen however long the list is.
        let gap = (inner.height as usize).saturating_sub(visible.len() + p.len());
        visible.extend(std::iter::repeat_n(Line::from(""), gap.min(1)));
        visible.extend(p);
    }
    frame.render_widget(Paragraph::new(visible), inner);
}

/// Which rows of `total` show in `room` rows when scrolled by `scroll`: (start, end, whether
/// more lie below). One row is kept for the marker whenever the rows do not all fit.
fn window(total: usize, room: usize, scroll: usize) -> (usize, usize, bool) {
    if total <= room {
        return (0, total, false);
    }
    let page = room.saturating_sub(1).max(1);
    let start = scroll.min(total.saturating_sub(page));
    let end = (start + page).min(total);
    (start, end, end < total)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn a_long_outcome_scrolls_to_its_end_and_no_further() {
        assert_eq!(window(5, 10, 3), (0, 5, false));
        assert_eq!(window(40, 10, 0), (0, 9, true));
        assert_eq!(window(40, 10, 31), (31, 40, false));
        assert_eq!(window(40, 10, 500), (31, 40, false));
    }
}
