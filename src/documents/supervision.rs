//! 重大事故隐患挂牌督办通知书: the major hazard, the decision to list it for supervision
//! (方案 五: 重大事故隐患挂牌督办), the person who tracks it, the deadline and the duties of the
//! unit while it is listed, the seal dated the day of issue.

use super::html::{esc, page};
use super::layout::seal;
use super::wording::Problem;
use super::{SupervisionFacts, day_text, issued_day, time_text};
use crate::templates::campaign::DocumentKind;

pub fn html(f: &SupervisionFacts, issued: &crate::storage::IssuedNumber) -> String {
    let problem = Problem::of_hazard(&f.hazard.data, &f.status);
    let deadline = f
        .status
        .deadline
        .map(day_text)
        .unwrap_or_else(super::layout::date_blanks);
    let mut body = format!("<p>{}：</p>\n", esc(&f.enterprise.name));
    body.push_str(&format!(
        "<p class=\"indent\">经查，你单位存在下列重大事故隐患：</p>\n<ol class=\"problems\"><li>{}</li></ol>\n",
        problem.html()
    ));
    body.push_str(&format!(
        "<p class=\"indent\">根据重大事故隐患专项排查整治2023行动的要求，本机关决定自{}起对该重大事故隐患实行挂牌督办，\
         跟踪督办责任人：{}。</p>\n",
        esc(&time_text(f.event.data.occurred_at)),
        esc(&f.tracking_person)
    ));
    body.push_str(&format!(
        "<p class=\"indent\">你单位主要负责人应当组织落实整改责任、措施、资金、时限和应急预案，于{deadline}前整改完毕；\
         整改期间应当采取有效的安全防范措施，无法保证安全的，应当停止相关作业。整改完成后，向本机关提交整改报告，\
         经复查验收合格并经审核同意后，方可销号解除督办。由此造成事故的，依法追究有关人员的责任。</p>\n"
    ));
    body.push_str(&seal(&f.department, &issued_day(issued)));
    body.push_str(super::layout::COPIES);
    page(
        &f.department,
        DocumentKind::SupervisionNotice.title(),
        &issued.number,
        &body,
    )
}
