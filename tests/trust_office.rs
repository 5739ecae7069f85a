//! The office and its laptops, through the store and bundles: a laptop learns the office once
//! by its fingerprint, follows its roster (rotation included), re-trusts a new office only
//! when told its fingerprint, numbers documents in the series the roster gives it, and holds
//! bundles signed by a revoked key or by a key trusted on first sight before the roster.

#[path = "bundle/support.rs"]
mod support;

use chrono::Datelike;
use paicha::bundle::{self, ExportOptions, ImportLimits, Trust};
use paicha::domain::lifecycle::Step;
use paicha::domain::trust::{Body, Role};
use paicha::storage::StoreError;
use paicha::storage::bundle::import::ImportReport;
use std::path::Path;
use support::*;

fn new_office() -> Site {
    let mut o = site("张内勤");
    paicha::demo::one_person_office(&mut o.store, "方山县应急管理局", "王县长").expect("office");
    o
}

fn fingerprint(site: &Site) -> String {
    site.store
        .roster()
        .expect("roster")
        .expect("an office")
        .fingerprint()
}

fn ledger(office: &mut Site, name: &str) -> std::path::PathBuf {
    export(
        office,
        name,
        ExportOptions {
            ledger: true,
            all: true,
            ..Default::default()
        },
    )
}

fn import_with(
    site: &mut Site,
    file: &Path,
    trust: Trust,
) -> Result<ImportReport, bundle::BundleError> {
    bundle::import_with_progress(
        &mut site.store,
        file,
        trust,
        false,
        None,
        ImportLimits::default(),
        &|_, _| {},
    )
}

fn trusting(fp: &str) -> Trust {
    Trust {
        office_fingerprint: Some(fp.to_string()),
        ..Trust::default()
    }
}

/// The laptop's profile enrolled at the office as an inspector (its key from the laptop).
fn enrol(office: &mut Site, laptop: &mut Site, name: &str) {
    let me = laptop.store.profile().expect("p").expect("profile");
    let key = laptop.store.own_public_key(me.id()).expect("key");
    let person = paicha::storage::new_person_id();
    office
        .store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: name.into(),
                cert_no: me.data.cert_no.clone(),
                group_code: None,
                roles: vec![Role::Inspector],
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: me.id(),
                public_key: key,
            },
        ])
        .expect("enrol");
}

#[test]
fn a_laptop_trusts_the_office_once_by_its_fingerprint_and_follows_its_roster() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    let first = ledger(&mut office, "ledger1.paicha");
    let before = full_dump(&laptop.store);

    // Without the fingerprint, or with a wrong one: refused, nothing written.
    for trust in [Trust::default(), trusting("0000 1111 2222 3333")] {
        let err = import_with(&mut laptop, &first, trust).expect_err("needs the fingerprint");
        let text = err.to_string();
        assert!(
            text.contains("方山县应急管理局") && text.contains(&fingerprint(&office)),
            "{text}"
        );
        assert_same(&full_dump(&laptop.store), &before, "after the refusal");
    }
    // Typed with other spacing and case, it matches.
    let typed = fingerprint(&office).replace(' ', "-").to_lowercase();
    let report = import_with(&mut laptop, &first, trusting(&typed)).expect("trusted");
    assert!(report.roster_entries >= 3, "{report:?}");
    let roster = laptop.store.roster().expect("roster").expect("held");
    assert_eq!(roster.fingerprint(), fingerprint(&office));
    assert!(
        !laptop.store.is_office().expect("office?"),
        "a copy, not the anchor"
    );
    assert_eq!(
        roster
            .close_out_leaders()
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["王县长"]
    );

    // The office rotates its anchor and enrols someone: the laptop takes both, no question.
    office.store.rotate_anchor().expect("rotate");
    office
        .store
        .roster_append(vec![Body::Person {
            person_id: paicha::storage::new_person_id(),
            name: "刘副县长".into(),
            cert_no: String::new(),
            group_code: None,
            roles: vec![Role::CloseOutLeader],
            active: true,
        }])
        .expect("after rotation");
    let second = ledger(&mut office, "ledger2.paicha");
    let report = import_with(&mut laptop, &second, Trust::default()).expect("same office");
    assert_eq!(report.roster_entries, 2);
    let roster = laptop.store.roster().expect("roster").expect("held");
    assert_eq!(roster.close_out_leaders().len(), 2);
    assert_ne!(
        roster.anchor_key, roster.genesis_key,
        "the new anchor is in force"
    );
    assert_eq!(
        roster.fingerprint(),
        fingerprint(&office),
        "what laptops compare stays the first anchor's"
    );
    // Only the office changes the roster.
    let err = laptop
        .store
        .roster_append(vec![Body::Device {
            replica_id: laptop.store.replica_id(),
            prefix: "X".into(),
        }])
        .expect_err("not the office");
    assert!(err.to_string().contains("不是办公室"), "{err}");
}

