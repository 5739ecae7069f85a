//! Evidence records: kind tabs, the records of the kind, and the rules' verdicts in red/green.

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::evidence::{EvidenceScreen, show_value};
use crate::domain::{AnswerResult, EvidenceKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, s: &EvidenceScreen, ctx: &Ctx) {
    if let Some((_, form)) = &s.editing {
        super::form::draw(frame, area, form);
        return;
    }
    let [tabs, list, verdicts] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(8),
    ])
    .areas(area);
    let tab_spans: Vec<Span> = EvidenceKind::ALL
        .iter()
        .flat_map(|k| {
            let count = s
                .back
                .view
                .evidence
                .iter()
                .filter(|r| r.data.kind == *k)
                .count();
            let style = if *k == s.kind {
                theme::selected()
            } else {
                Style::new()
            };
            [
                Span::styled(format!(" {}（{count}） ", k.label()), style),
                Span::raw(" "),
            ]
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(tab_spans)), tabs);

    let records = s.records();
    let block = Block::bordered().title(format!(" {} ", s.kind.label()));
    let inner = block.inner(list);
    frame.render_widget(block, list);
    if records.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("还没有记录。按 a 新增。", theme::dim())),
            inner,
        );
    } else {
        let form = ctx.catalog.form(s.kind);
        let height = inner.height as usize;
        let start = super::window_start(s.selected, height, records.len());
        let lines: Vec<Line> = records
            .iter()
            .enumerate()
            .skip(start)
            .take(height)
            .map(|(i, r)| {
                // The first few filled-in fields, in the form's order.
                let summary: Vec<String> = form
                    .map(|f| {
                        f.fields
                            .iter()
                            .filter_map(|fd| {
                                r.data
                                    .values
                                    .get(&fd.key)
                                    .map(|v| format!("{}：{}", fd.label, show_value(v)))
                            })
                            .take(4)
                            .collect()
                    })
                    .unwrap_or_default();
                let text = super::fit(&summary.join("  "), inner.width as usize);
                let style = if i == s.selected {
                    theme::selected()
                } else {
                    Style::new()
                };
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    let mut lines = Vec::new();
    let assessment = s.assessment(ctx);
    for v in &assessment.verdicts {
        let (mark, style) = match v.proposed {
            AnswerResult::NonCompliant => ("✗ 建议判“不符合”", theme::bad()),
            _ => ("✓ 建议判“符合”", theme::good()),
        };
        lines.push(Line::from(Span::styled(
            format!("{} {mark}", v.item_code),
            style,
        )));
        for reason in &v.reasons {
            lines.push(Line::from(Span::styled(format!("   {reason}"), style)));
        }
    }
    for note in &assessment.notes {
        lines.push(Line::from(Span::styled(format!("· {note}"), theme::dim())));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "录入证据记录后，这里显示规则给出的建议答案和理由。",
            theme::dim(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered().title(" 规则建议（按 p 采用，也可在检查表中改判并写明理由） "),
        ),
        verdicts,
    );
}
