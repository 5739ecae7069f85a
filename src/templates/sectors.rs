//! The campaign's sectors (行业领域) and the roster wordings that map to them.

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
    /// Parses a sector file; errors name the file and the line.
    pub fn parse(file_name: &str, text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            format!("{file_name} 第{line}行：{}", e.message())
        })
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

/// The 1-based line on which byte `offset` of `text` falls.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
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
        assert!(err.starts_with("my.toml 第4行："), "{err}");
    }
}
