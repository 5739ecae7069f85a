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

// Printing (see docs/printing.md). Browsers draw their own header and footer (date, title, file://
// address, page numbers) in the @page margin, so the page margin is zero and the margins are the
// body's padding instead, repeated on every printed page by `box-decoration-break: clone`. A
// collapsed border is not drawn at a page break, so printed tables use separate borders, each line
// drawn once: cells draw their right and bottom lines, the table its top and left. Cloned, a cell
// split over two pages closes page one with its bottom line and the table opens page two with its
// top line. Rows of labels, names and signatures stay whole; a row of paragraphs or lists (the
// on-site record's 检查情况) may split rather than leave half a page empty. A blank to write on is an
// empty inline-block, whose baseline is its bottom margin edge: aligned on the baseline, its rule
// lies just under the characters beside it.
const STYLE: &str = r#"
@page { size: A4 portrait; margin: 0; }
* { box-sizing: border-box; }
body { font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Noto Serif SC",
                    "Source Han Serif SC", serif;
       font-size: 12pt; line-height: 1.9; color: #000; background: #fff; margin: 0; }
@media screen { body { max-width: 190mm; margin: 12mm auto; padding: 0 8mm; } }
@media print {
  body { padding: 20mm 18mm 18mm 20mm;
         -webkit-box-decoration-break: clone; box-decoration-break: clone; }
}
.dept { text-align: center; font-size: 15pt; letter-spacing: 0.1em; margin: 0; }
h1 { text-align: center; font-size: 21pt; letter-spacing: 0.3em; margin: 1mm 0 2mm; }
.dept, h1, .no { break-after: avoid; page-break-after: avoid; }
.no { text-align: right; margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 1.5mm 2.5mm; vertical-align: top; text-align: left; }
@media print {
  table { border-collapse: separate; border-spacing: 0; border: 0 solid #000;
          border-top-width: 1px; border-left-width: 1px;
          -webkit-box-decoration-break: clone; box-decoration-break: clone; }
  th, td { border: 0 solid #000; border-right-width: 1px; border-bottom-width: 1px;
           -webkit-box-decoration-break: clone; box-decoration-break: clone; }
}
th { width: 24mm; font-weight: normal; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr:has(p, ol, ul) { break-inside: auto; page-break-inside: auto; }
p, li { orphans: 2; widows: 2; }
.blank { display: inline-block; border-bottom: 1px solid #000; height: 1.2em;
         vertical-align: baseline; margin-bottom: -0.15em; }
.sign { height: 24mm; }
.sign-row td { height: 26mm; vertical-align: bottom; }
.indent { text-indent: 2em; margin: 1.5mm 0; }
ol.problems { margin: 1mm 0 1mm 6mm; padding-left: 6mm; }
.seal { text-align: right; margin-top: 10mm; line-height: 2.4; break-inside: avoid; }
.note { font-size: 10pt; margin-top: 6mm; }
"#;

/// A whole page: `department` and `title` at the top, the document number, then `body`.
pub fn page(department: &str, title: &str, number: &str, body: &str) -> String {
    page_styled(department, title, number, "", body)
}

/// A whole page with `extra` print CSS after the common one (the photo pages': a document
/// without photos keeps its bytes).
pub fn page_styled(department: &str, title: &str, number: &str, extra: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} {number}</title>\n<style>{STYLE}{extra}</style>\n</head>\n<body>\n\
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
        // No page margin: a browser prints its header and footer in it (docs/printing.md).
        assert!(p.contains("@page { size: A4 portrait; margin: 0; }"));
        let font = |name: &str| p.find(name).unwrap_or_else(|| panic!("{name} named"));
        assert!(font("\"SimSun\"") < font("\"宋体\""));
        assert!(font("\"宋体\"") < font("\"Noto Serif CJK SC\""));
    }
}
