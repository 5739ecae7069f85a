//! Bundle format 4: corrections of a finalized inspection's times and evidence travel with the
//! same checks the TUI and the CLI apply. Each forged bundle is built by an outside writer
//! (`bundle_forged/writer.rs`), signed with the laptop's own key so that only the rule under
//! test can refuse it, and must leave the office's database as it was; a control shows the
//! honest variant lands.

#[path = "bundle/support.rs"]
mod support;

#[path = "bundle_forged/writer.rs"]
mod writer;

use chrono::{DateTime, TimeDelta, Utc};
use paicha::bundle::{self, ImportLimits, Trust};
use paicha::domain::trust::{Body, Role};
use paicha::domain::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::*;
use uuid::Uuid;
use writer::{Bundle, Signer};

fn try_import(site: &mut Site, bundle: &Path) -> Result<(), String> {
    bundle::import_with_progress(
        &mut site.store,
        bundle,
        Trust::default(),
        false,
        None,
        ImportLimits::default(),
        &|_, _| {},
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

fn refused(site: &mut Site, bundle: &Path, phrases: &[&str]) {
    let before = full_dump(&site.store);
    let message = match try_import(site, bundle) {
        Ok(()) => panic!("accepted a forgery expected to fail with {phrases:?}"),
        Err(m) => m,
    };
    for p in phrases {
        assert!(message.contains(p), "“{p}” not in “{message}”");
    }
    assert_same(
        &before,
        &full_dump(&site.store),
        "the office after a refusal",
    );
}

struct World {
    office: Site,
    laptop: Site,
    me: Signer,
    /// The laptop's person in the office's roster.
    person: Uuid,
    inspection: Uuid,
    arrival: DateTime<Utc>,
    signed: DateTime<Utc>,
    evidence: Record<EvidenceRecord>,
}

/// An office with a roster where the laptop's 李建山 is an inspector; one inspection of his
/// (arrived an hour ago, with a drill record) finalized and already at the office.
fn world() -> World {
    let mut office = site("张科长");
    paicha::demo::one_person_office(&mut office.store, "方山县应急管理局", "王县长")
        .expect("office");
    let mut laptop = site("李建山");
    let me_id = laptop.store.author_id().expect("author");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let arrival = Utc::now() - TimeDelta::hours(1);
    let draft = Inspection::draft(
        ent,
        InspectionMode::Unannounced,
        vec![me_id],
        arrival,
        vec![],
        vec![],
    );
    let inspection = laptop.store.create_inspection(draft).expect("draft").id();
    let evidence = laptop
        .store
        .save_evidence(
            None,
            EvidenceRecord {
                inspection_id: inspection,
                kind: EvidenceKind::DrillRecord,
                form_version: 2,
                values: BTreeMap::from([
                    ("name".into(), FieldValue::Text("火灾疏散演练".into())),
                    ("plan_type".into(), FieldValue::Text("现场处置方案".into())),
                    ("held_on".into(), FieldValue::Text("2023-06-16".into())),
                    ("staff_know_exits".into(), FieldValue::Bool(true)),
                ]),
            },
        )
        .expect("evidence");
    let signed = laptop
        .store
        .finalize_inspection(inspection)
        .expect("finalize")
        .data
        .finalized_at
        .expect("signed");
    let first = export(&mut laptop, "first.paicha", all());
    let key = own_key(&mut laptop);
    let person = paicha::storage::new_person_id();
    office
        .store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: "李建山".into(),
                cert_no: laptop.store.profile().expect("p").expect("p").data.cert_no,
                group_code: None,
                roles: vec![Role::Inspector],
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: me_id,
                public_key: paicha::identity::keys::public_hex(&key),
            },
        ])
        .expect("enrolled");
    try_import(&mut office, &first).expect("the honest bundle lands");
    World {
        office,
        me: Signer {
            id: me_id,
            name: "李建山".into(),
            key,
            replica: laptop.store.replica_id(),
        },
        laptop,
        person,
        inspection,
        arrival,
        signed,
        evidence,
    }
}

