//! The campaign's sectors (行业领域) and the roster wordings that map to them.

use super::error::{ConfigError, Source};
use serde::Deserialize;

const SHIPPED: &str = include_str!("../../config/sectors.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub drills_per_year: u32,
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
    }

    #[test]
    fn broken_file_names_file_and_line() {
        let text =
            "[[sector]]\ncode = \"x\"\nname = \"X\"\ncolour = \"red\"\ndrills_per_year = 1\n";
        let err = SectorTable::parse("my.toml", text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "my.toml:4:1: 未知的键“colour”，可用的键：code, name, aliases, drills_per_year"
        );
    }
}
