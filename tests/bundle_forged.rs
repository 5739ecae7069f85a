//! Issue 13, item 4: forged bundles built the way an attacker would — their own key and their
//! own writer (`bundle_forged/writer.rs`, written from the format doc), often starting from a
//! legitimate bundle paicha exported, edited line by line and signed again — thrown at an
//! office. Each must be refused (or held for review, where that is the rule) with a Chinese
//! message naming the entry, line or record and the true reason, and leave the database byte
//! for byte as it was. Positive controls show that the same writer's honest bundles land, so
//! each refusal is the forgery's doing, not the writer's.

#[path = "bundle/support.rs"]
mod support;

#[path = "bundle_forged/writer.rs"]
mod writer;

use chrono::{TimeDelta, Utc};
use paicha::bundle::held::{held_reason, hold};
use paicha::bundle::{self, BundleError, ExportOptions, ImportLimits, Trust};
use paicha::domain::lifecycle::{Stage, Step};
use paicha::domain::trust::{Body, Role};
use paicha::domain::*;
use paicha::storage::Store;
use paicha::storage::bundle::import::ImportReport;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use support::*;
use uuid::Uuid;
use writer::{Bundle, Signer};

const OFFICE: &str = "方山县应急管理局";
const LEADER: &str = "王县长";
const CODE: &str = "91350100M000100Y43";

// ---------------------------------------------------------------------------------------------
// Importing and judging the outcome

fn try_import(site: &mut Site, bundle: &Path, trust: Trust) -> Result<ImportReport, BundleError> {
    bundle::import_with_progress(
        &mut site.store,
        bundle,
        trust,
        false,
        None,
        ImportLimits::default(),
        &|_, _| {},
    )
}

fn accepted(site: &mut Site, bundle: &Path, trust: Trust) -> ImportReport {
    try_import(site, bundle, trust).unwrap_or_else(|e| panic!("refused: {e}"))
}

/// Imports `bundle` expecting a refusal (not a hold) whose message holds every one of
/// `phrases`, in Chinese only, with the database unchanged. Returns the message.
fn refused(site: &mut Site, bundle: &Path, trust: Trust, phrases: &[&str]) -> String {
    let before = full_dump(&site.store);
    let error = match try_import(site, bundle, trust) {
        Ok(report) => panic!("accepted: {report:?}"),
        Err(e) => e,
    };
    let message = error.to_string();
    assert!(
        held_reason(&error).is_none(),
        "held for review, not refused: {message}"
    );
    assert_phrases(&message, phrases);
    assert_same(&full_dump(&site.store), &before, "after the refusal");
    message
}

/// Imports `bundle` expecting it held for a clerk's review, nothing applied.
fn held(site: &mut Site, bundle: &Path, phrases: &[&str]) -> String {
    let before = full_dump(&site.store);
    let error = match try_import(site, bundle, Trust::default()) {
        Ok(report) => panic!("accepted: {report:?}"),
        Err(e) => e,
    };
    let Some(reason) = held_reason(&error) else {
        panic!("refused, not held: {error}");
    };
    let reason = reason.to_string();
    assert_phrases(&reason, phrases);
    assert_same(&full_dump(&site.store), &before, "after the hold");
    reason
}

fn assert_phrases(message: &str, phrases: &[&str]) {
    for phrase in phrases {
        assert!(
            message.contains(phrase),
            "expected “{phrase}” in “{message}”"
        );
    }
    // No parser, SQL or library English reaches the user.
    for leak in [
        "missing",
        "invalid",
        "expected",
        "EOF",
        "constraint",
        "FOREIGN",
        "UNIQUE",
        "NOT NULL",
        "rror",
        "failed",
        "parsing",
    ] {
        assert!(!message.contains(leak), "“{leak}” leaks into “{message}”");
    }
}

// ---------------------------------------------------------------------------------------------
// Offices, laptops and the people on them

/// A roster office run by 张科长 (内勤, 检查人员, 组长); 王县长 is its close-out leader, with
/// no key of his own yet.
fn roster_office() -> Site {
    let mut office = site("张科长");
    paicha::demo::one_person_office(&mut office.store, OFFICE, LEADER).expect("office");
    office
}

/// Enrols the laptop's profile and key at the office with `roles`; the person's roster id.
fn enrol(office: &mut Site, laptop: &mut Site, roles: &[Role]) -> Uuid {
    let id = laptop.store.author_id().expect("author");
    let public = laptop.store.own_public_key(id).expect("key");
    let profile = laptop.store.profile().expect("read").expect("profile").data;
    let person = paicha::storage::new_person_id();
    office
        .store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: profile.name,
                cert_no: profile.cert_no,
                group_code: None,
                roles: roles.to_vec(),
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: id,
                public_key: public,
            },
        ])
        .expect("enrolled");
    person
}

/// The laptop's profile as an attacker holding the laptop (and its key) signs.
fn signer_of(laptop: &mut Site) -> Signer {
    let id = laptop.store.author_id().expect("author");
    laptop.store.own_public_key(id).expect("key");
    Signer {
        id,
        name: laptop
            .store
            .profile()
            .expect("read")
            .expect("profile")
            .data
            .name,
        key: own_key(laptop),
        replica: laptop.store.replica_id(),
    }
}

/// The laptop's own `inspectors` line, as its paicha exports it (for an office that has not
/// met this laptop yet).
fn intro(laptop: &mut Site) -> Value {
    let bundle = export(laptop, "intro.paicha", all());
    Bundle::unzip(&bundle).first("inspectors")
}

fn person_named(office: &Site, name: &str) -> Uuid {
    office
        .store
        .roster()
        .expect("roster")
        .expect("an office")
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the roster"))
        .id
}

fn office_fingerprint(office: &Site) -> String {
    office
        .store
        .roster()
        .expect("roster")
        .expect("an office")
        .fingerprint()
}

fn trusting(office: &Site) -> Trust {
    Trust {
        office_fingerprint: Some(office_fingerprint(office)),
        ..Default::default()
    }
}

fn ledger() -> ExportOptions {
    ExportOptions {
        all: true,
        ledger: true,
        ..Default::default()
    }
}

fn at(site: &Site, name: &str) -> PathBuf {
    site.dir.path().join(name)
}

fn stage(site: &Site, hazard: Uuid) -> Stage {
    site.store.hazard_status(hazard).expect("hazard").2.stage
}

/// A finalized inspection by the profile with `inspectors` (the profile first).
fn joint_inspection(store: &mut Store, enterprise: Uuid, inspectors: Vec<Uuid>, what: &str) {
    let items = vec![ItemSnapshot {
        code: "E12".into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务三".into(),
        question: "特种作业人员是否持证上岗？".into(),
        basis: "方发改安全发〔2023〕35号".into(),
    }];
    let draft = Inspection::draft(
        enterprise,
        InspectionMode::Joint,
        inspectors,
        Utc::now(),
        vec![],
        items,
    );
    let id = store.create_inspection(draft).expect("draft").id();
    store
        .set_answer(id, "E12", AnswerResult::NonCompliant, what)
        .expect("answer");
    store.finalize_inspection(id).expect("finalize");
}

// Step payloads as the format doc spells them (JSON text in `payload`).

fn close_out(signer: &str, signer_id: Option<Uuid>) -> Value {
    let mut payload = json!({
        "step": "close_out",
        "signer": signer,
        "signed_at": writer::payload_time(Utc::now()),
    });
    if let Some(id) = signer_id {
        payload["signer_id"] = json!(id.to_string());
    }
    payload
}

fn number(text: &str) -> Value {
    json!({"step": "number", "number": text})
}

fn report_rectified() -> Value {
    json!({"step": "report_rectified"})
}

/// A bundle from `by` carrying hazard events (and `by`'s own inspectors line, when the
/// office has not met them yet).
fn events_bundle(
    dir: &Site,
    name: &str,
    by: &Signer,
    intro: Option<&Value>,
    events: Vec<Value>,
) -> PathBuf {
    let mut b = Bundle::empty();
    if let Some(line) = intro {
        b.push("inspectors", line.clone());
    }
    for e in events {
        b.push("hazard_events", e);
    }
    let to = at(dir, name);
    b.write(&to, by);
    to
}

// ---------------------------------------------------------------------------------------------
// 1. Co-signature hijack

/// 李建山's laptop with two inspections made jointly with 王五, whose key never left his own
/// laptop: an office that imports them knows 王五 but holds no key for him.
struct Joint {
    laptop: Site,
    colleague: Uuid,
    inspections: Vec<String>,
    bundle: PathBuf,
}

