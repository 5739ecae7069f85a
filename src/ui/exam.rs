//! The spot exam: who is examined, the drawn questions, and below them the question in focus
//! in full with its reference answer (for the inspector's eyes).

use super::theme;
use crate::app::screens::exam::ExamScreen;
use crate::domain::ExamOutcome;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &ExamScreen) {
    let [top, detail] =
        Layout::vertical([Constraint::Min(4), Constraint::Percentage(45)]).areas(area);
    let block = Block::bordered().title(" 逢查必考（参考答案仅供执法人员查看） ");
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let width = inner.width as usize;
    let style = |row: usize| {
        if s.focus == row {
            theme::selected()
        } else {
            Style::new()
        }
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw("被考人员："),
            Span::styled(super::fit_tail(&s.name, width.saturating_sub(22)), style(0)),
            Span::styled(
                if s.editing {
                    ""
                } else {
                    "  （按 e 修改）"
                },
                theme::dim(),
            ),
        ]),
        Line::from(vec![
            Span::raw("职务："),
            Span::styled(super::fit_tail(&s.role, width.saturating_sub(8)), style(1)),
        ]),
    ];
    for (i, (q, outcome)) in s.questions.iter().zip(&s.outcomes).enumerate() {
        let (mark, mark_style) = match outcome {
            Some(ExamOutcome::Correct) => ("✓", theme::good()),
            Some(ExamOutcome::Partial) => ("◐", theme::notice()),
            Some(ExamOutcome::Wrong) => ("✗", theme::bad()),
            None => ("·", theme::dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), mark_style),
            Span::styled(
                super::fit(
                    &format!("{}、{}", i + 1, q.question),
                    width.saturating_sub(2),
                ),
                style(i + 2),
            ),
        ]));
    }
    let height = inner.height as usize;
    let start = super::window_start(s.focus, height, lines.len());
    if s.focus < 2 && s.focus >= start {
        let before = if s.focus == 0 {
            format!("被考人员：{}", s.name)
        } else {
            format!("职务：{}", s.role)
        };
        super::place_cursor(frame, inner.x, inner.y + (s.focus - start) as u16, &before);
    }
    let visible: Vec<Line> = lines.into_iter().skip(start).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);

    let text = match s.focus.checked_sub(2).and_then(|i| s.questions.get(i)) {
        Some(q) => vec![
            Line::from(Span::styled(q.question.clone(), theme::heading())),
            Line::from(format!("参考答案：{}", q.answer)),
            Line::from(Span::styled(format!("依据：{}", q.basis), theme::dim())),
        ],
        None => vec![Line::from(Span::styled(
            "正在填写被考人员、职务（这里键入的都是文字）：Tab 换栏，Enter 或 Esc 回到题目，\
             再按 y 答对、p 部分答对、n 答错；Ctrl-S 保存。",
            theme::dim(),
        ))],
    };
    let rows = super::text::wrap_lines(&text, detail.width.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(rows).block(Block::bordered().title(" 题目与参考答案 ")),
        detail,
    );
}
