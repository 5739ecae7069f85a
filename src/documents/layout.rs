//! Pieces every document places the same way: the handwritten date, the seal with the day of
//! issue.

use super::html::{blank, esc};
use crate::storage::IssuedNumber;

/// 年 月 日 to fill in by hand (a signature's date).
pub fn date_blanks() -> String {
    format!("{}年{}月{}日", blank(12), blank(8), blank(8))
}

/// The department's seal over the day the document was issued (the act's date, printed).
pub fn seal(department: &str, day: &str) -> String {
    format!(
        "<p class=\"seal\">{}（印章）<br>{}</p>\n",
        esc(department),
        esc(day)
    )
}

/// The close of a document served on the unit: its principal's signature and date by hand,
/// the seal over the day of issue, and the two copies.
pub fn served(department: &str, issued: &IssuedNumber) -> String {
    format!(
        "<table>\n<tr class=\"sign-row\"><th>被检查单位<br>负责人</th><td>签字：{}　　{}</td></tr>\n</table>\n\
         {}{COPIES}",
        blank(35),
        date_blanks(),
        seal(department, &super::issued_day(issued)),
    )
}

/// The last line of every document.
pub const COPIES: &str =
    "<p class=\"note\">本文书一式两份：一份由执法部门存档，一份交被检查单位。</p>\n";
