//! Overlays drawn above the screen: picker, note editor, confirmation, signing, help.

use super::theme;
use crate::app::keymap;
use crate::app::screens::overlays::Overlay;
use crate::app::screens::picker::Picker;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

/// A rectangle of `w`% × `h`% centred in `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Percentage(h)])
        .flex(Flex::Center)
        .areas(area);
    let [c] = Layout::horizontal([Constraint::Percentage(w)])
        .flex(Flex::Center)
        .areas(v);
    c
}

/// A bordered box `w`% wide centred in `area`, as tall as `lines` wrapped to it (never taller
/// than `area`), and the wrapped rows.
fn fitted(area: Rect, w: u16, lines: &[Line]) -> (Rect, Vec<Line<'static>>) {
    let width = (area.width as u32 * w as u32 / 100) as u16;
    let rows = super::text::wrap_lines(lines, width.saturating_sub(2) as usize);
    let height = (rows.len() as u16 + 2).min(area.height);
    let [v] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(v);
    (rect, rows)
}

pub fn draw(frame: &mut Frame, area: Rect, overlay: &Overlay) {
    match overlay {
        Overlay::Picker(p) => picker(frame, centered(area, 90, 90), p),
        Overlay::Attach(b) => super::attach::draw(frame, centered(area, 96, 96), b),
        Overlay::Backup(d) => super::backup::draw(frame, area, d),
        Overlay::Note(editor) => {
            let rect = centered(area, 80, 60);
            frame.render_widget(super::popup::ClearPopup, rect);
            let block = Block::bordered()
                .title(format!(" {} 的备注（Ctrl-S 保存，Esc 放弃） ", editor.code));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(&editor.text, inner);
        }
        Overlay::Confirm(c) => {
            let lines = vec![
                Line::from(c.prompt.clone()),
                Line::default(),
                Line::from(vec![
                    Span::styled(" y ", theme::key()),
                    Span::raw(" 确定   "),
                    Span::styled(" n ", theme::key()),
                    Span::raw(" 取消"),
                ]),
            ];
            let (rect, rows) = fitted(area, 60, &lines);
            frame.render_widget(super::popup::ClearPopup, rect);
            frame.render_widget(
                Paragraph::new(rows).block(Block::bordered().title(" 请确认 ")),
                rect,
            );
        }
        Overlay::Sign(s) => {
            let name = s.names.get(s.signed).cloned().unwrap_or_default();
            let mut lines = vec![
                Line::from("定稿后检查记录冻结，不能再修改或删除。谁检查、谁签名、谁负责。"),
                Line::default(),
            ];
            let arrival = crate::domain::time::record_minute(s.arrival_at);
            match s.departed_at {
                None => {
                    lines.push(Line::from(format!(
                        "到达现场：{arrival}。请核对离开现场的时间（现场检查记录印“自到达至离开”），按 Enter 确认"
                    )));
                    lines.push(Line::from(Span::styled(
                        format!("离开现场时间：{}▏", s.typed),
                        theme::selected(),
                    )));
                }
                Some(departed) => {
                    lines.push(Line::from(format!(
                        "检查时间：{arrival} 至 {}",
                        crate::domain::time::record_minute(departed)
                    )));
                    lines.push(Line::from(format!(
                        "第 {}/{} 位：请 {name} 输入本人姓名并按 Enter 确认",
                        s.signed + 1,
                        s.names.len()
                    )));
                    lines.push(Line::from(Span::styled(
                        format!("姓名：{}▏", s.typed),
                        theme::selected(),
                    )));
                }
            }
            if let Some(err) = &s.error {
                lines.push(Line::from(Span::styled(err.clone(), theme::error())));
            }
            lines.push(Line::from(Span::styled("Esc 取消", theme::dim())));
            let (rect, rows) = fitted(area, 70, &lines);
            frame.render_widget(super::popup::ClearPopup, rect);
            frame.render_widget(
                Paragraph::new(rows).block(Block::bordered().title(" 定稿签名 ")),
                rect,
            );
        }
        // A message takes the rows it needs (plus the hint row), the help the whole height.
        Overlay::Help(help) => match &help.message {
            Some((_, text)) => {
                let mut lines: Vec<Line> = text.iter().map(|l| Line::from(l.clone())).collect();
                lines.push(Line::default());
                let (rect, _) = fitted(area, 90, &lines);
                draw_help(frame, rect, help)
            }
            None => draw_help(frame, centered(area, 90, 100), help),
        },
    }
}

