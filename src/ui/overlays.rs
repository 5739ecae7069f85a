//! Overlays drawn above the screen: picker, note editor, confirmation, signing, help.

use super::theme;
use crate::app::keymap;
use crate::app::screens::overlays::Overlay;
use crate::app::screens::picker::Picker;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

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

pub fn draw(frame: &mut Frame, area: Rect, overlay: &Overlay) {
    match overlay {
        Overlay::Picker(p) => picker(frame, centered(area, 90, 90), p),
        Overlay::Note(editor) => {
            let rect = centered(area, 80, 60);
            frame.render_widget(Clear, rect);
            let block = Block::bordered()
                .title(format!(" {} 的备注（Ctrl-S 保存，Esc 放弃） ", editor.code));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(&editor.text, inner);
        }
        Overlay::Confirm(c) => {
            let rect = centered(area, 60, 30);
            frame.render_widget(Clear, rect);
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
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(" 请确认 ")),
                rect,
            );
        }
        Overlay::Sign(s) => {
            let rect = centered(area, 70, 40);
            frame.render_widget(Clear, rect);
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
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(" 定稿签名 ")),
                rect,
            );
        }
        Overlay::Help(table) => {
            let rect = centered(area, 90, 100);
            frame.render_widget(Clear, rect);
            let mut lines: Vec<Line> = keymap::help(table)
                .into_iter()
                .map(|(keys, label)| {
                    Line::from(vec![
                        Span::styled(format!("{keys:<20}"), theme::heading()),
                        Span::raw(label),
                    ])
                })
                .collect();
            lines.push(Line::default());
            lines.push(Line::from(Span::styled("按任意键关闭", theme::dim())));
            frame.render_widget(
                Paragraph::new(lines).block(Block::bordered().title(" 按键帮助 ")),
                rect,
            );
        }
    }
}

fn picker(frame: &mut Frame, rect: Rect, p: &Picker) {
    frame.render_widget(Clear, rect);
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
