//! The monthly major-hazard list (每月重大事故隐患清单) the office numbers and sends up by the
//! 29th, and the public disclosure list made from it (信息公开). The month's list covers the
//! major hazards the groups report by the 25th: those found from the 26th of the month before
//! to the 25th of the month (Beijing days), each as it stood at the end of the 25th.

use super::HazardFacts;
use crate::domain::lifecycle::{self, Stage};
use crate::domain::{HazardGrade, time};
use crate::storage::EnterpriseFact;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The day of the month the groups' reports close (方案 五(一): 每月25日前上报).
pub const REPORT_DAY: u32 = 25;

/// The days a month's list covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// The window of `year`-`month`'s list.
    pub fn month(year: i32, month: u32) -> Option<Window> {
        let to = NaiveDate::from_ymd_opt(year, month, REPORT_DAY)?;
        let (py, pm) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
        let from = NaiveDate::from_ymd_opt(py, pm, REPORT_DAY + 1)?;
        Some(Window { from, to })
    }

    pub fn label(&self) -> String {
        format!("{}年{}月", self.to.year(), self.to.month())
    }
}

/// A line of the office's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedHazard {
    /// 序号 in the list.
    pub seq: usize,
    /// The ledger number (编号), once given.
    pub number: Option<String>,
    pub hazard_id: Uuid,
    pub enterprise: String,
    pub town: String,
    pub description: String,
    pub location: String,
    pub source: &'static str,
    pub found_on: NaiveDate,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub stage: &'static str,
    /// 挂牌督办: the person tracking it.
    pub tracking_person: Option<String>,
    pub closed_out_on: Option<NaiveDate>,
}

/// The month's major hazards, in ledger-number order (unnumbered ones after, by day found),
/// restricted to enterprises in `sectors` when given.
pub fn monthly(
    hazards: &[HazardFacts],
    enterprises: &HashMap<Uuid, EnterpriseFact>,
    window: Window,
    sectors: Option<&[String]>,
) -> Vec<ListedHazard> {
    let mut out: Vec<ListedHazard> = hazards
        .iter()
        .filter(|h| {
            sectors.is_none_or(|s| {
                enterprises
                    .get(&h.hazard.data.enterprise_id)
                    .and_then(|e| e.sector_code.as_ref())
                    .is_some_and(|code| s.contains(code))
            })
        })
        .filter_map(|h| {
            let found_on = time::local(h.hazard.data.found_at).date();
            if found_on < window.from || found_on > window.to {
                return None;
            }
            let events = h
                .events
                .iter()
                .filter(|e| time::local(e.data.occurred_at).date() <= window.to)
                .map(|e| &e.data);
            let status = lifecycle::fold(&h.hazard.data, events);
            if status.grade != HazardGrade::Major {
                return None;
            }
            let enterprise = enterprises.get(&h.hazard.data.enterprise_id);
            Some(ListedHazard {
                seq: 0,
                // A number is an identity, not a state: the office gives it after the 25th.
                number: h.status.number.clone(),
                hazard_id: h.hazard.id(),
                enterprise: enterprise
                    .map_or_else(|| h.enterprise_name.clone(), |e| e.name.clone()),
                town: enterprise.map(|e| e.town.clone()).unwrap_or_default(),
                // The description and 部位 as corrected up to now: a correction that takes a
                // name out must reach every list printed after it.
                description: h.status.description.clone(),
                location: h.status.location.clone(),
                source: h.hazard.data.source.label(),
                found_on,
                responsible_person: status.fixes.as_ref().map(|f| f.responsible_person.clone()),
                measures: status.fixes.as_ref().map(|f| f.measures.clone()),
                deadline: status.deadline,
                stage: status.stage.label(),
                tracking_person: status.tracking_person.clone(),
                closed_out_on: match (&status.stage, &status.closed_by) {
                    (Stage::ClosedOut, Some((_, at))) => Some(time::local(*at).date()),
                    _ => None,
                },
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.number.is_none(),
            number_key(&a.number),
            a.found_on,
            a.hazard_id,
        )
            .cmp(&(
                b.number.is_none(),
                number_key(&b.number),
                b.found_on,
                b.hazard_id,
            ))
    });
    for (i, line) in out.iter_mut().enumerate() {
        line.seq = i + 1;
    }
    out
}

/// A ledger number in its order: the prefix, then the sequence as a number ("方山999" before
/// "方山1000").
fn number_key(number: &Option<String>) -> (String, u64, String) {
    let n = number.as_deref().unwrap_or("");
    let digits = n.len() - n.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, seq) = n.split_at(n.len() - digits);
    (prefix.to_string(), seq.parse().unwrap_or(0), n.to_string())
}

