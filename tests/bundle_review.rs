//! Findings of the review of the bundle code, kept as regression tests: each states the expected behaviour.

#[path = "bundle/support.rs"]
mod support;

use paicha::bundle::{self, ExportOptions, ImportLimits};
use paicha::domain::*;
use support::*;
use uuid::Uuid;

fn ent_record(name: &str, code: &str) -> Enterprise {
    Enterprise {
        name: name.into(),
        credit_code: CreditCode::parse(code).expect("code"),
        address: "方山县圪洞镇".into(),
        town: "圪洞镇".into(),
        sector: "加油站".into(),
        sector_code: Some("fuel".into()),
        risk_level: None,
        principal: "王五".into(),
        phone: "0358-6021234".into(),
    }
}

fn action(inspection: Option<Uuid>, enterprise: Uuid) -> EnforcementAction {
    EnforcementAction {
        kind: EnforcementKind::Penalty,
        enterprise_id: Some(enterprise),
        inspection_id: inspection,
        hazard_id: None,
        decided_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        document_no: "方应急罚〔2025〕1号".into(),
        amount_fen: Some(5_000_000),
        persons: None,
        dangerous_operation_crime: false,
        note: String::new(),
        corrects: None,
    }
}

/// An enforcement action recorded on the checklist (inspection still a draft) while an
/// export to the same destination happens, is never exported: excluded then as a draft's,
/// excluded next time because created_at < since.
#[test]
fn an_action_recorded_during_a_draft_reaches_the_office() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let me = laptop.store.author_id().expect("me");
    let draft = Inspection::draft(
        ent,
        InspectionMode::Unannounced,
        vec![me],
        chrono::Utc::now(),
        vec![],
        vec![],
    );
    let id = laptop.store.create_inspection(draft).expect("draft").id();
    laptop
        .store
        .record_enforcement(action(Some(id), ent))
        .expect("action");
    let first = export(&mut laptop, "usb.paicha", ExportOptions::default());
    let first_copy = laptop.dir.path().join("first.paicha");
    std::fs::copy(&first, &first_copy).expect("copy");
    std::thread::sleep(std::time::Duration::from_millis(20));
    laptop.store.finalize_inspection(id).expect("finalize");
    let second = export(&mut laptop, "usb.paicha", ExportOptions::default());
    let mut office = site("张科长");
    import(&mut office, &first_copy).expect("first");
    import(&mut office, &second).expect("second");
    assert_eq!(
        office.store.enforcement_actions().expect("actions").len(),
        1,
        "the 50 000 yuan penalty never left the laptop"
    );
}

/// A follow-up inspection names its hazard in follow_up_of; the export does not carry the
/// hazard and the import does not check the reference: a dangling reference lands.
#[test]
fn a_follow_up_inspection_does_not_land_with_a_dangling_follow_up_of() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let (_, hazard) = inspection(&mut laptop.store, ent, "焊工无证上岗");
    let _first = export(&mut laptop, "usb.paicha", ExportOptions::default());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let me = laptop.store.author_id().expect("me");
    let mut draft = Inspection::draft(
        ent,
        InspectionMode::FollowUp,
        vec![me],
        chrono::Utc::now(),
        vec![],
        vec![],
    );
    draft.follow_up_of = Some(hazard);
    let id = laptop.store.create_inspection(draft).expect("draft").id();
    laptop.store.finalize_inspection(id).expect("final");
    let second = export(&mut laptop, "usb.paicha", ExportOptions::default());
    let mut office = site("张科长");
    if import(&mut office, &second).is_ok() {
        assert!(
            office.store.hazard_status(hazard).is_ok(),
            "inspection landed whose follow_up_of names a hazard the office does not have"
        );
    }
}

