//! The roster screen: the office and its anchor fingerprint, then one of three lists (people
//! with their keys, the roster's history, what waits for a clerk) with the selected row in
//! full beneath; before any roster, what to do at the office and on a laptop.

use super::theme;
use crate::app::keymap::ROSTER_TABS;
use crate::app::msg::RosterData;
use crate::app::screens::Ctx;
use crate::app::screens::roster::{Item, RosterScreen, Row, Tab};
use crate::domain::trust::roster::fingerprint;
use crate::domain::trust::{Person, Roster};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Column widths of the people list before the roles, which take the rest.
const NAME: usize = 12;
const CERT: usize = 18;
const GROUP: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, s: &RosterScreen, ctx: &Ctx) {
    if let Some((_, form)) = &s.form {
        super::form::draw(frame, area, form);
        return;
    }
    let Some(data) = &s.data else {
        frame.render_widget(Paragraph::new("正在读取人员名册……"), area);
        return;
    };
    if let Some(problem) = &data.problem {
        let width = area.width.saturating_sub(2) as usize;
        let lines = wrapped(problem, width, theme::error());
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(" 人员名册无法使用 ")),
            area,
        );
        return;
    }
    let Some(roster) = &data.roster else {
        draw_none(frame, area, data);
        return;
    };
    let rotated = roster.anchor_key != roster.genesis_key;
    // The selected row in full beneath the list, as many lines as it takes (up to five).
    let detail_text = match s.tab {
        Tab::People => s
            .selected_person()
            .map(|p| person_detail(p, roster, ctx))
            .unwrap_or_default(),
        Tab::History => selected_detail(&s.history, s),
        Tab::Pending => selected_detail(&s.pending, s),
    };
    let detail_lines = wrapped(&detail_text, area.width as usize, Style::new());
    let [head, tabs, list, detail] = Layout::vertical([
        Constraint::Length(if rotated { 7 } else { 6 }),
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(detail_lines.len().clamp(1, 5) as u16),
    ])
    .areas(area);
    draw_office(frame, head, roster, data.is_office);
    draw_tabs(frame, tabs, s);
    match s.tab {
        Tab::People => draw_people(frame, list, s, roster, ctx),
        Tab::History => draw_items(
            frame,
            list,
            " 名册历史（不可更改） ",
            &s.history,
            s,
            "名册还没有条目",
        ),
        Tab::Pending => draw_items(
            frame,
            list,
            " 待处理 ",
            &s.pending,
            s,
            "没有留待复核的数据包，也没有未登记的公钥",
        ),
    }
    frame.render_widget(Paragraph::new(detail_lines), detail);
}

/// The whole text of the selected item of the list shown.
fn selected_detail(items: &[Item], s: &RosterScreen) -> String {
    items
        .get(s.selected[s.tab.index()])
        .map(|i| i.detail.clone())
        .unwrap_or_default()
}

