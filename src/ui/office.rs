//! The office's views on the monthly table: a month's hazard or disclosure list (the columns
//! that fit the width, by importance, the selected entry whole below), and the records behind a
//! row with one selected. Widths are display columns (a Chinese character counts two).

use super::theme;
use crate::app::screens::explain::Explain;
use crate::app::screens::month_list::MonthListView;
use crate::report::month_lists::Which;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

/// The columns kept first when the width runs out (any other after these, in table order).
const IMPORTANCE: [&str; 10] = [
    "序号",
    "企业名称",
    "隐患内容",
    "整改期限",
    "状态",
    "整改进展",
    "编号",
    "所在镇",
    "发现日期",
    "发现时间",
];
/// The widest a column other than 隐患内容 is drawn.
const WIDEST: usize = 20;

pub fn draw_list(frame: &mut Frame, area: Rect, view: &MonthListView) {
    if let Some(form) = &view.export {
        super::form::draw(frame, area, form);
        return;
    }
    let Some(list) = &view.list else {
        let text = format!(
            "正在生成{}年{}月的{}……",
            view.year,
            view.month,
            view.which.title()
        );
        frame.render_widget(Paragraph::new(text), area);
        return;
    };
    let listing = &list.listing;
    let width = area.width as usize;
    let detail_height = if listing.rows.is_empty() { 0 } else { 5 };
    // The office's list names its period in its subtitle; the public one gets a line for it.
    let status = match list.which {
        Which::Hazards if list.withheld.is_empty() => None,
        _ => {
            let mut status = format!(
                "统计期间 {} 至 {}　共 {} 项",
                list.window.from,
                list.window.to,
                listing.rows.len()
            );
            if !list.withheld.is_empty() {
                status.push_str(&format!(
                    "　另有 {} 项描述只涉及举报人，未公开（请更正描述）",
                    list.withheld.len()
                ));
            }
            Some(status)
        }
    };
    let head_height = if status.is_some() { 3 } else { 2 };
    let [head, table, detail] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Min(2),
        Constraint::Length(detail_height),
    ])
    .areas(area);
    let mut heading = vec![
        Line::from(Span::styled(
            super::fit(&listing.title, width),
            theme::heading(),
        )),
        Line::from(super::fit(&listing.subtitle, width)),
    ];
    if let Some(status) = status {
        heading.push(Line::from(Span::styled(
            super::fit(&status, width),
            theme::dim(),
        )));
    }
    frame.render_widget(Paragraph::new(heading), head);
    if listing.rows.is_empty() {
        frame.render_widget(Paragraph::new("（本期没有重大事故隐患）"), table);
        return;
    }
    let columns = columns(&listing.header, &listing.rows, width);
    let line = |cells: &[String], style| -> Line<'static> {
        let text: Vec<String> = columns
            .iter()
            .map(|&(i, w)| pad(&super::fit(cells.get(i).map_or("", |c| c.as_str()), w), w))
            .collect();
        Line::from(Span::styled(text.join(" "), style))
    };
    let header: Vec<String> = listing.header.iter().map(|h| h.to_string()).collect();
    let height = (table.height as usize).saturating_sub(1);
    let start = super::window_start(view.selected, height, listing.rows.len());
    let mut lines = vec![line(&header, theme::heading())];
    for (i, row) in listing.rows.iter().enumerate().skip(start).take(height) {
        let style = if i == view.selected {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(line(row, style));
    }
    frame.render_widget(Paragraph::new(lines), table);
    // The selected entry whole: every column, wrapped by display width.
    if let Some(row) = listing.rows.get(view.selected) {
        let block = Block::default().borders(Borders::TOP).title(format!(
            " 第 {}/{} 项 ",
            view.selected + 1,
            listing.rows.len()
        ));
        let inner = block.inner(detail);
        frame.render_widget(block, detail);
        let text: Vec<String> = listing
            .header
            .iter()
            .zip(row)
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| format!("{h}：{v}"))
            .collect();
        let lines: Vec<Line> = super::text::wrap(&text.join("　"), inner.width as usize)
            .into_iter()
            .take(inner.height as usize)
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// The columns to draw, `(index, width)` in table order: by importance while they fit, one
/// space apart; 隐患内容 takes the room left.
fn columns(header: &[&str], rows: &[Vec<String>], width: usize) -> Vec<(usize, usize)> {
    let natural = |i: usize| -> usize {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |c| c.width()))
            .chain([header[i].width()])
            .max()
            .unwrap_or(0)
            .min(WIDEST)
    };
    let description = header.iter().position(|h| *h == "隐患内容");
    let mut order: Vec<usize> = IMPORTANCE
        .iter()
        .filter_map(|name| header.iter().position(|h| h == name))
        .collect();
    let rest: Vec<usize> = (0..header.len()).filter(|i| !order.contains(i)).collect();
    order.extend(rest);
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut used = 0;
    for i in order {
        // The description is given a quarter of the width now (the room left at the end).
        let w = if Some(i) == description {
            natural(i).max(12).min((width / 4).max(12))
        } else {
            natural(i)
        };
        let extra = if chosen.is_empty() { w } else { w + 1 };
        if used + extra > width {
            continue;
        }
        used += extra;
        chosen.push((i, w));
    }
    if let Some(d) = chosen.iter_mut().find(|(i, _)| Some(*i) == description) {
        d.1 += width.saturating_sub(used);
    }
    chosen.sort_unstable();
    chosen
}

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

pub fn draw_explain(frame: &mut Frame, area: Rect, explain: &Explain) {
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {} ", explain.title))
        .title_style(theme::heading());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_at = 0;
    for (i, (text, _)) in explain.lines.iter().enumerate() {
        let chosen = explain.selected == Some(i);
        if chosen {
            selected_at = lines.len();
        }
        let style = if chosen {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        for piece in super::text::wrap(text, width) {
            lines.push(Line::from(Span::styled(piece, style)));
        }
    }
    let height = inner.height as usize;
    // The selected record in view; the heading too when it fits.
    let start = if selected_at < height {
        0
    } else {
        super::window_start(selected_at, height, lines.len())
    };
    let shown: Vec<Line> = lines.into_iter().skip(start).take(height).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