/// Vocabulary codes are not checked: an unsigned record with an unknown code lands and,
/// records being undeletable, breaks every later read of that table.
#[test]
fn an_unknown_code_is_refused_not_stored_forever() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    laptop
        .store
        .record_enforcement(action(None, ent))
        .expect("action");
    let good = export(&mut laptop, "good.paicha", all());
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("bad.paicha");
    forge(
        &good,
        &bad,
        |l| {
            replace_in(
                l,
                "records/enforcement_actions.jsonl",
                "\"penalty\"",
                "\"bogus\"",
            )
        },
        Some(&key),
        |_| {},
    );
    let mut office = site("张科长");
    let outcome = import(&mut office, &bad);
    let readable = office.store.enforcement_actions();
    assert!(
        outcome.is_err(),
        "accepted; enforcement_actions() now: {:?}",
        readable.err().map(|e| e.to_string())
    );
}

#[test]
fn format_version_zero_is_refused() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, ent, "焊工无证上岗");
    let good = export(&mut laptop, "good.paicha", all());
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("v0.paicha");
    forge(
        &good,
        &bad,
        |_| {},
        Some(&key),
        |m| m["format_version"] = serde_json::json!(0),
    );
    let mut office = site("张科长");
    assert!(
        import(&mut office, &bad).is_err(),
        "format_version 0 accepted"
    );
}

/// Nested item/signature values are not shape-checked: "position":"0" is coerced by SQLite,
/// the signature verifies, and the *same* bundle is then refused on its second import.
#[test]
fn nested_values_are_shape_checked() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, ent, "焊工无证上岗");
    let good = export(&mut laptop, "good.paicha", all());
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("pos.paicha");
    forge(
        &good,
        &bad,
        |l| {
            replace_in(
                l,
                "records/inspections.jsonl",
                "\"position\":0",
                "\"position\":\"0\"",
            )
        },
        Some(&key),
        |_| {},
    );
    let mut office = site("张科长");
    let first = import(&mut office, &bad);
    let second = import(&mut office, &bad);
    assert!(
        first.is_err(),
        "first import accepted; second: {:?}",
        second.map(|_| ()).map_err(|e| e.to_string())
    );
}

/// "RFC 3339 in UTC" is not enforced, and latest-wins compares strings: an older version
/// written with an offset beats the newer one.
#[test]
fn an_older_enterprise_version_with_an_offset_does_not_win() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, ent, "焊工无证上岗");
    let good = export(&mut laptop, "good.paicha", all());
    let mut office = site("张科长");
    import(&mut office, &good).expect("good");
    let local = office.store.enterprise(ent).expect("e");
    let u = local.meta.updated_at;
    let older = (u - chrono::Duration::hours(1))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("tz"))
        .to_rfc3339();
    let key = own_key(&mut laptop);
    let bad = laptop.dir.path().join("tz.paicha");
    let stamp = paicha::storage::sql_time(u);
    forge(
        &good,
        &bad,
        |l| {
            replace_in(l, "records/enterprises.jsonl", "方山县加油站", "冒名加油站");
            // updated_at is the third time field in the line
            let (_, bytes) = l
                .iter_mut()
                .find(|(n, _)| n == "records/enterprises.jsonl")
                .expect("e");
            let text = String::from_utf8(bytes.clone()).expect("utf8");
            let needle = format!("\"updated_at\":\"{stamp}\"");
            assert!(text.contains(&needle), "{text}");
            *bytes = text
                .replacen(&needle, &format!("\"updated_at\":\"{older}\""), 1)
                .into_bytes();
        },
        Some(&key),
        |_| {},
    );
    let outcome = import(&mut office, &bad);
    let name = office.store.enterprise(ent).expect("e").data.name;
    assert!(
        outcome.is_err() || name == "方山县加油站",
        "an hour-older version ({older}) replaced the current one ({stamp}): now {name}"
    );
}

