//! Hazards (隐患) and the append-only events of their closed loop.
//!
//! A hazard record is written once. Everything that happens to it afterwards — transfer, the
//! five fixes, verification, close-out, a correction — is a new [`HazardEvent`]; the current
//! state is a fold over the events. That keeps the full history as evidence and makes merging
//! data from several laptops a union by id.

use super::code_enum::code_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_enum! {
    HazardGrade, "隐患等级" {
        Major = "major" / "重大",
        General = "general" / "一般",
    }
}

code_enum! {
    HazardSource, "隐患来源" {
        SelfCheck = "self_check" / "企业自查",
        Inspection = "inspection" / "执法检查",
        PublicReport = "public_report" / "群众举报",
        Assigned = "assigned" / "上级交办",
    }
}

/// The five fixes of a hazard that needs time (责任人、措施、资金、时限、应急预案).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiveFixes {
    pub responsible_person: String,
    pub measures: String,
    pub funds: String,
    pub deadline: NaiveDate,
    pub emergency_plan: String,
}

/// 挂牌督办: a major hazard listed for supervision, with the person who tracks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    pub tracking_person: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub enterprise_id: Uuid,
    /// The inspection that found it (执法检查), if any.
    pub inspection_id: Option<Uuid>,
    /// The checklist item it was found under, if any (E12, GAS-03…).
    pub item_code: Option<String>,
    pub grade: HazardGrade,
    pub source: HazardSource,
    pub description: String,
    pub location: String,
    /// 依据: standard and clause.
    pub basis: String,
    pub found_at: DateTime<Utc>,
    /// Fixed on the spot (立即整改) rather than by a deadline.
    pub rectify_immediately: bool,
    pub fixes: Option<FiveFixes>,
    /// A 挂牌督办 proposal made with the hazard.
    pub supervision: Option<Supervision>,
    /// 群众举报: the reporter asked to stay anonymous.
    pub anonymous_report: bool,
    /// 上级交办: the number of the assigning document.
    pub assigning_document: Option<String>,
}

code_enum! {
    /// The steps of the closed loop, plus corrections and supervision.
    HazardEventKind, "隐患事件" {
        Registered = "registered" / "登记",
        Transferred = "transferred" / "已移交",
        Rectifying = "rectifying" / "整改中",
        RectificationReported = "rectification_reported" / "待验收",
        Verified = "verified" / "已验收",
        ClosedOut = "closed_out" / "已销号",
        ListedForSupervision = "listed_for_supervision" / "挂牌督办",
        Numbered = "numbered" / "编号",
        Corrected = "corrected" / "更正",
    }
}

/// One step in a hazard's history. Never updated, never deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardEvent {
    pub hazard_id: Uuid,
    pub kind: HazardEventKind,
    /// When it happened (may precede the time it was recorded).
    pub occurred_at: DateTime<Utc>,
    /// Kind-specific data: the five fixes for 整改中, the leader's sign-off for 已销号, the
    /// ledger number for 编号, the corrected fields for 更正…
    pub payload: serde_json::Value,
    pub note: String,
}
