//! The inspection setup screen.

use super::theme;
use crate::app::screens::setup::{Focus, Setup};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, s: &Setup) {
    let e = &s.data.enterprise.data;
    let block = Block::bordered().title(format!(" {} ", e.name));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mark = |f: Focus| if s.focus == f { "▶ " } else { "  " };
    let focus_style = |f: Focus| {
        if s.focus == f {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        }
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{} · {} · 统一社会信用代码 {}",
                e.town, e.sector, e.credit_code
            ),
            theme::dim(),
        )),
        Line::default(),
        Line::from(vec![
            Span::raw(mark(Focus::Mode)),
            Span::raw("检查方式：‹ "),
            Span::styled(s.mode.label(), focus_style(Focus::Mode)),
            Span::raw(" ›"),
        ]),
        Line::from(vec![
            Span::raw(mark(Focus::Arrival)),
            Span::raw("到达时间："),
            Span::styled(format!("{}▏", s.arrival), focus_style(Focus::Arrival)),
        ]),
    ];
    if let Some(err) = &s.arrival_error {
        lines.push(Line::from(Span::styled(
            format!("    {err}"),
            theme::error(),
        )));
    }
    lines.push(Line::from(format!(
        "  本机执法人员：{}",
        s.data
            .profile_name
            .as_deref()
            .unwrap_or("未设置（paicha profile set --name 姓名 --cert-no 执法证号）")
    )));
    lines.push(Line::from(vec![
        Span::raw(mark(Focus::Colleagues)),
        Span::raw("同行执法人员（本机人员之外，用“、”分隔）："),
        Span::styled(format!("{}▏", s.colleagues), focus_style(Focus::Colleagues)),
    ]));
    if s.colleague_names().is_empty() {
        lines.push(Line::from(Span::styled(
            "    提示：执法检查应由两名以上执法人员进行",
            theme::notice(),
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "检查表（空格勾选）",
        theme::heading(),
    )));
    for (i, (id, title, count, chosen)) in s.templates.iter().enumerate() {
        let f = Focus::Template(i);
        lines.push(Line::from(vec![
            Span::raw(mark(f)),
            Span::styled(
                format!(
                    "[{}] {title}（{id}，{count} 项）",
                    if *chosen { "x" } else { " " }
                ),
                focus_style(f),
            ),
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
        for h in s.data.open_hazards.iter().take(5) {
            lines.push(Line::from(format!(
                "  · [{}] {}",
                h.data.grade.label(),
                h.data.description
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
