//! Enforcement actions: what the C rows of the monthly table count.

use super::code_enum::code_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_enum! {
    EnforcementKind, "执法措施" {
        /// C3: 行政处罚, with an amount.
        Penalty = "penalty" / "行政处罚",
        /// C4: 一案双罚 (the enterprise and its principal).
        DualPenalty = "dual_penalty" / "一案双罚",
        /// C5: persons transferred to judicial organs.
        JudicialTransfer = "judicial_transfer" / "移送司法机关",
        /// C6: 责令停产整顿.
        Suspension = "suspension" / "责令停产整顿",
        /// C6: 关闭取缔.
        Closure = "closure" / "关闭取缔",
        /// C7: 曝光、约谈、联合惩戒.
        Exposure = "exposure" / "曝光约谈联合惩戒",
        /// C8: a typical case published.
        CasePublication = "case_publication" / "公布典型案例",
        /// C9: persons held accountable by back-tracing.
        Accountability = "accountability" / "责任倒查追责问责",
        /// C10: enterprise interview or notice.
        InterviewNotice = "interview_notice" / "约谈通报企业",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnforcementAction {
    pub kind: EnforcementKind,
    pub enterprise_id: Option<Uuid>,
    pub inspection_id: Option<Uuid>,
    pub hazard_id: Option<Uuid>,
    pub decided_on: NaiveDate,
    /// 文书编号 of the decision.
    pub document_no: String,
    /// Penalty amount in fen (分), exact; the report shows 万元.
    pub amount_fen: Option<i64>,
    /// Persons concerned (C5, C9).
    pub persons: Option<u32>,
    /// C8: the case is a 危险作业罪 case.
    pub dangerous_operation_crime: bool,
    pub note: String,
    /// When this record corrects an earlier one (records are never edited).
    pub corrects: Option<Uuid>,
}
