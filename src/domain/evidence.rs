//! The four evidence records behind E10, E12, E13–E14 and E15.
//!
//! Their field lists are data (`config/forms/*.toml`): a record keeps its values by field key,
//! and the form definition says what each key means and how it is validated. One source of
//! truth for a field list, as `architecture.md` asks.

use super::code_enum::code_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

code_enum! {
    EvidenceKind, "证据记录类型" {
        /// 动火作业票 (GB 30871-2022) — E10.
        HotWorkPermit = "hot_work_permit" / "动火作业票",
        /// 特种作业操作证 (原安监总局令第30号) — E12.
        SpecialOperationCertificate = "special_operation_certificate" / "特种作业操作证",
        /// 外包外租安全生产管理协议 (安全生产法 第49条) — E13, E14.
        OutsourcingAgreement = "outsourcing_agreement" / "外包外租协议",
        /// 应急演练记录 (应急管理部令第2号 第33条) — E15.
        DrillRecord = "drill_record" / "应急演练记录",
    }
}

/// A value of one form field. Dates and times are kept as ISO 8601 text once validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl FieldValue {
    /// The value as forms and listings show it (a yes/no as 是/否).
    pub fn shown(&self) -> String {
        match self {
            FieldValue::Text(t) => t.clone(),
            FieldValue::Number(n) => n.to_string(),
            FieldValue::Bool(true) => "是".to_string(),
            FieldValue::Bool(false) => "否".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub inspection_id: Uuid,
    pub kind: EvidenceKind,
    /// The version of the form definition the values were entered against.
    pub form_version: u32,
    pub values: BTreeMap<String, FieldValue>,
}
