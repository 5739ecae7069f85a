//! Inspectors (执法人员): "谁检查、谁签名、谁负责".

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspector {
    pub name: String,
    /// 执法证号 (law-enforcement certificate number); empty until the profile is completed.
    pub cert_no: String,
    /// The campaign group (专项行动小组) code, as in the campaign config.
    pub group_code: Option<String>,
}