impl World {
    fn path(&self, name: &str) -> PathBuf {
        self.laptop.dir.path().join(name)
    }

    /// A bundle of one signed line of `kind` with the members `members` sets.
    fn line(&self, name: &str, kind: &str, members: Value) -> PathBuf {
        let now = writer::now();
        let mut line = json!({
            "id": Uuid::now_v7().to_string(),
            "created_at": now,
            "updated_at": now,
            "author_id": self.me.id.to_string(),
            "replica_id": self.me.replica.to_string(),
        });
        for (k, v) in members.as_object().expect("members") {
            line[k] = v.clone();
        }
        writer::sign_record(&mut line, &self.me.key);
        let mut b = Bundle::empty();
        b.push(kind, line);
        let to = self.path(name);
        b.write(&to, &self.me);
        to
    }

    fn times(
        &self,
        name: &str,
        arrived: Option<DateTime<Utc>>,
        departed: DateTime<Utc>,
    ) -> PathBuf {
        self.line(
            name,
            "time_corrections",
            json!({
                "inspection_id": self.inspection.to_string(),
                "arrived_at": arrived.map(writer::time),
                "departed_at": writer::time(departed),
                "reason": "按执法记录仪",
            }),
        )
    }

    fn evidence_values(&self, name: &str, values: Value) -> PathBuf {
        self.line(
            name,
            "evidence_corrections",
            json!({
                "evidence_id": self.evidence.id().to_string(),
                "form_version": 2,
                "field_values": values.to_string(),
                "reason": "抄错了",
            }),
        )
    }
}

#[test]
fn a_time_correction_putting_the_departure_after_the_signing_is_refused() {
    let mut w = world();
    let late = w.times("late.paicha", None, w.signed + TimeDelta::minutes(10));
    refused(
        &mut w.office,
        &late,
        &["records/time_corrections.jsonl 第1行", "晚于定稿签名时间"],
    );
    let crossed = w.times("crossed.paicha", Some(w.signed), w.arrival);
    refused(&mut w.office, &crossed, &["早于到达时间"]);
    // Control: within the visit, it lands and is in force at the office.
    let good = w.times(
        "good.paicha",
        Some(w.arrival - TimeDelta::minutes(5)),
        w.signed - TimeDelta::minutes(1),
    );
    try_import(&mut w.office, &good).expect("a correction within the visit");
    let visit = w.office.store.visit_times(w.inspection).expect("times");
    assert!(visit.corrected);
    assert_eq!(visit.departure, Some(w.signed - TimeDelta::minutes(1)));
}

#[test]
fn a_correction_by_an_author_without_a_role_is_refused() {
    let mut w = world();
    // The office withdraws every role of 李建山; what he records afterwards is refused.
    let cert_no = w
        .laptop
        .store
        .profile()
        .expect("p")
        .expect("p")
        .data
        .cert_no;
    w.office
        .store
        .roster_append(vec![Body::Person {
            person_id: w.person,
            name: "李建山".into(),
            cert_no,
            group_code: None,
            roles: vec![],
            active: true,
        }])
        .expect("roles withdrawn");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let times = w.times("times.paicha", None, w.signed - TimeDelta::minutes(1));
    refused(&mut w.office, &times, &["李建山", "没有任何角色"]);
    let mut values = w.evidence.data.values.clone();
    values.insert("name".into(), FieldValue::Text("消防演练".into()));
    let evidence = w.evidence_values("evidence.paicha", json!(values));
    refused(&mut w.office, &evidence, &["没有任何角色"]);
}

