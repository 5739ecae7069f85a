//! 整改复查意见书: the order it follows up (number and day), what was ordered, the 复查意见.

use super::html::{blank, esc, page};
use super::{ReinspectionFacts, day_text, time_text};
use crate::templates::campaign::DocumentKind;

pub fn html(f: &ReinspectionFacts, number: &str) -> String {
    let (order_day, order_no) = match &f.order {
        Some((no, day)) => (day_text(*day), esc(no)),
        None => (
            format!("{}年{}月{}日", blank(12), blank(8), blank(8)),
            blank(50),
        ),
    };
    let deadline = f
        .deadline
        .map(|d| format!("（整改期限：{}）", day_text(d)))
        .unwrap_or_default();
    let opinion = if f.passed {
        "经复查，上述问题已按要求整改完毕，符合有关规定。"
    } else {
        "经复查，上述问题未按要求整改完毕。请继续整改并采取措施确保安全，逾期仍未整改的，将依法处理。"
    };
    let note = if f.event.data.note.trim().is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"indent\">复查情况：{}</p>",
            esc(f.event.data.note.trim())
        )
    };
    let mut body = format!("<p>{}：</p>\n", esc(&f.enterprise.name));
    body.push_str(&format!(
        "<p class=\"indent\">本机关于{order_day}作出了《责令限期整改指令书》（{order_no}），责令你单位对下列问题限期整改：</p>\n\
         <ol class=\"problems\"><li>{}{}{deadline}</li></ol>\n",
        esc(&f.description),
        if f.hazard.data.location.trim().is_empty() {
            String::new()
        } else {
            format!("（{}）", esc(&f.hazard.data.location))
        }
    ));
    body.push_str(&format!(
        "<p class=\"indent\">{} 对整改情况进行了复查。</p>\n<p class=\"indent\"><b>复查意见：</b>{opinion}</p>\n{note}\n",
        esc(&time_text(f.event.data.occurred_at))
    ));
    let second = if f.verified_by.trim().is_empty() || f.verified_by == f.recorder.name {
        format!("{}　执法证号：{}", blank(25), blank(30))
    } else {
        format!("{}　执法证号：{}", esc(&f.verified_by), blank(30))
    };
    body.push_str(&format!(
        "<table>\n<tr><th>复查人员</th><td>{}　执法证号：{}　签字：{}<br>{second}　签字：{}</td></tr>\n\
         <tr class=\"sign-row\"><th>被检查单位<br>负责人</th><td>签字：{}　　{}年{}月{}日</td></tr>\n</table>\n",
        esc(&f.recorder.name),
        esc(&f.recorder.cert_no),
        blank(25),
        blank(25),
        blank(35),
        blank(12),
        blank(8),
        blank(8)
    ));
    body.push_str(&format!(
        "<p class=\"seal\">{}（印章）<br>{}年{}月{}日</p>\n\
         <p class=\"note\">本文书一式两份：一份由执法部门存档，一份交被检查单位。</p>\n",
        esc(&f.department),
        blank(12),
        blank(8),
        blank(8)
    ));
    page(
        &f.department,
        DocumentKind::ReinspectionOpinion.title(),
        number,
        &body,
    )
}
