//! The spot exam: who is examined, the drawn questions with their reference answers (for the
//! inspector's eyes), and each answer's mark.

use super::theme;
use crate::app::screens::exam::ExamScreen;
use crate::domain::ExamOutcome;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, s: &ExamScreen) {
    let block = Block::bordered().title(" 逢查必考（参考答案仅供执法人员查看） ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
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
            Span::styled(format!("{}▏", s.name), style(0)),
        ]),
        Line::from(vec![
            Span::raw("职务："),
            Span::styled(format!("{}▏", s.role), style(1)),
        ]),
        Line::default(),
    ];
    for (i, (q, outcome)) in s.questions.iter().zip(&s.outcomes).enumerate() {
        let (mark, mark_style) = match outcome {
            Some(ExamOutcome::Correct) => ("✓ 答对", theme::good()),
            Some(ExamOutcome::Partial) => ("◐ 部分答对", theme::notice()),
            Some(ExamOutcome::Wrong) => ("✗ 答错", theme::bad()),
            None => ("· 未评判", theme::dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{}、{}", i + 1, q.question), style(i + 2)),
            Span::styled(format!("  {mark}"), mark_style),
        ]));
        if s.focus == i + 2 {
            lines.push(Line::from(Span::styled(
                format!("   参考答案：{}", q.answer),
                theme::dim(),
            )));
            lines.push(Line::from(Span::styled(
                format!("   依据：{}", q.basis),
                theme::dim(),
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
