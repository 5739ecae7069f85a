//! One hazard of the ledger: its record, its files, and its 办理记录 as rows a cursor moves
//! over (the row under it is what `i` attaches to).

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::hazard_detail::{event_text, steps_hint};
use crate::app::screens::ledger::Detail;
use crate::domain::time;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, d: &Detail, ctx: &Ctx) {
    if let Some((_, form)) = &d.form {
        super::form::draw(frame, area, form);
        return;
    }
    let block = Block::bordered().title(" 隐患办理 ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines = head_lines(d, ctx, width);
    let rows = step_rows(d, width);
    // The steps scroll under the head when they do not fit, keeping the cursor in view.
    let room = (inner.height as usize).saturating_sub(lines.len());
    let start = super::window_start(d.selected.unwrap_or(0), room, rows.len());
    lines.extend(rows.into_iter().skip(start).take(room));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The hazard itself, its files, the campaign's warnings, and the 办理记录 heading.
fn head_lines(d: &Detail, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
    let (hazard, _, status) = d.row.as_ref();
    let h = &hazard.data;
    let today = time::local(ctx.now).date();
    let mut lines = vec![
        Line::from(Span::styled(
            super::fit(
                &format!("[{}] {}", status.grade.label(), status.description),
                width,
            ),
            theme::heading(),
        )),
        Line::from(super::fit(
            &format!(
                "编号：{} · 来源：{} · 状态：{}{}",
                status.number.as_deref().unwrap_or("未编号"),
                h.source.label(),
                status.stage.label(),
                if status.overdue(today) {
                    "（逾期）"
                } else {
                    ""
                }
            ),
            width,
        )),
        Line::from(super::fit(
            // As corrected: a 更正 of 部位 or 依据 shows here, the record keeps what was typed.
            &format!("部位：{} · 依据：{}", status.location, status.basis),
            width,
        )),
    ];
    if let Some(f) = &status.fixes {
        lines.push(Line::from(super::fit(
            &format!(
                "五落实：{} · {} · {} · 时限 {} · {}",
                f.responsible_person, f.measures, f.funds, f.deadline, f.emergency_plan
            ),
            width,
        )));
    }
    if let Some(t) = &status.tracking_person {
        lines.push(Line::from(super::fit(
            &format!("挂牌督办：跟踪督办责任人 {t}"),
            width,
        )));
    }
    if let Some(files) = d.attachment_summary() {
        lines.push(Line::from(Span::styled(
            super::fit(&files, width),
            theme::notice(),
        )));
    }
    for w in &d.notes.warnings {
        lines.push(Line::from(Span::styled(
            super::fit(&format!("提示：{w}"), width),
            theme::bad(),
        )));
    }
    lines.push(Line::default());
    let mut heading = vec![Span::styled("办理记录", theme::heading())];
    if !d.row.1.is_empty() {
        heading.push(Span::styled(
            super::fit(&format!("（{}）", steps_hint()), width.saturating_sub(8)),
            theme::dim(),
        ));
    }
    lines.push(Line::from(heading));
    lines
}

/// One row per step, the one under the cursor highlighted, each ending with its file count.
fn step_rows(d: &Detail, width: usize) -> Vec<Line<'static>> {
    d.row
        .1
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let note = if e.data.note.is_empty() {
                String::new()
            } else {
                format!("：{}", e.data.note)
            };
            let text = format!(
                "  {}  {}{note}",
                time::local(e.data.occurred_at).format("%Y-%m-%d %H:%M"),
                event_text(&e.data)
            );
            let style = if d.selected == Some(i) {
                theme::selected()
            } else {
                Style::new()
            };
            let row = super::fit_with_count(&text, d.attachment_count(e.id()), width);
            Line::from(Span::styled(row, style))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::app::msg::{HazardNotes, Msg};
    use crate::app::tests::{attachment, catalog, corrected_hazard, ctx_at_now, feed, key};
    use crate::domain::attachment::{PhotoRole, TargetKind};
    use crate::ui::ledger::tests::{ledger_app, snap};
    use crossterm::event::KeyCode;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;

    #[test]
    fn the_detail_counts_its_files_and_highlights_the_step_under_the_cursor() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut row = corrected_hazard();
        // A long note: the row is cut, its count is not.
        row.1[2].data.note =
            "县安委办要求每周报告整改进度，直至验收销号为止，逾期未报的约谈主要负责人".into();
        let (hazard, first, last) = (row.0.id(), row.1[0].id(), row.1[2].id());
        let notes = HazardNotes {
            attachments: vec![
                attachment(hazard, TargetKind::Hazard, Some(PhotoRole::Before)),
                attachment(hazard, TargetKind::Hazard, None),
                attachment(last, TargetKind::HazardEvent, Some(PhotoRole::After)),
                attachment(last, TargetKind::HazardEvent, Some(PhotoRole::After)),
                attachment(first, TargetKind::HazardEvent, None),
            ],
            ..Default::default()
        };
        let mut app = ledger_app();
        feed(
            &mut app,
            &ctx,
            [
                Msg::HazardLoaded(Box::new(row), notes),
                key(KeyCode::Down),
                key(KeyCode::Down),
            ],
        );
        snap("ledger_detail_files", &app);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = crate::ui::tests::render(&app, &ctx, w, h);
            assert!(
                screen.contains("附件：5 个（整改前 1 · 整改后 2）"),
                "{w}x{h}: {screen}"
            );
            let rows: Vec<&str> = screen
                .lines()
                .filter(|l| l.contains("2023-08-15"))
                .collect();
            assert_eq!(rows.len(), 3, "{screen}");
            assert!(
                rows[0].trim_end_matches([' ', '│']).ends_with("附件 1"),
                "{w}x{h}: {screen}"
            );
            assert!(!rows[1].contains("附件"), "{w}x{h}: {screen}");
            assert!(
                rows[2].trim_end_matches([' ', '│']).ends_with("附件 2"),
                "{w}x{h}: {screen}"
            );
            assert!(
                screen.contains("办理记录（↑↓ 选择，按 i 给所选记录添加附件）"),
                "{screen}"
            );
        }
        // Two ↓: the second step's row, and only it, is highlighted (the footer's keys aside).
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        terminal
            .draw(|f| crate::ui::draw(f, &app, &ctx))
            .expect("draw");
        let buffer = terminal.backend().buffer();
        let highlighted: Vec<u16> = (1..39)
            .filter(|&y| buffer[(1, y)].modifier.contains(Modifier::REVERSED))
            .collect();
        let screen = crate::ui::tests::render(&app, &ctx, 120, 40);
        let row = screen
            .lines()
            .position(|l| l.contains("更正依据为"))
            .expect("row");
        assert_eq!(highlighted, [row as u16]);
    }

    #[test]
    fn nothing_attached_shows_no_files_line() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = ledger_app();
        feed(
            &mut app,
            &ctx,
            [Msg::HazardLoaded(
                Box::new(corrected_hazard()),
                HazardNotes::default(),
            )],
        );
        let screen = crate::ui::tests::render(&app, &ctx, 120, 40);
        assert!(!screen.contains("附件："), "{screen}");
    }
}
