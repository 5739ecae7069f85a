//! Enterprises (生产经营单位) in the registry the office keeps.

use super::code_enum::code_enum;
use super::credit_code::CreditCode;
use serde::{Deserialize, Serialize};

code_enum! {
    /// The four-colour risk grading of an enterprise (安全风险分级).
    RiskLevel, "风险等级" {
        Major = "major" / "重大风险",
        High = "high" / "较大风险",
        Moderate = "moderate" / "一般风险",
        Low = "low" / "低风险",
    }
}

impl RiskLevel {
    /// Accepts the forms rosters use: "重大风险", "重大", "红", "红色", or the code.
    pub fn parse_loose(value: &str) -> Result<Self, super::code_enum::UnknownCode> {
        let v = value.trim();
        let mapped = match v {
            "重大" | "红" | "红色" => RiskLevel::Major,
            "较大" | "橙" | "橙色" => RiskLevel::High,
            "一般" | "黄" | "黄色" => RiskLevel::Moderate,
            "低" | "蓝" | "蓝色" => RiskLevel::Low,
            _ => return RiskLevel::parse(v),
        };
        Ok(mapped)
    }
}

/// An enterprise as registered. `sector` is the roster's own wording; `sector_code` is the
/// campaign sector it maps to, when it maps to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    pub name: String,
    pub credit_code: CreditCode,
    pub address: String,
    /// 乡镇
    pub town: String,
    pub sector: String,
    pub sector_code: Option<String>,
    pub risk_level: Option<RiskLevel>,
    /// 主要负责人
    pub principal: String,
    pub phone: String,
}

/// Which optional fields a roster supplies. A column the roster lacks keeps what is stored:
/// re-importing a narrower sheet never blanks data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterFields {
    pub address: bool,
    pub town: bool,
    pub sector: bool,
    pub principal: bool,
    pub phone: bool,
    pub risk_level: bool,
}

impl RosterFields {
    pub const ALL: RosterFields = RosterFields {
        address: true,
        town: true,
        sector: true,
        principal: true,
        phone: true,
        risk_level: true,
    };

    /// `incoming`, with every field this roster does not supply taken from `stored`.
    pub fn merge(&self, stored: &Enterprise, incoming: Enterprise) -> Enterprise {
        let keep =
            |supplied: bool, new: String, old: &String| if supplied { new } else { old.clone() };
        Enterprise {
            name: incoming.name,
            credit_code: incoming.credit_code,
            address: keep(self.address, incoming.address, &stored.address),
            town: keep(self.town, incoming.town, &stored.town),
            sector: keep(self.sector, incoming.sector, &stored.sector),
            sector_code: if self.sector {
                incoming.sector_code
            } else {
                stored.sector_code.clone()
            },
            risk_level: if self.risk_level {
                incoming.risk_level
            } else {
                stored.risk_level
            },
            principal: keep(self.principal, incoming.principal, &stored.principal),
            phone: keep(self.phone, incoming.phone, &stored.phone),
        }
    }
}

/// Checks a phone number the way a clerk would: digits with the usual separators, 7 to 20
/// digits in all (landlines with area codes and extensions, mobiles).
pub fn validate_phone(phone: &str) -> Result<(), String> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Ok(());
    }
    if let Some(bad) = phone
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')' | '转')))
    {
        return Err(format!("联系电话“{phone}”含有非法字符“{bad}”"));
    }
    let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
    if !(7..=20).contains(&digits) {
        return Err(format!("联系电话“{phone}”位数不对（{digits} 位数字）"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_level_accepts_roster_wordings() {
        assert_eq!(RiskLevel::parse_loose("重大风险"), Ok(RiskLevel::Major));
        assert_eq!(RiskLevel::parse_loose("较大"), Ok(RiskLevel::High));
        assert_eq!(RiskLevel::parse_loose("黄色"), Ok(RiskLevel::Moderate));
        assert_eq!(RiskLevel::parse_loose(" 蓝 "), Ok(RiskLevel::Low));
        assert_eq!(RiskLevel::parse_loose("low"), Ok(RiskLevel::Low));
        let err = RiskLevel::parse_loose("很高").unwrap_err().to_string();
        assert!(err.contains("很高") && err.contains("重大风险"), "{err}");
    }

    #[test]
    fn a_narrower_roster_keeps_what_it_does_not_supply() {
        let stored = Enterprise {
            name: "旧名".into(),
            credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
            address: "城关".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: Some(RiskLevel::High),
            principal: "王五".into(),
            phone: "13800138000".into(),
        };
        let incoming = Enterprise {
            name: "新名".into(),
            address: String::new(),
            town: String::new(),
            sector: String::new(),
            sector_code: None,
            risk_level: None,
            principal: String::new(),
            phone: "13900139000".into(),
            ..stored.clone()
        };
        let only_phone = RosterFields {
            phone: true,
            ..RosterFields {
                address: false,
                town: false,
                sector: false,
                principal: false,
                phone: false,
                risk_level: false,
            }
        };
        let merged = only_phone.merge(&stored, incoming.clone());
        assert_eq!(merged.name, "新名");
        assert_eq!(merged.phone, "13900139000");
        assert_eq!(merged.address, "城关");
        assert_eq!(merged.sector_code.as_deref(), Some("fuel"));
        assert_eq!(merged.risk_level, Some(RiskLevel::High));
        assert_eq!(RosterFields::ALL.merge(&stored, incoming.clone()), incoming);
    }

    #[test]
    fn phones() {
        assert!(validate_phone("0358-6021234").is_ok());
        assert!(validate_phone("13800138000").is_ok());
        assert!(validate_phone("").is_ok());
        assert!(validate_phone("138001").is_err());
        assert!(validate_phone("电话138").is_err());
    }
}