/// A line of the public disclosure list: what may be published, and nothing else. Built only
/// from a [`ListedHazard`]'s public fields: no person (responsible person, tracking leader,
/// inspector, reporter), no phone, ID or key, no hazard source (a public report must not
/// point at its reporter), no notes; digits that could be a phone or ID number in the
/// description are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicEntry {
    pub seq: usize,
    pub number: String,
    pub enterprise: String,
    pub town: String,
    pub description: String,
    pub found_month: String,
    pub deadline: String,
    /// 整改治理推进情况.
    pub progress: String,
    /// 整改治理结果.
    pub result: String,
}

/// A hazard left out of the public list, and why (for the clerk to rewrite its description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    pub seq: usize,
    pub number: String,
    pub enterprise: String,
    pub reason: String,
}

/// The public list, and the hazards withheld from it: a description that says nothing once
/// what speaks of people is left out is not published blank.
pub fn disclosure(list: &[ListedHazard]) -> (Vec<PublicEntry>, Vec<Withheld>) {
    let (shown, withheld): (Vec<&ListedHazard>, Vec<&ListedHazard>) = list
        .iter()
        .partition(|h| !public_text(&h.description).is_empty());
    let withheld = withheld
        .into_iter()
        .map(|h| Withheld {
            seq: h.seq,
            number: h.number.clone().unwrap_or_default(),
            enterprise: h.enterprise.clone(),
            reason:
                "隐患描述只有关于举报人或联系方式的内容，去掉后为空：请改写描述（用“更正”）后再公开"
                    .to_string(),
        })
        .collect();
    (shown.into_iter().map(public_entry).collect(), withheld)
}

fn public_entry(h: &ListedHazard) -> PublicEntry {
    {
        PublicEntry {
            seq: h.seq,
            number: h.number.clone().unwrap_or_default(),
            enterprise: h.enterprise.clone(),
            town: h.town.clone(),
            description: public_text(&h.description),
            found_month: format!("{}年{}月", h.found_on.year(), h.found_on.month()),
            deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
            progress: h.stage.to_string(),
            result: match h.closed_out_on {
                Some(day) => format!("已于{day}整改完成并销号"),
                None if h.stage == Stage::Verified.label() => "已整改，经复查验收".to_string(),
                None => "整改中".to_string(),
            },
        }
    }
}

/// Words that mark a clause about a person rather than the hazard (a reporter, a witness, a
/// phone…). A safety net: descriptions meant for the ledger should name no one.
const PERSONAL_CLAUSE: [&str; 18] = [
    "举报",
    "反映",
    "投诉",
    "来电",
    "来信",
    "实名",
    "匿名",
    "电话",
    "手机",
    "微信",
    "身份证",
    "联系人",
    "联系方式",
    "群众",
    "村民",
    "核实",
    "称",
    "证人",
];

/// A description fit to publish: clauses that speak of a reporter or contact details are left
/// out ("举报人张三（电话…）反映：油罐区违规动火" → "油罐区违规动火"), and long digit runs masked.
pub fn public_text(text: &str) -> String {
    let mut kept = String::new();
    let mut clause = String::new();
    let flush = |clause: &mut String, kept: &mut String| {
        if !PERSONAL_CLAUSE.iter().any(|w| clause.contains(w)) {
            kept.push_str(clause);
        }
        clause.clear();
    };
    for c in text.chars() {
        clause.push(c);
        if "，,。；;：:！!？?\n".contains(c) {
            flush(&mut clause, &mut kept);
        }
    }
    flush(&mut clause, &mut kept);
    // A dropped clause leaves no dangling separator: the text ends as its original did.
    let trimmed = kept
        .trim_start_matches(|c: char| "，,。；;：: ".contains(c))
        .trim_end_matches(|c: char| "，,；;：: ".contains(c))
        .trim();
    let ended = text.trim_end().ends_with('。') && !trimmed.is_empty() && !trimmed.ends_with('。');
    let trimmed = if ended {
        format!("{trimmed}。")
    } else {
        trimmed.to_string()
    };
    mask_personal(&trimmed)
}

/// Free text with what identifies a person masked: e-mail addresses, and digit runs that could
/// be a phone, ID or bank number in any spacing (see [`mask_numbers`]).
pub fn mask_personal(text: &str) -> String {
    mask_numbers(&mask_emails(text))
}