fn joint() -> Joint {
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", CODE);
    let me = laptop.store.author_id().expect("me");
    let colleague = laptop
        .store
        .add_inspector(Inspector {
            name: "王五".into(),
            cert_no: "14010077".into(),
            group_code: None,
        })
        .expect("colleague")
        .id();
    for what in ["焊工无证上岗", "储罐区动火无票"] {
        joint_inspection(&mut laptop.store, ent, vec![me, colleague], what);
    }
    let bundle = export(&mut laptop, "joint.paicha", all());
    let inspections = Bundle::unzip(&bundle)
        .lines("inspections")
        .iter()
        .map(|l| l["id"].as_str().expect("id").to_string())
        .collect();
    Joint {
        laptop,
        colleague,
        inspections,
        bundle,
    }
}

impl Joint {
    /// The finalized inspections sent again with a signature in 王五's name made with `key`;
    /// `bind`: the bundle also binds that key to 王五 in `records/keys.jsonl`.
    fn hijacked(&self, key: &Signer, bind: bool) -> Bundle {
        let mut b = Bundle::unzip(&self.bundle);
        for id in &self.inspections {
            b.sign_inspection(id, self.colleague, &key.key);
        }
        if bind {
            b.push(
                "keys",
                json!({"inspector_id": self.colleague.to_string(), "public_key": key.public()}),
            );
        }
        b
    }

    /// The stranger posing as 王五 himself (his id, the stranger's key and device).
    fn as_colleague(&self, stranger: &Signer) -> Signer {
        Signer {
            id: self.colleague,
            name: "王五".into(),
            ..stranger.clone()
        }
    }
}

#[test]
fn a_co_signature_in_a_colleagues_name_is_refused_without_a_roster() {
    let mut j = joint();
    let mut office = site("张科长");
    accepted(&mut office, &j.bundle, Trust::default());
    let stranger = Signer::stranger(31, "陌生人");
    let fp = stranger.fingerprint();

    // The stranger's key bound to 王五, sent as 王五.
    let forged = at(&j.laptop, "hijack.paicha");
    j.hijacked(&stranger, true)
        .write(&forged, &j.as_colleague(&stranger));
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/keys.jsonl", "王五", &fp, "没有公钥", "冒名"],
    );

    // No binding: the stranger exports as themself and only signs in 王五's name.
    let mut b = j.hijacked(&stranger, false);
    b.push("inspectors", stranger.inspector_line("14019901"));
    b.write(&forged, &stranger);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &[&j.inspections[0], "王五", &fp, "未登记"],
    );

    // The laptop's own key in 王五's name: one person's key never signs for another.
    let me = signer_of(&mut j.laptop);
    j.hijacked(&me, true).write(&forged, &me);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["王五", &me.fingerprint(), "冒名"],
    );
}

#[test]
fn a_co_signature_in_a_colleagues_name_is_refused_by_the_roster_naming_who_and_which_key() {
    let mut j = joint();
    let mut office = roster_office();
    enrol(&mut office, &mut j.laptop, &[Role::Inspector]);
    // 王五 is on the roster too, his key not enrolled (his laptop never came to the office).
    office
        .store
        .roster_append(vec![Body::Person {
            person_id: paicha::storage::new_person_id(),
            name: "王五".into(),
            cert_no: "14010077".into(),
            group_code: None,
            roles: vec![Role::Inspector],
            active: true,
        }])
        .expect("王五");
    accepted(&mut office, &j.bundle, Trust::default());
    let stranger = Signer::stranger(32, "陌生人");
    let forged = at(&j.laptop, "hijack.paicha");
    j.hijacked(&stranger, true)
        .write(&forged, &j.as_colleague(&stranger));
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &[
            "records/keys.jsonl",
            "王五",
            &stranger.fingerprint(),
            "不在办公室名册中",
        ],
    );

    // An enrolled colleague (赵六) signs in 王五's name with his own enrolled key.
    let mut zhao = site("赵六");
    enrol(&mut office, &mut zhao, &[Role::Inspector]);
    let zhao_line = intro(&mut zhao);
    let zhao = signer_of(&mut zhao);
    let mut b = j.hijacked(&zhao, true);
    b.push("inspectors", zhao_line.clone());
    b.write(&forged, &zhao);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["王五", "赵六", &zhao.fingerprint(), "另一份人员档案"],
    );
    // … and without binding his key to 王五.
    let mut b = j.hijacked(&zhao, false);
    b.push("inspectors", zhao_line);
    b.write(&forged, &zhao);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &[&j.inspections[0], "王五", &zhao.fingerprint(), "未登记"],
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Impostor via the device id

/// The real 李建山's laptop and bundle, and an impostor's laptop (same name, same 执法证号,
/// own key) that learned the real one's records and made an inspection of its own.
struct Impostor {
    real: Site,
    genuine: PathBuf,
    impostor: Site,
    enterprise: Uuid,
}

fn impostor() -> Impostor {
    let mut real = site("李建山");
    let enterprise = enterprise(&mut real.store, "方山县加油站", CODE);
    inspection(&mut real.store, enterprise, "焊工无证上岗");
    let genuine = export(&mut real, "real.paicha", all());
    let mut impostor = site("李建山"); // the same name gives the same 执法证号
    accepted(&mut impostor, &genuine, Trust::default());
    inspection(&mut impostor.store, enterprise, "伪造的发现");
    Impostor {
        real,
        genuine,
        impostor,
        enterprise,
    }
}

impl Impostor {
    /// The impostor's bundle with every record of theirs (and the manifest) claiming the real
    /// laptop's `replica_id`, signed again with the impostor's key.
    fn copying_the_device_id(&mut self) -> (PathBuf, Signer) {
        let plain = export(&mut self.impostor, "fake.paicha", all());
        let me = signer_of(&mut self.impostor);
        let mine = json!(me.id.to_string());
        let real_replica = json!(self.real.store.replica_id().to_string());
        let mut b = Bundle::unzip(&plain);
        for lines in b.files.values_mut() {
            for line in lines.iter_mut() {
                if line.get("replica_id").is_some()
                    && (line["author_id"] == mine || line["id"] == mine)
                {
                    line["replica_id"] = real_replica.clone();
                }
            }
        }
        for kind in [
            "hazards",
            "hazard_events",
            "enforcement_actions",
            "activities",
            "addenda",
        ] {
            for line in b.lines_mut(kind) {
                if line["author_id"] == mine {
                    writer::sign_record(line, &me.key);
                }
            }
        }
        let own: Vec<String> = b
            .lines("inspections")
            .iter()
            .filter(|l| l["author_id"] == mine)
            .map(|l| l["id"].as_str().expect("id").to_string())
            .collect();
        assert!(!own.is_empty());
        for id in own {
            b.sign_inspection(&id, me.id, &me.key);
        }
        let exporter = Signer {
            replica: self.real.store.replica_id(),
            ..me.clone()
        };
        let forged = at(&self.impostor, "impostor.paicha");
        b.write(&forged, &exporter);
        (forged, me)
    }
}

#[test]
fn an_impostor_copying_the_device_id_is_refused_by_the_first_sight_office() {
    let mut s = impostor();
    let mut office = site("张科长");
    accepted(&mut office, &s.genuine, Trust::default());
    let (forged, me) = s.copying_the_device_id();
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["李建山", "执法证号", "可能是冒名", &me.fingerprint()],
    );
}

#[test]
fn an_impostor_copying_the_device_id_is_refused_by_the_roster_office() {
    let mut s = impostor();
    let mut office = roster_office();
    enrol(&mut office, &mut s.real, &[Role::Inspector]);
    accepted(&mut office, &s.genuine, Trust::default());
    let (forged, me) = s.copying_the_device_id();
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["李建山", &me.fingerprint(), "不在办公室名册中"],
    );
}

