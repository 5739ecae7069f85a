//! The home screen: what to resume, what is open, what is due, how to start.

use super::theme;
use crate::app::screens::Ctx;
use crate::app::screens::home::Home;
use crate::domain::time;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, home: &Home, ctx: &Ctx) {
    if let Some(form) = home.profile.as_ref().or(home.import.as_ref()) {
        super::form::draw(frame, area, form);
        return;
    }
    let Some(data) = &home.data else {
        frame.render_widget(Paragraph::new("正在读取……"), area);
        return;
    };
    let campaign = &ctx.catalog.campaign;
    let now = time::local(ctx.now);
    let mut lines = vec![
        Line::from(Span::styled(campaign.name.clone(), theme::heading())),
        Line::from(format!(
            "当前阶段：{}",
            campaign
                .phase_on(now.date())
                .map_or("不在专项行动期间", |p| p.name.as_str())
        )),
        Line::from(format!(
            "已登记企业 {} 家 · 本机执法人员：{}",
            data.enterprise_count,
            data.profile_name.as_deref().unwrap_or("未设置")
        )),
        Line::from(vec![
            Span::raw(format!("未销号重大隐患 {} 个，", data.open_major)),
            Span::styled(
                format!("其中逾期 {} 个", data.overdue_major),
                if data.overdue_major > 0 {
                    theme::bad()
                } else {
                    theme::dim()
                },
            ),
        ]),
    ];
    if !data.today.is_empty() {
        let finalized = data
            .today
            .iter()
            .filter(|i| i.status == crate::domain::InspectionStatus::Finalized)
            .count();
        let names: Vec<&str> = data
            .today
            .iter()
            .map(|i| i.enterprise_name.as_str())
            .collect();
        lines.push(Line::from(super::fit(
            &format!(
                "今日检查 {} 次（已定稿 {finalized} 次）：{}",
                data.today.len(),
                names.join("、")
            ),
            area.width as usize,
        )));
    }
    if let Some((deadline, due)) = campaign.upcoming(now).into_iter().next() {
        let days = (due.date() - now.date()).num_days();
        let when = match days {
            0 => "今天".to_string(),
            1 => "明天".to_string(),
            d => format!("还有 {d} 天"),
        };
        lines.push(Line::from(vec![
            Span::raw("下一个上报期限："),
            Span::styled(
                format!(
                    "{}（{}，{}）",
                    deadline.title,
                    due.format("%m月%d日 %H:%M"),
                    when
                ),
                if days <= 1 {
                    theme::bad()
                } else {
                    theme::notice()
                },
            ),
        ]));
    }
    if let Some(reminder) = backup_reminder(data, ctx) {
        lines.push(Line::from(Span::styled(reminder, theme::notice())));
    }
    lines.push(Line::default());
    if data.enterprise_count > 0 && data.profile_name.is_some() {
        // Set up: the next thing to learn is how records reach the office, and who is who.
        lines.push(Line::from(Span::styled(
            "交换数据：按 e 导出数据包（交给办公室），按 i 导入数据包；按 m 人员名册",
            theme::dim(),
        )));
    }
    if data.enterprise_count == 0 {
        // With a profile set, the office's clerk can set up the roster (one line: the demo
        // hint below must stay in view).
        let heading = if data.profile_name.is_some() {
            "下一步（在办公室：先按 m 建立人员名册）："
        } else {
            "下一步："
        };
        lines.push(Line::from(Span::styled(heading, theme::heading())));
        lines.push(Line::from(
            "  按 E 导入企业名册（Excel 或 CSV，Tab 补全路径）；或按 n 新建检查，在选择企业时按 Ctrl-N 直接新建企业",
        ));
    }
    if data.profile_name.is_none() {
        lines.push(Line::from(
            "  按 p 设置本机执法人员档案（姓名、执法证号、所属小组；定稿时按此姓名签名）",
        ));
    }
    if data.enterprise_count == 0 {
        lines.push(Line::from(
            "  想先试试：按 D 载入演示数据（方山县 30 家企业、60 次检查、各阶段的隐患），每个功能都能试一遍",
        ));
    }
    // The facts take the rows they need (wrapped by display width), the drafts list the rest
    // (at least its border and three rows).
    let rows = super::text::wrap_lines(&lines, area.width as usize);
    let facts_height = (rows.len() as u16).min(area.height.saturating_sub(5));
    let [facts, drafts] =
        Layout::vertical([Constraint::Length(facts_height), Constraint::Min(3)]).areas(area);
    frame.render_widget(Paragraph::new(rows), facts);

    let list = home.list(data);
    let title = if home.show_finalized {
        format!(
            " 已定稿检查（{} 次，Enter 只读查看，o 回到草稿） ",
            list.len()
        )
    } else {
        format!(" 检查草稿（{} 份，o 查看已定稿检查） ", list.len())
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(drafts);
    frame.render_widget(block, drafts);
    if list.is_empty() {
        let empty = if home.show_finalized {
            "还没有已定稿的检查。"
        } else {
            "没有未完成的检查。按 n 开始一次新的检查。"
        };
        frame.render_widget(Paragraph::new(Span::styled(empty, theme::dim())), inner);
        return;
    }
    let height = inner.height as usize;
    let start = super::window_start(home.selected, height, list.len());
    let rows: Vec<Line> = list
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, d)| {
            let text = format!(
                "{}  到达 {}  已答 {}/{}",
                d.enterprise_name,
                time::local(d.arrival_at).format("%m-%d %H:%M"),
                d.answered,
                d.items
            );
            let text = super::fit(&text, inner.width as usize);
            if i == home.selected {
                Line::from(Span::styled(text, theme::selected()))
            } else {
                Line::from(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);
}

/// The reminder to back up, when there are records to lose and nothing left this machine for
/// longer than `[backup] remind_after_days`.
fn backup_reminder(data: &crate::app::msg::HomeData, ctx: &Ctx) -> Option<String> {
    let days = ctx.catalog.rules.backup.remind_after_days;
    if days == 0 || (data.drafts.is_empty() && data.finalized.is_empty()) {
        return None;
    }
    let how = "请用 paicha backup 备份，或按 e 导出数据包";
    match data.last_safeguard {
        None => Some(format!("尚未备份或导出：{how}")),
        Some(last) => {
            let since = (ctx.now - last).num_days();
            (since > i64::from(days)).then(|| format!("已 {since} 天未备份或导出：{how}"))
        }
    }
}