#[test]
fn another_office_is_refused_and_a_lost_anchor_is_re_trusted_only_by_its_fingerprint() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    let first = ledger(&mut office, "ledger.paicha");
    import_with(&mut laptop, &first, trusting(&fingerprint(&office))).expect("trusted");

    // The office lost its anchor and set up again: a new roster, a new fingerprint.
    let mut rebuilt = new_office();
    let new_fp = fingerprint(&rebuilt);
    let from_new = ledger(&mut rebuilt, "new.paicha");
    let before = full_dump(&laptop.store);
    let err = import_with(&mut laptop, &from_new, trusting(&new_fp)).expect_err("not re-trusted");
    let text = err.to_string();
    assert!(
        text.contains("不是本机信任的") && text.contains("--retrust") && text.contains(&new_fp),
        "{text}"
    );
    assert_same(&full_dump(&laptop.store), &before, "after the refusal");
    // --retrust with a wrong fingerprint is refused too.
    let wrong = Trust {
        office_fingerprint: Some(fingerprint(&office)),
        retrust: true,
        ..Trust::default()
    };
    import_with(&mut laptop, &from_new, wrong).expect_err("wrong fingerprint");
    assert_same(
        &full_dump(&laptop.store),
        &before,
        "after the second refusal",
    );
    // With the new fingerprint read at the office: the laptop follows the new roster.
    let right = Trust {
        office_fingerprint: Some(new_fp.clone()),
        retrust: true,
        ..Trust::default()
    };
    import_with(&mut laptop, &from_new, right).expect("re-trusted");
    assert_eq!(
        laptop
            .store
            .roster()
            .expect("r")
            .expect("held")
            .fingerprint(),
        new_fp
    );
    // The old office's roster is no longer the one in force.
    let old_again = ledger(&mut office, "old-again.paicha");
    let err = import_with(&mut laptop, &old_again, Trust::default()).expect_err("old office");
    assert!(err.to_string().contains("不是本机信任的"), "{err}");
}