#[test]
fn trust_new_keys_takes_the_same_person_on_a_new_laptop_naming_who_and_which_key() {
    let s = impostor();
    let mut new_laptop = site("李建山");
    accepted(&mut new_laptop, &s.genuine, Trust::default());
    inspection(&mut new_laptop.store, s.enterprise, "新电脑上的发现");
    let bundle = export(&mut new_laptop, "new-laptop.paicha", all());
    let fp = signer_of(&mut new_laptop).fingerprint();
    let knowingly = Trust {
        new_keys: true,
        ..Default::default()
    };

    // Without a roster: refused with a pointer to --trust-new-keys, then taken with it.
    let mut office = site("张科长");
    accepted(&mut office, &s.genuine, Trust::default());
    refused(
        &mut office,
        &bundle,
        Trust::default(),
        &["可能是冒名", &fp, "--trust-new-keys"],
    );
    let report = accepted(&mut office, &bundle, knowingly.clone());
    assert!(
        report
            .new_keys
            .iter()
            .any(|k| k.contains("李建山") && k.contains(&fp) && k.contains("--trust-new-keys")),
        "{:?}",
        report.new_keys
    );
    assert_eq!(report.added.get("inspections"), Some(&1));

    // With a roster that enrolled the old laptop's key only.
    let mut real = s.real;
    let mut office = roster_office();
    enrol(&mut office, &mut real, &[Role::Inspector]);
    accepted(&mut office, &s.genuine, Trust::default());
    refused(
        &mut office,
        &bundle,
        Trust::default(),
        &["李建山", &fp, "不在办公室名册中", "--trust-new-keys"],
    );
    let report = accepted(&mut office, &bundle, knowingly);
    assert!(
        report
            .new_keys
            .iter()
            .any(|k| k.contains("李建山") && k.contains(&fp) && k.contains("--trust-new-keys")),
        "{:?}",
        report.new_keys
    );
    assert_eq!(report.added.get("inspections"), Some(&1));
}

/// The first-sight rule compares 执法证号: the real one's number spelled with a trailing
/// space, or in full-width digits, is the same number and must not make a new person.
#[test]
fn an_impostor_whose_cert_number_is_respelled_is_refused_by_the_first_sight_office() {
    let mut s = impostor();
    let plain = export(&mut s.impostor, "fake.paicha", all());
    let me = signer_of(&mut s.impostor);
    let full_width = |c: char| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c);
    let respellings: [&dyn Fn(&str) -> String; 2] = [&|c: &str| format!("{c} "), &|c: &str| {
        c.chars().map(full_width).collect()
    }];
    for respell in respellings {
        let mut office = site("张科长");
        accepted(&mut office, &s.genuine, Trust::default());
        let mut b = Bundle::unzip(&plain);
        let line = b.find_mut("inspectors", &me.id.to_string());
        let cert = line["cert_no"].as_str().expect("cert").to_string();
        line["cert_no"] = json!(respell(&cert));
        let forged = at(&s.impostor, "respelled.paicha");
        b.write(&forged, &me);
        refused(
            &mut office,
            &forged,
            Trust::default(),
            &["李建山", "执法证号", "可能是冒名", &me.fingerprint()],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Unauthorised steps, and 4. far-future dates

/// A roster office that took 李建山's (an enrolled inspector's) two major hazards: one under
/// rectification (整改中), one verified (已验收).
struct Loop {
    office: Site,
    laptop: Site,
    inspector: Signer,
    bundle: PathBuf,
    rectifying: Uuid,
    verified: Uuid,
    leader: Uuid,
}

fn major_hazards(laptop: &mut Site) -> (Uuid, Uuid) {
    let ent = enterprise(&mut laptop.store, "方山县加油站", CODE);
    let (_, rectifying) = inspection(&mut laptop.store, ent, "储罐区紧急切断阀失效");
    let (_, verified) = inspection(&mut laptop.store, ent, "卸油区静电接地断开");
    step(&mut laptop.store, rectifying, Step::Rectify { fixes: None });
    step(&mut laptop.store, verified, Step::Rectify { fixes: None });
    step(&mut laptop.store, verified, Step::ReportRectified);
    step(
        &mut laptop.store,
        verified,
        Step::Verify {
            passed: true,
            by: "李建山".into(),
            new_deadline: None,
            case_opened: false,
        },
    );
    (rectifying, verified)
}

fn lifecycle_office() -> Loop {
    let mut office = roster_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, &[Role::Inspector]);
    let (rectifying, verified) = major_hazards(&mut laptop);
    let bundle = export(&mut laptop, "findings.paicha", all());
    accepted(&mut office, &bundle, Trust::default());
    assert_eq!(stage(&office, rectifying), Stage::Rectifying);
    assert_eq!(stage(&office, verified), Stage::Verified);
    let inspector = signer_of(&mut laptop);
    let leader = person_named(&office, LEADER);
    Loop {
        office,
        laptop,
        inspector,
        bundle,
        rectifying,
        verified,
        leader,
    }
}

impl Loop {
    /// A laptop for `name`, enrolled with `roles` (or, for the leader, his key added to his
    /// roster entry): its signer and its inspectors line.
    fn colleague(&mut self, name: &str, roles: &[Role]) -> (Signer, Value) {
        let mut laptop = site(name);
        if name == LEADER {
            let id = laptop.store.author_id().expect("author");
            let public = laptop.store.own_public_key(id).expect("key");
            self.office
                .store
                .roster_append(vec![Body::Key {
                    person_id: self.leader,
                    inspector_id: id,
                    public_key: public,
                }])
                .expect("the leader's key");
        } else {
            enrol(&mut self.office, &mut laptop, roles);
        }
        let line = intro(&mut laptop);
        (signer_of(&mut laptop), line)
    }

    fn send(&self, name: &str, by: &Signer, intro: Option<&Value>, events: Vec<Value>) -> PathBuf {
        events_bundle(&self.laptop, name, by, intro, events)
    }
}

#[test]
fn a_close_out_of_a_major_hazard_under_rectification_is_refused_by_the_guard() {
    let mut l = lifecycle_office();
    let (leader, line) = l.colleague(LEADER, &[]);
    let premature = event_now_close_out(&leader, l.rectifying, LEADER, Some(l.leader));
    let forged = l.send("premature.paicha", &leader, Some(&line), vec![premature]);
    refused(
        &mut l.office,
        &forged,
        Trust::default(),
        &[
            "records/hazard_events.jsonl 第1行",
            "储罐区紧急切断阀失效",
            "没有验收，不能销号",
        ],
    );
    // Control: the same leader, with his own key, closes out the verified one.
    let closing = event_now_close_out(&leader, l.verified, LEADER, Some(l.leader));
    let good = l.send("close-out.paicha", &leader, Some(&line), vec![closing]);
    accepted(&mut l.office, &good, Trust::default());
    assert_eq!(stage(&l.office, l.verified), Stage::ClosedOut);
    assert_eq!(stage(&l.office, l.rectifying), Stage::Rectifying);
}

fn event_now_close_out(by: &Signer, hazard: Uuid, signer: &str, signer_id: Option<Uuid>) -> Value {
    writer::event_now(by, hazard, "closed_out", close_out(signer, signer_id))
}

#[test]
fn a_close_out_signed_by_an_inspector_who_is_no_close_out_leader_is_refused() {
    let mut l = lifecycle_office();
    let me = l.inspector.clone();
    // Naming the leader, or himself, in the step he signs.
    for (signer, id) in [(LEADER, Some(l.leader)), ("李建山", None)] {
        let forged = l.send(
            "close-out.paicha",
            &me,
            None,
            vec![event_now_close_out(&me, l.verified, signer, id)],
        );
        refused(
            &mut l.office,
            &forged,
            Trust::default(),
            &[
                "records/hazard_events.jsonl 第1行",
                "卸油区静电接地断开",
                "不予接受",
                "销号签字领导（王县长）",
                "李建山",
                "检查人员",
            ],
        );
    }
    assert_eq!(stage(&l.office, l.verified), Stage::Verified);
}

#[test]
fn a_clerks_close_out_must_name_a_roster_leader() {
    let mut l = lifecycle_office();
    let (clerk, line) = l.colleague("刘内勤", &[Role::Clerk]);
    for signer in ["李建山", "赵副县长"] {
        let forged = l.send(
            "on-paper.paicha",
            &clerk,
            Some(&line),
            vec![event_now_close_out(&clerk, l.verified, signer, None)],
        );
        refused(
            &mut l.office,
            &forged,
            Trust::default(),
            &[
                "records/hazard_events.jsonl 第1行",
                "卸油区静电接地断开",
                &format!("“{signer}”不是名册中的销号签字领导"),
                "可签字的领导：王县长",
            ],
        );
    }
    // Control: the clerk records 王县长's written sign-off, naming him from the roster.
    let good = l.send(
        "on-paper.paicha",
        &clerk,
        Some(&line),
        vec![event_now_close_out(
            &clerk,
            l.verified,
            LEADER,
            Some(l.leader),
        )],
    );
    accepted(&mut l.office, &good, Trust::default());
    let (_, _, status) = l.office.store.hazard_status(l.verified).expect("hazard");
    assert_eq!(status.stage, Stage::ClosedOut);
    assert_eq!(
        status.closed_by.map(|(who, _)| who).as_deref(),
        Some(LEADER)
    );
}

/// The leader's name with another person's roster id is refused; the reason must not call the
/// roster's own close-out leader "not a leader".
#[test]
fn a_clerks_close_out_naming_the_leader_with_another_persons_id_says_which_is_wrong() {
    let mut l = lifecycle_office();
    let (clerk, line) = l.colleague("刘内勤", &[Role::Clerk]);
    let inspector = person_named(&l.office, "李建山");
    let forged = l.send(
        "on-paper.paicha",
        &clerk,
        Some(&line),
        vec![event_now_close_out(
            &clerk,
            l.verified,
            LEADER,
            Some(inspector),
        )],
    );
    let message = refused(
        &mut l.office,
        &forged,
        Trust::default(),
        &["records/hazard_events.jsonl 第1行", "卸油区静电接地断开"],
    );
    assert!(
        !message.contains("“王县长”不是名册中的销号签字领导"),
        "the reason calls the roster's close-out leader no leader: {message}"
    );
}

#[test]
fn a_ledger_number_from_anyone_but_a_clerk_is_refused() {
    let mut l = lifecycle_office();
    let me = l.inspector.clone();
    let forged = l.send(
        "number.paicha",
        &me,
        None,
        vec![writer::event_now(
            &me,
            l.rectifying,
            "numbered",
            number("方应急隐〔2025〕1号"),
        )],
    );
    refused(
        &mut l.office,
        &forged,
        Trust::default(),
        &[
            "records/hazard_events.jsonl 第1行",
            "储罐区紧急切断阀失效",
            "“编号”须由内勤办理",
            "李建山",
            "检查人员",
        ],
    );
    // Control: a clerk numbers it; the same number for a second hazard is refused.
    let (clerk, line) = l.colleague("刘内勤", &[Role::Clerk]);
    let good = l.send(
        "number.paicha",
        &clerk,
        Some(&line),
        vec![writer::event_now(
            &clerk,
            l.rectifying,
            "numbered",
            number("方应急隐〔2025〕1号"),
        )],
    );
    accepted(&mut l.office, &good, Trust::default());
    let status = l.office.store.hazard_status(l.rectifying).expect("h").2;
    assert_eq!(status.number.as_deref(), Some("方应急隐〔2025〕1号"));
    let twice = l.send(
        "twice.paicha",
        &clerk,
        None,
        vec![writer::event_now(
            &clerk,
            l.verified,
            "numbered",
            number("方应急隐〔2025〕1号"),
        )],
    );
    refused(
        &mut l.office,
        &twice,
        Trust::default(),
        &["台账编号 方应急隐〔2025〕1号", "两个隐患"],
    );
}

/// A major hazard's 销号 needs the close-out leader (or a clerk recording his written
/// sign-off), even when the grade was first corrected to general.
#[test]
fn a_major_hazard_downgraded_by_a_correction_still_needs_the_leader_to_close_out() {
    let mut office = roster_office();
    let mut laptop = site("李建山");
    enrol(
        &mut office,
        &mut laptop,
        &[Role::Inspector, Role::GroupLeader],
    );
    let (_, verified) = major_hazards(&mut laptop);
    let bundle = export(&mut laptop, "findings.paicha", all());
    accepted(&mut office, &bundle, Trust::default());
    let me = signer_of(&mut laptop);
    let t0 = Utc::now();
    let t1 = t0 + TimeDelta::milliseconds(5);
    let downgrade = writer::event(
        &me,
        verified,
        "corrected",
        json!({"step": "correct", "field": "grade", "value": "general"}),
        t0,
        t0,
    );
    let close = writer::event(
        &me,
        verified,
        "closed_out",
        close_out("李建山", None),
        t1,
        t1,
    );
    let forged = events_bundle(
        &laptop,
        "downgrade.paicha",
        &me,
        None,
        vec![downgrade, close],
    );
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/hazard_events.jsonl 第", "卸油区静电接地断开"],
    );
    assert_eq!(stage(&office, verified), Stage::Verified);
}

