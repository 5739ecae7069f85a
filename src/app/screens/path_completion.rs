//! Tab completion of a file path typed into a form: the longest unambiguous completion from
//! the directory's entries, and the choices when there are several.

/// The path meant when a whole path was typed after the prefilled folder, as Emacs reads it:
/// from the last `//` (or `/~/`, the home folder, or a Windows drive such as `D:\`) on, so
/// "/tmp/walk//media/usb/a.xlsx" is "/media/usb/a.xlsx". A leading `//` or `\\` (a network
/// share on Windows) is kept.
pub fn effective(typed: &str) -> String {
    let typed = typed.trim();
    let bytes = typed.as_bytes();
    let is_sep = |b: u8| b == b'/' || b == b'\\';
    let mut from = 0;
    for i in 1..bytes.len() {
        let rest = &bytes[i..];
        if i >= 2 && is_sep(bytes[i - 1]) && is_sep(rest[0]) {
            from = i; // "…//x": x's path starts at the second separator
        } else if is_sep(bytes[i - 1])
            && rest.starts_with(b"~")
            && rest.get(1).is_some_and(|&b| is_sep(b))
        {
            from = i; // "…/~/x"
        } else if is_sep(bytes[i - 1])
            && rest.len() >= 3
            && rest[0].is_ascii_alphabetic()
            && rest[1] == b':'
            && is_sep(rest[2])
        {
            from = i; // "…\D:\x"
        }
    }
    let from = &typed[from..];
    match from.strip_prefix("~/").or_else(|| from.strip_prefix("~\\")) {
        Some(rest) => match directories::UserDirs::new() {
            Some(dirs) => dirs.home_dir().join(rest).display().to_string(),
            None => from.to_string(),
        },
        None => from.to_string(),
    }
}

/// Tab in the path field `key` of `form`: completes it in place (the focus stays); what to
/// tell the user, if anything.
pub fn complete_field(form: &mut crate::app::form::Form, key: &str) -> Option<String> {
    let typed = form.value(key).to_string();
    let (completed, said) = complete(&typed);
    if completed != typed {
        let focus = form.focus;
        form.restore(&[(key.to_string(), completed)], focus);
    }
    said
}

/// The path completed as far as it is unambiguous, and what to tell the user (the choices, or
/// that nothing matches).
pub fn complete(typed: &str) -> (String, Option<String>) {
    let typed = effective(typed);
    let typed = typed.as_str();
    let (dir, prefix) = match typed.rfind(['/', '\\']) {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let read_from = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return (typed.to_string(), Some(format!("找不到目录 {read_from}")));
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let is_dir = e.file_type().ok()?.is_dir();
            (name.starts_with(prefix) && !name.starts_with('.')).then_some((name, is_dir))
        })
        .collect();
    names.sort();
    match names.as_slice() {
        [] => (
            typed.to_string(),
            Some(format!("{read_from} 中没有以“{prefix}”开头的文件")),
        ),
        [(name, is_dir)] => {
            let mut out = format!("{dir}{name}");
            if *is_dir {
                out.push(std::path::MAIN_SEPARATOR);
            }
            (out, None)
        }
        many => {
            let common = common_prefix(many.iter().map(|(n, _)| n.as_str()));
            let shown: Vec<&str> = many.iter().take(8).map(|(n, _)| n.as_str()).collect();
            let more = if many.len() > shown.len() {
                format!(" 等 {} 个", many.len())
            } else {
                String::new()
            };
            (
                format!("{dir}{common}"),
                Some(format!("可选：{}{more}", shown.join("  "))),
            )
        }
    }
}

fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut common: Vec<char> = first.chars().collect();
    for name in names {
        let len = common
            .iter()
            .zip(name.chars())
            .take_while(|(a, b)| *a == b)
            .count();
        common.truncate(len);
    }
    common.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_path_completes_as_far_as_it_is_unambiguous_and_names_the_choices() {
        let dir = tempfile::tempdir().expect("dir");
        let base = format!("{}/", dir.path().display());
        for name in ["企业名册2023.xlsx", "企业名册2024.xlsx", "说明.txt"] {
            std::fs::write(dir.path().join(name), b"x").expect("file");
        }
        std::fs::create_dir(dir.path().join("备份")).expect("dir");
        let (out, said) = complete(&format!("{base}企"));
        assert_eq!(out, format!("{base}企业名册202"));
        assert!(said.is_some_and(|s| s.contains("企业名册2023.xlsx") && s.contains("企业名册2024.xlsx")));
        let (out, said) = complete(&format!("{base}说"));
        assert_eq!(out, format!("{base}说明.txt"));
        assert_eq!(said, None);
        let (out, _) = complete(&format!("{base}备"));
        assert!(out.ends_with("备份/") || out.ends_with("备份\\"), "{out}");
        assert!(Path::new(&out).is_dir());
        let (out, said) = complete(&format!("{base}无此文件"));
        assert_eq!(out, format!("{base}无此文件"));
        assert!(said.is_some_and(|s| s.contains("没有以“无此文件”开头的文件")));
    }

    #[test]
    fn a_whole_path_typed_after_the_prefilled_folder_is_the_one_meant() {
        assert_eq!(
            effective("/tmp/walk//media/usb/名册.xlsx"),
            "/media/usb/名册.xlsx"
        );
        assert_eq!(effective("/tmp/walk/名册.xlsx"), "/tmp/walk/名册.xlsx");
        assert_eq!(effective(r"C:\Users\李\D:\名册.xlsx"), r"D:\名册.xlsx");
        assert_eq!(effective(r"\\server\share\a.csv"), r"\\server\share\a.csv");
        assert_eq!(effective("//server/share/a.csv"), "//server/share/a.csv");
        let home = effective("/tmp/walk/~/名册.csv");
        assert!(
            home.ends_with("名册.csv") && !home.contains("walk"),
            "{home}"
        );
    }
}
