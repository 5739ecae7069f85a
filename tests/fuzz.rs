//! Property tests over everything a user or another program hands paicha: configuration
//! files, roster CSVs and bundles, mutated at random (truncated, bytes flipped, garbage
//! inserted, lines dropped). Whatever the input: no panic; a refusal always comes with a
//! message; and a refused import changes nothing in the database.
//!
//! PROPTEST_CASES raises the number of cases (defaults below keep `cargo test` quick).

#[path = "bundle/support.rs"]
mod support;

use paicha::templates::{Catalog, sectors::SectorTable};
use proptest::prelude::*;
use std::sync::OnceLock;
use support::*;

/// A mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    DropLine(usize),
    Overwrite(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1u8..=255).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'"'),
                    Just(b','),
                    Just(b'\n'),
                    Just(b'='),
                    Just(b'['),
                    Just(b']'),
                    Just(0xE6),
                    Just(0xFF),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        any::<usize>().prop_map(Mutation::DropLine),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(i, v)| Mutation::Overwrite(i, v)),
    ]
}

fn apply(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match m {
            Mutation::Truncate(i) => out.truncate(at(*i, out.len() + 1)),
            Mutation::Flip(i, b) => {
                if !out.is_empty() {
                    let i = at(*i, out.len());
                    out[i] ^= b;
                }
            }
            Mutation::Insert(i, v) => {
                let i = at(*i, out.len() + 1);
                out.splice(i..i, v.iter().copied());
            }
            Mutation::DropLine(n) => {
                let lines: Vec<&[u8]> = out.split(|b| *b == b'\n').collect();
                let skip = at(*n, lines.len());
                out = lines
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != skip)
                    .map(|(_, l)| l.to_vec())
                    .collect::<Vec<_>>()
                    .join(&b'\n');
            }
            Mutation::Overwrite(i, v) => {
                if !out.is_empty() {
                    let i = at(*i, out.len());
                    for (k, b) in v.iter().enumerate() {
                        if let Some(slot) = out.get_mut(i + k) {
                            *slot = *b;
                        }
                    }
                }
            }
        }
    }
    out
}

const CHECKLIST: &str = include_str!("../config/checklists/fuel.toml");
const CAMPAIGN: &str = include_str!("../config/campaign.toml");
const FORM: &str = include_str!("../config/forms/hot_work_permit.toml");

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// A damaged config file: loaded (it may still be valid) or refused with messages that
    /// name the file — never a panic, never a silent half-load.
    #[test]
    fn a_damaged_config_file_is_loaded_or_refused_naming_the_file(
        which in 0usize..3,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let (rel, text) = [
            ("checklists/fuel.toml", CHECKLIST),
            ("campaign.toml", CAMPAIGN),
            ("forms/hot_work_permit.toml", FORM),
        ][which];
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, apply(text.as_bytes(), &mutations)).expect("write");
        match Catalog::load(Some(dir.path()), &[]) {
            Ok(_) => {}
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    let said = e.to_string();
                    prop_assert!(said.contains(rel.rsplit('/').next().unwrap_or(rel)), "{said}");
                    prop_assert!(said.chars().count() > rel.len() + 2, "a reason: {said}");
                }
            }
        }
    }

    /// A damaged roster: parsed, or refused with line-numbered Chinese reasons; a parsed one
    /// is imported whole or not at all.
    #[test]
    fn a_damaged_roster_is_imported_whole_or_refused_with_reasons(
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let roster = "企业名称,统一社会信用代码,地址,乡镇,行业,主要负责人,联系电话\n\
            方山县圪洞加油站,91350100M000100Y43,圪洞镇北街1号,圪洞镇,加油站,王五,0358-6021234\n\
            方山县粮食储备库,914403001922038216,峪口镇,峪口镇,粮食仓储,赵六,0358-6020000\n\
            \"方山县燃气有限公司，城南\",91141128MA0000001X,\"圪洞镇\n南街\",圪洞镇,城镇燃气,钱七,\n";
        let bytes = apply(roster.as_bytes(), &mutations);
        let mut site = site("李建山");
        let before = full_dump(&site.store);
        match paicha::roster::parse(&bytes, &SectorTable::shipped()) {
            Err(e) => {
                let said = e.to_string();
                prop_assert!(!said.trim().is_empty());
                prop_assert_eq!(full_dump(&site.store), before);
            }
            Ok(parsed) => {
                let n = parsed.enterprises.len();
                match site.store.import_roster(parsed.enterprises, parsed.fields) {
                    Ok(summary) => prop_assert_eq!(summary.added, n),
                    Err(e) => {
                        prop_assert!(!e.to_string().trim().is_empty());
                        prop_assert_eq!(full_dump(&site.store), before);
                    }
                }
            }
        }
    }
}

/// One good bundle: a signed inspection with a hazard.
fn good_bundle() -> &'static Vec<u8> {
    static GOOD: OnceLock<Vec<u8>> = OnceLock::new();
    GOOD.get_or_init(|| {
        let mut laptop = site("李建山");
        let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
        inspection(&mut laptop.store, e, "焊工无证上岗");
        let path = export(&mut laptop, "good.paicha", all());
        std::fs::read(&path).expect("bundle")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A damaged bundle is refused whole with a message and the office's database is byte for
    /// byte as before; if a mutation happens to leave it valid (bytes no check covers), it
    /// imports exactly what the good one does.
    #[test]
    fn a_damaged_bundle_is_refused_whole_or_imports_exactly_the_good_one(
        mutations in prop::collection::vec(mutation(), 1..3),
    ) {
        let good = good_bundle();
        let bytes = apply(good, &mutations);
        let mut office = site("张科长");
        let path = office.dir.path().join("damaged.paicha");
        std::fs::write(&path, &bytes).expect("write");
        let before = full_dump(&office.store);
        match import(&mut office, &path) {
            Err(e) => {
                prop_assert!(!e.to_string().trim().is_empty());
                prop_assert_eq!(full_dump(&office.store), before);
            }
            Ok(_) => {
                // Exactly the good bundle's records: importing the good one now adds nothing.
                let after = records_dump(&office.store);
                let good_path = office.dir.path().join("good.paicha");
                std::fs::write(&good_path, good).expect("write");
                import(&mut office, &good_path).expect("the good bundle");
                prop_assert_eq!(records_dump(&office.store), after);
            }
        }
    }
}
