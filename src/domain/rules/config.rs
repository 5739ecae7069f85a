//! The thresholds the rules use, read from `config/rules.toml`.
//!
//! Every rule says which campaign sectors it binds (`sectors`, codes of `config/sectors.toml`;
//! `"*"` binds every enterprise, `"none"` an enterprise without a sector) and, per sector, which of that
//! sector's own checklist items it answers besides the duty item (`sector_items`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    pub certificate: CertificateRules,
    pub permit_certificate: PermitCertificateRules,
    pub hot_work: HotWorkRules,
    pub outsourcing: OutsourcingRules,
    pub drill: DrillRules,
    pub targeting: TargetingWeights,
    /// Who may take which step (the built-in table when a county's file has none).
    #[serde(default)]
    pub permissions: crate::domain::trust::Permissions,
    /// The amount above which a typed sum is confirmed before it is saved (500 万元 when a
    /// county's file has none).
    #[serde(default)]
    pub money: crate::domain::money::MoneyRules,
    /// Limits on attached photos, videos and scans (the shipped ones when a county's file has
    /// none).
    #[serde(default)]
    pub attachments: crate::domain::attachment::AttachmentRules,
    /// When the home screen reminds to back up (7 days when a county's file has none).
    #[serde(default)]
    pub backup: BackupRules,
}

/// `[backup]`: the home screen reminds when nothing left this machine (no backup, no bundle
/// exported) for more than `remind_after_days` days; 0 never reminds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupRules {
    pub remind_after_days: u32,
}

impl Default for BackupRules {
    fn default() -> BackupRules {
        BackupRules {
            remind_after_days: 7,
        }
    }
}

/// Sector code → the sector checklist's items a rule also answers.
pub type SectorItems = BTreeMap<String, Vec<String>>;

/// Whether a rule whose scope is `sectors` binds an enterprise of `sector`: `"*"` binds every
/// enterprise, `"none"` one without a campaign sector, a code the enterprises of that sector.
pub fn binds(sectors: &[String], sector: Option<&str>) -> bool {
    sectors.iter().any(|s| match s.as_str() {
        "*" => true,
        "none" => sector.is_none(),
        code => Some(code) == sector,
    })
}

/// The items a finding goes to: the duty item, then the sector's own items.
pub fn targets(item: &str, sector_items: &SectorItems, sector: Option<&str>) -> Vec<String> {
    let mut out = vec![item.to_string()];
    if let Some(items) = sector.and_then(|s| sector_items.get(s)) {
        out.extend(items.iter().cloned());
    }
    out
}

/// Points for ranking enterprises to visit (see `report::targeting`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetingWeights {
    pub overdue_major: u32,
    pub open_major: u32,
    pub hazard_in_last_year: u32,
    pub high_risk_sector: u32,
    pub per_month_uninspected: u32,
    pub months_cap: u32,
    pub never_inspected: u32,
    /// Points by the roster's 风险等级 (安全风险分级). A configuration written before these
    /// existed gets the shipped values.
    #[serde(default = "risk_major")]
    pub risk_major: u32,
    #[serde(default = "risk_high")]
    pub risk_high: u32,
    #[serde(default = "risk_moderate")]
    pub risk_moderate: u32,
    #[serde(default)]
    pub risk_low: u32,
    /// Points taken off an enterprise inspected within `recent_days`: all of them for one
    /// inspected today, fewer day by day, none from `recent_days` on.
    #[serde(default = "recently_inspected")]
    pub recently_inspected: u32,
    #[serde(default = "recent_days")]
    pub recent_days: u32,
}