#[test]
fn laptops_number_documents_in_the_series_the_roster_gives_them_and_never_collide() {
    let mut office = new_office();
    let mut a = site("李建山");
    let mut b = site("高峰翔");
    enrol(&mut office, &mut a, "李建山");
    enrol(&mut office, &mut b, "高峰翔");
    let fp = fingerprint(&office);
    let spell = |series: &str, seq: u32| format!("方发改安责改〔2023〕{series}{seq:03}号");

    // Under a roster but with no series yet: a laptop cannot number, and says how to.
    let first = ledger(&mut office, "l1.paicha");
    import_with(&mut a, &first, trusting(&fp)).expect("a trusts");
    import_with(&mut b, &first, trusting(&fp)).expect("b trusts");
    let err = a
        .store
        .document_number("rectification_order", uuid::Uuid::now_v7(), 2023, spell)
        .expect_err("no series");
    assert!(
        err.to_string().contains("paicha roster device")
            && err.to_string().contains(&a.store.replica_id().to_string()),
        "{err}"
    );

    // The office gives each laptop a prefix; the laptops learn it from the ledger.
    let (ra, rb) = (a.store.replica_id(), b.store.replica_id());
    office
        .store
        .roster_append(vec![
            Body::Device {
                replica_id: ra,
                prefix: "A".into(),
            },
            Body::Device {
                replica_id: rb,
                prefix: "B".into(),
            },
        ])
        .expect("series");
    let err = office
        .store
        .roster_append(vec![Body::Device {
            replica_id: uuid::Uuid::now_v7(),
            prefix: "A".into(),
        }])
        .expect_err("a prefix belongs to one device");
    assert!(err.to_string().contains("已分给过另一台电脑"), "{err}");
    let second = ledger(&mut office, "l2.paicha");
    // Each document is about a visit of the device that prints it.
    let visit = |site: &mut Site, code: &str| {
        let e = enterprise(&mut site.store, "方山县加油站", code);
        inspection(&mut site.store, e, "储罐区紧急切断装置失效").0
    };
    let subject_a = visit(&mut a, "91350100M000100Y43");
    let subject_b = visit(&mut b, "91110000802100433B");
    let subject_o = visit(&mut office, "914403001922038216");
    import_with(&mut a, &second, Trust::default()).expect("a");
    import_with(&mut b, &second, Trust::default()).expect("b");
    let na = a
        .store
        .document_number("rectification_order", subject_a, 2023, spell)
        .expect("a numbers");
    let nb = b
        .store
        .document_number("rectification_order", subject_b, 2023, spell)
        .expect("b numbers");
    assert_eq!(na.number, "方发改安责改〔2023〕A001号");
    assert_eq!(nb.number, "方发改安责改〔2023〕B001号");
    let at_office = office
        .store
        .document_number("rectification_order", subject_o, 2023, spell)
        .expect("office numbers");
    assert_eq!(at_office.number, "方发改安责改〔2023〕001号");

    // Both laptops' numbers travel to the office and sit beside its own.
    for (laptop, name) in [(&mut a, "a.paicha"), (&mut b, "b.paicha")] {
        let out = export(laptop, name, all());
        let report = import_with(&mut office, &out, Trust::default()).expect("imported");
        assert_eq!(report.added.get("documents"), Some(&1), "{report:?}");
    }
    let numbers: i64 = rusqlite::Connection::open(office.store.path())
        .expect("db")
        .query_row(
            "SELECT COUNT(DISTINCT number) FROM issued_documents",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(numbers, 3);
}

#[test]
fn a_revoked_key_s_new_records_are_held_and_its_old_ones_stay_good() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, "李建山");
    let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let (_, hazard) = inspection(&mut laptop.store, e, "储罐区紧急切断装置失效");
    let before_theft = export(&mut laptop, "before.paicha", all());
    import_with(&mut office, &before_theft, Trust::default()).expect("received");

    // The laptop is stolen: the office revokes its key, listing what it had received.
    let me = laptop.store.profile().expect("p").expect("profile");
    let key = laptop.store.own_public_key(me.id()).expect("key");
    let accepted = office.store.records_signed_by(&key).expect("signed");
    assert!(
        accepted.len() >= 2,
        "the inspection and the hazard at least"
    );
    office
        .store
        .roster_append(vec![Body::Revoke {
            public_key: key.clone(),
            accepted,
        }])
        .expect("revoke");

    // What arrived before is still good when it comes again.
    import_with(&mut office, &before_theft, Trust::default()).expect("old records stay good");
    // The thief records a step (the laptop's clock may say anything): held, nothing applied.
    step(
        &mut laptop.store,
        hazard,
        Step::Transfer {
            to_unit: "能源股".into(),
        },
    );
    let stolen = export(&mut laptop, "after.paicha", all());
    let before = full_dump(&office.store);
    let err = import_with(&mut office, &stolen, Trust::default()).expect_err("held");
    let reason = bundle::held::held_reason(&err)
        .expect("held, not refused")
        .to_string();
    assert!(
        reason.contains("已吊销") && reason.contains("李建山"),
        "{reason}"
    );
    assert_same(&full_dump(&office.store), &before, "nothing applied");
    // Kept for the clerk, listed with its reason; retrying changes nothing while revoked.
    bundle::held::hold(&mut office.store, &stolen, &reason).expect("kept");
    let held = office.store.held_bundles().expect("list");
    assert_eq!(held.len(), 1);
    assert!(held[0].reason.contains("已吊销"));
    assert!(
        office
            .store
            .path()
            .parent()
            .expect("dir")
            .join(&held[0].stored_as)
            .is_file()
    );
    let retried = bundle::held::retry_all(&mut office.store).expect("retry");
    assert!(matches!(retried[0].1, bundle::held::Retry::StillHeld(_)));
    assert!(
        office.store.held_bundles().expect("list")[0]
            .resolution
            .is_none()
    );

    // The clerk reviews it (say the step was the owner's, before the theft) and releases it:
    // the roster records which records were accepted, and the bundle is imported.
    let sha = held[0].sha256.clone();
    let report = bundle::held::release(&mut office.store, &sha[..12]).expect("released");
    assert_eq!(report.added.get("hazard_events"), Some(&1), "{report:?}");
    let (_, events, _) = office.store.hazard_status(hazard).expect("hazard");
    assert!(
        events
            .iter()
            .any(|e| e.data.kind == paicha::domain::HazardEventKind::Transferred)
    );
    let released = office.store.roster_entries().expect("entries");
    assert!(
        matches!(&released.last().expect("entry").entry.body, Body::Release { public_key, records }
            if *public_key == key && records.len() == 1),
        "the release is on the roster"
    );
    assert_eq!(
        office.store.held_bundles().expect("list")[0]
            .resolution
            .as_deref(),
        Some("imported")
    );
    // A laptop that gets the office's ledger takes the released record too.
    let fp = fingerprint(&office);
    let ledger = ledger(&mut office, "after-release.paicha");
    let mut other = site("高峰翔");
    import_with(&mut other, &ledger, trusting(&fp)).expect("the released record travels");

    // Another bundle of the stolen key, rejected after review: listed as such, never applied.
    step(&mut laptop.store, hazard, Step::Rectify { fixes: None });
    let again = export(&mut laptop, "again.paicha", all());
    let err = import_with(&mut office, &again, Trust::default()).expect_err("held");
    let reason = bundle::held::held_reason(&err).expect("held").to_string();
    bundle::held::hold(&mut office.store, &again, &reason).expect("kept");
    let pending = office
        .store
        .held_bundles()
        .expect("list")
        .into_iter()
        .find(|h| h.resolution.is_none())
        .expect("pending");
    bundle::held::reject(&mut office.store, &pending.sha256).expect("rejected");
    let after = office.store.held_bundles().expect("list");
    assert!(after.iter().all(|h| h.resolution.is_some()));
    assert!(
        after
            .iter()
            .any(|h| h.resolution.as_deref() == Some("rejected"))
    );
}

