//! Evidence records: kind tabs, the records of the kind, and the rules' verdicts in red/green.

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::correction::values_of;
use crate::app::screens::evidence::{EvidenceScreen, show_value};
use crate::domain::correction::CORRECTED_MARK;
use crate::domain::{AnswerResult, EvidenceKind, time};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &EvidenceScreen, ctx: &Ctx) {
    let open = s.editing.as_ref().map(|(_, f)| f);
    if let Some(form) = open.or(s.correcting.as_ref().map(|(_, f)| f)) {
        super::form::draw(frame, area, form);
        return;
    }
    // A finalized inspection's records are only corrected: below them, the selected record's
    // history (the original and each correction with its reason) instead of suggestions.
    let finalized = s.back.read_only();
    let panel = if finalized {
        history_lines(s, ctx)
    } else {
        verdict_lines(s, ctx)
    };
    // The panel takes the rows it needs, up to three fifths of the screen (the records keep
    // the rest); beyond that it scrolls (PgUp/PgDn) and the border says so.
    let rows = super::text::wrap_lines(&panel, area.width.saturating_sub(2) as usize);
    let most = (area.height * 3 / 5).max(3);
    let verdict_height = ((rows.len() + 2) as u16).clamp(3, most);
    let [tabs, list, verdicts] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(verdict_height),
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
        let empty = if finalized {
            "这次检查没有这类记录。"
        } else {
            "还没有记录。按 a 新增。"
        };
        frame.render_widget(Paragraph::new(Span::styled(empty, theme::dim())), inner);
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
                // The first few filled-in fields in force, in the form's order.
                let (values, corrected) = values_of(&s.back.view, r);
                let summary: Vec<String> = form
                    .map(|f| {
                        f.fields
                            .iter()
                            .filter_map(|fd| {
                                values
                                    .get(&fd.key)
                                    .map(|v| format!("{}：{}", fd.label, show_value(v)))
                            })
                            .take(4)
                            .collect()
                    })
                    .unwrap_or_default();
                let mark = if corrected { CORRECTED_MARK } else { "" };
                let text = super::fit_with_count(
                    &format!("{mark}{}", summary.join("  ")),
                    s.back.view.attachment_count(r.id(), None),
                    inner.width as usize,
                );
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

    let height = verdicts.height.saturating_sub(2) as usize;
    let total = rows.len();
    let max_scroll = total.saturating_sub(height);
    s.verdict_max.set(max_scroll);
    s.verdict_page.set(height.saturating_sub(1).max(1));
    let top = s.verdict_scroll.min(max_scroll);
    let shown: Vec<Line> = rows.into_iter().skip(top).take(height).collect();
    let title = if finalized {
        " 所选记录的更正经过（按 c 更正，另存为更正记录） "
    } else {
        " 规则建议（按 p 采用，也可在检查表中改判并写明理由） "
    };
    frame.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(title)),
        verdicts,
    );
    if max_scroll > 0 {
        let note = format!(
            " 第 {}–{}/{total} 行 · PgUp/PgDn 翻看 ",
            top + 1,
            top + height.min(total)
        );
        super::border_note(frame, verdicts, &note);
    }
}

/// The selected record of a finalized inspection: the values in force if corrected, the
/// original, and each correction with when, by whom (author id) and why.
fn history_lines(s: &EvidenceScreen, ctx: &Ctx) -> Vec<Line<'static>> {
    let Some(record) = s.records().get(s.selected).copied() else {
        return vec![Line::from(Span::styled(
            "这次检查已定稿：证据记录不能修改，记错的按 c 更正（另存为更正记录，原记录保留）。",
            theme::dim(),
        ))];
    };
    let form = ctx.catalog.form(record.data.kind);
    let label = |key: &str| {
        form.and_then(|f| f.field(key))
            .map_or_else(|| key.to_string(), |f| f.label.clone())
    };
    let corrections = s.back.view.corrections_of(record.id());
    if corrections.is_empty() {
        return vec![Line::from(Span::styled(
            format!(
                "原记录（{}），未更正。按 c 更正：另存为更正记录，原记录保留。",
                time::record_minute(record.meta.created_at)
            ),
            theme::dim(),
        ))];
    }
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "原记录 {} 录入，保留不变；各次更正：",
            time::record_minute(record.meta.created_at)
        ),
        theme::dim(),
    ))];
    let mut before = record.data.values.clone();
    for c in &corrections {
        lines.push(Line::from(Span::styled(
            format!(
                "更正（{}）理由：{}",
                time::record_minute(c.meta.created_at),
                c.data.reason
            ),
            theme::notice(),
        )));
        for (key, value) in &c.data.values {
            if before.get(key) != Some(value) {
                let was = before
                    .get(key)
                    .map(show_value)
                    .unwrap_or_else(|| "（空）".into());
                lines.push(Line::from(format!(
                    "   {}：{was} → {}",
                    label(key),
                    show_value(value)
                )));
            }
        }
        for key in before.keys().filter(|k| !c.data.values.contains_key(*k)) {
            lines.push(Line::from(format!("   {}：已清空", label(key))));
        }
        before = c.data.values.clone();
    }
    lines
}

/// The rules' verdicts with their reasons, and the notes on where they hold back.
fn verdict_lines(s: &EvidenceScreen, ctx: &Ctx) -> Vec<Line<'static>> {
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
    lines
}