fn risk_major() -> u32 {
    30
}
fn risk_high() -> u32 {
    15
}
fn risk_moderate() -> u32 {
    5
}
fn recently_inspected() -> u32 {
    60
}
fn recent_days() -> u32 {
    30
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateRules {
    pub item: String,
    pub sectors: Vec<String>,
    /// The issuing systems the rule knows, each with its own validity and review rule. A
    /// certificate of any other system is not judged.
    #[serde(rename = "system")]
    pub systems: Vec<CertificateSystem>,
}

impl CertificateRules {
    pub fn system(&self, name: &str) -> Option<&CertificateSystem> {
        self.systems.iter().find(|s| s.name == name)
    }
}

/// One issuing system's rule (应急管理 / 市场监管 / 住建).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSystem {
    /// As offered by the certificate form's `issuing_system` choice list.
    pub name: String,
    /// What the certificate is called in reasons.
    pub title: String,
    /// The source of this system's rule, shown when it is the reason a rule holds back.
    pub basis: String,
    /// Years of validity, when a review falls due within it (with `review_interval_years`).
    #[serde(default)]
    pub validity_years: Option<u32>,
    /// A review (复审) falls due every this many years within the validity; none when absent.
    #[serde(default)]
    pub review_interval_years: Option<u32>,
    /// The interval when the issuing authority extended it (30号令 第二十一条: every 6 years).
    #[serde(default)]
    pub extended_review_interval_years: Option<u32>,
    /// A review recorded earlier than this many days before it falls due does not count.
    #[serde(default)]
    pub review_window_days: u32,
    /// Certificates of this system are numbered this prefix + the holder's ID number.
    #[serde(default)]
    pub number_prefix: Option<String>,
    #[serde(default)]
    pub sector_items: SectorItems,
}

/// A hot-work permit's operator certificate checked against the certificates on record (填报说明
/// 2: B6 is also found through hot-work permits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermitCertificateRules {
    pub item: String,
    pub sectors: Vec<String>,
    /// The permit methods (动火方式) that need the certificate below; a permit with no method
    /// recorded is checked too.
    pub methods: Vec<String>,
    /// The issuing system and operation category (作业类别) the certificate must be of.
    pub system: String,
    pub category: String,
    #[serde(default)]
    pub sector_items: SectorItems,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotWorkRules {
    pub item: String,
    pub sectors: Vec<String>,
    /// What binds the rule, named when an enterprise is outside its scope.
    pub basis: String,
    pub gas_sample_max_minutes: u32,
    /// From the highest level down.
    #[serde(rename = "level")]
    pub levels: Vec<HotWorkLevel>,
    #[serde(default)]
    pub sector_items: SectorItems,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotWorkLevel {
    pub name: String,
    pub max_hours: u32,
}

impl HotWorkRules {
    /// The level that applies: `name`, raised one step when the work was upgraded.
    pub fn effective_level(&self, name: &str, upgraded: bool) -> Option<&HotWorkLevel> {
        let index = self.levels.iter().position(|l| l.name == name)?;
        let index = if upgraded {
            index.saturating_sub(1)
        } else {
            index
        };
        self.levels.get(index)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutsourcingRules {
    pub qualification_item: String,
    pub management_item: String,
    pub sectors: Vec<String>,
    #[serde(default)]
    pub qualification_sector_items: SectorItems,
    #[serde(default)]
    pub management_sector_items: SectorItems,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillRules {
    pub item: String,
    pub sectors: Vec<String>,
    /// What binds the rule, named when an enterprise is outside its scope.
    pub basis: String,
    /// 第三十三条第二款: units listed there drill every plan at least this often…
    pub listed_months: u32,
    /// …and report each drill (the drill form's `reported_to`).
    pub listed_basis: String,
    #[serde(rename = "clock")]
    pub clocks: Vec<DrillClock>,
    #[serde(default)]
    pub sector_items: SectorItems,
}

/// A drill that must have been held within `months`: a drill of one of `plan_types`, or a drill
/// whose yes/no field `flag` is yes. `sectors` empty: every sector in the rule's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillClock {
    pub name: String,
    pub basis: String,
    pub months: u32,
    #[serde(default)]
    pub plan_types: Vec<String>,
    #[serde(default)]
    pub flag: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
}