#[test]
fn keys_trusted_on_first_sight_before_the_roster_are_held_until_enrolled() {
    // An office that imported before it kept a roster.
    let mut office = site("张内勤");
    let mut laptop = site("李建山");
    let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, e, "储罐区紧急切断装置失效");
    let early = export(&mut laptop, "early.paicha", all());
    let report = import_with(&mut office, &early, Trust::default()).expect("first sight");
    assert!(report.new_keys[0].contains("首次见到即信任"), "{report:?}");
    assert_eq!(office.store.first_sight_keys().expect("keys").len(), 1);

    // The office sets up its roster; the laptop's later findings wait for the clerk.
    paicha::demo::one_person_office(&mut office.store, "方山县应急管理局", "王县长")
        .expect("office");
    inspection(&mut laptop.store, e, "卸油口无静电接地");
    let later = export(&mut laptop, "later.paicha", all());
    let before = full_dump(&office.store);
    let err = import_with(&mut office, &later, Trust::default()).expect_err("held");
    let reason = bundle::held::held_reason(&err).expect("held").to_string();
    assert!(
        reason.contains("首次信任") && reason.contains("paicha roster key"),
        "{reason}"
    );
    assert_same(&full_dump(&office.store), &before, "nothing applied");
    bundle::held::hold(&mut office.store, &later, &reason).expect("kept");

    // The clerk enrols the key: the held bundle now imports.
    enrol(&mut office, &mut laptop, "李建山");
    let retried = bundle::held::retry_all(&mut office.store).expect("retry");
    assert!(
        matches!(retried[0].1, bundle::held::Retry::Imported(_)),
        "imported once enrolled"
    );
    assert_eq!(
        office.store.held_bundles().expect("list")[0]
            .resolution
            .as_deref(),
        Some("imported")
    );
}

