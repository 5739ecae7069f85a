//! Configuration errors, each pointing at a file, line and column.

use std::fmt;

/// One problem in one configuration file. Displays as `FILE:LINE:COL: message`, the form
/// editors and terminals recognise, with the message in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// The text of one configuration file, for turning byte offsets into line and column.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl<'a> Source<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Source { file, text }
    }

    /// An error at byte `offset` (1-based line and column, columns counted in characters).
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ConfigError {
            file: self.file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// A TOML syntax or schema error, translated where we know the wording.
    pub fn parse_error(&self, e: &toml::de::Error) -> ConfigError {
        let offset = e.span().map_or(0, |s| s.start);
        self.error_at(offset, translate(e.message()))
    }
}

/// The 1-based line on which byte `offset` of `text` falls.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// serde/toml's English messages for the common mistakes, in Chinese; others are kept with a
/// Chinese lead so the user still knows what happened.
fn translate(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        return format!("未知的键“{field}”，可用的键：{expected}");
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return format!("缺少必需的键“{field}”");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        return format!("“{value}”不是可用的值，可用：{expected}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("值的类型不对（{rest}）");
    }
    if message.starts_with("duplicate key") {
        return format!("键重复定义（{message}）");
    }
    format!("TOML 格式错误（{message}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\n标题 = \"x\"\n";
        let src = Source::new("f.toml", text);
        let at = text.find('=').expect("first =");
        assert_eq!(src.error_at(at, "m").to_string(), "f.toml:1:3: m");
        let second = text.rfind('=').expect("second =");
        assert_eq!(src.error_at(second, "m").to_string(), "f.toml:2:4: m");
    }

    #[test]
    fn common_serde_messages_are_translated() {
        assert_eq!(
            translate("unknown field `colour`, expected one of `code`, `name`"),
            "未知的键“colour”，可用的键：code, name"
        );
        assert_eq!(translate("missing field `title`"), "缺少必需的键“title”");
        assert_eq!(
            translate("unknown variant `parking`, expected one of `a`, `b`"),
            "“parking”不是可用的值，可用：a, b"
        );
    }
}
