//! The page every document is printed on: self-contained HTML (no file, font or script from
//! elsewhere), A4 with print margins, a CJK serif, ruled tables and room for handwriting.

/// Text made safe inside HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// A blank to fill in by hand, `width` millimetres wide.
pub fn blank(width: u32) -> String {
    format!("<span class=\"blank\" style=\"min-width:{width}mm\"></span>")
}

/// `text` (escaped) or, when empty, a blank to write on.
pub fn or_blank(text: &str, width: u32) -> String {
    if text.trim().is_empty() {
        blank(width)
    } else {
        esc(text)
    }
}

const STYLE: &str = r#"
@page { size: A4 portrait; margin: 20mm 18mm 18mm 20mm; }
* { box-sizing: border-box; }
body { font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
       font-size: 12pt; line-height: 1.9; color: #000; background: #fff; margin: 0; }
@media screen { body { max-width: 190mm; margin: 12mm auto; padding: 0 8mm; } }
.dept { text-align: center; font-size: 15pt; letter-spacing: 0.1em; margin: 0; }
h1 { text-align: center; font-size: 21pt; letter-spacing: 0.3em; margin: 1mm 0 2mm; }
.no { text-align: right; margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 1.5mm 2.5mm; vertical-align: top; text-align: left; }
th { width: 24mm; font-weight: normal; white-space: nowrap; }
tr { page-break-inside: avoid; }
.blank { display: inline-block; border-bottom: 1px solid #000; height: 1.4em; vertical-align: bottom; }
.sign { height: 24mm; }
.sign-row td { height: 26mm; vertical-align: bottom; }
.indent { text-indent: 2em; margin: 1.5mm 0; }
ol.problems { margin: 1mm 0 1mm 6mm; padding-left: 6mm; }
.seal { text-align: right; margin-top: 10mm; line-height: 2.4; }
.note { font-size: 10pt; margin-top: 6mm; }
"#;

/// A whole page: `department` and `title` at the top, the document number, then `body`.
pub fn page(department: &str, title: &str, number: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} {number}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <p class=\"dept\">{department}</p>\n<h1>{title}</h1>\n<p class=\"no\">{number}</p>\n\
         {body}\n</body>\n</html>\n",
        title = esc(title),
        number = esc(number),
        department = esc(department),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_records_is_shown_as_text() {
        assert_eq!(
            esc("<b>\"甲\" & '乙'</b>"),
            "&lt;b&gt;&quot;甲&quot; &amp; &#39;乙&#39;&lt;/b&gt;"
        );
        assert!(or_blank("  ", 20).contains("blank"));
        let p = page("局", "现场检查记录", "〔2023〕001号", "<p>x</p>");
        assert!(p.starts_with("<!DOCTYPE html>") && p.contains("@page { size: A4"));
        assert!(!p.contains("http"), "nothing fetched from elsewhere");
    }
}