/// The help: every binding, its keys in a column; scrolled when the window is too short for
/// it, and the last row says how to scroll and close.
fn draw_help(frame: &mut Frame, rect: Rect, help: &keymap::HelpView) {
    frame.render_widget(super::popup::ClearPopup, rect);
    let title = match &help.message {
        Some((title, _)) => format!(" {title} "),
        None => " 按键帮助 ".to_string(),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [body, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let lines = match &help.message {
        Some((_, text)) => super::text::wrap_lines(
            &text
                .iter()
                .map(|l| Line::from(l.clone()))
                .collect::<Vec<_>>(),
            body.width as usize,
        ),
        None => help_lines(help.table, body.width as usize),
    };
    let height = body.height as usize;
    let max_scroll = lines.len().saturating_sub(height);
    help.max_scroll.set(max_scroll);
    help.page.set(height.saturating_sub(1).max(1));
    let top = help.scroll.min(max_scroll);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    let bottom = top + shown.len();
    frame.render_widget(Paragraph::new(shown), body);
    let text = if max_scroll == 0 {
        "按任意键关闭".to_string()
    } else {
        let total = bottom.max(max_scroll + height);
        format!(
            "第 {}–{bottom} 行，共 {total} 行 · ↑↓ 或 j k 滚动 · PgUp/PgDn 翻页 · 其他键关闭",
            top + 1
        )
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            super::fit(&text, hint.width as usize),
            theme::dim(),
        )),
        hint,
    );
}

/// The help's rows at `width`: keys in a column, each label wrapped beside them.
pub fn help_lines(table: &[keymap::Binding], width: usize) -> Vec<Line<'static>> {
    let entries = keymap::help(table);
    let widest = entries.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    // The key column: as wide as the widest keys, but never more than a third of the width.
    let column = (widest + 2).min(width / 3).max(4);
    let label_width = width.saturating_sub(column).max(2);
    let mut lines = Vec::new();
    for (keys, label) in entries {
        let mut labels = super::text::wrap(label, label_width).into_iter();
        if keys.width() + 1 > column {
            // Keys too long for the column: on their own row(s), the label below.
            for piece in super::text::wrap(&keys, width) {
                lines.push(Line::from(Span::styled(piece, theme::heading())));
            }
        } else {
            let pad = " ".repeat(column - keys.width());
            let first = labels.next().unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("{keys}{pad}"), theme::heading()),
                Span::raw(first),
            ]));
        }
        for rest in labels {
            lines.push(Line::from(format!("{}{rest}", " ".repeat(column))));
        }
    }
    lines
}

fn picker(frame: &mut Frame, rect: Rect, p: &Picker) {
    frame.render_widget(super::popup::ClearPopup, rect);
    if let Some(form) = &p.creating {
        super::form::draw(frame, rect, form);
        return;
    }
    let block = Block::bordered().title(" 选择企业（拼音首字母、信用代码或名称） ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [query, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    let Some(index) = &p.index else {
        frame.render_widget(Paragraph::new("正在读取企业名册……"), query);
        return;
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::raw("搜索："),
                Span::styled(format!("{}▏", p.query), theme::selected()),
            ]),
            Line::from(Span::styled(
                format!(
                    "共 {} 家，匹配 {} 家；找不到时按 Ctrl-N 新建",
                    index.rows.len(),
                    p.hits.len()
                ),
                theme::dim(),
            )),
        ]),
        query,
    );
    super::place_cursor(frame, query.x, query.y, &format!("搜索：{}", p.query));
    let height = list.height as usize;
    let width = list.width as usize;
    let start = super::window_start(p.selected, height, p.hits.len());
    let lines: Vec<Line> = p
        .hits
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .filter_map(|(i, &row)| {
            let r = index.rows.get(row)?;
            let text = super::fit(
                &format!("{}  {}  {}  {}", r.name, r.town, r.sector, r.credit_code),
                width,
            );
            Some(if i == p.selected {
                Line::from(Span::styled(text, theme::selected()))
            } else {
                Line::from(text)
            })
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