/// The office's name, whether this computer is it, and the fingerprint to read aloud.
fn draw_office(frame: &mut Frame, area: Rect, roster: &Roster, is_office: bool) {
    let width = area.width.saturating_sub(2) as usize;
    let (status, style, compare) = if is_office {
        (
            "本机是办公室：在此修改名册，每次修改都是由办公室签名的新条目，历史保留",
            theme::good(),
            "锚定公钥指纹（抄给各位检查人员：他们第一次导入台账时逐组念出核对）：",
        )
    } else {
        (
            "本机是现场电脑：名册只读。人员、角色和公钥在办公室修改，随台账数据包发来",
            theme::notice(),
            "办公室锚定公钥指纹（本机已信任；可与办公室出示的逐组核对）：",
        )
    };
    let mut lines = vec![
        Line::from(Span::styled(
            super::fit(
                &format!("{}（名册 {} 条）", roster.office_name, roster.len),
                width,
            ),
            theme::heading(),
        )),
        Line::from(Span::styled(super::fit(status, width), style)),
        Line::from(super::fit(compare, width)),
        Line::from(Span::styled(
            format!("    {}", spaced(&roster.fingerprint())),
            theme::heading(),
        )),
    ];
    if roster.anchor_key != roster.genesis_key {
        lines.push(Line::from(Span::styled(
            super::fit(
                &format!(
                    "锚定密钥已更换，现用密钥指纹 {}",
                    fingerprint(&roster.anchor_key)
                ),
                width,
            ),
            theme::dim(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" 办公室 ")),
        area,
    );
}

/// A fingerprint with room between its groups and more between its halves, for reading aloud.
fn spaced(fp: &str) -> String {
    let groups: Vec<&str> = fp.split(' ').collect();
    let half = groups.len() / 2;
    if half == 0 {
        return fp.to_string();
    }
    format!(
        "{}    {}",
        groups[..half].join("  "),
        groups[half..].join("  ")
    )
}

fn draw_tabs(frame: &mut Frame, area: Rect, s: &RosterScreen) {
    let mut spans = vec![Span::raw(" ")];
    for tab in Tab::ALL {
        let text = format!(" {} {} ", tab.label(), s.count(tab));
        spans.push(if tab == s.tab {
            Span::styled(text, theme::selected())
        } else {
            Span::raw(text)
        });
        spans.push(Span::raw(" "));
    }
    let used: usize = spans.iter().map(|sp| sp.content.width()).sum();
    let hint = format!("Tab {ROSTER_TABS}");
    if used + hint.width() + 2 <= area.width as usize {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(hint, theme::dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Lines of `text` wrapped to `width`, each in `style`.
fn wrapped(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    super::text::wrap(text, width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// `text` cut or padded to exactly `width` columns, then a space.
fn cell(text: &str, width: usize) -> String {
    let t = super::fit(text, width);
    let pad = width.saturating_sub(t.width());
    format!("{t}{} ", " ".repeat(pad))
}

/// A person's group as people say it: the lead section of a campaign group, else its code.
fn group_label(code: Option<&str>, ctx: &Ctx) -> String {
    match code {
        None => "未分组".into(),
        Some(code) => ctx
            .catalog
            .campaign
            .group(code)
            .map_or_else(|| code.to_string(), |g| g.section.clone()),
    }
}

fn roles_text(p: &Person) -> String {
    if !p.active {
        return "已停用（离开）".into();
    }
    if p.roles.is_empty() {
        return "无角色".into();
    }
    crate::domain::trust::roles::listed(&p.roles)
}

fn draw_people(frame: &mut Frame, area: Rect, s: &RosterScreen, roster: &Roster, ctx: &Ctx) {
    let block = Block::bordered().title(format!(" 人员名册（{} 人） ", roster.people.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let header = format!(
        "{}{}{}角色",
        cell("姓名", NAME),
        cell("执法证号", CERT),
        cell("小组", GROUP)
    );
    let mut lines = vec![Line::from(Span::styled(
        super::fit(&header, width),
        theme::dim(),
    ))];
    let height = inner.height.saturating_sub(1) as usize;
    let selected = s.selected[0];
    let start = super::window_start(selected, height, s.rows.len());
    for (i, row) in s.rows.iter().enumerate().skip(start).take(height) {
        let (text, style) = match row {
            Row::Person(id) => {
                let Some(p) = roster.people.get(id) else {
                    continue;
                };
                let keys = roster
                    .keys
                    .values()
                    .filter(|k| k.person_id == p.id && k.revoked.is_none())
                    .count();
                let mut roles = roles_text(p);
                if keys == 0 && p.active {
                    roles.push_str(" · 未登记公钥");
                }
                let text = format!(
                    "{}{}{}{roles}",
                    cell(&p.name, NAME),
                    cell(
                        if p.cert_no.is_empty() {
                            "—"
                        } else {
                            &p.cert_no
                        },
                        CERT
                    ),
                    cell(&group_label(p.group_code.as_deref(), ctx), GROUP),
                );
                let style = if p.active {
                    theme::heading()
                } else {
                    theme::dim()
                };
                (text, style)
            }
            Row::Key(key) => {
                let revoked = roster.keys.get(key).is_some_and(|k| k.revoked.is_some());
                let text = format!(
                    "  └ 公钥 {}{}",
                    fingerprint(key),
                    if revoked { "（已吊销）" } else { "" }
                );
                (text, if revoked { theme::bad() } else { Style::new() })
            }
        };
        let style = if i == selected {
            theme::selected()
        } else {
            style
        };
        lines.push(Line::from(Span::styled(super::fit(&text, width), style)));
    }
    if s.rows.is_empty() {
        lines.push(Line::from(Span::styled("名册中还没有人员", theme::dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The selected person in full, under the list.
fn person_detail(p: &Person, roster: &Roster, ctx: &Ctx) -> String {
    let group = match p.group_code.as_deref() {
        Some(code) => format!("{}（{code}）", group_label(Some(code), ctx)),
        None => "未分组".into(),
    };
    let keys: Vec<_> = roster
        .keys
        .values()
        .filter(|k| k.person_id == p.id)
        .collect();
    let revoked = keys.iter().filter(|k| k.revoked.is_some()).count();
    let keys = match (keys.len(), revoked) {
        (0, _) => "未登记公钥".to_string(),
        (n, 0) => format!("公钥 {n} 把"),
        (n, r) => format!("公钥 {n} 把（{r} 把已吊销）"),
    };
    let cert = if p.cert_no.is_empty() {
        "无"
    } else {
        &p.cert_no
    };
    let roles = if p.active {
        format!("角色：{}", roles_text(p))
    } else {
        "已停用（离开）".to_string()
    };
    format!(
        "{}，执法证号 {cert}，小组：{group}，{roles}，{keys}",
        p.name
    )
}

/// A list of lines (history, pending) with the selected one highlighted.
fn draw_items(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    items: &[Item],
    s: &RosterScreen,
    empty: &str,
) {
    let block = Block::bordered().title(title.to_string());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let height = inner.height as usize;
    let selected = s.selected[s.tab.index()];
    let start = super::window_start(selected, height, items.len());
    let mut lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, item)| {
            let style = if i == selected {
                theme::selected()
            } else if item.done {
                theme::dim()
            } else {
                Style::new()
            };
            Line::from(Span::styled(super::fit(&item.line, width), style))
        })
        .collect();
    if items.is_empty() {
        lines.push(Line::from(Span::styled(empty.to_string(), theme::dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Before any roster: what to do at the office, and on a laptop.
fn draw_none(frame: &mut Frame, area: Rect, data: &RosterData) {
    let width = area.width.saturating_sub(2) as usize;
    let plain = Style::new();
    let mut lines = wrapped(
        "这里还没有办公室人员名册。名册写明谁是谁、用哪把公钥、能做什么（检查、组长督办、销号签字、内勤编号），由办公室签名。",
        width,
        theme::heading(),
    );
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "在办公室（内勤的电脑）：",
        theme::heading(),
    )));
    match &data.profile_name {
        Some(name) => lines.extend(wrapped(
            &format!(
                "按 i 建立办公室名册：填写办公室名称，选择您除内勤、检查人员外的其他角色。本机执法人员{name}登记为名册的第一个人（内勤、检查人员）。建立后这里显示办公室的锚定公钥指纹，请抄给各位检查人员。"
            ),
            width,
            plain,
        )),
        None => lines.extend(wrapped(
            "先设置本机执法人员档案（名册的第一个人就是本机的内勤）：回首页按 p 设置，再回到这里按 i 建立办公室名册。",
            width,
            theme::notice(),
        )),
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "在现场电脑（检查人员的笔记本）：",
        theme::heading(),
    )));
    lines.extend(wrapped(
        "按 e 把本机公钥写成文件（可直接写到 U 盘上），交给办公室内勤登记；名册随办公室的台账数据包到来。",
        width,
        plain,
    ));
    lines.extend(wrapped(
        "名册随办公室的台账数据包到来：第一次导入时，界面显示办公室的锚定公钥指纹，请与办公室出示的指纹逐组核对，一致才按 y 确认。",
        width,
        plain,
    ));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" 人员名册 ")),
        area,
    );
}

#[cfg(test)]
mod tests {
    //! The roster screen on a `TestBackend` at 80×24 and 120×40 with a fixed clock and a fixed
    //! signed roster: a layout change is a reviewed snapshot diff.

    use crate::app::msg::Msg;
    use crate::app::screens::Ctx;
    use crate::app::screens::roster::tests::{no_roster, on_roster, roster_data};
    use crate::app::state::App;
    use crate::app::tests::{catalog, ch, ctx_at_now, feed, key, typed};
    use crossterm::event::KeyCode;
    use unicode_width::UnicodeWidthStr;

    use crate::ui::tests::render;

    /// Snapshots at both sizes; the footer keeps its last key at 80 columns, and no row is
    /// wider than the terminal (wide characters counted twice).
    fn snap(name: &str, app: &App, ctx: &Ctx) {
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(app, ctx, w, h);
            let footer = screen.lines().last().unwrap_or_default();
            assert!(
                footer.contains("帮助")
                    || footer.contains("更多按键")
                    || footer.contains("返回")
                    || footer.is_empty(),
                "{name} {w}x{h}: footer lost its last key: {footer:?}"
            );
            for line in screen.lines() {
                assert!(line.width() <= w as usize, "{name} {w}x{h}: {line:?}");
            }
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
        }
    }

    /// The display column where `needle` starts on the first row that holds it.
    fn column_of(screen: &str, needle: &str) -> usize {
        screen
            .lines()
            .find_map(|l| l.find(needle).map(|at| l[..at].width()))
            .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
    }

    #[test]
    fn chinese_wraps_anywhere_and_latin_words_stay_whole() {
        let lines =
            super::super::text::wrap("把本机公钥交给办公室登记：paicha keys --export 文件名", 30);
        assert_eq!(
            lines,
            ["把本机公钥交给办公室登记：", "paicha keys --export 文件名"]
        );
        let lines = super::super::text::wrap("按 i 建立办公室名册：填写办公室名称", 20);
        // A line never starts with "：": the character before it goes along.
        assert_eq!(lines, ["按 i 建立办公室名", "册：填写办公室名称"]);
        for line in super::super::text::wrap(&"长".repeat(50), 15) {
            assert!(line.width() <= 15, "{line}");
        }
        assert_eq!(super::super::text::wrap("", 10), [""]);
    }

    #[test]
    fn before_any_roster() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let app = on_roster(no_roster(Some("李建山")));
        snap("roster_none", &app, &ctx);
        let app = on_roster(no_roster(None));
        let screen = render(&app, &ctx, 120, 40);
        assert!(screen.contains("回首页按 p"), "{screen}");
        let mut app = on_roster(no_roster(Some("李建山")));
        feed(&mut app, &ctx, [ch('i')]);
        snap("roster_init_form", &app, &ctx);
    }

    #[test]
    fn at_the_office() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = on_roster(roster_data(true, 0));
        feed(&mut app, &ctx, [key(KeyCode::Down), key(KeyCode::Down)]);
        snap("roster_office", &app, &ctx);
        // Columns line up whatever the names' widths (CJK counted as two columns).
        let screen = render(&app, &ctx, 120, 40);
        assert_eq!(
            column_of(&screen, "14010001"),
            column_of(&screen, "14010002")
        );
        assert_eq!(
            column_of(&screen, "能源股"),
            column_of(&screen, "粮食服务股")
        );
        assert!(screen.contains("（已吊销）"), "{screen}");
        assert!(screen.contains("已停用（离开）"), "{screen}");
        feed(&mut app, &ctx, [ch('a')]);
        snap("roster_add_form", &app, &ctx);
        feed(
            &mut app,
            &ctx,
            [
                key(KeyCode::Esc),
                key(KeyCode::Down),
                key(KeyCode::Down),
                ch('x'),
            ],
        );
        snap("roster_revoke_confirm", &app, &ctx);
        let screen = render(&app, &ctx, 80, 24);
        assert!(
            screen.contains("仍然有效"),
            "the whole prompt shows:\n{screen}"
        );
        feed(&mut app, &ctx, [ch('n'), key(KeyCode::Tab)]);
        snap("roster_history", &app, &ctx);
        feed(&mut app, &ctx, [key(KeyCode::Tab)]);
        snap("roster_pending", &app, &ctx);
        // The help lists every key of the office's table, from the table.
        feed(&mut app, &ctx, [ch('?')]);
        snap("roster_help", &app, &ctx);
    }

    #[test]
    fn a_rotated_anchor_shows_both_fingerprints() {
        use crate::app::screens::roster::tests::{chain, public, sample_bodies};
        use crate::domain::trust::roster::fingerprint;
        use crate::domain::trust::{Body, Roster};
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut bodies = sample_bodies(0);
        bodies.push(Body::Rotate {
            public_key: public(9),
        });
        let mut data = roster_data(true, 0);
        data.entries = chain(bodies);
        data.roster = Some(Roster::from_chain(&data.entries).expect("folds"));
        let app = on_roster(data);
        let screen = render(&app, &ctx, 120, 40);
        let first: Vec<String> = fingerprint(&public(1))
            .split(' ')
            .map(String::from)
            .collect();
        assert!(screen.contains(&first[..4].join("  ")), "{screen}");
        assert!(
            screen.contains(&format!(
                "锚定密钥已更换，现用密钥指纹 {}",
                fingerprint(&public(9))
            )),
            "{screen}"
        );
    }

    #[test]
    fn on_a_laptop_the_list_scrolls_to_its_end() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = on_roster(roster_data(false, 30));
        snap("roster_laptop", &app, &ctx);
        feed(&mut app, &ctx, [key(KeyCode::End)]);
        let screen = render(&app, &ctx, 80, 24);
        assert!(screen.contains("检查员29"), "{screen}");
        assert!(
            !screen.contains("李建山 "),
            "scrolled past the top:\n{screen}"
        );
        feed(&mut app, &ctx, [key(KeyCode::Home)]);
        let screen = render(&app, &ctx, 80, 24);
        assert!(screen.contains("李建山"), "{screen}");
        // What changes are refused with is said in the status line.
        feed(&mut app, &ctx, typed("a"));
        let screen = render(&app, &ctx, 80, 24);
        assert!(screen.contains("名册只读"), "{screen}");
    }

    #[test]
    fn a_refused_roster_is_shown_with_its_reason() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut data = no_roster(Some("李建山"));
        data.problem = Some(
            "办公室名册第 3 条无效：签名无效。名册可能被改动过，paicha 不会按它判断任何人的权限"
                .into(),
        );
        let mut app = App::default();
        app.screen = crate::app::screens::Screen::Roster(Box::default());
        app.update(Msg::RosterLoaded(Box::new(data)), &ctx);
        let screen = render(&app, &ctx, 80, 24);
        assert!(screen.contains("人员名册无法使用"), "{screen}");
        assert!(screen.contains("签名无效"), "{screen}");
    }
}
