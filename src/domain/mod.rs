//! Domain types and pure rules. No I/O here: storage and the UI speak in these types.

pub mod activity;
pub mod attachment;
pub(crate) mod code_enum;
pub mod correction;
pub mod credit_code;
pub mod enforcement;
pub mod enterprise;
pub mod evidence;
pub mod exam;
pub mod follow_up;
pub mod hazard;
pub mod id_number;
pub mod inspection;
pub mod inspector;
pub mod lifecycle;
pub mod money;
pub mod office_hazard;
pub mod record;
pub mod report_codes;
pub mod rules;
pub mod time;
pub mod trust;

pub use activity::{Activity, ActivityKind, ActivityLevel};
pub use code_enum::UnknownCode;
pub use correction::{EvidenceCorrection, TimeCorrection, VisitTimes};
pub use credit_code::{CreditCode, CreditCodeError};
pub use enforcement::{
    EnforcementAction, EnforcementKind, MeasureKind, OnsiteMeasures, OrderTerms, Referral,
};
pub use enterprise::{Enterprise, RiskLevel, RosterFields};
pub use evidence::{EvidenceKind, EvidenceRecord, FieldValue};
pub use exam::{ExamOutcome, ExamQuestion, ExamRecord};
pub use hazard::{
    FiveFixes, Hazard, HazardEvent, HazardEventKind, HazardGrade, HazardSource, Supervision,
};
pub use inspection::{
    Addendum, Answer, AnswerResult, Inspection, InspectionMode, InspectionStatus, ItemSnapshot,
    TemplateRef,
};
pub use inspector::Inspector;
pub use record::{Clock, FixedClock, Record, RecordMeta, SystemClock};

#[cfg(test)]
mod tests;
