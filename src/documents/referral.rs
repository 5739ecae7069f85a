//! 事故隐患移交书: a village committee is no production or business unit, so the bureau does
//! not order it to rectify; what a village visit found is referred to the town government or
//! the competent department (属地管理、管行业必须管安全), who follow it up and report back.

use super::html::{blank, esc, or_blank, page};
use super::layout::{COPIES, date_blanks, seal};
use super::order::officers_table;
use super::wording::Problem;
use super::{InspectionFacts, issued_day, time_text};
use crate::domain::Referral;
use crate::storage::IssuedNumber;
use crate::templates::campaign::DocumentKind;

pub fn html(f: &InspectionFacts, r: &Referral, issued: &IssuedNumber) -> String {
    let mut problems: Vec<Problem> = f
        .hazards
        .iter()
        .map(|(h, s)| Problem::of_hazard(&h.data, s))
        .collect();
    problems.extend(
        f.other_problems()
            .into_iter()
            .map(|(item, answer)| Problem::of_answer(item, answer)),
    );
    let mut body = format!("<p>{}：</p>\n", esc(r.to.trim()));
    body.push_str(&format!(
        "<p class=\"indent\">本机关于{}对{}（{}）开展安全检查，发现下列事故隐患和问题。该村不属于生产经营单位，\
         按照属地管理和“管行业必须管安全”的原则，现移交你单位依法处理：</p>\n<ol class=\"problems\">\n",
        esc(&time_text(f.inspection.data.arrival_at)),
        esc(&f.enterprise.name),
        or_blank(&f.enterprise.town, 30),
    ));
    for p in &problems {
        let place = if p.location.is_empty() {
            String::new()
        } else {
            format!("（部位：{}）", esc(&p.location))
        };
        body.push_str(&format!("<li>{}{place}</li>\n", esc(&p.fact)));
    }
    body.push_str("</ol>\n");
    body.push_str(
        "<p class=\"indent\">请你单位督促整改、消除隐患，并自收到本移交书之日起15日内将处理情况书面反馈本机关。\
         隐患排除前或者排除过程中无法保证安全的，应当采取措施，防止发生事故。</p>\n",
    );
    if let Some(record) = f.onsite_record.as_ref() {
        body.push_str(&format!(
            "<p class=\"indent\">附：《现场检查记录》（{}）。</p>\n",
            esc(&record.number)
        ));
    }
    body.push_str(&officers_table(&f.officers).replace("执法人员", "移交人"));
    body.push_str(&format!(
        "<table>\n<tr class=\"sign-row\"><th>接收单位</th><td>（盖章）{}　接收人签字：{}　　{}</td></tr>\n</table>\n",
        blank(30),
        blank(30),
        date_blanks()
    ));
    body.push_str(&seal(&f.department, &issued_day(issued)));
    body.push_str(&COPIES.replace("一份交被检查单位", "一份交接收单位"));
    page(
        &f.department,
        DocumentKind::Referral.title(),
        &issued.number,
        &body,
    )
}
