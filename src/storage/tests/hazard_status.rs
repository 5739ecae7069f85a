//! The hazard_status projection follows every write path and equals a fold of the events.

use super::*;
use crate::domain::lifecycle::{Stage, Step};

fn major(store: &mut Store, enterprise_id: Uuid, what: &str) -> Uuid {
    store
        .record_hazard(Hazard {
            enterprise_id,
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::PublicReport,
            description: what.into(),
            location: String::new(),
            basis: String::new(),
            found_at: t("2023-08-01T01:00:00Z"),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: true,
            assigning_document: None,
        })
        .expect("hazard")
        .id()
}

fn summary(store: &Store, id: Uuid) -> HazardSummary {
    store
        .hazard_summaries()
        .expect("summaries")
        .into_iter()
        .find(|s| s.id == id)
        .expect("projected")
}

fn fresh(store: &Store) {
    assert_eq!(
        store.stale_hazard_status().expect("check"),
        Vec::<Uuid>::new(),
        "projection equals the fold"
    );
}

#[test]
fn every_step_correction_listing_and_number_is_projected_in_the_same_write() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ent = store
        .add_enterprise(enterprise("方山县加油站", "91350100M000100Y43"))
        .expect("enterprise");
    let id = major(&mut store, ent.id(), "储罐区紧急切断装置失效");
    let other = major(&mut store, ent.id(), "液化气钢瓶超期未检");
    fresh(&store);
    let s = summary(&store, id);
    assert_eq!(
        (s.stage, s.grade, s.source, s.deadline, s.listed()),
        (
            Stage::Registered,
            HazardGrade::Major,
            HazardSource::PublicReport,
            None,
            false
        )
    );

    let when = t("2023-08-02T01:00:00Z");
    let deadline = chrono::NaiveDate::from_ymd_opt(2023, 8, 20).expect("d");
    let steps = [
        Step::Transfer {
            to_unit: "能源股".into(),
        },
        Step::Rectify {
            fixes: Some(FiveFixes {
                responsible_person: "王五".into(),
                measures: "更换阀门".into(),
                funds: "2万元".into(),
                deadline,
                emergency_plan: "停止卸油".into(),
            }),
        },
        Step::ListForSupervision {
            tracking_person: "张局长".into(),
        },
        Step::Correct {
            field: "description".into(),
            value: "储罐区紧急切断阀失效".into(),
        },
        Step::Correct {
            field: "deadline".into(),
            value: "2023-08-25".into(),
        },
    ];
    for step in steps {
        store.apply_step(id, step, when, "").expect("step");
        fresh(&store);
    }
    let s = summary(&store, id);
    assert_eq!(s.stage, Stage::Rectifying);
    assert_eq!(s.description, "储罐区紧急切断阀失效");
    assert_eq!(s.deadline, chrono::NaiveDate::from_ymd_opt(2023, 8, 25));
    assert_eq!(s.tracking_person.as_deref(), Some("张局长"));
    let today = chrono::NaiveDate::from_ymd_opt(2023, 8, 26).expect("d");
    assert!(s.overdue(today));
    assert_eq!(store.major_hazard_counts(today).expect("counts"), (2, 1));

    store
        .apply_step(
            other,
            Step::Correct {
                field: "grade".into(),
                value: "general".into(),
            },
            when,
            "复核为一般隐患",
        )
        .expect("grade");
    assert_eq!(summary(&store, other).grade, HazardGrade::General);
    assert_eq!(store.major_hazard_counts(today).expect("counts"), (1, 1));

    let given = store
        .number_hazards("方山-2023-08-", |_| vec![id])
        .expect("number");
    assert_eq!(given, vec!["方山-2023-08-001".to_string()]);
    assert_eq!(
        summary(&store, id).number.as_deref(),
        Some("方山-2023-08-001")
    );
    fresh(&store);

    // A day stored as text must sort as a day: a five-digit year is refused at the guard.
    store
        .apply_step(
            id,
            Step::Correct {
                field: "deadline".into(),
                value: "+10000-01-01".into(),
            },
            when,
            "",
        )
        .expect_err("not a YYYY-MM-DD day");

    // A refused step writes nothing, the projection included.
    let before = store.hazard_summaries().expect("summaries");
    let refused = store.apply_step(
        id,
        Step::CloseOut {
            signer: "张局长".into(),
            signed_at: when,
            signer_id: None,
        },
        when,
        "",
    );
    assert!(refused.is_err());
    assert_eq!(store.hazard_summaries().expect("summaries"), before);
}

#[test]
fn a_rebuild_from_the_events_gives_the_same_table() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ent = store
        .add_enterprise(enterprise("方山县加油站", "91350100M000100Y43"))
        .expect("enterprise");
    let id = major(&mut store, ent.id(), "储罐区紧急切断装置失效");
    major(&mut store, ent.id(), "液化气钢瓶超期未检");
    let when = t("2023-08-02T01:00:00Z");
    store
        .apply_step(id, Step::ReportRectified, when, "")
        .expect_err("no deadline, not rectifying: refused");
    store
        .apply_step(
            id,
            Step::Transfer {
                to_unit: "能源股".into(),
            },
            when,
            "",
        )
        .expect("transfer");
    let incremental = store.hazard_summaries().expect("summaries");
    store
        .conn
        .execute("DELETE FROM hazard_status", [])
        .expect("wipe the projection");
    assert_eq!(store.stale_hazard_status().expect("check").len(), 2);
    store.rebuild_hazard_status().expect("rebuild");
    assert_eq!(store.hazard_summaries().expect("summaries"), incremental);
    fresh(&store);

    // A build whose fold differs (another projection version) finds the table rebuilt on open.
    store
        .conn
        .execute_batch(
            "DELETE FROM hazard_status;
             UPDATE meta SET value = 'older' WHERE key = 'hazard_status_version';",
        )
        .expect("an older projection");
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.hazard_summaries().expect("summaries"), incremental);
    fresh(&store);
}
