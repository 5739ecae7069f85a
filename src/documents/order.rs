//! 责令限期整改指令书: the problems found, numbered; the deadline(s); the standard wording with
//! the review body and the court; the principal's signature, the seal, two copies.

use super::html::{blank, esc, page};
use super::{InspectionFacts, day_text};
use crate::domain::HazardGrade;
use crate::templates::campaign::DocumentKind;

pub fn html(f: &InspectionFacts, number: &str, review_body: &str, court: &str) -> String {
    let e = &f.enterprise;
    let mut problems: Vec<(String, Option<chrono::NaiveDate>)> = Vec::new();
    for (h, s) in &f.hazards {
        let item = h
            .data
            .item_code
            .as_deref()
            .map(|c| format!("（检查项 {}）", esc(c)))
            .unwrap_or_default();
        let place = if h.data.location.trim().is_empty() {
            String::new()
        } else {
            format!("，部位：{}", esc(&h.data.location))
        };
        let basis = if h.data.basis.trim().is_empty() {
            String::new()
        } else {
            format!("。依据：{}", esc(&h.data.basis))
        };
        let major = if s.grade == HazardGrade::Major {
            "【重大事故隐患】"
        } else {
            ""
        };
        problems.push((
            format!("{major}{}{place}{item}{basis}", esc(&s.description)),
            s.deadline,
        ));
    }
    for (item, answer) in f.other_problems() {
        let note = if answer.note.trim().is_empty() {
            String::new()
        } else {
            format!("：{}", esc(answer.note.trim()))
        };
        problems.push((
            format!(
                "{}（检查项 {}）{note}",
                esc(&item.question),
                esc(&item.code)
            ),
            None,
        ));
    }
    let deadlines: Vec<Option<chrono::NaiveDate>> = problems.iter().map(|(_, d)| *d).collect();
    let one_deadline = match deadlines.first() {
        Some(Some(first)) if deadlines.iter().all(|d| *d == Some(*first)) => Some(*first),
        _ => None,
    };
    let mut body = format!(
        "<p>{}：</p>\n<p class=\"indent\">经查，你单位存在下列问题：</p>\n<ol class=\"problems\">\n",
        esc(&e.name)
    );
    for (text, deadline) in &problems {
        let by = match (one_deadline, deadline) {
            (None, Some(d)) => format!("（整改期限：{}前）", day_text(*d)),
            (None, None) => format!("（整改期限：{}前）", blank(35)),
            (Some(_), _) => String::new(),
        };
        body.push_str(&format!("<li>{text}{by}</li>\n"));
    }
    body.push_str("</ol>\n");
    let range = if problems.len() == 1 {
        "1".to_string()
    } else {
        format!("1—{}", problems.len())
    };
    let when = match one_deadline {
        Some(d) => format!("于{}前", day_text(d)),
        None => "分别于各项所列期限前".to_string(),
    };
    body.push_str(&format!(
        "<p class=\"indent\">依据《中华人民共和国安全生产法》第六十五条等规定，现责令你单位对上述第{range}项问题{when}整改完毕，\
         达到有关法律法规规章和标准规定的要求。整改期间，你单位应当采取措施，确保安全生产。\
         对安全生产违法行为，将依法予以行政处罚。</p>\n"
    ));
    body.push_str(&format!(
        "<p class=\"indent\">如果不服本指令，可以依法在60日内向{}申请行政复议，或者在6个月内依法向{}提起行政诉讼，\
         但本指令不停止执行，法律另有规定的除外。</p>\n",
        esc(review_body),
        esc(court)
    ));
    body.push_str("<table>\n<tr><th>执法人员</th><td>");
    for k in 0..f.officers.len().max(2) {
        match f.officers.get(k) {
            Some(o) => body.push_str(&format!(
                "{}　执法证号：{}　签字：{}<br>",
                esc(&o.name),
                esc(&o.cert_no),
                blank(25)
            )),
            None => body.push_str(&format!(
                "{}　执法证号：{}　签字：{}<br>",
                blank(25),
                blank(30),
                blank(25)
            )),
        }
    }
    body.push_str("</td></tr>\n");
    body.push_str(&format!(
        "<tr class=\"sign-row\"><th>被检查单位<br>负责人</th><td>签字：{}　　{}年{}月{}日</td></tr>\n</table>\n",
        blank(35),
        blank(12),
        blank(8),
        blank(8)
    ));
    body.push_str(&format!(
        "<p class=\"seal\">{}（印章）<br>{}年{}月{}日</p>\n",
        esc(&f.department),
        blank(12),
        blank(8),
        blank(8)
    ));
    body.push_str("<p class=\"note\">本文书一式两份：一份由执法部门存档，一份交被检查单位。</p>\n");
    page(
        &f.department,
        DocumentKind::RectificationOrder.title(),
        number,
        &body,
    )
}