#[test]
fn unauthorised_steps_are_refused_by_an_office_without_a_roster() {
    let mut laptop = site("李建山");
    let (rectifying, verified) = major_hazards(&mut laptop);
    let bundle = export(&mut laptop, "findings.paicha", all());
    let mut office = site("张科长");
    accepted(&mut office, &bundle, Trust::default());
    let me = signer_of(&mut laptop);
    let send = |name: &str, by: &Signer, intro: Option<&Value>, e: Value| {
        events_bundle(&laptop, name, by, intro, vec![e])
    };
    // Before any roster nobody may close out a major hazard.
    let forged = send(
        "close.paicha",
        &me,
        None,
        event_now_close_out(&me, verified, LEADER, None),
    );
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/hazard_events.jsonl 第1行", "还没有办公室名册"],
    );
    let forged = send(
        "close.paicha",
        &me,
        None,
        event_now_close_out(&me, rectifying, LEADER, None),
    );
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/hazard_events.jsonl 第1行", "没有验收，不能销号"],
    );
    // Numbering by an inspector, or by a stranger first seen here.
    let forged = send(
        "number.paicha",
        &me,
        None,
        writer::event_now(&me, rectifying, "numbered", number("方应急隐〔2025〕9号")),
    );
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["“编号”须由内勤办理", "李建山"],
    );
    let stranger = Signer::stranger(33, "陌生人");
    let forged = send(
        "number.paicha",
        &stranger,
        Some(&stranger.inspector_line("14019903")),
        writer::event_now(
            &stranger,
            rectifying,
            "numbered",
            number("方应急隐〔2025〕9号"),
        ),
    );
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["“编号”须由内勤办理", "陌生人"],
    );
    assert_eq!(stage(&office, verified), Stage::Verified);
}

#[test]
fn far_future_ids_and_dates_are_refused() {
    let mut l = lifecycle_office();
    let me = l.inspector.clone();
    let now = Utc::now();
    let year_2099 = chrono::DateTime::parse_from_rfc3339("2099-06-01T00:00:00Z")
        .expect("t")
        .to_utc();
    let cases = [
        (year_2099, now, "UUIDv7"),
        (now, year_2099, "occurred_at"),
        (year_2099, year_2099, "晚于导入时间一天以上"),
        (now, now + TimeDelta::hours(25), "occurred_at"),
    ];
    for (id_time, occurred, phrase) in cases {
        let e = writer::event(
            &me,
            l.rectifying,
            "rectification_reported",
            report_rectified(),
            id_time,
            occurred,
        );
        let forged = l.send("future.paicha", &me, None, vec![e]);
        refused(
            &mut l.office,
            &forged,
            Trust::default(),
            &[
                "records/hazard_events.jsonl 第1行",
                phrase,
                "晚于导入时间一天以上",
            ],
        );
    }
    // A hazard created (by its own dates) three days from now.
    let mut hazard = Bundle::unzip(&l.bundle).first("hazards");
    let later = writer::time(now + TimeDelta::days(3));
    hazard["id"] = json!(Uuid::now_v7().to_string());
    hazard["created_at"] = json!(later);
    hazard["updated_at"] = json!(later);
    writer::sign_record(&mut hazard, &me.key);
    let mut b = Bundle::empty();
    b.push("hazards", hazard);
    let forged = at(&l.laptop, "future-hazard.paicha");
    b.write(&forged, &me);
    refused(
        &mut l.office,
        &forged,
        Trust::default(),
        &[
            "records/hazards.jsonl 第1行",
            "created_at",
            "晚于导入时间一天以上",
        ],
    );
    // Control: the step dated now lands.
    let e = writer::event_now(
        &me,
        l.rectifying,
        "rectification_reported",
        report_rectified(),
    );
    let good = l.send("now.paicha", &me, None, vec![e]);
    accepted(&mut l.office, &good, Trust::default());
    assert_eq!(stage(&l.office, l.rectifying), Stage::RectificationReported);
}

