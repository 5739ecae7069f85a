//! Drawing only: one module per screen, shared widgets and theme. No I/O, no state changes.

mod actions;
mod attach;
mod attach_stored;
mod backup;
mod checklist;
mod documents;
mod evidence;
mod exam;
mod exchange;
mod form;
mod hazard_detail;
pub mod home;
pub(crate) mod ledger;
mod monthly;
mod office;
mod overlays;
mod popup;
mod report;
mod review;
mod roster;
mod setup;
mod text;
pub mod theme;

use crate::app::keymap::{self, Binding};
use crate::app::screens::exchange::Stage;
use crate::app::screens::overlays::Overlay;
use crate::app::screens::{Ctx, Screen};
use crate::app::state::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Below this the layout cannot hold; the screen says so instead of breaking.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(frame: &mut Frame, app: &App, ctx: &Ctx) {
    let area = frame.area();
    // Every cell is drawn afresh: nothing of a previous screen (a border, a wide character)
    // survives a change of layout.
    frame.render_widget(Clear, area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "终端窗口太小（现在 {}×{}，至少 {MIN_WIDTH}×{MIN_HEIGHT}），请放大窗口；放大前按键不起作用",
            area.width, area.height
        );
        let lines: Vec<Line> = text::wrap(&text, area.width as usize)
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // A message is shown whole, wrapped over as many lines as it needs (a refusal names who may
    // do what: cut at the edge it would say nothing), up to four.
    let notice_lines: Vec<String> = app
        .notice
        .as_ref()
        .map(|n| text::wrap(&n.text, area.width as usize))
        .unwrap_or_default()
        .into_iter()
        .take(4)
        .collect();
    let [top, body, notice, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_lines.len().max(1) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(frame, top, app);
    match &app.screen {
        Screen::Home(s) => home::draw(frame, body, s, ctx),
        Screen::Setup(s) => setup::draw(frame, body, s),
        Screen::Checklist(s) => checklist::draw(frame, body, s, ctx),
        Screen::Hazard(s) => form::draw(frame, body, &s.form),
        Screen::Evidence(s) => evidence::draw(frame, body, s, ctx),
        Screen::Exam(s) => exam::draw(frame, body, s),
        Screen::Actions(s) => actions::draw(frame, body, s),
        Screen::Review(s) => review::draw(frame, body, s, ctx),
        Screen::Ledger(s) => ledger::draw(frame, body, s, ctx),
        Screen::Exchange(s) => exchange::draw(frame, body, s),
        Screen::Monthly(s) => monthly::draw(frame, body, s),
        Screen::Roster(s) => roster::draw(frame, body, s, ctx),
        Screen::Documents(s) => documents::draw(frame, body, s),
    }
    for overlay in &app.overlays {
        overlays::draw(frame, body, overlay);
    }
    if let Some(n) = &app.notice {
        let style = if n.error {
            theme::error()
        } else {
            theme::notice()
        };
        let lines: Vec<Line> = notice_lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect();
        frame.render_widget(Paragraph::new(lines), notice);
    }
    let saved = app.saved_at.map(|t| {
        format!(
            "已保存 {}",
            crate::domain::time::local(t).format("%H:%M:%S")
        )
    });
    footer_bar(frame, footer, active_keys(app), saved);
}

fn title_bar(frame: &mut Frame, area: Rect, app: &App) {
    let name = match &app.screen {
        Screen::Home(_) => "首页",
        Screen::Setup(_) => "检查准备",
        Screen::Checklist(_) => "逐项检查",
        Screen::Hazard(_) => "登记隐患",
        Screen::Evidence(_) => "证据记录",
        Screen::Exam(_) => "逢查必考",
        Screen::Actions(_) => "执法措施",
        Screen::Review(_) => "复核定稿",
        Screen::Ledger(_) => "隐患台账",
        Screen::Exchange(_) => "数据包",
        Screen::Monthly(_) => "月度调度表",
        Screen::Roster(_) => "人员名册",
        Screen::Documents(_) => "执法文书",
    };
    let left = format!(" 排查 paicha · {name}");
    let pad = (area.width as usize).saturating_sub(left.width());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, theme::title()),
            Span::styled(" ".repeat(pad), theme::title()),
        ])),
        area,
    );
}