#[test]
fn a_laptop_applies_the_roster_s_rules_to_its_own_steps() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, "李建山");
    let first = ledger(&mut office, "l.paicha");
    import_with(&mut laptop, &first, trusting(&fingerprint(&office))).expect("trusted");
    let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let (_, hazard) = inspection(&mut laptop.store, e, "储罐区紧急切断装置失效");
    // An inspector may not number or list for supervision; the message says who may.
    let now = laptop.store.now();
    for (step, who) in [
        (
            Step::Number {
                number: "方山-2030-01-001".into(),
            },
            "内勤",
        ),
        (
            Step::ListForSupervision {
                tracking_person: "刘珍".into(),
            },
            "组长或内勤",
        ),
    ] {
        let err = laptop
            .store
            .apply_step(hazard, step, now, "")
            .expect_err("not an inspector's step");
        let StoreError::Invalid(text) = err else {
            panic!("{err:?}")
        };
        assert!(
            text.contains(who) && text.contains("李建山的角色是检查人员"),
            "{text}"
        );
    }
    // An inspector's own steps go through.
    laptop
        .store
        .apply_step(
            hazard,
            Step::Transfer {
                to_unit: "能源股".into(),
            },
            now,
            "",
        )
        .expect("transfer");
}

#[test]
fn json_text_inside_records_must_have_paicha_s_shape() {
    let mut laptop = site("李建山");
    let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, e, "储罐区紧急切断装置失效");
    let good = export(&mut laptop, "good.paicha", all());
    let key = own_key(&mut laptop);
    let mut office = site("张内勤");
    for (entry, from, to, expected) in [
        (
            "records/hazards.jsonl",
            r#"\"responsible_person\":\"王五\""#,
            r#"\"who\":\"王五\""#,
            "字段 fixes（五落实）的内容不符合格式",
        ),
        (
            "records/hazard_events.jsonl",
            r#""payload":"{}""#,
            r#""payload":"{\"step\":\"close_out\",\"signer\":\"x\",\"signed_at\":\"2023-09-01T00:00:00Z\"}""#,
            "字段 payload 的内容与办理类型“登记”不符",
        ),
        (
            "records/inspections.jsonl",
            r#""templates":"[]""#,
            r#""templates":"[{\"id\":1}]""#,
            "字段 templates（检查表列表）的内容不符合格式",
        ),
    ] {
        let bad = laptop.dir.path().join("bad.paicha");
        forge(
            &good,
            &bad,
            |list| replace_in(list, entry, from, to),
            Some(&key),
            |_| {},
        );
        let before = full_dump(&office.store);
        let err = import(&mut office, &bad).expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(err.to_string().contains(entry), "names the entry: {err}");
        assert_same(&full_dump(&office.store), &before, "after the refusal");
    }
}

#[test]
fn once_enrolled_the_profile_s_name_cert_and_group_come_from_the_roster() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    let me = laptop.store.profile().expect("p").expect("profile");
    let key = laptop.store.own_public_key(me.id()).expect("key");
    let person = paicha::storage::new_person_id();
    office
        .store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: "李建山".into(),
                cert_no: "14019999".into(),
                group_code: Some("energy".into()),
                roles: vec![Role::Inspector],
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: me.id(),
                public_key: key,
            },
        ])
        .expect("enrol");
    assert_eq!(
        laptop
            .store
            .profile()
            .expect("p")
            .expect("profile")
            .data
            .group_code,
        None
    );
    let first = ledger(&mut office, "l.paicha");
    import_with(&mut laptop, &first, trusting(&fingerprint(&office))).expect("trusted");
    let now = laptop.store.profile().expect("p").expect("profile");
    assert_eq!(now.id(), me.id(), "the same profile record");
    assert_eq!(now.data.cert_no, "14019999");
    assert_eq!(now.data.group_code.as_deref(), Some("energy"));
}