/// The leader's signature date in a close-out's payload is a date too.
#[test]
fn a_close_out_signed_far_in_the_future_is_refused() {
    let mut l = lifecycle_office();
    let (clerk, line) = l.colleague("刘内勤", &[Role::Clerk]);
    let mut payload = close_out(LEADER, Some(l.leader));
    payload["signed_at"] = json!("2099-01-01T00:00:00Z");
    let e = writer::event_now(&clerk, l.verified, "closed_out", payload);
    let forged = l.send("signed-2099.paicha", &clerk, Some(&line), vec![e]);
    refused(
        &mut l.office,
        &forged,
        Trust::default(),
        &["records/hazard_events.jsonl 第1行", "2099-01-01"],
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Dangling references

/// A roster office that took an enrolled inspector's inspection, hazard, enforcement action,
/// activity and addendum: the templates a forger copies.
fn templates() -> (Site, Site, Signer, Bundle) {
    let mut office = roster_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, &[Role::Inspector]);
    let ent = enterprise(&mut laptop.store, "方山县加油站", CODE);
    let (inspection, hazard) = inspection(&mut laptop.store, ent, "焊工无证上岗");
    laptop
        .store
        .record_enforcement(EnforcementAction {
            kind: EnforcementKind::Penalty,
            enterprise_id: Some(ent),
            inspection_id: Some(inspection),
            hazard_id: Some(hazard),
            decided_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
            document_no: "方应急罚〔2025〕1号".into(),
            amount_fen: Some(5_000_000),
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        })
        .expect("action");
    laptop
        .store
        .record_activity(Activity {
            kind: ActivityKind::GroupStudy,
            level: ActivityLevel::County,
            group_code: None,
            held_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 2).expect("d"),
            title: "专题学习十五条硬措施".into(),
            amount_fen: None,
            count: None,
            anonymous: false,
            note: String::new(),
            corrects: None,
        })
        .expect("activity");
    laptop
        .store
        .add_addendum(inspection, "补记：企业负责人当场签字")
        .expect("addendum");
    let bundle = export(&mut laptop, "templates.paicha", all());
    accepted(&mut office, &bundle, Trust::default());
    let me = signer_of(&mut laptop);
    (office, laptop, me, Bundle::unzip(&bundle))
}

/// A copy of the template's first line of `kind` as a new record made now.
fn fresh(t: &Bundle, kind: &str) -> Value {
    let mut line = t.first(kind);
    let now = writer::now();
    line["id"] = json!(Uuid::now_v7().to_string());
    line["created_at"] = json!(now);
    line["updated_at"] = json!(now);
    line
}

#[test]
fn dangling_references_of_every_kind_are_refused_naming_the_field() {
    let (mut office, laptop, me, t) = templates();
    let ghost = Uuid::now_v7().to_string();
    let signed = |mut line: Value| {
        writer::sign_record(&mut line, &me.key);
        line
    };
    let new_inspection = |edit: &dyn Fn(&mut Value)| {
        let mut b = Bundle::empty();
        let mut line = fresh(&t, "inspections");
        line["finalized_at"] = line["created_at"].clone();
        line["signatures"] = json!([]);
        edit(&mut line);
        let id = line["id"].as_str().expect("id").to_string();
        b.push("inspections", line);
        b.sign_inspection(&id, me.id, &me.key);
        b
    };
    let one = |kind: &str, line: Value| {
        let mut b = Bundle::empty();
        b.push(kind, line);
        b
    };
    let with = |kind: &str, field: &str, value: &str| {
        let mut line = fresh(&t, kind);
        line[field] = json!(value);
        line
    };
    let mut cases: Vec<(&str, &str, Bundle)> = vec![
        (
            "inspections",
            "follow_up_of",
            new_inspection(&|l| {
                l["mode"] = json!("follow_up");
                l["follow_up_of"] = json!(ghost);
            }),
        ),
        (
            "inspections",
            "enterprise_id",
            new_inspection(&|l| l["enterprise_id"] = json!(ghost)),
        ),
        (
            "inspections",
            "inspectors",
            new_inspection(&|l| l["inspectors"] = json!([me.id.to_string(), ghost])),
        ),
        ("inspectors", "author_id", {
            let mut line = with("inspectors", "author_id", &ghost);
            line["name"] = json!("赵某");
            line["cert_no"] = json!("14019999");
            one("inspectors", line)
        }),
        (
            "hazards",
            "enterprise_id",
            one("hazards", signed(with("hazards", "enterprise_id", &ghost))),
        ),
        (
            "hazards",
            "inspection_id",
            one("hazards", signed(with("hazards", "inspection_id", &ghost))),
        ),
        (
            "hazard_events",
            "hazard_id",
            one(
                "hazard_events",
                signed(with("hazard_events", "hazard_id", &ghost)),
            ),
        ),
        (
            "enforcement_actions",
            "corrects",
            one(
                "enforcement_actions",
                signed(with("enforcement_actions", "corrects", &ghost)),
            ),
        ),
        (
            "enforcement_actions",
            "hazard_id",
            one(
                "enforcement_actions",
                signed(with("enforcement_actions", "hazard_id", &ghost)),
            ),
        ),
        (
            "enforcement_actions",
            "inspection_id",
            one(
                "enforcement_actions",
                signed(with("enforcement_actions", "inspection_id", &ghost)),
            ),
        ),
        (
            "enforcement_actions",
            "enterprise_id",
            one(
                "enforcement_actions",
                signed(with("enforcement_actions", "enterprise_id", &ghost)),
            ),
        ),
        (
            "activities",
            "corrects",
            one("activities", signed(with("activities", "corrects", &ghost))),
        ),
        (
            "answers",
            "inspection_id",
            one("answers", with("answers", "inspection_id", &ghost)),
        ),
        (
            "exams",
            "inspection_id",
            one("exams", with("exams", "inspection_id", &ghost)),
        ),
        (
            "addenda",
            "inspection_id",
            one("addenda", signed(with("addenda", "inspection_id", &ghost))),
        ),
        (
            "keys",
            "inspector_id",
            one(
                "keys",
                json!({
                    "inspector_id": ghost,
                    "public_key": Signer::stranger(34, "x").public(),
                }),
            ),
        ),
    ];
    // Control: the same writer's honest copies land (a new hazard and a new action).
    let mut good = Bundle::empty();
    good.push("hazards", signed(fresh(&t, "hazards")));
    good.push(
        "enforcement_actions",
        signed(fresh(&t, "enforcement_actions")),
    );
    let control = at(&laptop, "control.paicha");
    good.write(&control, &me);

    let forged = at(&laptop, "dangling.paicha");
    for (kind, field, b) in cases.drain(..) {
        b.write(&forged, &me);
        refused(
            &mut office,
            &forged,
            Trust::default(),
            &[
                &format!("records/{kind}.jsonl 第"),
                field,
                &ghost,
                "在数据包和本机数据中都不存在",
            ],
        );
    }
    let report = accepted(&mut office, &control, Trust::default());
    assert_eq!(report.added.get("hazards"), Some(&1));
    assert_eq!(report.added.get("enforcement_actions"), Some(&1));
}

/// Nothing in a record is dated more than a day after the import: not a penalty's decision
/// day either.
#[test]
fn a_penalty_decided_far_in_the_future_is_refused() {
    let (mut office, laptop, me, t) = templates();
    let forged = at(&laptop, "dated.paicha");
    let mut action = fresh(&t, "enforcement_actions");
    action["decided_on"] = json!("2099-01-01");
    writer::sign_record(&mut action, &me.key);
    let mut b = Bundle::empty();
    b.push("enforcement_actions", action);
    b.write(&forged, &me);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &[
            "records/enforcement_actions.jsonl 第1行",
            "decided_on",
            "2099-01-01",
        ],
    );
}

/// … nor an inspector's signature of an inspection.
#[test]
fn an_inspection_signed_far_in_the_future_is_refused() {
    let (mut office, laptop, me, t) = templates();
    let forged = at(&laptop, "dated.paicha");
    let mut inspection = fresh(&t, "inspections");
    inspection["finalized_at"] = inspection["created_at"].clone();
    inspection["signatures"] = json!([]);
    let id = inspection["id"].as_str().expect("id").to_string();
    let mut b = Bundle::empty();
    b.push("inspections", inspection);
    b.sign_inspection(&id, me.id, &me.key);
    b.find_mut("inspections", &id)["signatures"][0]["signed_at"] =
        json!("2099-01-01T00:00:00.000000000Z");
    b.write(&forged, &me);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/inspections.jsonl", "signed_at", "2099-01-01"],
    );
}

// ---------------------------------------------------------------------------------------------
// 6. The enterprise register