/// The keys of whatever has the focus: the top overlay, else the screen.
fn active_keys(app: &App) -> &'static [Binding] {
    match app.overlays.last() {
        Some(Overlay::Picker(p)) if p.creating.is_some() => keymap::FORM,
        Some(Overlay::Picker(_)) => keymap::PICKER,
        Some(Overlay::Note(_)) => keymap::NOTE,
        Some(Overlay::Attach(b)) if b.showing_attached => keymap::ATTACH_STORED,
        Some(Overlay::Attach(_)) => keymap::ATTACH,
        Some(Overlay::Backup(_)) => keymap::BACKUP,
        Some(Overlay::Help(_)) => keymap::HELP_VIEW,
        Some(Overlay::Confirm(_)) | Some(Overlay::Sign(_)) => &[],
        None => match &app.screen {
            Screen::Home(h) if h.profile.is_some() || h.import.is_some() => keymap::FORM,
            Screen::Home(_) => keymap::HOME,
            Screen::Setup(_) => keymap::SETUP,
            Screen::Checklist(c) if c.addendum.is_some() || c.times.is_some() => keymap::FORM,
            Screen::Checklist(c) if c.read_only() => keymap::FINALIZED,
            Screen::Checklist(_) => keymap::CHECKLIST,
            Screen::Hazard(_) => keymap::FORM,
            Screen::Evidence(e) if e.editing.is_some() || e.correcting.is_some() => keymap::FORM,
            Screen::Evidence(e) if e.back.read_only() => keymap::EVIDENCE_FINALIZED,
            Screen::Evidence(_) => keymap::EVIDENCE,
            Screen::Exam(e) if e.editing => keymap::EXAM_EDIT,
            Screen::Exam(_) => keymap::EXAM,
            Screen::Actions(a) if a.form.is_some() => keymap::FORM,
            Screen::Actions(_) => keymap::ACTIONS,
            Screen::Review(_) => keymap::REVIEW,
            Screen::Ledger(l) if l.office.is_some() => keymap::FORM,
            Screen::Ledger(l) if l.report.is_some() => keymap::REPORT,
            Screen::Ledger(l) => match &l.detail {
                Some(d) if d.form.is_some() => keymap::FORM,
                Some(_) => keymap::HAZARD_DETAIL,
                None => keymap::LEDGER,
            },
            Screen::Monthly(m) if m.form.is_some() => keymap::FORM,
            Screen::Monthly(m) => match &m.list {
                Some(l) if l.export.is_some() => keymap::SAVE_PATH,
                Some(_) => keymap::MONTH_LIST,
                None if m.explain.is_some() => keymap::EXPLAIN,
                None => keymap::MONTHLY,
            },
            Screen::Roster(r) => r.keys(),
            Screen::Documents(d) => d.keys(),
            Screen::Exchange(x) => match x.stage {
                Stage::Ask(_) => keymap::FORM,
                Stage::Running { .. } => keymap::RUNNING,
                Stage::Preview { anything: true, .. } => keymap::PREVIEW,
                Stage::Preview { .. } => keymap::PREVIEW_NOTHING,
                Stage::TrustOffice { .. } => keymap::TRUST_OFFICE,
                Stage::Finished { .. } => keymap::FINISHED,
            },
        },
    }
}

/// The keys of the layer in focus, the most important ones that fit (the help key last, saying
/// where the rest are), and at the right "已保存 HH:MM:SS" once something was saved.
fn footer_bar(frame: &mut Frame, area: Rect, table: &[Binding], saved: Option<String>) {
    let saved = saved.unwrap_or_default();
    let width = area.width as usize;
    let room = if saved.is_empty() {
        width
    } else {
        width.saturating_sub(saved.width() + 1)
    };
    let items = keymap::footer(table, room);
    let mut spans = Vec::new();
    for (i, (key, label)) in items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!(" {key} "), theme::key()));
        spans.push(Span::raw(*label));
    }
    let used = keymap::footer_width(&items);
    spans.push(Span::raw(
        " ".repeat(width.saturating_sub(used + saved.width())),
    ));
    spans.push(Span::styled(saved, theme::good()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `text` cut to `width` display columns, with "…" when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The end of `text` within `width` columns, with "…" in front when cut: the part being typed
/// stays in view.
pub fn fit_tail(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    kept.reverse();
    format!("…{}", kept.into_iter().collect::<String>())
}

/// Puts the terminal's own cursor after `before` on row `y` starting at `x`: an input method
/// shows its composition window at the cursor.
pub fn place_cursor(frame: &mut Frame, x: u16, y: u16, before: &str) {
    let x = x.saturating_add(before.width() as u16);
    let area = frame.area();
    if x < area.right() && y < area.bottom() {
        frame.set_cursor_position((x, y));
    }
}

/// A short note on the bottom border of the bordered `area`, at the right: where a scrolled
/// panel is and how to move it.
pub fn border_note(frame: &mut Frame, area: Rect, note: &str) {
    if area.height < 2 || area.width < 6 {
        return;
    }
    let note = fit(note, area.width as usize - 4);
    let width = note.width() as u16;
    let rect = Rect {
        x: area.right() - 2 - width,
        y: area.bottom() - 1,
        width,
        height: 1,
    };
    frame.render_widget(Paragraph::new(Span::styled(note, theme::dim())), rect);
}

/// The first row to show so that `selected` stays in a window of `height` rows.
/// `text` cut to leave room for "  附件 N" (when `count` > 0), which is never cut: the count is
/// what says a row has files.
pub fn fit_with_count(text: &str, count: usize, width: usize) -> String {
    if count == 0 {
        return fit(text, width);
    }
    let tail = format!("  附件 {count}");
    let room = width.saturating_sub(tail.width());
    format!("{}{tail}", fit(text, room))
}

pub fn window_start(selected: usize, height: usize, len: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    selected.saturating_sub(height / 2).min(len - height)
}

#[cfg(test)]
mod correction_tests;
#[cfg(test)]
mod counts_tests;
#[cfg(test)]
mod loose_form_tests;
#[cfg(test)]
mod office_tests;
#[cfg(test)]
pub(crate) mod tests;
