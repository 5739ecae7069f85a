//! Issue 14: the acts documents rest on — the end of a visit, the issue of a document and the
//! decision it makes, what follows a failed verification — checked on import as the TUI and
//! the CLI check them. Each forged bundle is built by an outside writer
//! (`bundle_forged/writer.rs`), signed with the laptop's own key so that only the rule under
//! test can refuse it, and must leave the office's database as it was; a control shows the
//! honest variant lands.

#[path = "bundle/support.rs"]
mod support;

#[path = "bundle_forged/writer.rs"]
mod writer;

use chrono::{TimeDelta, Utc};
use paicha::bundle::{self, ImportLimits, Trust};
use paicha::domain::lifecycle::Step;
use paicha::domain::time;
use serde_json::{Value, json};
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
    template: Bundle,
    inspection: String,
    hazard: Uuid,
}

fn world() -> World {
    let mut office = site("办公室内勤");
    let mut laptop = site("李建山");
    let ent = enterprise(&mut laptop.store, "方山县加油站", "91350100M000100Y43");
    let (inspection, hazard) = inspection(&mut laptop.store, ent, "焊工无证上岗");
    let first = export(&mut laptop, "first.paicha", all());
    try_import(&mut office, &first).expect("the honest bundle lands");
    let id = laptop.store.author_id().expect("author");
    let me = Signer {
        id,
        name: "李建山".into(),
        key: own_key(&mut laptop),
        replica: laptop.store.replica_id(),
    };
    World {
        office,
        template: Bundle::unzip(&first),
        laptop,
        me,
        inspection: inspection.to_string(),
        hazard,
    }
}

impl World {
    fn path(&self, name: &str) -> PathBuf {
        self.laptop.dir.path().join(name)
    }

    /// A new inspection like the template's, finalized now, arriving an hour ago, leaving
    /// at `departed` (None: no departure recorded), signed by the laptop's key.
    fn inspection_leaving(&self, name: &str, departed: Option<chrono::DateTime<Utc>>) -> PathBuf {
        let mut line = self.template.first("inspections");
        let now = writer::now();
        let id = Uuid::now_v7().to_string();
        line["id"] = json!(id);
        line["created_at"] = json!(now);
        line["updated_at"] = json!(now);
        line["finalized_at"] = json!(now);
        line["arrival_at"] = json!(writer::time(Utc::now() - TimeDelta::hours(1)));
        if let Some(t) = departed {
            line["departed_at"] = json!(writer::time(t));
        }
        line["signatures"] = json!([]);
        let mut b = Bundle::empty();
        b.push("inspections", line);
        b.sign_inspection(&id, self.me.id, &self.me.key);
        let to = self.path(name);
        b.write(&to, &self.me);
        to
    }

    /// A document line of `kind` about the template's inspection, numbered `seq`, with the
    /// members `edit` sets, signed by the laptop's key.
    fn document(&self, name: &str, kind: &str, seq: u32, edit: impl Fn(&mut Value)) -> PathBuf {
        let now = writer::now();
        let year = chrono::Datelike::year(&time::local(Utc::now()));
        let mut line = json!({
            "id": Uuid::now_v7().to_string(),
            "created_at": now,
            "updated_at": now,
            "author_id": self.me.id.to_string(),
            "replica_id": self.me.replica.to_string(),
            "kind": kind,
            "subject_id": self.inspection,
            "year": year,
            "series": "",
            "seq": seq,
            "number": format!("伪造〔{year}〕{seq}号"),
        });
        edit(&mut line);
        writer::sign_record(&mut line, &self.me.key);
        let mut b = Bundle::empty();
        b.push("documents", line);
        let to = self.path(name);
        b.write(&to, &self.me);
        to
    }
}

#[test]
fn a_departure_before_the_arrival_or_after_the_signing_is_refused() {
    let mut w = world();
    let early = w.inspection_leaving("early.paicha", Some(Utc::now() - TimeDelta::hours(2)));
    refused(
        &mut w.office,
        &early,
        &["records/inspections.jsonl", "离开现场时间", "早于到达时间"],
    );
    let late = w.inspection_leaving("late.paicha", Some(Utc::now() + TimeDelta::minutes(30)));
    refused(&mut w.office, &late, &["离开现场时间", "晚于定稿时间"]);
    // Controls: a departure within the visit, and none at all (an older laptop), land.
    let good = w.inspection_leaving("good.paicha", Some(Utc::now() - TimeDelta::minutes(5)));
    try_import(&mut w.office, &good).expect("a departure within the visit");
    let old = w.inspection_leaving("old.paicha", None);
    try_import(&mut w.office, &old).expect("no departure: a laptop before version 3");
}

