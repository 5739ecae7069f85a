//! 责令限期整改指令书 (2021 执法文书样式): the problems found — each the fact and the clause
//! broken — with their deadlines, the legal basis of the order, the warning that an accident
//! caused by them will be pursued, the review and litigation notice, the officers with their
//! 执法证号, the unit's signature and the seal dated the day of issue.

use super::html::{blank, esc, page};
use super::layout::{date_blanks, served};
use super::wording::{Problem, appeal_notice};
use super::{InspectionFacts, day_text};
use crate::domain::OrderTerms;
use crate::storage::IssuedNumber;
use crate::templates::campaign::DocumentKind;
use chrono::NaiveDate;

/// The problems an order lists and how each is to be rectified.
pub struct Order {
    pub problems: Vec<(Problem, Due)>,
}

/// When a problem must be rectified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    By(NaiveDate),
    /// 立即整改 (recorded as fixed on the spot).
    Immediately,
    /// No deadline of its own: the order's general deadline (its terms) applies.
    General,
}

impl Order {
    pub fn of(f: &InspectionFacts) -> Order {
        let mut problems = Vec::new();
        for (h, s) in &f.hazards {
            let due = match s.deadline {
                Some(d) => Due::By(d),
                None if s.rectify_immediately => Due::Immediately,
                None => Due::General,
            };
            problems.push((Problem::of_hazard(&h.data, s), due));
        }
        for (item, answer) in f.other_problems() {
            problems.push((Problem::of_answer(item, answer), Due::General));
        }
        Order { problems }
    }

    /// Whether some problem waits for the order's general deadline.
    pub fn needs_general_deadline(&self) -> bool {
        self.problems.iter().any(|(_, due)| *due == Due::General)
    }

    pub fn warnings(&self) -> Vec<String> {
        let unstated: Vec<String> = self
            .problems
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| p.clause.is_empty())
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if unstated.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "第 {} 项没有记录违反的条款：指令书只写了事实，请核对后手写补填依据",
                unstated.join("、")
            )]
        }
    }
}

pub fn html(
    f: &InspectionFacts,
    order: &Order,
    issued: &IssuedNumber,
    review_body: &str,
    court: &str,
) -> String {
    let terms: Option<OrderTerms> = issued
        .content
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok());
    let general = terms.map(|t| t.deadline);
    let due_of = |due: Due| match due {
        Due::By(d) => Some(d),
        Due::General => general,
        Due::Immediately => None,
    };
    let dates: Vec<Option<NaiveDate>> = order.problems.iter().map(|(_, d)| due_of(*d)).collect();
    let all_immediate = order.problems.iter().all(|(_, d)| *d == Due::Immediately);
    let one_deadline = match dates.first() {
        Some(Some(first)) if dates.iter().all(|d| *d == Some(*first)) => Some(*first),
        _ => None,
    };
    let mut body = format!(
        "<p>{}：</p>\n<p class=\"indent\">经查，你单位存在下列问题：</p>\n<ol class=\"problems\">\n",
        esc(&f.enterprise.name)
    );
    for (problem, due) in &order.problems {
        let by = match (one_deadline, due, due_of(*due)) {
            (Some(_), _, _) => String::new(),
            (None, Due::Immediately, _) => "（立即整改）".to_string(),
            (None, _, Some(d)) => format!("（整改期限：{}前）", day_text(d)),
            // Only an order issued before paicha kept its terms: a line to write on.
            (None, _, None) => format!("（整改期限：{}前）", date_blanks()),
        };
        body.push_str(&format!("<li>{}{by}</li>\n", problem.html()));
    }
    body.push_str("</ol>\n");
    let range = if order.problems.len() == 1 {
        "上述问题".to_string()
    } else {
        format!("上述第1—{}项问题", order.problems.len())
    };
    let when = match (one_deadline, all_immediate) {
        (_, true) => "立即".to_string(),
        (Some(d), _) => format!("于{}前", day_text(d)),
        (None, _) => "分别于各项所列期限前".to_string(),
    };
    body.push_str(&format!(
        "<p class=\"indent\">依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，现责令你单位对{range}{when}整改完毕，\
         达到有关法律法规规章和标准规定的要求。由此造成事故的，依法追究有关人员的责任。</p>\n\
         <p class=\"indent\">整改期间，你单位应当采取措施，确保安全生产。对安全生产违法行为，将依法予以行政处罚。</p>\n"
    ));
    body.push_str(&appeal_notice("指令", review_body, court));
    body.push_str(&officers_table(&f.officers));
    body.push_str(&served(&f.department, issued));
    page(
        &f.department,
        DocumentKind::RectificationOrder.title(),
        &issued.number,
        &body,
    )
}

/// 执法人员 with their 执法证号 as recorded and a line to sign; two at least (a blank pair for
/// one not recorded).
pub fn officers_table(officers: &[super::Officer]) -> String {
    let mut out = String::from("<table>\n<tr><th>执法人员</th><td>");
    for k in 0..officers.len().max(2) {
        match officers.get(k) {
            Some(o) => out.push_str(&format!(
                "{}　执法证号：{}　签字：{}<br>",
                esc(&o.name),
                super::html::or_blank(&o.cert_no, 30),
                blank(25)
            )),
            None => out.push_str(&format!(
                "{}　执法证号：{}　签字：{}<br>",
                blank(25),
                blank(30),
                blank(25)
            )),
        }
    }
    out.push_str("</td></tr>\n</table>\n");
    out
}