#[test]
fn enterprise_versions_from_an_unauthorised_key_or_from_the_future_are_refused() {
    let (mut office, laptop, me, t) = templates();
    let edit = |by: &Signer, updated_at: &str| {
        let mut line = t.first("enterprises");
        line["phone"] = json!("0358-6029999");
        line["principal"] = json!("冒名负责人");
        line["updated_at"] = json!(updated_at);
        line["replica_id"] = json!(by.replica.to_string());
        line
    };
    let forged = at(&laptop, "register.paicha");
    let send = |by: &Signer, intro: Option<Value>, line: Value| {
        let mut b = Bundle::empty();
        if let Some(i) = intro {
            b.push("inspectors", i);
        }
        b.push("enterprises", line);
        b.write(&forged, by);
    };

    // A stranger's key, not in the roster.
    let stranger = Signer::stranger(35, "陌生人");
    send(
        &stranger,
        Some(stranger.inspector_line("14019905")),
        edit(&stranger, &writer::now()),
    );
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["陌生人", &stranger.fingerprint(), "不在办公室名册中"],
    );

    // An enrolled inspector dating the version far ahead (it would win every merge).
    send(&me, None, edit(&me, "2099-01-01T00:00:00.000000000Z"));
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &[
            "records/enterprises.jsonl 第1行",
            "updated_at",
            "2099-01-01",
            "晚于导入时间一天以上",
        ],
    );
    // … or a new enterprise dated so.
    let mut new = t.first("enterprises");
    new["id"] = json!(Uuid::now_v7().to_string());
    new["credit_code"] = json!("91141028MA0K9X5L2B");
    new["created_at"] = json!("2099-01-01T00:00:00.000000000Z");
    new["updated_at"] = json!("2099-01-01T00:00:00.000000000Z");
    send(&me, None, new);
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/enterprises.jsonl 第1行", "晚于导入时间一天以上"],
    );

    // A key the office revoked.
    let mut revoked_laptop = site("孙七");
    enrol(&mut office, &mut revoked_laptop, &[Role::Inspector]);
    let revoked_line = intro(&mut revoked_laptop);
    let revoked = signer_of(&mut revoked_laptop);
    office
        .store
        .roster_append(vec![Body::Revoke {
            public_key: revoked.public(),
            accepted: vec![],
        }])
        .expect("revoked");
    send(&revoked, Some(revoked_line), edit(&revoked, &writer::now()));
    // Like every record of a revoked key: held for the clerk, nothing applied.
    held(
        &mut office,
        &forged,
        &[
            "records/enterprises.jsonl 第1行",
            "方山县加油站",
            "孙七",
            "已吊销",
        ],
    );

    // A person who left the office (no role any more).
    let mut left_laptop = site("周八");
    let person = enrol(&mut office, &mut left_laptop, &[Role::Inspector]);
    let left_line = intro(&mut left_laptop);
    let left = signer_of(&mut left_laptop);
    office
        .store
        .roster_append(vec![Body::Person {
            person_id: person,
            name: "周八".into(),
            cert_no: left_laptop
                .store
                .profile()
                .expect("p")
                .expect("p")
                .data
                .cert_no,
            group_code: None,
            roles: vec![Role::Inspector],
            active: false,
        }])
        .expect("left");
    send(&left, Some(left_line), edit(&left, &writer::now()));
    refused(
        &mut office,
        &forged,
        Trust::default(),
        &["records/enterprises.jsonl 第1行", "登记或修改企业", "周八"],
    );

    // Control: the enrolled inspector's edit dated now replaces the version.
    send(&me, None, edit(&me, &writer::now()));
    let report = accepted(&mut office, &forged, Trust::default());
    assert_eq!(report.enterprises_updated, 1);
    let id = Uuid::parse_str(t.first("enterprises")["id"].as_str().expect("id")).expect("uuid");
    assert_eq!(
        office.store.enterprise(id).expect("e").data.phone,
        "0358-6029999"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Revocation

#[test]
fn records_of_a_revoked_key_are_held_unless_received_before_the_revocation() {
    let mut office = roster_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, &[Role::Inspector]);
    let ent = enterprise(&mut laptop.store, "方山县加油站", CODE);
    let (_, hazard) = inspection(&mut laptop.store, ent, "储罐区紧急切断阀失效");
    laptop
        .store
        .record_enforcement(EnforcementAction {
            kind: EnforcementKind::Penalty,
            enterprise_id: Some(ent),
            inspection_id: None,
            hazard_id: Some(hazard),
            decided_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
            document_no: "方应急罚〔2025〕1号".into(),
            amount_fen: Some(5_000_000),
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        })
        .expect("action");
    let before_theft = export(&mut laptop, "before.paicha", all());
    accepted(&mut office, &before_theft, Trust::default());
    let thief = signer_of(&mut laptop);
    let received = office
        .store
        .records_signed_by(&thief.public())
        .expect("received");
    assert!(received.len() >= 4, "{received:?}");
    office
        .store
        .roster_append(vec![Body::Revoke {
            public_key: thief.public(),
            accepted: received,
        }])
        .expect("revoked");
    let fp = thief.fingerprint();

    // The stolen laptop's paicha makes new records.
    inspection(&mut laptop.store, ent, "被盗电脑上的新发现");
    let after = export(&mut laptop, "after.paicha", all());
    let reason = held(&mut office, &after, &["李建山", "已吊销的公钥", &fp]);

    // The thief's own writer backdates new records to before the revocation.
    let t = Bundle::unzip(&before_theft);
    let month_ago = Utc::now() - TimeDelta::days(30);
    let mut action = t.first("enforcement_actions");
    action["id"] = json!(writer::id_at(month_ago).to_string());
    action["created_at"] = json!(writer::time(month_ago));
    action["updated_at"] = json!(writer::time(month_ago));
    action["amount_fen"] = json!(100);
    writer::sign_record(&mut action, &thief.key);
    let mut b = Bundle::empty();
    b.push("enforcement_actions", action);
    let backdated = at(&laptop, "backdated.paicha");
    b.write(&backdated, &thief);
    held(
        &mut office,
        &backdated,
        &[
            "records/enforcement_actions.jsonl 第1行",
            "已吊销的公钥",
            &fp,
        ],
    );
    let two_days_ago = Utc::now() - TimeDelta::days(2);
    let rectify = writer::event(
        &thief,
        hazard,
        "rectifying",
        json!({"step": "rectify", "fixes": null}),
        two_days_ago,
        two_days_ago,
    );
    let backdated_step = events_bundle(
        &laptop,
        "backdated-step.paicha",
        &thief,
        None,
        vec![rectify],
    );
    held(&mut office, &backdated_step, &["已吊销的公钥", &fp]);

    // Held for review: the file is kept and listed, and still nothing of it applied.
    let records = records_dump(&office.store);
    hold(&mut office.store, &after, &reason).expect("hold");
    assert_eq!(office.store.held_bundles().expect("held").len(), 1);
    assert_same(&records_dump(&office.store), &records, "after holding");

    // What the office received before the revocation is still good: sent again here…
    let report = accepted(&mut office, &before_theft, Trust::default());
    assert_eq!(report.added_total(), 0);
    // … and at a laptop that learns the roster (with the revocation) from the ledger.
    let ledger_bundle = export(&mut office, "ledger.paicha", ledger());
    let mut other = site("赵六");
    accepted(&mut other, &ledger_bundle, trusting(&office));
    assert_eq!(stage(&other, hazard), Stage::Registered);
    accepted(&mut other, &before_theft, Trust::default());
    held(&mut other, &after, &["已吊销的公钥", &fp]);
    held(&mut other, &backdated, &["已吊销的公钥", &fp]);
}

// ---------------------------------------------------------------------------------------------
// 8. Roster forgery

/// Office A, its ledger bundle and a laptop that trusts it.
fn trusted_office() -> (Site, PathBuf, Site) {
    let mut office = roster_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, &[Role::Inspector]);
    let ledger_bundle = export(&mut office, "ledger.paicha", ledger());
    accepted(&mut laptop, &ledger_bundle, trusting(&office));
    (office, ledger_bundle, laptop)
}