/// Masks every e-mail address (`name@host.domain`).
pub fn mask_emails(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let host = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = i;
            while start > copied && local(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && host(chars[end]) {
                end += 1;
            }
            let domain: String = chars[i + 1..end].iter().collect();
            if start < i && domain.trim_end_matches('.').contains('.') {
                out.extend(&chars[copied..start]);
                out.push_str("［邮箱已隐去］");
                copied = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.extend(&chars[copied..]);
    out
}

/// Masks every run of seven or more digits (with an ID number's final X): phone, ID and bank
/// numbers typed into free text never reach a published list.
pub fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
        if digit(chars[i]) {
            let start = i;
            // Phone numbers are written with spaces or hyphens between groups of digits.
            while i < chars.len()
                && (digit(chars[i])
                    || (matches!(chars[i], '-' | ' ' | '　')
                        && chars.get(i + 1).is_some_and(|c| digit(*c))))
            {
                i += 1;
            }
            if i < chars.len() && matches!(chars[i], 'X' | 'x' | 'Ｘ') {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let digits = run.chars().filter(|c| digit(*c)).count();
            if digits >= 7 && !is_day(&run) {
                out.push_str(&"＊".repeat(digits.min(11)));
            } else {
                out.push_str(&run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `YYYY-MM-DD` (a date, not a number to hide).
fn is_day(run: &str) -> bool {
    time::parse_day(run).is_some() && run.len() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_runs_from_the_26th_before_to_the_25th() {
        let w = Window::month(2023, 9).expect("w");
        assert_eq!(
            (w.from.to_string(), w.to.to_string()),
            ("2023-08-26".into(), "2023-09-25".into())
        );
        let jan = Window::month(2024, 1).expect("w");
        assert_eq!(jan.from.to_string(), "2023-12-26");
        assert!(Window::month(2023, 13).is_none());
    }

    #[test]
    fn e_mails_are_masked_and_no_separator_dangles() {
        assert_eq!(
            mask_personal("联系 zhang.san@example.com 或 13912345678"),
            "联系 ［邮箱已隐去］ 或 ＊＊＊＊＊＊＊＊＊＊＊"
        );
        assert_eq!(
            mask_emails("a@b 不是邮箱，@开头也不是"),
            "a@b 不是邮箱，@开头也不是"
        );
        assert_eq!(
            public_text("油罐区违规动火，举报人张三反映。"),
            "油罐区违规动火。"
        );
        assert_eq!(
            public_text("油罐区违规动火；来电 139 1234 5678"),
            "油罐区违规动火"
        );
        assert_eq!(public_text("张三丰反映，请核实。"), "");
    }

    fn sample(day: chrono::NaiveDate) -> ListedHazard {
        ListedHazard {
            seq: 1,
            number: Some("方山-2023-09-001".into()),
            hazard_id: uuid::Uuid::nil(),
            enterprise: "方山县加油站".into(),
            town: "圪洞镇".into(),
            description: String::new(),
            location: String::new(),
            source: "群众举报",
            found_on: day,
            responsible_person: None,
            measures: None,
            deadline: None,
            stage: "整改中",
            tracking_person: None,
            closed_out_on: None,
        }
    }

    #[test]
    fn a_description_that_would_be_empty_is_withheld_not_published_blank() {
        let day = chrono::NaiveDate::from_ymd_opt(2023, 9, 5).expect("day");
        let listed = |seq: usize, description: &str| ListedHazard {
            seq,
            description: description.into(),
            ..sample(day)
        };
        let (shown, withheld) = disclosure(&[
            listed(1, "储罐区紧急切断装置失效"),
            listed(2, "张三丰反映，请核实。"),
        ]);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].description, "储罐区紧急切断装置失效");
        assert_eq!(withheld.len(), 1);
        assert_eq!(withheld[0].seq, 2);
        assert!(withheld[0].reason.contains("改写描述"));
    }

    #[test]
    fn phone_and_id_numbers_are_masked_and_ordinary_figures_kept() {
        assert_eq!(
            mask_numbers("举报人电话13912345678，罐区2号阀"),
            "举报人电话＊＊＊＊＊＊＊＊＊＊＊，罐区2号阀"
        );
        assert_eq!(
            mask_numbers("身份证14112319900101123X。"),
            "身份证＊＊＊＊＊＊＊＊＊＊＊。"
        );
        assert_eq!(
            mask_numbers("座机0358-6021234"),
            "座机＊＊＊＊＊＊＊＊＊＊＊"
        );
        assert_eq!(mask_numbers("2023年9月 3处 500升"), "2023年9月 3处 500升");
        assert_eq!(
            mask_numbers("电话139 1234 5678。"),
            "电话＊＊＊＊＊＊＊＊＊＊＊。"
        );
        for leaked in [
            "村民张三反映：油罐区违规动火",
            "群众李四（139 1234 5678）称加油机漏油",
            "经王五核实，罐区阀门失效",
            "赵六投诉：卸油口无静电接地",
        ] {
            let public = public_text(leaked);
            for name in ["张三", "李四", "王五", "赵六", "139"] {
                assert!(!public.contains(name), "{leaked} → {public}");
            }
        }
        assert_eq!(mask_numbers("限2023-10-05前"), "限2023-10-05前");
        assert_eq!(
            public_text("举报人张三（电话13912345678）反映：油罐区违规动火，无动火作业票。"),
            "油罐区违规动火，无动火作业票。"
        );
        assert_eq!(public_text("储罐区紧急切断阀失效"), "储罐区紧急切断阀失效");
        assert_eq!(
            mask_numbers("全角１３９１２３４５６７８"),
            "全角＊＊＊＊＊＊＊＊＊＊＊"
        );
    }
}
