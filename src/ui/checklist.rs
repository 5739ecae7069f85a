//! The checklist screen: sections with progress, items with their answers, and the selected
//! item's question, guidance, basis and note. Only the visible rows are drawn.

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::checklist::{Checklist, Pane};
use crate::domain::{AnswerResult, time};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn mark(result: AnswerResult) -> (&'static str, Style) {
    match result {
        AnswerResult::Compliant => ("✓", theme::good()),
        AnswerResult::NonCompliant => ("✗", theme::bad()),
        AnswerResult::NotApplicable => ("—", theme::dim()),
        AnswerResult::Unchecked => ("·", theme::dim()),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, c: &Checklist, ctx: &Ctx) {
    if let Some(form) = c.addendum.as_ref().or(c.times.as_ref()) {
        super::form::draw(frame, area, form);
        return;
    }
    let view = &c.view;
    let detail_lines = detail(c, ctx);
    // The detail pane grows with what it has to say (up to half the screen), so the basis and
    // the note of the selected item are never cut off.
    let inner_width = area.width.saturating_sub(2).max(1) as usize;
    let mut detail_rows = super::text::wrap_lines(&detail_lines, inner_width);
    let detail_height = ((detail_rows.len() + 2) as u16).clamp(5, (area.height / 2).max(5));
    // Longer than half the screen: the last row shown says that more follows.
    let room = detail_height.saturating_sub(2) as usize;
    if detail_rows.len() > room && room > 0 {
        detail_rows.truncate(room);
        let more = "……（窗口太矮，未显示完）";
        if let Some(last) = detail_rows.last_mut() {
            let keep = inner_width.saturating_sub(unicode_width::UnicodeWidthStr::width(more));
            let mut text = String::new();
            for c in last.to_string().chars() {
                if unicode_width::UnicodeWidthStr::width(text.as_str())
                    + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
                    > keep
                {
                    break;
                }
                text.push(c);
            }
            *last = Line::from(vec![Span::raw(text), Span::styled(more, theme::dim())]);
        }
    }
    let [header, main, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(detail_height),
    ])
    .areas(area);
    let non_compliant = view
        .answers
        .values()
        .filter(|(r, _)| *r == AnswerResult::NonCompliant)
        .count();
    // The figures first: on a narrow screen the name is what gets cut. A finalized visit leads
    // with its times in force (a corrected one marked), a draft shows its arrival last.
    let figures = format!(
        "已答 {}/{} · 不符合 {} · 隐患 {} · {} · {}",
        view.answered(),
        c.items().len(),
        non_compliant,
        view.hazards.len(),
        view.enterprise.data.name,
        view.inspection.data.mode.label(),
    );
    let visit = view.visit();
    let head = if c.read_only() {
        let until = visit
            .departure
            .map(|t| time::local(t).format("%H:%M").to_string())
            .unwrap_or_default();
        let mark = if visit.corrected {
            crate::domain::correction::CORRECTED_MARK
        } else {
            ""
        };
        format!(
            "【已定稿·只读】{}–{until}{mark} · {figures}",
            time::local(visit.arrival).format("%m-%d %H:%M"),
        )
    } else {
        format!(
            "{figures} · 到达 {}",
            time::local(visit.arrival).format("%m-%d %H:%M")
        )
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            super::fit(&head, header.width as usize),
            theme::heading(),
        )),
        header,
    );

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(30), Constraint::Percentage(70)]).areas(main);
    draw_sections(frame, left, c);
    draw_items(frame, right, c);
    let title = c
        .current()
        .map_or(String::new(), |i| format!(" {} ", i.section));
    frame.render_widget(
        Paragraph::new(detail_rows).block(Block::bordered().title(super::fit(&title, inner_width))),
        detail_area,
    );
}

fn pane_block(title: &str, focused: bool) -> Block<'_> {
    let block = Block::bordered().title(title);
    if focused {
        block.border_style(theme::notice())
    } else {
        block
    }
}

fn draw_sections(frame: &mut Frame, area: Rect, c: &Checklist) {
    let block = pane_block(" 分组 ", c.pane == Pane::Sections);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let current = c.section_of(c.selected);
    let width = inner.width as usize;
    let height = inner.height as usize;
    let start = super::window_start(current, height, c.sections.len());
    let lines: Vec<Line> = c
        .sections
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, s)| {
            let items = &c.items()[s.start..s.end];
            let answered = items
                .iter()
                .filter(|it| c.view.result(&it.code) != AnswerResult::Unchecked)
                .count();
            let bad = items
                .iter()
                .filter(|it| c.view.result(&it.code) == AnswerResult::NonCompliant)
                .count();
            let progress = if bad > 0 {
                format!(" {answered}/{} ✗{bad}", items.len())
            } else {
                format!(" {answered}/{}", items.len())
            };
            let title_width =
                width.saturating_sub(unicode_width::UnicodeWidthStr::width(progress.as_str()));
            let text = format!("{}{progress}", super::fit(&s.title, title_width));
            let style = if i == current {
                theme::selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_items(frame: &mut Frame, area: Rect, c: &Checklist) {
    let block = pane_block(" 检查项 ", c.pane == Pane::Items);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let width = inner.width as usize;
    let start = super::window_start(c.selected, height, c.items().len());
    let lines: Vec<Line> = c
        .items()
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, item)| {
            let (symbol, style) = mark(c.view.result(&item.code));
            // The note mark goes before the text, where truncation cannot hide it.
            let note = if c.view.note(&item.code).is_empty() {
                " "
            } else {
                "✎"
            };
            let text = super::fit(
                &format!("{note}{} {}", item.code, item.question),
                width.saturating_sub(2),
            );
            let row_style = if i == c.selected {
                theme::selected()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{symbol} "), style),
                Span::styled(text, row_style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the detail pane says about the selected item.
fn detail<'a>(c: &Checklist, ctx: &Ctx) -> Vec<Line<'a>> {
    let Some(item) = c.current() else {
        return vec![];
    };
    let day = crate::domain::time::local(c.view.inspection.data.arrival_at).date();
    let template = ctx
        .catalog
        .item(&item.template_id, &item.code, Some(day))
        .cloned();
    let result = c.view.result(&item.code);
    let (symbol, style) = mark(result);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}：", item.code), theme::heading()),
        Span::raw(item.question.clone()),
        Span::styled(format!("  {symbol} {}", result.label()), style),
    ])];
    if let Some(t) = &template {
        if t.major_hazard {
            lines.push(Line::from(Span::styled(
                "不符合即属重大事故隐患",
                theme::bad(),
            )));
        }
        lines.push(Line::from(format!("检查指引：{}", t.guidance)));
    }
    lines.push(Line::from(Span::styled(
        format!("依据：{}", item.basis),
        theme::dim(),
    )));
    let attached = c.view.attachment_count(c.view.id(), Some(&item.code));
    if attached > 0 {
        lines.push(Line::from(Span::styled(
            format!("附件 {attached}（照片/视频，按 i 再添加）"),
            theme::notice(),
        )));
    }
    let note = c.view.note(&item.code);
    if !note.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("备注：{}", note.replace('\n', " / ")),
            theme::notice(),
        )));
    }
    lines
}