#[test]
fn a_role_withdrawn_later_keeps_what_was_recorded_before_valid_everywhere() {
    let mut office = new_office();
    let e = enterprise(&mut office.store, "方山县加油站", "91350100M000100Y43");
    // The clerk registers a public report (a clerk's step)…
    office
        .store
        .record_hazard(paicha::domain::Hazard {
            enterprise_id: e,
            inspection_id: None,
            item_code: None,
            grade: paicha::domain::HazardGrade::General,
            source: paicha::domain::HazardSource::PublicReport,
            description: "消防通道堵塞".into(),
            location: String::new(),
            basis: String::new(),
            found_at: office.store.now(),
            rectify_immediately: true,
            fixes: None,
            supervision: None,
            anonymous_report: true,
            assigning_document: None,
        })
        .expect("registered by the clerk");
    // …then is no longer the clerk.
    let roster = office.store.roster().expect("r").expect("roster");
    let me = roster.find_person("张内勤").expect("the clerk").clone();
    std::thread::sleep(std::time::Duration::from_millis(5));
    office
        .store
        .roster_append(vec![Body::Person {
            person_id: me.id,
            name: me.name.clone(),
            cert_no: me.cert_no.clone(),
            group_code: None,
            roles: vec![Role::Inspector],
            active: true,
        }])
        .expect("roles changed");
    // A new laptop still takes the office's ledger whole: the record was made when they were
    // the clerk.
    let fp = fingerprint(&office);
    let l = ledger(&mut office, "ledger.paicha");
    let mut laptop = site("李建山");
    let report = import_with(&mut laptop, &l, trusting(&fp)).expect("the ledger imports");
    assert_eq!(report.added.get("hazards"), Some(&1), "{report:?}");
    // What they record now is judged by their roles now.
    let err = office
        .store
        .record_hazard(paicha::domain::Hazard {
            enterprise_id: e,
            inspection_id: None,
            item_code: None,
            grade: paicha::domain::HazardGrade::General,
            source: paicha::domain::HazardSource::PublicReport,
            description: "配电室堆放杂物".into(),
            location: String::new(),
            basis: String::new(),
            found_at: office.store.now(),
            rectify_immediately: true,
            fixes: None,
            supervision: None,
            anonymous_report: true,
            assigning_document: None,
        })
        .expect_err("no longer the clerk");
    assert!(err.to_string().contains("须由内勤办理"), "{err}");
}

#[test]
fn a_document_numbered_outside_the_series_the_roster_gives_is_refused_by_name() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, "李建山");
    // The laptop never received the roster: it numbers in the office's own series.
    let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let (visit, _) = inspection(&mut laptop.store, e, "储罐区紧急切断装置失效");
    let spell = |series: &str, seq: u32| format!("方发改安责改〔2023〕{series}{seq:03}号");
    laptop
        .store
        .document_number("rectification_order", visit, 2023, spell)
        .expect("numbered without a roster");
    let out = export(&mut laptop, "out.paicha", all());
    let before = full_dump(&office.store);
    let err = import_with(&mut office, &out, Trust::default()).expect_err("refused");
    let text = err.to_string();
    assert!(
        text.contains("records/documents.jsonl 第1行")
            && text.contains("方发改安责改〔2023〕001号")
            && text.contains("paicha roster device"),
        "{text}"
    );
    assert_same(&full_dump(&office.store), &before, "after the refusal");
}

