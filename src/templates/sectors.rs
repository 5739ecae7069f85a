//! The campaign's sectors (行业领域) and the roster wordings that map to them.

use super::error::{ConfigError, Source};
use crate::domain::rules::Listed;
use serde::Deserialize;

const SHIPPED: &str = include_str!("../../config/sectors.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Whether its units are listed in 应急管理部令第2号 第三十三条第二款 (drill every six
    /// months and report each drill).
    pub drill_listed: Listed,
}

impl Sector {
    /// A high-risk sector for targeting: its units are, or may be, among the listed ones.
    pub fn high_risk(&self) -> bool {
        self.drill_listed != Listed::No
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorTable {
    #[serde(rename = "sector")]
    pub sectors: Vec<Sector>,
}

impl SectorTable {
    /// Parses a sector file; errors name the file, line and column.
    pub fn parse(file_name: &str, text: &str) -> Result<Self, ConfigError> {
        let src = Source::new(file_name, text);
        let table: SectorTable = toml::from_str(text).map_err(|e| src.parse_error(&e))?;
        let mut seen = Vec::new();
        for sector in &table.sectors {
            if seen.contains(&sector.code.as_str()) {
                let at = text.rfind(&format!("\"{}\"", sector.code)).unwrap_or(0);
                return Err(src.error_at(at, format!("行业领域代码 {} 重复", sector.code)));
            }
            seen.push(sector.code.as_str());
        }
        Ok(table)
    }

    /// The codes of all sectors.
    pub fn codes(&self) -> Vec<&str> {
        self.sectors.iter().map(|s| s.code.as_str()).collect()
    }

    pub fn get(&self, code: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.code == code)
    }

    /// The sectors shipped with paicha.
    pub fn shipped() -> Self {
        // The shipped file is checked by a unit test; failing here would be a build defect.
        Self::parse("config/sectors.toml", SHIPPED).unwrap_or(SectorTable { sectors: vec![] })
    }

    /// The sector a roster's wording names, if any (exact match on the name or an alias).
    pub fn classify(&self, wording: &str) -> Option<&Sector> {
        let w = wording.trim();
        self.sectors
            .iter()
            .find(|s| s.code == w || s.name == w || s.aliases.iter().any(|a| a == w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses_and_classifies() {
        let table = SectorTable::parse("config/sectors.toml", SHIPPED).expect("shipped parses");
        assert_eq!(table.sectors.len(), 6);
        assert_eq!(
            table.classify("加油站").map(|s| s.code.as_str()),
            Some("fuel")
        );
        assert_eq!(
            table.classify(" 城镇燃气 ").map(|s| s.code.as_str()),
            Some("town_gas")
        );
        assert_eq!(
            table.classify("粮库").map(|s| s.code.as_str()),
            Some("grain")
        );
        assert!(table.classify("钢铁冶金").is_none());
        // 第三十三条第二款: fuel and gas always, 人防 and high-rise by use, grain and villages not.
        let listed = |code: &str| table.get(code).map(|s| s.drill_listed);
        assert_eq!(listed("fuel"), Some(Listed::Yes));
        assert_eq!(listed("town_gas"), Some(Listed::Yes));
        assert_eq!(listed("civil_air_defence"), Some(Listed::ByUse));
        assert_eq!(listed("high_rise"), Some(Listed::ByUse));
        assert_eq!(listed("grain"), Some(Listed::No));
        assert_eq!(listed("village"), Some(Listed::No));
    }

    #[test]
    fn broken_file_names_file_and_line() {
        let text =
            "[[sector]]\ncode = \"x\"\nname = \"X\"\ncolour = \"red\"\ndrill_listed = \"no\"\n";
        let err = SectorTable::parse("my.toml", text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "my.toml:4:1: 未知的键“colour”，可用的键：code, name, aliases, drill_listed"
        );
    }
}
