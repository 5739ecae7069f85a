//! The sentences documents share: a problem as the fact found and the clause broken, the
//! clause without paicha's internal notes, and the review-and-litigation notice by date.

use super::html::{blank, esc};
use crate::domain::lifecycle::Status;
use crate::domain::{Answer, Hazard, HazardGrade, ItemSnapshot};

/// A problem an order lists: what was found (a fact), where, and the clause it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub major: bool,
    pub fact: String,
    pub location: String,
    pub clause: String,
    pub deadline: Option<chrono::NaiveDate>,
}

impl Problem {
    pub fn of_hazard(hazard: &Hazard, status: &Status) -> Problem {
        Problem {
            major: status.grade == HazardGrade::Major,
            fact: sentence(&status.description),
            location: status.location.trim().to_string(),
            clause: clause(&status.basis),
            deadline: status.deadline,
        }
        .with_fallback_clause(hazard)
    }

    /// A non-compliant answer without a hazard: the inspector's note is the fact; without
    /// one, the requirement the unit did not meet.
    pub fn of_answer(item: &ItemSnapshot, answer: &Answer) -> Problem {
        let note = answer.note.trim();
        let fact = if note.is_empty() {
            format!("未做到：{}", requirement(&item.question))
        } else {
            sentence(note)
        };
        Problem {
            major: false,
            fact,
            location: String::new(),
            clause: clause(&item.basis),
            deadline: None,
        }
    }

    fn with_fallback_clause(mut self, hazard: &Hazard) -> Problem {
        if self.clause.is_empty() {
            self.clause = clause(&hazard.basis);
        }
        self
    }

    /// The problem as an order prints it (HTML): 【重大事故隐患】fact（部位：…）。违反了…的规定。
    pub fn html(&self) -> String {
        let mut out = String::new();
        if self.major {
            out.push_str("【重大事故隐患】");
        }
        out.push_str(&esc(&self.fact));
        if !self.location.is_empty() {
            out.push_str(&format!("（部位：{}）", esc(&self.location)));
        }
        out.push('。');
        if !self.clause.is_empty() {
            out.push_str(&format!("上述行为不符合{}的规定。", esc(&self.clause)));
        }
        out
    }
}

/// Text as a sentence: trimmed, without its closing full stop (the document adds its own).
fn sentence(text: &str) -> String {
    text.trim()
        .trim_end_matches(['。', '.', '；', ';', '，', ','])
        .to_string()
}

/// A checklist question as the requirement it asks about: “是否建立台账？” → “建立台账”.
pub fn requirement(question: &str) -> String {
    let q = question.trim().trim_end_matches(['？', '?']);
    match q.split_once("是否") {
        Some((before, after)) => format!("{before}{after}"),
        None => q.to_string(),
    }
}

/// A clause as a document may print it: without paicha's notes to itself — a bracketed
/// remark about checking the text (核实), or about an edition in force from a later day —
/// and without a dangling separator they leave behind.
pub fn clause(basis: &str) -> String {
    let mut out = String::with_capacity(basis.len());
    let mut rest = basis.trim();
    while let Some(start) = rest.find(['（', '(', '【']) {
        let open = rest[start..].chars().next().unwrap_or('（');
        let close = match open {
            '（' => '）',
            '(' => ')',
            _ => '】',
        };
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        let inner = &rest[start + open.len_utf8()..start + len];
        out.push_str(&rest[..start]);
        if !is_internal_note(inner) {
            out.push_str(&rest[start..start + len + close.len_utf8()]);
        }
        rest = &rest[start + len + close.len_utf8()..];
    }
    out.push_str(rest);
    out.split(['；', ';'])
        .map(|part| part.trim().trim_end_matches(['，', ',', '、']).trim())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("；")
}

fn is_internal_note(text: &str) -> bool {
    text.contains("核实")
        || text.contains("核对")
        || text.contains("起为")
        || text.contains("起执行")
        || text == "待定"
}

/// 如果不服本决定… with the review body and the court in force on the document's day (a blank
/// to fill in by hand where the office has not configured the court).
pub fn appeal_notice(what: &str, review_body: &str, court: &str) -> String {
    let court = if court.trim().is_empty() {
        format!("{}人民法院", blank(40))
    } else {
        esc(court)
    };
    format!(
        "<p class=\"indent\">如果不服本{what}，可以依法在60日内向{}申请行政复议，或者在6个月内依法向{court}提起行政诉讼，\
         但本{what}不停止执行，法律另有规定的除外。</p>\n",
        esc(review_body)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_notes_never_reach_a_document() {
        assert_eq!(
            clause(
                "GB 35181-2017《重大火灾隐患判定方法》（2025-11-01起为GB 35181-2025《重大火灾隐患判定规则》）；《安全生产法》第49条"
            ),
            "GB 35181-2017《重大火灾隐患判定方法》；《安全生产法》第49条"
        );
        assert_eq!(
            clause(
                "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）有限空间作业专项类（原文及条号未核实）；"
            ),
            "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）有限空间作业专项类"
        );
        assert_eq!(
            clause("人防工程维护管理标准：结构完好（依据文件和条款待核实）"),
            "人防工程维护管理标准：结构完好"
        );
        assert_eq!(clause("【待核实】；安全生产法 第41条"), "安全生产法 第41条");
        assert_eq!(clause(""), "");
    }

    #[test]
    fn a_question_reads_as_the_requirement_it_asks_about() {
        assert_eq!(
            requirement("是否建立重大事故隐患台账清单并闭环管理？"),
            "建立重大事故隐患台账清单并闭环管理"
        );
        assert_eq!(
            requirement("主要负责人是否每月至少带队检查一次？"),
            "主要负责人每月至少带队检查一次"
        );
    }

    #[test]
    fn the_court_left_unset_is_a_blank_to_fill_in() {
        let with = appeal_notice("指令", "方山县人民政府", "吕梁市离石区人民法院");
        assert!(
            with.contains("向方山县人民政府申请行政复议")
                && with.contains("向吕梁市离石区人民法院提起")
        );
        let without = appeal_notice("指令", "方山县人民政府", "");
        assert!(without.contains("class=\"blank\"") && without.contains("人民法院提起行政诉讼"));
    }
}
