//! 整改复查意见书 (2021 执法文书样式): the order it follows up (its day and number, from the
//! record of its issue), what was ordered, the day of the re-inspection and its opinion — for a
//! failed one, what follows: a new deadline, or a case opened — the re-inspecting officers
//! with their 执法证号, the seal dated the day of issue.

use super::html::{blank, esc, page_styled};
use super::layout::{date_blanks, served};
use super::order::officers_table;
use super::photo_page;
use super::photos::Photo;
use super::wording::{Problem, appeal_notice};
use super::{ReinspectionFacts, day_text, time_text};
use crate::domain::lifecycle::Step;
use crate::domain::time;
use crate::storage::IssuedNumber;
use crate::templates::campaign::DocumentKind;

/// The opinion, with the before and after photos (`photos`: those recorded by its first
/// issue) side by side on a page of their own, if any.
pub fn html(
    f: &ReinspectionFacts,
    issued: &IssuedNumber,
    review_body: &str,
    court: &str,
    photos: &(Vec<Photo>, Vec<Photo>),
) -> String {
    // The order as it stood when this opinion was issued (one issued later is written in
    // by hand on the copy handed over, and a reprint stays the same).
    let order = f
        .order
        .as_ref()
        .filter(|o| o.recorded_at <= issued.recorded_at);
    let (order_day, order_no) = match order {
        Some(o) => (day_text(time::local(o.issued_at).date()), esc(&o.number)),
        None => (date_blanks(), blank(50)),
    };
    let problem = Problem::of_hazard(&f.hazard.data, &f.status);
    let deadline = f
        .deadline
        .map(|d| format!("（整改期限：{}前）", day_text(d)))
        .unwrap_or_default();
    let mut body = format!("<p>{}：</p>\n", esc(&f.enterprise.name));
    body.push_str(&format!(
        "<p class=\"indent\">本机关于{order_day}作出了《责令限期整改指令书》（{order_no}），责令你单位对下列问题限期整改：</p>\n\
         <ol class=\"problems\"><li>{}{deadline}</li></ol>\n",
        problem.html()
    ));
    body.push_str(&format!(
        "<p class=\"indent\">本机关于{}对你单位的整改情况进行了复查，复查意见如下：</p>\n",
        esc(&time_text(f.event.data.occurred_at))
    ));
    let (new_deadline, case_opened) = match &f.step {
        Step::Verify {
            new_deadline,
            case_opened,
            ..
        } => (*new_deadline, *case_opened),
        _ => (None, false),
    };
    let opinion = if f.passed {
        "经复查，上述问题已整改完毕，达到有关法律法规规章和标准规定的要求。".to_string()
    } else if case_opened {
        "经复查，上述问题未按要求整改完毕。对你单位逾期未整改的行为，本机关将依法立案查处。\
         你单位应当立即整改，整改期间应当采取措施，确保安全生产；由此造成事故的，依法追究有关人员的责任。"
            .to_string()
    } else {
        let by = new_deadline.map_or_else(date_blanks, day_text);
        format!(
            "经复查，上述问题未按要求整改完毕。现责令你单位于{by}前整改完毕，整改期间应当采取措施，确保安全生产。\
             逾期仍未整改的，将依法予以行政处罚；由此造成事故的，依法追究有关人员的责任。"
        )
    };
    body.push_str(&format!(
        "<p class=\"indent\"><b>复查意见：</b>{}</p>\n",
        esc(&opinion)
    ));
    if !f.event.data.note.trim().is_empty() {
        body.push_str(&format!(
            "<p class=\"indent\">复查情况：{}</p>\n",
            esc(f.event.data.note.trim())
        ));
    }
    if !f.passed && !case_opened {
        body.push_str(&appeal_notice("意见书", review_body, court));
    }
    body.push_str(&officers_table(&f.officers).replace("执法人员", "复查人员"));
    body.push_str(&served(&f.department, issued));
    let (before, after) = photos;
    let style = if before.is_empty() && after.is_empty() {
        ""
    } else {
        body.push_str(&photo_page::comparison(before, after));
        photo_page::STYLE
    };
    page_styled(
        &f.department,
        DocumentKind::ReinspectionOpinion.title(),
        &issued.number,
        style,
        &body,
    )
}
