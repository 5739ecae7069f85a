//! 现场检查记录: who and what was inspected, when, by whom, what was found; the unit's
//! "以上记录已阅，属实" and both officers' signatures by hand.

use super::html::{blank, esc, or_blank, page};
use super::{InspectionFacts, time_text};
use crate::domain::{AnswerResult, HazardGrade};
use crate::templates::campaign::DocumentKind;

pub fn html(f: &InspectionFacts, number: &str) -> String {
    let e = &f.enterprise;
    let i = &f.inspection.data;
    let until = i.finalized_at.map(time_text).unwrap_or_default();
    let mut body = String::from("<table>\n");
    body.push_str(&format!(
        "<tr><th>被检查单位</th><td colspan=\"3\">{}</td></tr>\n",
        esc(&e.name)
    ));
    body.push_str(&format!(
        "<tr><th>地址</th><td colspan=\"3\">{}</td></tr>\n",
        or_blank(&e.address, 80)
    ));
    body.push_str(&format!(
        "<tr><th>法定代表人<br>（负责人）</th><td>{}</td><th>职务</th><td>{}</td></tr>\n",
        or_blank(&e.principal, 30),
        blank(30)
    ));
    body.push_str(&format!(
        "<tr><th>联系电话</th><td>{}</td><th>检查场所</th><td>{}</td></tr>\n",
        or_blank(&e.phone, 30),
        or_blank(&e.address, 30)
    ));
    body.push_str(&format!(
        "<tr><th>检查时间</th><td colspan=\"3\">自 {} 至 {}</td></tr>\n",
        esc(&time_text(i.arrival_at)),
        or_blank(&until, 40)
    ));
    body.push_str(&format!(
        "<tr><th>检查方式</th><td colspan=\"3\">{}</td></tr>\n",
        esc(i.mode.label())
    ));
    body.push_str("<tr><th>检查人员</th><td colspan=\"3\">");
    for k in 0..f.officers.len().max(2) {
        match f.officers.get(k) {
            Some(o) => body.push_str(&format!(
                "{}　执法证号：{}<br>",
                esc(&o.name),
                or_blank(&o.cert_no, 30)
            )),
            None => body.push_str(&format!("{}　执法证号：{}<br>", blank(25), blank(30))),
        }
    }
    body.push_str("</td></tr>\n");
    body.push_str(&format!(
        "<tr><th>检查情况</th><td colspan=\"3\">{}</td></tr>\n",
        findings(f)
    ));
    body.push_str(&format!(
        "<tr class=\"sign-row\"><td colspan=\"2\">被检查单位意见：以上记录已阅，属实。<br><br>\
         负责人签字：{}<br>{}年{}月{}日</td>\
         <td colspan=\"2\">检查人员签字：{}　{}<br><br>{}年{}月{}日</td></tr>\n",
        blank(30),
        blank(12),
        blank(8),
        blank(8),
        blank(25),
        blank(25),
        blank(12),
        blank(8),
        blank(8)
    ));
    body.push_str("</table>\n");
    body.push_str(&format!(
        "<p class=\"note\">附：现场照片 {} 张。本记录一式两份，被检查单位和执法部门各执一份。</p>\n",
        blank(10)
    ));
    page(
        &f.department,
        DocumentKind::OnsiteRecord.title(),
        number,
        &body,
    )
}

/// The narrative: what was checked, the tally, each non-compliant item and each hazard.
fn findings(f: &InspectionFacts) -> String {
    let count = |r: AnswerResult| {
        f.items
            .iter()
            .filter(|(_, a)| a.as_ref().map(|a| a.result) == Some(r))
            .count()
    };
    let mut out = format!(
        "<p class=\"indent\">执法人员出示执法证件，对该单位落实安全生产主体责任和重大事故隐患排查整治情况进行了现场检查。\
         共检查 {} 项：符合 {} 项，不符合 {} 项，不适用 {} 项，未查 {} 项。</p>",
        f.items.len(),
        count(AnswerResult::Compliant),
        count(AnswerResult::NonCompliant),
        count(AnswerResult::NotApplicable),
        f.items.len()
            - count(AnswerResult::Compliant)
            - count(AnswerResult::NonCompliant)
            - count(AnswerResult::NotApplicable),
    );
    let bad: Vec<String> = f
        .items
        .iter()
        .filter_map(|(item, a)| {
            let a = a
                .as_ref()
                .filter(|a| a.result == AnswerResult::NonCompliant)?;
            let note = if a.note.trim().is_empty() {
                String::new()
            } else {
                format!("：{}", esc(a.note.trim()))
            };
            Some(format!(
                "<li>{}（{}）{note}</li>",
                esc(&item.question),
                esc(&item.code)
            ))
        })
        .collect();
    if !bad.is_empty() {
        out.push_str("<p>不符合项：</p><ol class=\"problems\">");
        out.push_str(&bad.concat());
        out.push_str("</ol>");
    }
    if f.hazards.is_empty() {
        out.push_str("<p class=\"indent\">本次检查未发现事故隐患。</p>");
    } else {
        let majors = f
            .hazards
            .iter()
            .filter(|(_, s)| s.grade == HazardGrade::Major)
            .count();
        out.push_str(&format!(
            "<p>发现事故隐患 {} 项（其中重大事故隐患 {} 项）：</p><ol class=\"problems\">",
            f.hazards.len(),
            majors
        ));
        for (h, s) in &f.hazards {
            let place = if h.data.location.trim().is_empty() {
                String::new()
            } else {
                format!("（{}）", esc(&h.data.location))
            };
            out.push_str(&format!(
                "<li>{}{}{}</li>",
                if s.grade == HazardGrade::Major {
                    "【重大】"
                } else {
                    ""
                },
                esc(&s.description),
                place
            ));
        }
        out.push_str("</ol>");
    }
    out
}
