//! The backup dialog: the file, the passphrase twice (as dots), what went wrong, and while the
//! job runs a bar by bytes.

use super::theme;
use crate::app::screens::backup::{AGAIN, BackupDialog, PASS, PATH};
use crate::storage::attachment_files::size_text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, d: &BackupDialog) {
    let [v] = Layout::vertical([Constraint::Length(12)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(super::popup::ClearPopup, rect);
    let block = Block::bordered().title(" 备份本机全部记录和附件 ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let field = |n: usize, label: &str, value: String| -> Vec<Line<'static>> {
        let style = if d.focus == n && d.running.is_none() {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        let cursor = if d.focus == n { "▏" } else { "" };
        vec![
            Line::from(Span::styled(label.to_string(), theme::heading())),
            Line::from(Span::styled(
                super::fit_tail(&format!("{value}{cursor}"), width),
                style,
            )),
        ]
    };
    // ASCII, not ●: an ambiguous-width character is two columns in some CJK terminals.
    let dots = |n: usize| "*".repeat(d.typed(n));
    let mut lines = Vec::new();
    lines.extend(field(PATH, "备份文件（Tab 补全路径）", d.path.clone()));
    lines.extend(field(
        PASS,
        "口令（至少 8 个字符，输入时不显示）",
        dots(PASS),
    ));
    lines.extend(field(AGAIN, "再输入一次口令", dots(AGAIN)));
    let note = match &d.error {
        Some(e) => Span::styled(super::fit(e, width), theme::error()),
        None => Span::styled(
            super::fit("备份中没有私钥；忘记口令则无法恢复", width),
            theme::dim(),
        ),
    };
    lines.push(Line::from(note));
    let [text, bar] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), text);
    if let Some((done, total)) = d.running {
        let (ratio, label) = if total > 0 {
            (
                (done as f64 / total as f64).clamp(0.0, 1.0),
                format!("正在备份 {} / {}", size_text(done), size_text(total)),
            )
        } else {
            (0.0, "正在复制数据库……".to_string())
        };
        frame.render_widget(
            Gauge::default()
                .gauge_style(theme::good())
                .ratio(ratio)
                .label(label),
            bar,
        );
    }
}
