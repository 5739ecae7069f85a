//! Wrapping text to a width by display columns: Chinese breaks between any two characters (as
//! printed text does); a Latin word (a command, a file name) moves whole to the next line.
//! Ratatui's own wrapping breaks only at spaces and pushes a long Chinese run to a new line.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// A Latin word longer than this is cut like Chinese.
const LONGEST_WORD: usize = 20;

/// Punctuation that never starts a line (it takes the character before it along, as printed
/// Chinese does).
const NO_LINE_START: &str = "，。、；：？！）》」』】”’…—";

/// Each line of `text` in pieces at most `width` columns wide (an empty line stays one).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    for line in text.split('\n') {
        let cells: Vec<(char, ())> = line.chars().map(|c| (c, ())).collect();
        out.extend(
            wrap_cells(&cells, width)
                .into_iter()
                .map(|l| l.into_iter().map(|(c, _)| c).collect::<String>()),
        );
    }
    out
}

/// Styled lines wrapped the same way, each piece keeping the styles of its characters: a
/// paragraph that never passes its border and never leaves a code alone on a line because a
/// space came before a long Chinese run.
pub fn wrap_lines(lines: &[Line], width: usize) -> Vec<Line<'static>> {
    let width = width.max(2);
    let mut out = Vec::new();
    for line in lines {
        let cells: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|span| {
                let style = line.style.patch(span.style);
                span.content.chars().map(move |c| (c, style))
            })
            .collect();
        // A newline inside a span starts a new line, as in `wrap`.
        for part in cells.split(|(c, _)| *c == '\n') {
            for piece in wrap_cells(part, width) {
                out.push(to_line(piece));
            }
        }
    }
    out
}

fn to_line(cells: Vec<(char, Style)>) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut current: Option<Style> = None;
    for (c, style) in cells {
        if current.is_some_and(|s| s != style) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                current.unwrap_or_default(),
            ));
        }
        current = Some(style);
        text.push(c);
    }
    if let Some(style) = current {
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

fn cells_width<T>(cells: &[(char, T)]) -> usize {
    cells.iter().map(|(c, _)| c.width().unwrap_or(0)).sum()
}

/// One line (no newlines) in pieces of at most `width` columns.
fn wrap_cells<T: Clone>(text: &[(char, T)], width: usize) -> Vec<Vec<(char, T)>> {
    let mut lines = Vec::new();
    let mut line: Vec<(char, T)> = Vec::new();
    let mut used = 0;
    for (c, tag) in text {
        let c = *c;
        let w = c.width().unwrap_or(0);
        if used + w > width && !line.is_empty() {
            // Where the Latin word at the end of the line starts, if one does.
            let mut start = line.len();
            while start > 0 && line[start - 1].0.is_ascii_graphic() {
                start -= 1;
            }
            let carry = if c.is_ascii_graphic()
                && start > 0
                && start < line.len()
                && cells_width(&line[start..]) <= LONGEST_WORD
            {
                line.split_off(start)
            } else if !c.is_ascii()
                && NO_LINE_START.contains(c)
                && line.len() > 1
                && width >= 4
                && !NO_LINE_START.contains(line[line.len() - 1].0)
                && line[line.len() - 1].0 != ' '
            {
                line.split_off(line.len() - 1)
            } else {
                Vec::new()
            };
            while line.last().is_some_and(|(ch, _)| *ch == ' ') {
                line.pop();
            }
            lines.push(std::mem::replace(&mut line, carry));
            used = cells_width(&line);
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push((c, tag.clone()));
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wraps_by_display_width_never_splitting_a_wide_character_nor_a_word() {
        let lines = wrap("方山县加油站ab\n\nxyz", 5);
        assert_eq!(lines, ["方山", "县加", "油站", "ab", "", "xyz"]);
        assert!(lines.iter().all(|l| l.width() <= 5));
        let lines = wrap("把本机公钥交给办公室登记：paicha keys --export 文件名", 30);
        assert!(lines.iter().all(|l| l.width() <= 30), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("paicha keys")), "{lines:?}");
        for line in wrap(&"长".repeat(50), 15) {
            assert!(line.width() <= 15);
        }
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn cjk_and_long_words_never_pass_the_width() {
        let texts = [
            "  ✗ E2 是否建立重大事故隐患台账清单并闭环管理：能立即整改的立即整改，不能立即整改的做到五落实",
            "把本机公钥交给办公室登记：paicha keys --export /media/usb/一个非常非常长的文件名称.pub 之后再导入",
            "verylongidentifierwithoutanyspaceswhatsoever_and_more_of_it 加油站 E12、FUEL-02 不符合",
            "全角标点，句号。引号“不符合”——破折号……省略号；1234567890123456789012345",
            "a b c d e f 甲 乙 丙 丁",
        ];
        for text in texts {
            for width in 2..=40 {
                let lines = wrap(text, width);
                for line in &lines {
                    assert!(line.width() <= width, "{width}: {line:?} in {lines:?}");
                }
                // Nothing but the spaces at a break is lost.
                let joined: String = lines.concat();
                assert_eq!(joined.replace(' ', ""), text.replace(' ', ""), "{width}");
            }
        }
        // No line starts with a comma or a full stop.
        for width in 4..=40 {
            for line in wrap("检查、建档，并记录发现和解决的重大问题？完成。", width)
                .iter()
                .skip(1)
            {
                let first = line.chars().next().unwrap_or(' ');
                assert!(!"，。、？".contains(first), "{width}: {line:?}");
            }
        }
        // The code stays with the text that follows it, not alone on a line.
        let lines = wrap("  ✗ E2 是否建立重大事故隐患台账清单并闭环管理", 30);
        assert!(lines[0].contains("E2 是否"), "{lines:?}");
    }

    #[test]
    fn styled_lines_wrap_like_text_and_keep_their_styles() {
        use ratatui::style::Style;
        use ratatui::text::{Line, Span};
        let red = Style::new().red();
        let line = Line::from(vec![
            Span::styled("E12：", red),
            Span::raw("电气焊等动火作业是否严格履行审批手续"),
        ]);
        let wrapped = super::wrap_lines(&[line], 12);
        let texts: Vec<String> = wrapped.iter().map(|l| l.to_string()).collect();
        assert_eq!(texts, wrap("E12：电气焊等动火作业是否严格履行审批手续", 12));
        assert!(wrapped.iter().all(|l| l.width() <= 12));
        assert_eq!(wrapped[0].spans[0].content, "E12：");
        assert_eq!(wrapped[0].spans[0].style, red);
        assert_eq!(wrapped[0].spans[1].style, Style::new());
    }
}