/// Any registered exporter can author records in another inspector's name: only inspections
/// are signed. Here laptop B (known key, --strict) files a penalty as inspector A.
#[test]
fn a_known_laptop_cannot_file_records_in_another_inspectors_name() {
    let mut a = site("李建山");
    let ent = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut a.store, ent, "焊工无证上岗");
    let from_a = export(&mut a, "a.paicha", all());
    let mut b = site("王五");
    import(&mut b, &from_a).expect("b gets a");
    inspection(&mut b.store, ent, "灭火器过期");
    b.store
        .record_enforcement(action(None, ent))
        .expect("b's own action");
    let from_b = export(&mut b, "b.paicha", all());
    let mut office = site("张科长");
    import(&mut office, &from_a).expect("a");
    import(&mut office, &from_b).expect("b");
    let a_id = a.store.author_id().expect("a").to_string();
    let b_id = b.store.author_id().expect("b").to_string();
    let key_b = own_key(&mut b);
    let forged = b.dir.path().join("forged.paicha");
    forge(
        &from_b,
        &forged,
        |l| {
            let (_, bytes) = l
                .iter_mut()
                .find(|(n, _)| n == "records/enforcement_actions.jsonl")
                .expect("actions");
            let line = String::from_utf8(bytes.clone()).expect("utf8");
            let mut v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
            v["id"] = serde_json::json!(Uuid::now_v7().to_string());
            assert_eq!(v["author_id"], serde_json::json!(b_id));
            v["author_id"] = serde_json::json!(a_id);
            v["amount_fen"] = serde_json::json!(99_900_000);
            bytes.extend_from_slice(format!("{v}\n").as_bytes());
        },
        Some(&key_b),
        |_| {},
    );
    let outcome = bundle::import(
        &mut office.store,
        &forged,
        true,
        false,
        ImportLimits::default(),
    );
    assert!(
        outcome.is_err(),
        "strict import accepted a penalty authored as 李建山 by 王五's laptop"
    );
}

/// Trust on first import: a second "李建山" with the same certificate number, a new id and
/// a new key is taken silently next to the real one.
#[test]
fn a_second_identity_for_a_known_inspector_is_not_taken_silently() {
    let mut real = site("李建山");
    let ent = enterprise(&mut real.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut real.store, ent, "焊工无证上岗");
    let genuine = export(&mut real, "real.paicha", all());
    let mut office = site("张科长");
    import(&mut office, &genuine).expect("real");
    let mut impostor = site("李建山"); // same name, same cert_no 14010001
    import(&mut impostor, &genuine).expect("roster");
    inspection(&mut impostor.store, ent, "伪造的发现");
    let fake = export(&mut impostor, "fake.paicha", all());
    let before = full_dump(&office.store);
    let report = import(&mut office, &fake);
    assert!(
        report.is_err(),
        "accepted, new keys: {:?}",
        report.map(|r| r.new_keys)
    );
    let message = report.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("可能是冒名") && message.contains("--trust-new-keys"),
        "{message}"
    );
    assert_same(&full_dump(&office.store), &before, "after the refusal");
    // The same person on a new laptop, confirmed at the office, is taken.
    let trust = bundle::Trust {
        strict: false,
        new_keys: true,
        ..Default::default()
    };
    bundle::import_with_progress(
        &mut office.store,
        &fake,
        trust,
        false,
        None,
        ImportLimits::default(),
        &|_, _| {},
    )
    .expect("trusted explicitly");
}

/// Three versions of one enterprise imported in two orders keep the same versions as history.
/// (`replaced_at` says when *this* database saw a version replaced: local bookkeeping, like
/// the import log, and append-only, so it is not compared.)
#[test]
fn enterprise_history_does_not_depend_on_import_order() {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let mut bundles = vec![export(&mut laptop, "v1.paicha", all())];
    for (i, phone) in ["0358-1", "0358-2"].iter().enumerate() {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut e = ent_record("方山县加油站", "91350100M000100Y43");
        e.phone = (*phone).into();
        laptop
            .store
            .import_roster(vec![e], RosterFields::ALL)
            .expect("edit");
        bundles.push(export(&mut laptop, &format!("v{}.paicha", i + 2), all()));
    }
    let history = |order: [usize; 3]| {
        let mut office = site("张科长");
        for i in order {
            import(&mut office, &bundles[i]).expect("import");
        }
        let conn = rusqlite::Connection::open(office.store.path()).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT old_row FROM enterprise_revisions
            WHERE enterprise_id = ?1 ORDER BY old_row",
            )
            .expect("p");
        stmt.query_map([ent.to_string()], |r| r.get::<_, String>(0))
            .expect("q")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
    };
    let first = history([0, 1, 2]);
    assert_eq!(first.len(), 2, "two superseded versions: {first:?}");
    assert_eq!(first, history([2, 0, 1]));
}