#[test]
fn an_evidence_correction_with_a_value_the_form_refuses_is_refused() {
    let mut w = world();
    let mut bad = w.evidence.data.values.clone();
    bad.insert("plan_type".into(), FieldValue::Text("随便演练".into()));
    let enum_value = w.evidence_values("enum.paicha", json!(bad));
    refused(
        &mut w.office,
        &enum_value,
        &[
            "records/evidence_corrections.jsonl 第1行",
            "所演练的预案应为以下之一",
        ],
    );
    let mut missing = w.evidence.data.values.clone();
    missing.remove("name");
    let missing = w.evidence_values("missing.paicha", json!(missing));
    refused(&mut w.office, &missing, &["演练名称不能为空"]);
    let mut unknown = w.evidence.data.values.clone();
    unknown.insert("bribe".into(), FieldValue::Text("1".into()));
    let unknown = w.evidence_values("unknown.paicha", json!(unknown));
    refused(&mut w.office, &unknown, &["没有字段 bribe"]);
    // Control: the name corrected, everything else as it was.
    let mut good = w.evidence.data.values.clone();
    good.insert("name".into(), FieldValue::Text("消防演练".into()));
    let good = w.evidence_values("good.paicha", json!(good));
    try_import(&mut w.office, &good).expect("a valid correction");
    let list = w
        .office
        .store
        .evidence_corrections_for(w.inspection)
        .expect("list");
    assert_eq!(list.len(), 1);
}

#[test]
fn corrections_made_on_the_laptop_travel_and_an_older_format_cannot_carry_them() {
    let mut w = world();
    w.laptop
        .store
        .correct_times(
            w.inspection,
            Some(w.arrival - TimeDelta::minutes(5)),
            Some(w.signed - TimeDelta::minutes(2)),
            "按执法记录仪",
        )
        .expect("times");
    let mut values = w.evidence.data.values.clone();
    values.insert("held_on".into(), FieldValue::Text("2023-06-18".into()));
    w.laptop
        .store
        .correct_evidence(w.evidence.id(), values, "日期抄错")
        .expect("evidence");
    let since = Some(w.signed + TimeDelta::milliseconds(1));
    let next = export(
        &mut w.laptop,
        "next.paicha",
        paicha::bundle::ExportOptions {
            since,
            ..Default::default()
        },
    );
    // A bundle claiming format 3 cannot carry the kinds of format 4.
    let key = own_key(&mut w.laptop);
    let old = w.path("old.paicha");
    forge(
        &next,
        &old,
        |_| {},
        Some(&key),
        |m| m["format_version"] = json!(3),
    );
    refused(&mut w.office, &old, &["格式版本 3", "到达/离开时间更正"]);
    try_import(&mut w.office, &next).expect("the corrections land");
    let office = &w.office.store;
    assert_eq!(
        office.time_corrections(w.inspection).expect("times").len(),
        1
    );
    assert_eq!(
        office
            .evidence_corrections_for(w.inspection)
            .expect("ev")
            .len(),
        1
    );
    // Again: nothing new.
    try_import(&mut w.office, &next).expect("idempotent");
}

/// An addendum is checked where it is written, by the rule the office applies on import: a
/// profile whose roles were withdrawn is told at once.
#[test]
fn an_addendum_by_a_profile_without_a_role_is_refused_where_it_is_written() {
    let mut w = world();
    let me = w.office.store.author_id().expect("author");
    let person = w
        .office
        .store
        .enrolled_person(me)
        .expect("read")
        .expect("enrolled");
    assert!(
        w.office
            .store
            .add_addendum(w.inspection, "企业负责人补交演练记录")
            .is_ok()
    );
    w.office
        .store
        .roster_append(vec![Body::Person {
            person_id: person.id,
            name: person.name.clone(),
            cert_no: person.cert_no.clone(),
            group_code: None,
            roles: vec![],
            active: true,
        }])
        .expect("roles withdrawn");
    let err = w
        .office
        .store
        .add_addendum(w.inspection, "再补一条")
        .expect_err("refused");
    assert!(err.to_string().contains("没有任何角色"), "{err}");
}