#[test]
fn a_roster_entry_not_signed_by_the_anchor_is_refused() {
    let (mut office, ledger_bundle, mut laptop) = trusted_office();
    let roster = office.store.roster().expect("r").expect("roster");
    let attacker = Signer::stranger(36, "冒名者");
    let original = Bundle::unzip(&ledger_bundle);
    let last = original.lines("roster").last().expect("entries").clone();
    let seq = last["seq"].as_u64().expect("seq") + 1;
    let mut entry = json!({
        "seq": seq,
        "prev": writer::roster_hash(&last),
        "office": last["office"],
        "made_at": writer::now(),
        "body": {
            "kind": "person",
            "person_id": Uuid::now_v7().to_string(),
            "name": "冒名领导",
            "cert_no": "",
            "group_code": null,
            "roles": ["close_out_leader", "clerk"],
            "active": true,
        },
    });
    let forged = at(&laptop, "roster.paicha");
    let write = |entry: &Value| {
        let mut b = original.clone();
        b.keep(&["roster"]);
        b.push("roster", entry.clone());
        b.push("inspectors", attacker.inspector_line("14019906"));
        b.write_as(&forged, &attacker, "ledger");
    };
    // Signed with the attacker's key, saying so.
    writer::sign_roster_line(&mut entry, &attacker.key, &attacker.public());
    write(&entry);
    let expected = format!("办公室名册第 {seq} 条无效");
    for site in [&mut laptop, &mut office] {
        refused(
            site,
            &forged,
            Trust::default(),
            &[&expected, "不是由办公室当时的锚定公钥签名"],
        );
    }
    // Signed with the attacker's key, claiming the anchor's.
    writer::sign_roster_line(&mut entry, &attacker.key, &roster.anchor_key);
    write(&entry);
    for site in [&mut laptop, &mut office] {
        refused(site, &forged, Trust::default(), &[&expected, "签名无效"]);
    }
    // The anchor's genuine entry edited after signing (roles raised).
    let mut edited = original.clone();
    let lines = edited.lines_mut("roster");
    let at_person = lines
        .iter()
        .position(|l| l["body"]["name"] == "李建山")
        .expect("李建山's entry");
    lines[at_person]["body"]["roles"] = json!(["close_out_leader", "inspector"]);
    let person_seq = lines[at_person]["seq"].as_u64().expect("seq");
    edited.push("inspectors", attacker.inspector_line("14019906"));
    edited.write_as(&forged, &attacker, "ledger");
    let mut fresh_laptop = site("赵六");
    refused(
        &mut fresh_laptop,
        &forged,
        trusting(&office),
        &[&format!("办公室名册第 {person_seq} 条无效"), "签名无效"],
    );

    // Control: the writer's unchanged copy of the roster, exported by the office's clerk,
    // is taken by a fresh laptop that trusts the office.
    let clerk = signer_of(&mut office);
    original.write_as(&forged, &clerk, "ledger");
    let report = accepted(&mut fresh_laptop, &forged, trusting(&office));
    assert_eq!(report.roster_entries, roster.len);
}

#[test]
fn a_laptop_that_trusts_one_office_refuses_another_offices_roster() {
    let (office, _, mut laptop) = trusted_office();
    let mut other = site("赵科长");
    paicha::demo::one_person_office(&mut other.store, "临县应急管理局", "钱县长")
        .expect("other office");
    let theirs = export(&mut other, "other-ledger.paicha", ledger());
    let (ours, their_fp) = (office_fingerprint(&office), office_fingerprint(&other));
    for trust in [Trust::default(), trusting(&other)] {
        refused(
            &mut laptop,
            &theirs,
            trust,
            &[
                "records/roster.jsonl 第1行",
                "临县应急管理局",
                &their_fp,
                "不是本机信任的",
                OFFICE,
                &ours,
            ],
        );
    }
}

#[test]
fn a_first_roster_is_taken_only_with_the_fingerprint_read_at_the_office() {
    let mut office = roster_office();
    let ledger_bundle = export(&mut office, "ledger.paicha", ledger());
    let fp = office_fingerprint(&office);
    let mut other = site("赵科长");
    paicha::demo::one_person_office(&mut other.store, "临县应急管理局", "钱县长")
        .expect("other office");

    let mut laptop = site("李建山");
    refused(
        &mut laptop,
        &ledger_bundle,
        Trust::default(),
        &[OFFICE, &fp, "--office-fingerprint"],
    );
    refused(
        &mut laptop,
        &ledger_bundle,
        trusting(&other),
        &[OFFICE, &fp, "--office-fingerprint"],
    );

    // An attacker's own roster under the office's name (own anchor, own writer).
    let anchor = Signer::stranger(37, "冒名办公室");
    let mut first = json!({
        "seq": 1,
        "prev": "",
        "office": Uuid::now_v7().to_string(),
        "made_at": writer::now(),
        "body": {"kind": "anchor", "public_key": anchor.public(), "office_name": OFFICE},
    });
    writer::sign_roster_line(&mut first, &anchor.key, &anchor.public());
    let mut b = Bundle::empty();
    b.push("roster", first);
    b.push("inspectors", anchor.inspector_line("14019907"));
    let forged = at(&laptop, "fake-office.paicha");
    b.write_as(&forged, &anchor, "ledger");
    refused(
        &mut laptop,
        &forged,
        trusting(&office),
        &[OFFICE, &anchor.fingerprint(), "--office-fingerprint"],
    );

    // Control: the real office's ledger with its fingerprint.
    let report = accepted(&mut laptop, &ledger_bundle, trusting(&office));
    assert!(report.roster_entries > 0);
}

#[test]
fn a_roster_edited_by_hand_in_sqlite_is_refused_and_nothing_acts_on_it() {
    let mut l = lifecycle_office();
    // The attacker, at the office's computer, makes 李建山 a close-out leader by SQL.
    {
        let conn = rusqlite::Connection::open(l.office.store.path()).expect("open");
        conn.execute_batch("DROP TRIGGER roster_entries_never_updated")
            .expect("drop the trigger");
        let changed = conn
            .execute(
                "UPDATE roster_entries
                 SET entry = replace(entry, '\"roles\":[\"inspector\"]',
                                     '\"roles\":[\"close_out_leader\",\"inspector\"]')
                 WHERE entry LIKE '%\"name\":\"李建山\"%' AND entry LIKE '%\"kind\":\"person\"%'",
                [],
            )
            .expect("update");
        assert_eq!(changed, 1);
    }
    let error = match l.office.store.roster() {
        Ok(r) => panic!("a hand-edited roster was read: {r:?}"),
        Err(e) => e.to_string(),
    };
    assert_phrases(
        &error,
        &["办公室名册第", "签名无效", "不会按它判断任何人的权限"],
    );

    // 李建山 closes out his verified major hazard as the "leader" he made himself.
    let me = l.inspector.clone();
    let forged = l.send(
        "close-out.paicha",
        &me,
        None,
        vec![event_now_close_out(&me, l.verified, "李建山", None)],
    );
    refused(
        &mut l.office,
        &forged,
        Trust::default(),
        &["办公室名册第", "签名无效"],
    );
    // A step taken at the office that needs the roster is refused too.
    let before = full_dump(&l.office.store);
    let step = Step::CloseOut {
        signer: LEADER.into(),
        signed_at: Utc::now(),
        signer_id: Some(l.leader),
    };
    let now = l.office.store.now();
    let outcome = l.office.store.apply_step(l.verified, step, now, "");
    let message = match outcome {
        Ok(e) => panic!("close-out taken on a hand-edited roster: {e:?}"),
        Err(e) => e.to_string(),
    };
    assert_phrases(&message, &["办公室名册第", "签名无效"]);
    assert_same(
        &full_dump(&l.office.store),
        &before,
        "after the refused step",
    );
}

/// A laptop that learned the revocation of a stolen laptop's key from the office's ledger.
/// Returns it, the office, the stolen laptop's new bundle (held there) and the key's fingerprint.
fn laptop_knowing_a_revocation() -> (Site, Site, PathBuf, String) {
    let mut office = roster_office();
    let mut laptop = site("李建山");
    enrol(&mut office, &mut laptop, &[Role::Inspector]);
    let mut stolen = site("孙七");
    enrol(&mut office, &mut stolen, &[Role::Inspector]);
    let ent = enterprise(&mut office.store, "方山县加油站", CODE);
    let before_theft = export(&mut office, "ledger-1.paicha", ledger());
    accepted(&mut stolen, &before_theft, trusting(&office));
    let thief = signer_of(&mut stolen);
    office
        .store
        .roster_append(vec![Body::Revoke {
            public_key: thief.public(),
            accepted: vec![],
        }])
        .expect("revoked");
    let ledger_bundle = export(&mut office, "ledger-2.paicha", ledger());
    accepted(&mut laptop, &ledger_bundle, trusting(&office));
    inspection(&mut stolen.store, ent, "被盗电脑上的新发现");
    let theirs = at(&laptop, "stolen.paicha");
    bundle::export(&mut stolen.store, &theirs, &all()).expect("export");
    held(&mut laptop, &theirs, &["孙七", "已吊销的公钥"]);
    (laptop, office, theirs, thief.fingerprint())
}

