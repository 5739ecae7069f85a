//! Wrapping text to a width by display columns: Chinese breaks between any two characters (as
//! printed text does); a Latin word (a command, a file name) moves whole to the next line.
//! Ratatui's own wrapping breaks only at spaces and pushes a long Chinese run to a new line.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Each line of `text` in pieces at most `width` columns wide (an empty line stays one).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    for line in text.split('\n') {
        out.extend(wrap_line(line, width));
    }
    out
}

fn wrap_line(text: &str, width: usize) -> Vec<String> {
    /// A Latin word longer than this is cut like Chinese.
    const LONGEST_WORD: usize = 20;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !line.is_empty() {
            let word_start = line
                .char_indices()
                .rev()
                .take_while(|(_, ch)| ch.is_ascii_graphic())
                .last()
                .map(|(i, _)| i);
            let carry = match word_start {
                Some(i) if c.is_ascii_graphic() && i > 0 && line[i..].width() <= LONGEST_WORD => {
                    line.split_off(i)
                }
                _ => String::new(),
            };
            lines.push(line.trim_end().to_string());
            line = carry;
            used = line.width();
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
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
}
