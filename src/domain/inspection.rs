//! An inspection of one enterprise and the answers given to its checklist items.

use super::code_enum::code_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_enum! {
    /// 执法方式: how the inspection was carried out. Part of the record.
    InspectionMode, "检查方式" {
        /// 四不两直: no notice, no greeting, no reports heard, no escort; straight to the floor.
        Unannounced = "unannounced" / "四不两直",
        Announced = "announced" / "明查",
        Covert = "covert" / "暗访",
        CrossArea = "cross_area" / "异地执法",
        Joint = "joint" / "联合执法",
        Guidance = "guidance" / "帮扶指导",
        FollowUp = "follow_up" / "复查",
    }
}

code_enum! {
    /// A draft is the inspector's working copy; from finalization on it is evidence.
    InspectionStatus, "检查状态" {
        Draft = "draft" / "草稿",
        Finalized = "finalized" / "已定稿",
        /// A draft the inspector threw away. Kept, never deleted, but ignored everywhere.
        Discarded = "discarded" / "已作废",
    }
}

code_enum! {
    AnswerResult, "检查结果" {
        Compliant = "compliant" / "符合",
        NonCompliant = "non_compliant" / "不符合",
        NotApplicable = "not_applicable" / "不适用",
        Unchecked = "unchecked" / "未查",
    }
}

/// Which version of which checklist template the inspection used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    pub id: String,
    pub version: u32,
}

/// The text of an item as it stood when the inspection was made, so that a later template
/// change never rewrites what the inspector answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSnapshot {
    pub code: String,
    pub template_id: String,
    pub template_version: u32,
    pub section: String,
    pub question: String,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub enterprise_id: Uuid,
    pub mode: InspectionMode,
    /// Inspector ids, in signing order.
    pub inspector_ids: Vec<Uuid>,
    /// The real arrival time on site.
    pub arrival_at: DateTime<Utc>,
    pub templates: Vec<TemplateRef>,
    pub items: Vec<ItemSnapshot>,
    pub status: InspectionStatus,
    pub finalized_at: Option<DateTime<Utc>>,
    /// When the inspectors left the site (asked at finalization): the end of the visit, which
    /// the on-site record prints — not the moment of signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departed_at: Option<DateTime<Utc>>,
    /// For a 复查: the hazard being followed up.
    pub follow_up_of: Option<Uuid>,
}

impl Inspection {
    /// The end of the visit: the departure recorded at finalization, or (for an inspection
    /// finalized before paicha asked for it) the finalization itself.
    pub fn visit_end(&self) -> Option<DateTime<Utc>> {
        self.departed_at.or(self.finalized_at)
    }

    /// A new draft with the given items.
    pub fn draft(
        enterprise_id: Uuid,
        mode: InspectionMode,
        inspector_ids: Vec<Uuid>,
        arrival_at: DateTime<Utc>,
        templates: Vec<TemplateRef>,
        items: Vec<ItemSnapshot>,
    ) -> Self {
        Inspection {
            enterprise_id,
            mode,
            inspector_ids,
            arrival_at,
            templates,
            items,
            status: InspectionStatus::Draft,
            finalized_at: None,
            departed_at: None,
            follow_up_of: None,
        }
    }
}

/// A departure is after the arrival and not after `now` (the finalization): the reason, in
/// Chinese, when it is not. Imports check received inspections by the same rule.
pub fn check_departure(
    arrival: DateTime<Utc>,
    departed: DateTime<Utc>,
    now: DateTime<Utc>,
) -> std::result::Result<(), String> {
    use super::time::record_minute;
    if departed < arrival {
        return Err(format!(
            "离开现场时间 {} 早于到达时间 {}",
            record_minute(departed),
            record_minute(arrival)
        ));
    }
    if departed > now {
        return Err(format!(
            "离开现场时间 {} 晚于定稿时间 {}：不能预填将来的时间",
            record_minute(departed),
            record_minute(now)
        ));
    }
    Ok(())
}

/// The answer to one item of one inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub inspection_id: Uuid,
    pub item_code: String,
    pub result: AnswerResult,
    pub note: String,
}

/// Something added to a finalized inspection after the fact: it never changes the record, it
/// stands beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addendum {
    pub inspection_id: Uuid,
    pub text: String,
}
