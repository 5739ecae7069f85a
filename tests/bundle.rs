//! Findings bundles between laptops and the office: round trips, order independence,
//! idempotence, signatures.

#[path = "bundle/support.rs"]
mod support;

use paicha::domain::lifecycle::{Stage, Step};
use support::*;

#[test]
fn laptop_to_office_to_laptop_and_back_ends_in_one_ledger_whatever_the_order() {
    let mut a = site("李建山");
    let ent = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    let (_, hazard) = inspection(&mut a.store, ent, "焊工无证上岗");
    step(
        &mut a.store,
        hazard,
        Step::Transfer {
            to_unit: "能源股".into(),
        },
    );
    let a1 = export(&mut a, "a1.paicha", all());

    let mut office = site("张科长");
    let report = import(&mut office, &a1).expect("office imports the laptop's bundle");
    assert_eq!(report.added.get("inspections"), Some(&1));
    assert_eq!(report.added.get("answers"), Some(&2));
    assert_eq!(report.added.get("hazards"), Some(&1));
    assert_eq!(report.added.get("hazard_events"), Some(&2));
    assert_eq!(report.new_enterprises, vec!["方山县加油站".to_string()]);
    assert_eq!(report.new_keys.len(), 1, "{:?}", report.new_keys);
    let (_, _, status) = office.store.hazard_status(hazard).expect("status");
    assert_eq!(
        status.stage,
        Stage::Transferred,
        "state folded from the union"
    );
    assert!(
        office
            .store
            .stale_hazard_status()
            .expect("check")
            .is_empty()
    );

    step(&mut office.store, hazard, Step::Rectify { fixes: None });
    let o1 = export(
        &mut office,
        "o1.paicha",
        paicha::bundle::ExportOptions {
            ledger: true,
            ..Default::default()
        },
    );

    let mut b = site("王五");
    import(&mut b, &o1).expect("laptop B takes the office's ledger");
    let (_, _, status) = b.store.hazard_status(hazard).expect("status");
    assert_eq!(status.stage, Stage::Rectifying);
    step(&mut b.store, hazard, Step::ReportRectified);
    let (second, _) = inspection(&mut b.store, ent, "灭火器过期");
    let b1 = export(&mut b, "b1.paicha", all());

    import(&mut office, &b1).expect("office imports B");
    let again = import(&mut office, &b1).expect("the same bundle twice");
    assert_eq!(again.added_total(), 0, "{again:?}");
    assert!(!again.changed_anything());
    let (_, _, status) = office.store.hazard_status(hazard).expect("status");
    assert_eq!(status.stage, Stage::RectificationReported);
    assert!(office.store.inspection(second).is_ok());

    // Another office taking the same bundles in other orders ends with the same records.
    let dump = records_dump(&office.store);
    for order in [[&b1, &a1, &o1], [&o1, &b1, &a1]] {
        let mut other = site("张科长");
        for bundle in order {
            import(&mut other, bundle).expect("import");
        }
        import(&mut other, order[0]).expect("repeat");
        assert_same(
            &without_own_profile(&other.store),
            &dump,
            &format!(
                "order {:?}",
                order.map(|p| p.file_name().unwrap_or_default().to_owned())
            ),
        );
    }
}

/// A receiving office's dump without its own profile's row (it made one; nothing it
/// recorded travelled).
fn without_own_profile(store: &paicha::storage::Store) -> String {
    let me = store
        .profile()
        .expect("profile")
        .map(|p| p.id().to_string())
        .unwrap_or_default();
    records_dump(store)
        .lines()
        .filter(|l| me.is_empty() || !l.starts_with(&me))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A reader written from docs/bundle-format.md alone (section 5) verifies the inspection
/// signatures of a real bundle: the canonical form rebuilt from the lines as documented.
#[test]
fn the_documented_canonical_form_verifies_the_signatures_in_a_bundle() {
    use serde_json::{Map, Value, json};
    let mut a = site("李建山");
    let ent = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    let (inspection_id, _) = inspection(&mut a.store, ent, "焊工无证上岗\n\"引号\"\t制表");
    let bundle = export(&mut a, "a.paicha", all());
    let files = entries(&bundle);
    let lines = |name: &str| -> Vec<Map<String, Value>> {
        files
            .iter()
            .find(|(n, _)| n == &format!("records/{name}.jsonl"))
            .map(|(_, b)| {
                String::from_utf8(b.clone())
                    .expect("utf8")
                    .lines()
                    .map(|l| serde_json::from_str(l).expect("line"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let id = inspection_id.to_string();
    let of_it = |name: &str| -> Vec<Value> {
        let mut list: Vec<Map<String, Value>> = lines(name)
            .into_iter()
            .filter(|o| o["inspection_id"] == json!(id))
            .collect();
        list.sort_by(|x, y| x["id"].as_str().cmp(&y["id"].as_str()));
        list.into_iter().map(Value::Object).collect()
    };
    let mut line = lines("inspections")
        .into_iter()
        .find(|o| o["id"] == json!(id))
        .expect("inspection line");
    let signatures = line.remove("signatures").expect("signatures");
    let inspectors = line.remove("inspectors").expect("inspectors");
    let items = line.remove("items").expect("items");
    let form = json!({
        "form": "paicha-inspection/1",
        "inspection": line,
        "inspectors": inspectors,
        "items": items,
        "answers": of_it("answers"),
        "evidence": of_it("evidence"),
        "exams": of_it("exams"),
    })
    .to_string();
    let signatures = signatures.as_array().expect("array");
    assert_eq!(signatures.len(), 1, "signed by the inspector on finalizing");
    for s in signatures {
        let public: [u8; 32] =
            paicha::identity::hex::decode(s["public_key"].as_str().expect("k")).expect("hex key");
        let sig: [u8; 64] = paicha::identity::hex::decode(s["signature"].as_str().expect("s"))
            .expect("hex signature");
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public).expect("key");
        key.verify_strict(form.as_bytes(), &ed25519_dalek::Signature::from_bytes(&sig))
            .expect("the documented canonical form is what was signed");
    }
    // A hazard's own signature: its line without `signature`, keys in order, no spaces.
    for name in ["hazards", "hazard_events"] {
        for mut line in lines(name) {
            let signature = line.remove("signature").expect("signed");
            assert_eq!(
                signature["inspector_id"], line["author_id"],
                "signed by its author"
            );
            let text = Value::Object(line).to_string();
            let public: [u8; 32] =
                paicha::identity::hex::decode(signature["public_key"].as_str().expect("k"))
                    .expect("hex key");
            let sig: [u8; 64] =
                paicha::identity::hex::decode(signature["signature"].as_str().expect("s"))
                    .expect("hex signature");
            ed25519_dalek::VerifyingKey::from_bytes(&public)
                .expect("key")
                .verify_strict(text.as_bytes(), &ed25519_dalek::Signature::from_bytes(&sig))
                .expect("the documented record form is what its author signed");
        }
    }
}
