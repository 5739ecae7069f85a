//! Review before finalizing: what is unanswered, what failed, what was recorded.

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::review::Review;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, r: &Review, ctx: &Ctx) {
    let s = r.summary_with(ctx);
    let view = &r.back.view;
    let block = Block::bordered().title(format!(" 复核：{} ", view.enterprise.data.name));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::from(format!(
            "检查项 {} 项：已答 {}，不符合 {}，不适用 {}，未答 {}",
            s.total,
            s.total - s.unanswered.len(),
            s.non_compliant.len(),
            s.not_applicable,
            s.unanswered.len()
        )),
        Line::from(format!(
            "登记隐患 {} 个（其中重大 {} 个） · 证据记录 {} 条",
            s.hazards, s.major_hazards, s.evidence
        )),
        Line::from(format!(
            "逢查必考：{} · 执法措施 {} 项",
            if s.exams.is_empty() {
                "未进行".to_string()
            } else {
                s.exams
                    .iter()
                    .map(|(n, p)| format!("{n} {p}%"))
                    .collect::<Vec<_>>()
                    .join("、")
            },
            s.actions.len()
        )),
        Line::from(format!("执法人员：{}", view.inspector_names.join("、"))),
        Line::default(),
    ];
    if !s.major_without_hazard.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "提醒：{} 不符合即属重大事故隐患，但还没有登记隐患（在检查表中选中后按 h）",
                s.major_without_hazard.join("、")
            ),
            theme::bad(),
        )));
    }
    if s.unanswered.is_empty() {
        lines.push(Line::from(Span::styled(
            "全部检查项已作答。按 f 由每位执法人员输入姓名确认后定稿；定稿后记录冻结，不能再修改。",
            theme::good(),
        )));
    } else {
        lines.push(Line::from(Span::styled(
            format!(
                "未作答 {} 项（定稿前须逐项作答，不检查的判“不适用”）：",
                s.unanswered.len()
            ),
            theme::bad(),
        )));
        lines.extend(s.unanswered.iter().map(|t| Line::from(format!("  · {t}"))));
    }
    if !s.non_compliant.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "不符合的检查项：",
            theme::heading(),
        )));
        lines.extend(
            s.non_compliant
                .iter()
                .map(|t| Line::from(format!("  ✗ {t}"))),
        );
    }
    if !view.hazards.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("登记的隐患：", theme::heading())));
        lines.extend(view.hazards.iter().map(|h| {
            let deadline = h.data.fixes.as_ref().map_or("立即整改".to_string(), |f| {
                format!("限 {} 前整改", f.deadline)
            });
            let files = match view.attachment_count(h.id(), None) {
                0 => String::new(),
                n => format!("  附件 {n}"),
            };
            Line::from(format!(
                "  · [{}] {}（{deadline}）{files}",
                h.data.grade.label(),
                h.data.description
            ))
        }));
    }
    let rows = super::text::wrap_lines(&lines, inner.width as usize);
    let height = inner.height as usize;
    let total = rows.len();
    let max_scroll = total.saturating_sub(height);
    r.max_scroll.set(max_scroll);
    r.page.set(height.saturating_sub(1).max(1));
    let start = r.scroll.min(max_scroll);
    let visible: Vec<Line> = rows.into_iter().skip(start).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
    if max_scroll > 0 {
        // Where in the summary this is, on the bottom border.
        let mark = format!(" 第 {}/{total} 行 · j k PgUp PgDn 滚动 ", start + height);
        super::border_note(frame, area, &mark);
    }
}
