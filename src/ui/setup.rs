//! The inspection setup screen. One display row per line, scrolled so the row in focus is
//! always visible, with the terminal cursor in the field being typed.

use super::theme;
use crate::app::screens::setup::{Focus, Setup};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &Setup) {
    let e = &s.data.enterprise.data;
    let block = Block::bordered().title(format!(
        " {} ",
        super::fit(&e.name, area.width.saturating_sub(4) as usize)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mark = |f: Focus| if s.focus == f { "▶ " } else { "  " };
    let focus_style = |f: Focus| {
        if s.focus == f {
            theme::selected()
        } else {
            Style::new()
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    let mut cursor: Option<String> = None;
    let mut text_row = |lines: &mut Vec<Line>, f: Focus, label: &str, value: &str| {
        let prefix = format!("{}{label}", mark(f));
        let room = width.saturating_sub(unicode_width::UnicodeWidthStr::width(prefix.as_str()) + 1);
        let shown = if s.focus == f {
            super::fit_tail(value, room)
        } else {
            super::fit(value, room)
        };
        if s.focus == f {
            focus_line = lines.len();
            cursor = Some(format!("{prefix}{shown}"));
        }
        lines.push(Line::from(vec![
            Span::raw(prefix),
            Span::styled(shown, focus_style(f)),
        ]));
    };
    lines.push(Line::from(Span::styled(
        super::fit(
            &format!(
                "{} · {} · 统一社会信用代码 {}",
                e.town, e.sector, e.credit_code
            ),
            width,
        ),
        theme::dim(),
    )));
    if s.data.open_drafts > 0 {
        lines.push(Line::from(Span::styled(
            super::fit(
                &format!(
                    "注意：本企业已有 {} 份未完成的检查草稿，可在首页继续",
                    s.data.open_drafts
                ),
                width,
            ),
            theme::notice(),
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::raw(mark(Focus::Mode)),
        Span::raw("检查方式：‹ "),
        Span::styled(s.mode.label(), focus_style(Focus::Mode)),
        Span::raw(" ›"),
    ]));
    text_row(&mut lines, Focus::Arrival, "到达时间：", &s.arrival);
    if let Some(err) = &s.arrival_error {
        lines.push(Line::from(Span::styled(
            super::fit(&format!("    {err}"), width),
            theme::error(),
        )));
    }
    lines.push(Line::from(super::fit(
        &format!(
            "  本机执法人员：{}",
            s.data
                .profile_name
                .as_deref()
                .unwrap_or("未设置（回首页按 p 设置本机执法人员档案）")
        ),
        width,
    )));
    text_row(
        &mut lines,
        Focus::Colleagues,
        "同行执法人员（用“、”分隔）：",
        &s.colleagues,
    );
    if s.colleague_names().is_empty() {
        lines.push(Line::from(Span::styled(
            super::fit("    提示：执法检查应由两名以上执法人员进行", width),
            theme::notice(),
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "检查表（空格勾选）",
        theme::heading(),
    )));
    // The template's id is for the config files, not the inspector: title and size only.
    for (i, (_id, title, count, chosen)) in s.templates.iter().enumerate() {
        let f = Focus::Template(i);
        if s.focus == f {
            focus_line = lines.len();
        }
        let text = format!(
            "[{}] {title}（{count} 项）",
            if *chosen { "x" } else { " " }
        );
        lines.push(Line::from(vec![
            Span::raw(mark(f)),
            Span::styled(super::fit(&text, width.saturating_sub(2)), focus_style(f)),
        ]));
    }
    if !s.data.open_hazards.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(
                "本企业未销号的隐患 {} 个（可在本次一并复查）",
                s.data.open_hazards.len()
            ),
            theme::heading(),
        )));
        for h in &s.data.open_hazards {
            lines.push(Line::from(super::fit(
                &format!("  · [{}] {}", h.data.grade.label(), h.data.description),
                width,
            )));
        }
    }
    let height = inner.height as usize;
    let start = super::window_start(focus_line, height, lines.len());
    if let Some(before) = cursor
        && focus_line >= start
    {
        super::place_cursor(
            frame,
            inner.x,
            inner.y + (focus_line - start) as u16,
            &before,
        );
    }
    let visible: Vec<Line> = lines.into_iter().skip(start).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