#[test]
fn a_document_issued_after_it_was_recorded_or_numbered_in_another_year_is_refused() {
    let mut w = world();
    let future = w.document("future.paicha", "rectification_order", 1, |l| {
        l["issued_at"] = json!(writer::time(Utc::now() + TimeDelta::days(1)));
    });
    refused(
        &mut w.office,
        &future,
        &["records/documents.jsonl 第1行", "出具时间不能是将来"],
    );
    let backdated = w.document("year.paicha", "rectification_order", 1, |l| {
        l["issued_at"] = json!("2023-09-05T03:00:00.000000000Z");
    });
    refused(&mut w.office, &backdated, &["年份", "出具时间"]);
    let null = w.document("null.paicha", "rectification_order", 1, |l| {
        l["issued_at"] = json!("2023-09-05T03:00:00.000000000Z");
        l["year"] = json!(2023);
        l["content"] = json!({"deadline": "2023-10-01"}).to_string().into();
    });
    try_import(&mut w.office, &null).expect("issued on site in 2023, numbered in 2023");
}

#[test]
fn a_measures_decision_must_carry_its_decision_and_only_decisions_carry_one() {
    let mut w = world();
    let bare = w.document("bare.paicha", "onsite_measures", 1, |_| {});
    refused(&mut w.office, &bare, &["现场处理措施决定书缺少决定内容"]);
    let decision = |measures: Value, scope: &str| {
        json!({
            "danger": "储罐区动火",
            "hazard_ids": [],
            "measures": measures,
            "scope": scope,
            "lifting": "隐患排除后经审查同意方可恢复",
        })
        .to_string()
    };
    let empty = w.document("empty.paicha", "onsite_measures", 1, |l| {
        l["content"] = json!(decision(json!([]), "储罐区"));
    });
    refused(&mut w.office, &empty, &["请至少选择一项措施"]);
    let unknown = w.document("unknown.paicha", "onsite_measures", 1, |l| {
        l["content"] = json!(decision(json!(["evacuate_town"]), "储罐区"));
    });
    refused(&mut w.office, &unknown, &["content", "不符合格式"]);
    let smuggled = w.document("smuggled.paicha", "onsite_record", 1, |l| {
        l["content"] = json!(decision(json!(["withdraw"]), "储罐区"));
    });
    refused(
        &mut w.office,
        &smuggled,
        &["只有现场处理措施决定书、责令限期整改指令书和事故隐患移交书带有决定内容"],
    );
    let good = w.document("good.paicha", "onsite_measures", 1, |l| {
        l["content"] = json!(decision(json!(["withdraw", "stop_use"]), "储罐区"));
    });
    try_import(&mut w.office, &good).expect("a whole decision");
}

#[test]
fn a_passed_verification_with_a_new_deadline_or_a_case_is_refused() {
    let mut w = world();
    for s in [Step::Rectify { fixes: None }, Step::ReportRectified] {
        step(&mut w.laptop.store, w.hazard, s);
    }
    let steps = export(&mut w.laptop, "steps.paicha", all());
    try_import(&mut w.office, &steps).expect("the steps land");
    for (name, payload) in [
        (
            "deadline.paicha",
            json!({"step": "verify", "passed": true, "by": "李建山", "new_deadline": "2099-01-01"}),
        ),
        (
            "case.paicha",
            json!({"step": "verify", "passed": true, "by": "李建山", "case_opened": true}),
        ),
        (
            "both.paicha",
            json!({"step": "verify", "passed": false, "by": "李建山",
                   "new_deadline": "2099-01-01", "case_opened": true}),
        ),
    ] {
        let mut b = Bundle::empty();
        b.push(
            "hazard_events",
            writer::event_now(&w.me, w.hazard, "verified", payload),
        );
        let to = w.path(name);
        b.write(&to, &w.me);
        refused(
            &mut w.office,
            &to,
            &["records/hazard_events.jsonl 第1行", "验收"],
        );
    }
    let mut b = Bundle::empty();
    b.push(
        "hazard_events",
        writer::event_now(
            &w.me,
            w.hazard,
            "verified",
            json!({"step": "verify", "passed": false, "by": "李建山", "new_deadline": "2099-01-01"}),
        ),
    );
    let to = w.path("good.paicha");
    b.write(&to, &w.me);
    try_import(&mut w.office, &to).expect("a failed verification with a new deadline");
    let (_, _, status) = w.office.store.hazard_status(w.hazard).expect("status");
    assert_eq!(
        status.deadline.map(|d| d.to_string()).as_deref(),
        Some("2099-01-01")
    );
}
