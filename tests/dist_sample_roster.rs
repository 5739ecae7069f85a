//! The sample enterprise roster shipped in the release archives (示例企业名册.csv, written by
//! `cargo xtask dist` from xtask/assets/) imports as it is, and reads back as written.

#[path = "support/cli.rs"]
mod cli;

use cli::*;

#[test]
fn shipped_sample_roster_imports_cleanly() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let roster = concat!(env!("CARGO_MANIFEST_DIR"), "/xtask/assets/示例企业名册.csv");
    let bytes = std::fs::read(roster).expect("sample roster");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a BOM, so Excel/WPS read it as UTF-8"
    );
    let out = paicha(&data, &["enterprise", "import", roster]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("共 4 家，新增 4 家"), "{said}");
    assert!(!said.contains("警告"), "no warnings either: {said}");

    let list = listed_json(&data);
    let list = list.as_array().expect("array");
    let sectors: Vec<&str> = list
        .iter()
        .filter_map(|e| e["sector_code"].as_str())
        .collect();
    for sector in ["fuel", "town_gas", "grain", "civil_air_defence"] {
        assert!(sectors.contains(&sector), "{sector} in {sectors:?}");
    }
    assert!(
        list.iter()
            .all(|e| !e["risk_level"].is_null() && !e["phone"].is_null())
    );
}
