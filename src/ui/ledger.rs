//! The hazard ledger table (only the visible window is built) and one hazard's history.

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::ledger::Ledger;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, area: Rect, l: &Ledger, ctx: &Ctx) {
    if let Some(office) = &l.office {
        super::form::draw(frame, area, &office.form);
        return;
    }
    if let Some(report) = &l.report {
        super::report::draw(frame, area, report);
        return;
    }
    if let Some(detail) = &l.detail {
        super::hazard_detail::draw(frame, area, detail, ctx);
        return;
    }
    let Some(index) = &l.index else {
        frame.render_widget(Paragraph::new("正在读取隐患台账……"), area);
        return;
    };
    let [filters, table] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let mut parts = vec![format!(
        "共 {} 个，显示 {} 个",
        index.rows.len(),
        l.visible.len()
    )];
    if let Some(s) = l.stage {
        parts.push(format!("状态：{}", s.label()));
    }
    if let Some(g) = l.grade {
        parts.push(format!("等级：{}", g.label()));
    }
    if let Some(s) = l.source {
        parts.push(format!("来源：{}", s.label()));
    }
    if l.overdue_only {
        parts.push("只看逾期".into());
    }
    if l.listed_only {
        parts.push("只看挂牌督办".into());
    }
    if let Some(t) = &l.town {
        parts.push(format!("乡镇：{t}"));
    }
    if let Some(g) = &l.group {
        parts.push(format!("检查组：{g}"));
    }
    parts.push(format!("按{}排序", l.sort.label()));
    if l.searching || !l.query.is_empty() {
        parts.push(format!("搜索：{}", l.query));
    }
    let line = super::fit(&parts.join(" · "), filters.width as usize);
    frame.render_widget(
        Paragraph::new(Span::styled(line.clone(), theme::heading())),
        filters,
    );
    if l.searching {
        super::place_cursor(frame, filters.x, filters.y, &line);
    }

    let block = Block::bordered().title(" 隐患台账 ");
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let width = inner.width as usize;
    let height = inner.height.saturating_sub(1) as usize;
    let days = days_width(&index.rows);
    let columns = columns_for(width, days);
    let cell = |text: &str, w: usize| {
        let t = super::fit(text, w);
        let pad = w.saturating_sub(t.width());
        format!("{t}{} ", " ".repeat(pad))
    };
    let mut header: String = columns
        .iter()
        .map(|c| cell(c.title(), c.width(days)))
        .collect();
    header.push_str("描述");
    let mut lines = vec![Line::from(Span::styled(
        super::fit(&header, width),
        theme::dim(),
    ))];
    let start = super::window_start(l.selected, height, l.visible.len());
    for (pos, &i) in l.visible.iter().enumerate().skip(start).take(height) {
        let r = &index.rows[i];
        let mut text: String = columns
            .iter()
            .map(|c| cell(&c.value(r), c.width(days)))
            .collect();
        // Too narrow for the 督办人 column: a mark before the description (the detail names
        // the person).
        if !columns.contains(&Column::Listed) && r.listed() {
            text.push_str("[督] ");
        }
        text.push_str(&r.description);
        let style = if pos == l.selected {
            theme::selected()
        } else if r.overdue {
            theme::bad()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(super::fit(&text, width), style)));
    }
    if l.visible.is_empty() {
        lines.push(Line::from(Span::styled("没有符合条件的隐患", theme::dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The ledger's columns before the description, which takes the rest of the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Number,
    Enterprise,
    Grade,
    Source,
    Stage,
    Deadline,
    DaysLeft,
    Group,
    Listed,
}

/// The description keeps at least this many columns; optional columns make room for it.
const MIN_DESCRIPTION: usize = 20;

impl Column {
    const ALL: [Column; 9] = [
        Column::Number,
        Column::Enterprise,
        Column::Grade,
        Column::Source,
        Column::Stage,
        Column::Deadline,
        Column::DaysLeft,
        Column::Group,
        Column::Listed,
    ];
    /// Dropped first to last when the terminal is narrow.
    const OPTIONAL: [Column; 4] = [
        Column::Group,
        Column::Source,
        Column::Listed,
        Column::Deadline,
    ];

    fn title(self) -> &'static str {
        match self {
            Column::Number => "编号",
            Column::Enterprise => "企业",
            Column::Grade => "等级",
            Column::Source => "来源",
            Column::Stage => "状态",
            Column::Deadline => "时限",
            Column::DaysLeft => "剩余",
            Column::Group => "检查组",
            Column::Listed => "督办人",
        }
    }

    /// `days`: the width of the 剩余 column, from the day counts there are.
    fn width(self, days: usize) -> usize {
        match self {
            Column::Number => 16,
            Column::Enterprise => 17,
            Column::Grade => 4,
            Column::Source => 8,
            Column::Stage => 11,
            Column::Deadline => 10,
            Column::DaysLeft => days,
            Column::Group => 10,
            Column::Listed => 8,
        }
    }

    fn value(self, r: &crate::app::msg::LedgerRowView) -> String {
        match self {
            Column::Number => r.number.clone().unwrap_or_else(|| "（未编号）".into()),
            Column::Enterprise => r.enterprise.clone(),
            Column::Grade => r.grade.label().into(),
            Column::Source => r.source.label().into(),
            Column::Stage if r.overdue => format!("{}·逾期", r.stage.label()),
            Column::Stage => r.stage.label().into(),
            Column::Deadline => r.deadline.map(|d| d.to_string()).unwrap_or_default(),
            Column::DaysLeft => r.days_left.map(|d| d.to_string()).unwrap_or_default(),
            Column::Group => r.group.clone(),
            Column::Listed => r.tracking_person.clone().unwrap_or_default(),
        }
    }
}

/// The width of the 剩余 column: its title's, or the longest day count's (e.g. "-1234"),
/// whatever the counts are — never cut.
fn days_width(rows: &[crate::app::msg::LedgerRowView]) -> usize {
    let (low, high) = rows
        .iter()
        .filter_map(|r| r.days_left)
        .fold((0i64, 0i64), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let digits = |n: i64| n.unsigned_abs().checked_ilog10().unwrap_or(0) as usize + 1;
    let widest = digits(high).max(digits(low) + usize::from(low < 0));
    widest.max("剩余".width())
}

/// The columns that fit in `width` with room for the description (`days`: the 剩余 width).
fn columns_for(width: usize, days: usize) -> Vec<Column> {
    let mut shown = Column::ALL.to_vec();
    let used = |cols: &[Column]| cols.iter().map(|c| c.width(days) + 1).sum::<usize>();
    for drop in Column::OPTIONAL {
        if used(&shown) + MIN_DESCRIPTION <= width {
            break;
        }
        shown.retain(|c| *c != drop);
    }
    shown
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_drop_optional_columns_to_keep_the_description() {
        let room = |w: usize| {
            w - columns_for(w, 4)
                .iter()
                .map(|c| c.width(4) + 1)
                .sum::<usize>()
        };
        assert_eq!(columns_for(118, 4).len(), Column::ALL.len());
        let narrow = columns_for(78, 4);
        assert!(room(78) >= MIN_DESCRIPTION, "{narrow:?}");
        for kept in [Column::Number, Column::Enterprise, Column::Stage] {
            assert!(narrow.contains(&kept));
        }
        assert!(!narrow.contains(&Column::Group), "检查组 goes first");
    }

    use crate::app::msg::{HazardNotes, LedgerIndex, Msg};
    use crate::app::screens::Screen;
    use crate::app::state::App;
    use crate::app::tests::{catalog, corrected_hazard, ctx_at_now, ledger_index, now};
    use crate::domain::HazardGrade;
    use crate::domain::lifecycle::Stage;
    use std::sync::Arc;

    /// Six hazards, the first overdue by 1 234 days and listed (挂牌督办 by 李建华).
    fn long_overdue() -> Arc<LedgerIndex> {
        let today = crate::domain::time::local(now()).date();
        let mut rows = ledger_index(6).rows.clone();
        for r in &mut rows {
            r.tracking_person = None;
        }
        rows[0].days_left = Some(-1234);
        rows[0].deadline = Some(today - chrono::Days::new(1234));
        rows[0].overdue = true;
        rows[0].stage = Stage::Rectifying;
        rows[0].grade = HazardGrade::Major;
        rows[0].tracking_person = Some("李建华".into());
        rows[3].days_left = Some(1234);
        Arc::new(LedgerIndex::new(rows))
    }

    pub(in crate::ui) fn ledger_app() -> App {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = App {
            screen: Screen::Ledger(Default::default()),
            ..App::default()
        };
        app.update(Msg::LedgerLoaded(long_overdue()), &ctx);
        app
    }

    pub(in crate::ui) fn snap(name: &str, app: &App) {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = crate::ui::tests::render(app, &ctx, w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
        }
    }

    #[test]
    fn a_four_digit_overdue_is_shown_whole_and_a_listed_hazard_is_marked() {
        let app = ledger_app();
        snap("ledger_long_overdue", &app);
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = crate::ui::tests::render(&app, &ctx, w, h);
            assert!(screen.contains("-1234 "), "{w}x{h}: {screen}");
            assert!(!screen.contains("-12…"), "{w}x{h}: {screen}");
            let listed = if w == 80 { "[督]" } else { "李建华" };
            assert!(screen.contains(listed), "{w}x{h}: {screen}");
        }
    }

    #[test]
    fn days_width_fits_any_count() {
        let mut rows = ledger_index(2).rows.clone();
        rows[0].days_left = Some(-10);
        rows[1].days_left = None;
        assert_eq!(days_width(&rows), 4, "the title's width");
        rows[1].days_left = Some(-12345);
        assert_eq!(days_width(&rows), 6);
        rows[1].days_left = Some(123456);
        assert_eq!(days_width(&rows), 6);
        rows[1].days_left = Some(i64::MIN);
        assert_eq!(days_width(&rows), 20);
    }

    #[test]
    fn the_detail_shows_corrections_in_chinese_and_the_corrected_location() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = ledger_app();
        app.update(
            Msg::HazardLoaded(Box::new(corrected_hazard()), HazardNotes::default()),
            &ctx,
        );
        snap("ledger_detail_corrected", &app);
        let screen = crate::ui::tests::render(&app, &ctx, 120, 40);
        assert!(screen.contains("部位：3号储罐区"), "{screen}");
        assert!(
            screen.contains("依据：GB 50156-2021 第5.0.10条"),
            "{screen}"
        );
        assert!(screen.contains("更正部位为“3号储罐区”"), "{screen}");
        assert!(!screen.contains("location"), "{screen}");
        assert!(screen.contains("跟踪督办责任人 李建华"), "{screen}");
    }

    #[test]
    fn a_refused_step_is_said_whole_at_80_columns() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = ledger_app();
        app.update(
            Msg::HazardLoaded(Box::new(corrected_hazard()), HazardNotes::default()),
            &ctx,
        );
        crate::app::tests::feed(&mut app, &ctx, [crate::app::tests::ch('x')]);
        snap("ledger_detail_refused", &app);
        let said =
            "隐患在“登记”：先按 z 进入整改中，再按 b 报告整改完成，再按 y 复查验收，然后才能销号";
        let screen = crate::ui::tests::render(&app, &ctx, 80, 24);
        let flat: String = screen.lines().map(str::trim).collect();
        assert!(flat.contains(said), "{screen}");
    }
}
