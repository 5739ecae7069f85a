//! 逢查必考: the spot exam of the principal and managers at every inspection.

use super::code_enum::code_enum;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_enum! {
    ExamOutcome, "作答结果" {
        Correct = "correct" / "答对",
        Partial = "partial" / "部分答对",
        Wrong = "wrong" / "答错",
    }
}

/// One question as asked (its text is a snapshot of the bank) and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamQuestion {
    pub question_id: String,
    pub question: String,
    pub outcome: ExamOutcome,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamRecord {
    pub inspection_id: Uuid,
    pub examinee_name: String,
    /// 主要负责人, 安全管理人员…
    pub examinee_role: String,
    pub questions: Vec<ExamQuestion>,
}

impl ExamRecord {
    /// The score, 0–100: a correct answer counts fully, a partly correct one half.
    pub fn score_percent(&self) -> u32 {
        if self.questions.is_empty() {
            return 0;
        }
        let points: usize = self
            .questions
            .iter()
            .map(|q| match q.outcome {
                ExamOutcome::Correct => 2,
                ExamOutcome::Partial => 1,
                ExamOutcome::Wrong => 0,
            })
            .sum();
        (points * 50 / self.questions.len()) as u32
    }
}
