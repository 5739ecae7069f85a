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

/// serde/toml's English messages for the common mistakes, in Chinese; anything else keeps
/// the parser's detail behind a Chinese lead.
fn translate(message: &str) -> String {
    let message = message.trim();
    let choices = |rest: &str| {
        rest.trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "")
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        return format!("未知的键“{field}”，可用的键：{}", choices(expected));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        return format!("缺少必需的键“{}”", rest.trim_end_matches('`'));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        return format!("“{value}”不是可用的值，可用：{}", choices(expected));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "值的类型不对：应为{}，实际是{}",
            type_name(expected),
            found_value(found)
        );
    }
    let syntax = [
        ("duplicate key", "键重复定义"),
        ("invalid basic string", "字符串没有正确结束（缺少引号？）"),
        ("invalid literal string", "字符串没有正确结束（缺少引号？）"),
        (
            "invalid table header",
            "表头写法不对（应为 [名称] 或 [[名称]]）",
        ),
        ("unclosed table", "表头缺少 ]"),
        ("unclosed array", "数组缺少 ]"),
        ("invalid array", "数组写法不对（缺少 ] 或逗号？）"),
        ("invalid inline table", "行内表写法不对（缺少 } 或逗号？）"),
        ("expected `=`", "缺少等号（应为 键 = 值）"),
        ("invalid number", "数字写法不对"),
        ("invalid integer", "整数写法不对"),
        ("invalid date", "日期写法不对（如 2023-04-25）"),
        ("invalid key", "键的写法不对"),
        ("string values must be quoted", "文字必须加引号"),
    ];
    for (needle, chinese) in syntax {
        if message.contains(needle) {
            return format!("TOML 语法错误：{chinese}");
        }
    }
    format!("TOML 格式错误（{message}）")
}

/// What serde says it expected, in Chinese.
fn type_name(expected: &str) -> String {
    let e = expected.trim();
    let name = match e {
        "a boolean" => "true 或 false",
        "a string" | "a borrowed string" => "带引号的文字",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "an integer" => {
            "整数"
        }
        "f32" | "f64" | "a float" => "数字",
        "a sequence" => "数组（如 [\"B6\"]）",
        _ if e.contains("date") => "日期（如 2023-04-25）",
        _ if e.starts_with("struct") || e.contains("map") => "表",
        _ => return format!("“{e}”"),
    };
    name.to_string()
}

/// The offending value as serde describes it, in Chinese.
fn found_value(found: &str) -> String {
    let f = found.trim();
    let inner = |prefix: &str| {
        f.strip_prefix(prefix)
            .map(|v| v.trim().trim_matches(['`', '"']).to_string())
    };
    if let Some(v) = inner("string") {
        return format!("文字“{v}”");
    }
    if let Some(v) = inner("integer") {
        return format!("整数 {v}");
    }
    if let Some(v) = inner("floating point") {
        return format!("数字 {v}");
    }
    if let Some(v) = inner("boolean") {
        return format!("布尔值 {v}");
    }
    match f {
        "sequence" => "数组".to_string(),
        "map" => "表".to_string(),
        other => other.to_string(),
    }
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
        assert_eq!(
            translate("invalid type: string \"否\", expected a boolean"),
            "值的类型不对：应为true 或 false，实际是文字“否”"
        );
        assert_eq!(
            translate("invalid type: integer `1`, expected a string"),
            "值的类型不对：应为带引号的文字，实际是整数 1"
        );
        assert_eq!(
            translate("invalid basic string, expected `\"`"),
            "TOML 语法错误：字符串没有正确结束（缺少引号？）"
        );
    }
}
