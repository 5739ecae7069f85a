//! The home screen (a first, minimal version: what is here and how to go on).

use crate::storage::Store;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::path::Path;

/// What the home screen shows, read once from storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeView {
    pub data_dir: String,
    pub enterprise_count: u64,
    pub draft_count: usize,
    pub profile_name: Option<String>,
}

impl HomeView {
    pub fn load(store: &Store, data_dir: &Path) -> crate::storage::Result<Self> {
        Ok(HomeView {
            data_dir: data_dir.display().to_string(),
            enterprise_count: store.enterprise_count()?,
            draft_count: store.draft_inspection_ids()?.len(),
            profile_name: store.profile()?.map(|p| p.data.name),
        })
    }
}

pub fn draw(frame: &mut Frame, view: &HomeView) {
    let [body, footer] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    let mut lines = vec![
        Line::from("重大事故隐患专项排查整治 · 现场检查与隐患台账".bold()),
        Line::default(),
        Line::from(format!("数据目录：{}", view.data_dir)),
        Line::from(format!("已登记企业：{} 家", view.enterprise_count)),
        Line::from(format!("未完成的检查草稿：{} 份", view.draft_count)),
        Line::from(format!(
            "本机执法人员：{}",
            view.profile_name.as_deref().unwrap_or("未设置")
        )),
        Line::default(),
    ];
    if view.enterprise_count == 0 {
        lines.push(Line::from(
            "下一步：导入企业名册".add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::from("  paicha enterprise import 企业名册.csv"));
    }
    if view.profile_name.is_none() {
        lines.push(Line::from(
            "下一步：设置本机执法人员档案".add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::from(
            "  paicha profile set --name 姓名 --cert-no 执法证号",
        ));
    }
    let block = Block::bordered().title(" 排查 paicha ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        body,
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" q ", Style::new().reversed()),
            Span::raw(" 退出"),
        ])),
        footer,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(view: &HomeView, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|f| draw(f, view)).expect("draw");
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut skip = 0;
            for x in 0..buffer.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                out.push_str(symbol);
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn empty_database_says_what_to_do_next() {
        let view = HomeView {
            data_dir: "/tmp/d".into(),
            enterprise_count: 0,
            draft_count: 0,
            profile_name: None,
        };
        let text = screen(&view, 80, 24);
        assert!(text.contains("已登记企业：0 家"), "{text}");
        assert!(
            text.contains("paicha enterprise import 企业名册.csv"),
            "{text}"
        );
        assert!(text.contains("paicha profile set"), "{text}");
        assert!(text.contains(" q  退出"), "{text}");
    }

    #[test]
    fn with_data_the_hints_go_away_and_cjk_fits_the_border() {
        let view = HomeView {
            data_dir: "/tmp/d".into(),
            enterprise_count: 12,
            draft_count: 1,
            profile_name: Some("李建山".into()),
        };
        let text = screen(&view, 80, 24);
        assert!(text.contains("本机执法人员：李建山"), "{text}");
        assert!(!text.contains("下一步"), "{text}");
        // Every line is exactly 80 columns wide: wide characters did not push the border.
        for line in text.lines() {
            assert_eq!(unicode_width::UnicodeWidthStr::width(line), 80, "{line:?}");
        }
    }
}