/// Deleting the roster's last entry (the revocation) by SQL leaves a chain whose every
/// signature holds: paicha must still notice, and the stolen laptop's bundle stay held.
#[test]
#[ignore = "known limit (docs/trust.md): a roster cut short at its end by hand in SQLite, after \
            dropping its triggers, still verifies; nothing inside the database can tell"]
fn a_roster_cut_short_by_hand_in_sqlite_is_refused() {
    let (mut laptop, _office, theirs, _) = laptop_knowing_a_revocation();
    let len = laptop.store.roster().expect("r").expect("roster").len;
    {
        let conn = rusqlite::Connection::open(laptop.store.path()).expect("open");
        conn.execute_batch("DROP TRIGGER roster_entries_never_deleted")
            .expect("drop the trigger");
        conn.execute("DELETE FROM roster_entries WHERE seq = ?1", [len as i64])
            .expect("delete");
    }
    let before = full_dump(&laptop.store);
    if let Ok(report) = try_import(&mut laptop, &theirs, Trust::default()) {
        panic!("the stolen laptop's bundle was accepted: {report:?}");
    }
    assert_same(
        &full_dump(&laptop.store),
        &before,
        "the stolen laptop's bundle",
    );
    assert!(
        laptop.store.roster().is_err(),
        "a roster cut short by hand was read"
    );
}

/// A whole new chain signed by the attacker's own anchor, inserted by SQL (no trigger stands
/// in the way of an INSERT): the laptop must not quietly trust another office.
#[test]
fn a_second_roster_chain_inserted_by_hand_in_sqlite_is_refused() {
    let (office, _, laptop) = trusted_office();
    let trusted = office_fingerprint(&office);
    let anchor = Signer::stranger(38, "冒名办公室");
    let mut first = json!({
        "seq": 1,
        "prev": "",
        "office": Uuid::now_v7().to_string(),
        "made_at": writer::now(),
        "body": {"kind": "anchor", "public_key": anchor.public(), "office_name": OFFICE},
    });
    writer::sign_roster_line(&mut first, &anchor.key, &anchor.public());
    {
        let conn = rusqlite::Connection::open(laptop.store.path()).expect("open");
        conn.execute(
            "INSERT INTO roster_entries (chain, seq, entry, public_key, signature, received_at)
             VALUES (9, 1, ?1, ?2, ?3, ?4)",
            rusqlite::params![
                writer::roster_text(&first),
                anchor.public(),
                first["signature"]["signature"].as_str().expect("signature"),
                writer::now()
            ],
        )
        .expect("insert");
    }
    match laptop.store.roster() {
        Err(_) => {}
        Ok(roster) => assert_eq!(
            roster.map(|r| r.fingerprint()),
            Some(trusted),
            "the laptop now follows another office's roster"
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Convergence

/// An office with a hazard reported by the public (H0), its ledger sent to three enrolled
/// laptops, and what each then recorded offline: 李建山 a new inspection and 整改中 on H0,
/// 王五 a new inspection and a group study, 赵六 (a group leader) a new inspection and
/// 挂牌督办 of H0. Also 王五's later bundle in which he too took 整改中 on H0. Returns the
/// office's data dir (its store closed), the three bundles, the conflicting one and H0.
struct Offline {
    office: tempfile::TempDir,
    bundles: Vec<PathBuf>,
    conflicting: PathBuf,
    hazard: Uuid,
    _laptops: Vec<Site>,
}

fn offline() -> Offline {
    let mut office = roster_office();
    let mut laptops: Vec<Site> = ["李建山", "王五", "赵六"].into_iter().map(site).collect();
    enrol(&mut office, &mut laptops[0], &[Role::Inspector]);
    enrol(&mut office, &mut laptops[1], &[Role::Inspector]);
    enrol(
        &mut office,
        &mut laptops[2],
        &[Role::Inspector, Role::GroupLeader],
    );
    let ent = enterprise(&mut office.store, "方山县加油站", CODE);
    let hazard = office
        .store
        .record_hazard(Hazard {
            enterprise_id: ent,
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::PublicReport,
            description: "群众举报：储罐区违规动火".into(),
            location: "储罐区".into(),
            basis: String::new(),
            found_at: Utc::now(),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "王五".into(),
                measures: "停止动火，补办动火作业票".into(),
                funds: "1万元".into(),
                deadline: chrono::NaiveDate::from_ymd_opt(2030, 1, 15).expect("d"),
                emergency_plan: "配备灭火器材".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    let ledger_bundle = export(&mut office, "ledger.paicha", ledger());
    for laptop in &mut laptops {
        accepted(laptop, &ledger_bundle, trusting(&office));
        assert_eq!(stage(laptop, hazard), Stage::Registered);
    }
    inspection(&mut laptops[0].store, ent, "焊工无证上岗");
    step(&mut laptops[0].store, hazard, Step::Rectify { fixes: None });
    inspection(&mut laptops[1].store, ent, "灭火器过期");
    laptops[1]
        .store
        .record_activity(Activity {
            kind: ActivityKind::GroupStudy,
            level: ActivityLevel::County,
            group_code: None,
            held_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 2).expect("d"),
            title: "专题学习十五条硬措施".into(),
            amount_fen: None,
            count: None,
            anonymous: false,
            note: String::new(),
            corrects: None,
        })
        .expect("activity");
    inspection(&mut laptops[2].store, ent, "卸油区静电接地断开");
    step(
        &mut laptops[2].store,
        hazard,
        Step::ListForSupervision {
            tracking_person: "张局长".into(),
        },
    );
    let bundles: Vec<PathBuf> = laptops
        .iter_mut()
        .enumerate()
        .map(|(i, l)| export(l, &format!("laptop{i}.paicha"), all()))
        .collect();
    // 王五, not knowing of 李建山's step, also takes 整改中 on H0.
    step(&mut laptops[1].store, hazard, Step::Rectify { fixes: None });
    let conflicting = export(&mut laptops[1], "conflicting.paicha", all());
    let Site { dir, store } = office;
    drop(store);
    Offline {
        office: dir,
        bundles,
        conflicting,
        hazard,
        _laptops: laptops,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

impl Offline {
    /// A copy of the office as it was before any laptop's bundle came back.
    fn office(&self) -> Site {
        let dir = tempfile::tempdir().expect("dir");
        copy_dir(self.office.path(), dir.path());
        let store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
        Site { dir, store }
    }
}

#[test]
fn three_laptops_and_an_office_converge_in_every_order() {
    let o = offline();
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let mut first: Option<String> = None;
    for order in orders {
        let mut office = o.office();
        for i in order {
            accepted(&mut office, &o.bundles[i], Trust::default());
        }
        let (_, events, status) = office.store.hazard_status(o.hazard).expect("H0");
        assert_eq!(events.len(), 3, "{order:?}");
        assert_eq!(status.stage, Stage::Rectifying, "{order:?}");
        assert_eq!(
            status.tracking_person.as_deref(),
            Some("张局长"),
            "{order:?}"
        );
        assert_eq!(office.store.hazards().expect("hazards").len(), 4);
        let dump = records_dump(&office.store);
        match &first {
            None => first = Some(dump),
            Some(expected) => assert_same(&dump, expected, &format!("order {order:?}")),
        }
    }
}

/// Two laptops took the same step (整改中) on one hazard offline: whichever arrives second is
/// taken as a duplicate with no effect, so the office ends with the same records and the same
/// state in either order.
fn same_step_twice(o: &Offline, first: usize) -> String {
    let mut office = o.office();
    let (a, b) = if first == 0 {
        (&o.bundles[0], &o.conflicting)
    } else {
        (&o.conflicting, &o.bundles[0])
    };
    accepted(&mut office, a, Trust::default());
    accepted(&mut office, b, Trust::default());
    assert_eq!(stage(&office, o.hazard), Stage::Rectifying);
    records_dump(&office.store)
}

#[test]
fn the_same_step_from_two_laptops_converges_in_either_order() {
    let o = offline();
    assert_same(
        &same_step_twice(&o, 0),
        &same_step_twice(&o, 1),
        "either order",
    );
}
