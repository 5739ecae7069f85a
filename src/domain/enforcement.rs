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

code_enum! {
    /// 现场处理措施 (安全生产法 第六十五条第一款第（三）项): for a major hazard that cannot be
    /// made safe while it is removed.
    MeasureKind, "现场处理措施" {
        Withdraw = "withdraw" / "从危险区域内撤出作业人员",
        Suspend = "suspend" / "暂时停产停业",
        StopUse = "stop_use" / "停止使用相关设施、设备",
    }
}

/// What a 现场处理措施决定书 decides: kept with its number as the issued document's content,
/// so the decision is signed and travels with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnsiteMeasures {
    /// The danger found, as a fact (where, what).
    pub danger: String,
    /// The hazards of the inspection it is about (may be empty: the danger says it).
    pub hazard_ids: Vec<Uuid>,
    pub measures: Vec<MeasureKind>,
    /// The area, facility or equipment the measures apply to.
    pub scope: String,
    /// When the measures may be lifted.
    pub lifting: String,
}

impl OnsiteMeasures {
    /// The lifting condition the law sets (第六十五条第一款第（三）项: 重大事故隐患排除后，
    /// 经审查同意，方可恢复生产经营和使用).
    pub const LAWFUL_LIFTING: &str =
        "重大事故隐患排除后，向本机关提出书面申请，经审查同意，方可恢复生产经营和使用";

    /// The reason, in Chinese, why this decision cannot be issued.
    pub fn problem(&self) -> Option<String> {
        if self.danger.trim().is_empty() {
            return Some("请写明现场发现的危险情况（事实）".into());
        }
        if self.measures.is_empty() {
            return Some(format!(
                "请至少选择一项措施：{}",
                MeasureKind::ALL
                    .iter()
                    .map(|m| format!("{}（{}）", m.code(), m.label()))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        if self.scope.trim().is_empty() {
            return Some("请写明措施适用的区域、设施或设备".into());
        }
        if self.lifting.trim().is_empty() {
            return Some("请写明解除条件".into());
        }
        None
    }
}

/// What a 责令限期整改指令书 decides beyond the hazards' own deadlines: the deadline for the
/// problems that have none of their own (non-compliant items without a hazard), kept as the
/// issued order's content so a reprint says the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderTerms {
    pub deadline: NaiveDate,
}

/// What a 事故隐患移交书 decides: to whom a village's findings are referred (the town
/// government or the competent department), kept as the issued document's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub to: String,
}
