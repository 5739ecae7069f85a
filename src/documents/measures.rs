//! 现场处理措施决定书 (2021 执法文书样式): the danger found on site, the measures decided
//! under 安全生产法 第六十五条第一款第（三）项 (withdraw people from the danger area, stop
//! production or business, stop using facilities or equipment), where they apply, the
//! condition for lifting them, the review and litigation notice, officers and seal.

use super::html::{esc, page};
use super::layout::served;
use super::order::officers_table;
use super::wording::appeal_notice;
use super::{InspectionFacts, time_text};
use crate::domain::OnsiteMeasures;
use crate::storage::IssuedNumber;
use crate::templates::campaign::DocumentKind;

pub fn html(
    f: &InspectionFacts,
    d: &OnsiteMeasures,
    issued: &IssuedNumber,
    review_body: &str,
    court: &str,
) -> String {
    let mut body = format!("<p>{}：</p>\n", esc(&f.enterprise.name));
    body.push_str(&format!(
        "<p class=\"indent\">本机关于{}在对你单位进行现场检查时，发现你单位存在下列重大事故隐患，在排除前或者排除过程中无法保证安全：</p>\n",
        esc(&time_text(f.visit.arrival))
    ));
    body.push_str("<ol class=\"problems\">\n");
    let hazards: Vec<_> = f
        .hazards
        .iter()
        .filter(|(h, _)| d.hazard_ids.contains(&h.id()))
        .collect();
    if hazards.is_empty() {
        body.push_str(&format!("<li>{}</li>\n", esc(d.danger.trim())));
    } else {
        body.push_str(&format!("<li>{}</li>\n", esc(d.danger.trim())));
        for (_, s) in hazards {
            let place = if s.location.trim().is_empty() {
                String::new()
            } else {
                format!("（部位：{}）", esc(&s.location))
            };
            body.push_str(&format!("<li>{}{place}</li>\n", esc(&s.description)));
        }
    }
    body.push_str("</ol>\n");
    let measures: Vec<String> = d
        .measures
        .iter()
        .map(|m| format!("责令{}", m.label()))
        .collect();
    body.push_str(&format!(
        "<p class=\"indent\">依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，现作出如下现场处理决定：\
         对{}，{}。</p>\n",
        esc(d.scope.trim()),
        esc(&measures.join("，"))
    ));
    body.push_str(&format!(
        "<p class=\"indent\">解除条件：{}。</p>\n\
         <p class=\"indent\">你单位应当立即执行本决定，并采取措施排除事故隐患；由此造成事故的，依法追究有关人员的责任。</p>\n",
        esc(d.lifting.trim().trim_end_matches('。'))
    ));
    body.push_str(&appeal_notice("决定", review_body, court));
    body.push_str(&officers_table(&f.officers));
    body.push_str(&served(&f.department, issued));
    page(
        &f.department,
        DocumentKind::OnsiteMeasures.title(),
        &issued.number,
        &body,
    )
}
