//! The thresholds the rules use, read from `config/rules.toml`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    pub certificate: CertificateRules,
    pub hot_work: HotWorkRules,
    pub outsourcing: OutsourcingRules,
    pub drill: DrillRules,
    pub targeting: TargetingWeights,
    /// Who may take which step (the built-in table when a county's file has none).
    #[serde(default)]
    pub permissions: crate::domain::trust::Permissions,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateRules {
    pub item: String,
    pub validity_years: u32,
    pub review_interval_years: u32,
    pub review_window_days: u32,
    pub number_prefix: String,
    pub prefixed_system: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotWorkRules {
    pub item: String,
    pub gas_sample_max_minutes: u32,
    /// From the highest level down.
    #[serde(rename = "level")]
    pub levels: Vec<HotWorkLevel>,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillRules {
    pub item: String,
    pub default_drills_per_year: u32,
}

impl DrillRules {
    /// Months allowed between drills for a sector drilling `per_year` times a year.
    pub fn max_months(&self, per_year: Option<u32>) -> u32 {
        12 / per_year
            .unwrap_or(self.default_drills_per_year)
            .clamp(1, 12)
    }
}
