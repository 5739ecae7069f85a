//! 现场检查记录 (2021 执法文书样式): who and what was inspected, from arrival to departure,
//! by whom (with 执法证号), what was found, the 逢查必考 result, how it was handled (the
//! documents issued on site, by number), the unit's "以上记录已阅，属实", a line for a
//! refused signature (安全生产法 第六十八条), both officers' signatures by hand.

use super::html::{blank, esc, or_blank, page_styled};
use super::layout::date_blanks;
use super::photo_page;
use super::photos::Photo;
use super::wording::Problem;
use super::{InspectionFacts, time_text};
use crate::domain::{AnswerResult, HazardGrade};
use crate::storage::IssuedNumber;
use crate::templates::campaign::DocumentKind;

/// The record, with a photo page for `photos` (those recorded by its first issue) if any.
pub fn html(f: &InspectionFacts, issued: &IssuedNumber, photos: &[Photo]) -> String {
    let e = &f.enterprise;
    let i = &f.inspection.data;
    // The times in force: a later correction (a new record) is printed, and said to be one.
    let until = f.visit.departure.map(time_text).unwrap_or_default();
    let corrected = if f.visit.corrected {
        crate::domain::correction::CORRECTED_MARK
    } else {
        ""
    };
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
        "<tr><th>检查时间</th><td colspan=\"3\">自 {} 至 {}{}</td></tr>\n",
        esc(&time_text(f.visit.arrival)),
        or_blank(&until, 40),
        corrected
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
        "<tr class=\"long\"><th>检查情况</th><td colspan=\"3\">{}</td></tr>\n",
        findings(f)
    ));
    body.push_str(&format!(
        "<tr><th>逢查必考</th><td colspan=\"3\">{}</td></tr>\n",
        exams(f)
    ));
    body.push_str(&format!(
        "<tr><th>处理情况</th><td colspan=\"3\">{}</td></tr>\n",
        handling(f, issued)
    ));
    body.push_str(&format!(
        "<tr class=\"sign-row\"><td colspan=\"2\">被检查单位意见：以上记录已阅，属实。<br><br>\
         负责人签字：{}<br>{}</td>\
         <td colspan=\"2\">检查人员签字：{}　{}<br><br>{}</td></tr>\n",
        blank(30),
        date_blanks(),
        blank(25),
        blank(25),
        date_blanks(),
    ));
    body.push_str(&format!(
        "<tr><td colspan=\"4\">被检查单位负责人拒绝签字的，由检查人员注明情况：{}<br>\
         见证人签字：{}　　{}</td></tr>\n",
        blank(70),
        blank(30),
        date_blanks()
    ));
    body.push_str("</table>\n");
    if photos.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">附：现场照片 {} 张。本记录一式两份，被检查单位和执法部门各执一份。</p>\n",
            blank(10)
        ));
    } else {
        body.push_str(&format!(
            "<p class=\"note\">附：现场照片及其他附件 {} 份（见照片页）。本记录一式两份，被检查单位和执法部门各执一份。</p>\n",
            photos.len()
        ));
        // The number is printed once, under the title (a repeated one reads as a browser
        // header: docs/printing.md); the photo page follows the record it belongs to.
        body.push_str(&photo_page::section("现场照片（现场检查记录附页）", photos));
    }
    let style = if photos.is_empty() {
        ""
    } else {
        photo_page::STYLE
    };
    page_styled(
        &f.department,
        DocumentKind::OnsiteRecord.title(),
        &issued.number,
        style,
        &body,
    )
}

/// The narrative: what was checked, the tally, each non-compliant item (the fact found) and
/// each hazard.
fn findings(f: &InspectionFacts) -> String {
    let count = |r: AnswerResult| {
        f.items
            .iter()
            .filter(|(_, a)| a.as_ref().map(|a| a.result) == Some(r))
            .count()
    };
    let unchecked = f.items.len()
        - count(AnswerResult::Compliant)
        - count(AnswerResult::NonCompliant)
        - count(AnswerResult::NotApplicable);
    let mut out = format!(
        "<p class=\"indent\">执法人员出示执法证件，表明身份，对该单位落实安全生产主体责任和重大事故隐患排查整治情况进行了现场检查。\
         共检查 {} 项：符合 {} 项，不符合 {} 项，不适用 {} 项{}。</p>",
        f.items.len(),
        count(AnswerResult::Compliant),
        count(AnswerResult::NonCompliant),
        count(AnswerResult::NotApplicable),
        if unchecked > 0 {
            format!("，未查 {unchecked} 项")
        } else {
            String::new()
        },
    );
    let bad: Vec<String> = f
        .items
        .iter()
        .filter_map(|(item, a)| {
            let a = a
                .as_ref()
                .filter(|a| a.result == AnswerResult::NonCompliant)?;
            let fact = Problem::of_answer(item, a).fact;
            Some(format!(
                "<li>{}（检查项 {}）</li>",
                esc(&fact),
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
        for (_, s) in &f.hazards {
            let place = if s.location.trim().is_empty() {
                String::new()
            } else {
                format!("（{}）", esc(&s.location))
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

/// 逢查必考: who was examined and the score, as recorded.
fn exams(f: &InspectionFacts) -> String {
    if f.exams.is_empty() {
        return format!("未记录现场抽考。{}", blank(60));
    }
    f.exams
        .iter()
        .map(|e| {
            format!(
                "对{} {} 现场抽考 {} 题，得分 {} 分。",
                esc(&e.examinee_role),
                esc(&e.examinee_name),
                e.questions.len(),
                e.score_percent()
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// 处理情况: the documents issued on site (no later than this record), by number — those
/// that existed when this record was issued: a document issued after it never changes what
/// its reprint says.
fn handling(f: &InspectionFacts, issued: &IssuedNumber) -> String {
    let on_site = |d: &Option<IssuedNumber>| {
        d.as_ref()
            .filter(|d| d.issued_at <= issued.issued_at && d.recorded_at <= issued.recorded_at)
            .map(|d| d.number.clone())
    };
    let mut lines = Vec::new();
    if let Some(no) = on_site(&f.measures) {
        lines.push(format!("当场作出《现场处理措施决定书》（{}）。", esc(&no)));
    }
    if let Some(no) = on_site(&f.order) {
        lines.push(format!("当场下达《责令限期整改指令书》（{}）。", esc(&no)));
    }
    if lines.is_empty() {
        if f.hazards.is_empty() && f.other_problems().is_empty() {
            lines.push("未发现问题，无需现场处理。".into());
        } else {
            lines.push(format!("对发现的问题：{}", blank(80)));
        }
    }
    lines.join("<br>")
}