#[test]
fn a_hazard_on_an_inspection_is_of_its_enterprise_and_one_of_its_items() {
    let mut laptop = site("李建山");
    let e1 = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let e2 = enterprise(&mut laptop.store, "方山县燃气公司", "91110000802100433B");
    inspection(&mut laptop.store, e1, "储罐区紧急切断装置失效");
    let good = export(&mut laptop, "good.paicha", all());
    let key = own_key(&mut laptop);
    let mut office = site("张内勤");
    for (entry, from, to, expected) in [
        (
            "records/hazards.jsonl",
            format!(r#""enterprise_id":"{e1}""#),
            format!(r#""enterprise_id":"{e2}""#),
            "与所引用检查记录的企业不同",
        ),
        (
            "records/hazards.jsonl",
            r#""item_code":"E12""#.to_string(),
            r#""item_code":"E9""#.to_string(),
            "不是所引用检查记录中的检查项",
        ),
    ] {
        let bad = laptop.dir.path().join("bad.paicha");
        forge(
            &good,
            &bad,
            |list| replace_in(list, entry, &from, &to),
            Some(&key),
            |_| {},
        );
        let before = full_dump(&office.store);
        let err = import(&mut office, &bad).expect_err("refused");
        assert!(
            err.to_string().contains(expected) && err.to_string().contains(entry),
            "{err}"
        );
        assert_same(&full_dump(&office.store), &before, "after the refusal");
    }
}

#[test]
fn a_key_the_office_takes_knowingly_is_enrolled_so_laptops_take_its_records_too() {
    let mut office = new_office();
    let mut laptop = site("李建山");
    let e = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut laptop.store, e, "储罐区紧急切断装置失效");
    let out = export(&mut laptop, "out.paicha", all());
    import_with(&mut office, &out, Trust::default()).expect_err("unknown key refused");
    let knowingly = Trust {
        new_keys: true,
        ..Trust::default()
    };
    import_with(&mut office, &out, knowingly).expect("taken knowingly");
    let enrolled = office.store.enrol_trusted_keys().expect("enrolled");
    assert_eq!(enrolled.len(), 1, "{enrolled:?}");
    assert!(enrolled[0].starts_with("李建山，公钥指纹"), "{enrolled:?}");
    assert!(
        office.store.enrol_trusted_keys().expect("again").is_empty(),
        "once"
    );
    // A fresh laptop takes the office's ledger, the inspection included, with no flag.
    let fp = fingerprint(&office);
    let l = ledger(&mut office, "ledger.paicha");
    let mut other = site("高峰翔");
    let report = import_with(&mut other, &l, trusting(&fp)).expect("accepted");
    assert_eq!(report.added.get("inspections"), Some(&1), "{report:?}");
}

#[test]
fn the_own_scope_takes_an_authors_group_from_the_roster() {
    use paicha::report::monthly::{self, MonthlyData, Period, Scope};
    let mut office = new_office();
    // The laptop's profile says nothing of a group; the office puts the person in grain.
    let mut laptop = site("王粮");
    let me = laptop.store.profile().expect("p").expect("profile");
    let key = laptop.store.own_public_key(me.id()).expect("key");
    let person = paicha::storage::new_person_id();
    office
        .store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: "王粮".into(),
                cert_no: me.data.cert_no.clone(),
                group_code: Some("grain".into()),
                roles: vec![Role::Inspector],
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: me.id(),
                public_key: key,
            },
        ])
        .expect("enrol");
    let e = enterprise(&mut laptop.store, "方山县粮库", "914403001922038216");
    inspection(&mut laptop.store, e, "粮仓熏蒸作业无监护");
    let out = export(&mut laptop, "out.paicha", all());
    import_with(&mut office, &out, Trust::default()).expect("imported");
    let catalog = paicha::templates::Catalog::builtin().expect("catalog");
    let data = MonthlyData::load(&office.store, &catalog).expect("load");
    let today = paicha::domain::time::local(office.store.now()).date();
    // The table whose cut-off (the 28th) is on or after today.
    let (y, m) = if today.day() > 28 {
        if today.month() == 12 {
            (today.year() + 1, 1)
        } else {
            (today.year(), today.month() + 1)
        }
    } else {
        (today.year(), today.month())
    };
    let Some(period) = Period::month(catalog.campaign.start, y, m) else {
        panic!("period");
    };
    let a3 = |group: &str| {
        let t = monthly::table(
            &data.input(),
            &Scope::Own {
                group: group.into(),
            },
            period,
            "调度表",
            "单位",
        );
        t.row("A3")
            .map(|r| r.cells[0].figure.text())
            .unwrap_or_default()
    };
    assert_eq!(a3("grain"), "1", "the roster's group");
    assert_eq!(a3("energy"), "0");
}
