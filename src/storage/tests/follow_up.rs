//! 复查: finalizing an inspection records its follow-up answers as 验收 events, guarded,
//! in the same transaction.

use super::*;
use crate::domain::follow_up as fu;
use crate::domain::lifecycle::{Stage, Step};

fn hazard(store: &mut Store, enterprise_id: Uuid, what: &str, immediate: bool) -> Uuid {
    store
        .record_hazard(Hazard {
            enterprise_id,
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::General,
            source: HazardSource::SelfCheck,
            description: what.into(),
            location: String::new(),
            basis: "GB 30871-2022".into(),
            found_at: t("2023-08-01T01:00:00Z"),
            rectify_immediately: immediate,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id()
}

#[test]
fn finalizing_a_follow_up_records_each_verdict_through_the_guard() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ent = store
        .add_enterprise(enterprise("方山县加油站", "91350100M000100Y43"))
        .expect("enterprise");
    let reported = hazard(&mut store, ent.id(), "卸油口无静电接地", true);
    let when = t("2023-08-10T01:00:00Z");
    store
        .apply_step(reported, Step::ReportRectified, when, "")
        .expect("reported");
    let not_reported = hazard(&mut store, ent.id(), "灭火器过期", false);
    let skipped = hazard(&mut store, ent.id(), "应急照明损坏", true);

    let open_hazards = store.open_hazards_of(ent.id()).expect("open");
    let items = fu::items(&open_hazards);
    assert_eq!(items.len(), 3);
    let me = store.author_id().expect("author");
    let mut inspection = Inspection::draft(
        ent.id(),
        InspectionMode::FollowUp,
        vec![me],
        t("2023-08-15T01:00:00Z"),
        vec![],
        items,
    );
    inspection.follow_up_of = Some(reported);
    let ins = store.create_inspection(inspection).expect("draft");
    let answer = |store: &mut Store, id: Uuid, r: AnswerResult, note: &str| {
        store
            .set_answer(ins.id(), &fu::code(id), r, note)
            .expect("answer");
    };
    answer(
        &mut store,
        reported,
        AnswerResult::Compliant,
        "接地线已恢复",
    );
    answer(&mut store, not_reported, AnswerResult::NonCompliant, "");
    answer(&mut store, skipped, AnswerResult::NotApplicable, "");
    // Answers alone are a draft's working copy: nothing is recorded on the hazards yet.
    assert_eq!(store.hazard_events(reported).expect("events").len(), 2);

    let (frozen, outcomes) = store
        .finalize_with_follow_ups(ins.id(), None)
        .expect("final");
    assert_eq!(frozen.data.status, InspectionStatus::Finalized);
    assert_eq!(frozen.data.follow_up_of, Some(reported));
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert!(outcomes[0].contains("验收通过"), "{outcomes:?}");
    assert!(outcomes[1].contains("未记验收"), "{outcomes:?}");

    let (_, events, status) = store.hazard_status(reported).expect("status");
    assert_eq!(status.stage, Stage::Verified);
    let last = &events.last().expect("event").data;
    assert_eq!(last.kind, HazardEventKind::Verified);
    assert_eq!(last.note, "2023-08-15 复查：接地线已恢复");
    assert_eq!(
        last.occurred_at,
        t("2023-08-15T01:00:00Z"),
        "dated at the visit"
    );
    assert_eq!(events.last().expect("event").meta.author_id, me);

    let (_, events, status) = store.hazard_status(not_reported).expect("status");
    assert_eq!(status.stage, Stage::Registered, "refused: nothing written");
    assert_eq!(events.len(), 1);
    assert_eq!(store.hazard_events(skipped).expect("events").len(), 1);
    assert!(store.stale_hazard_status().expect("check").is_empty());
}

#[test]
fn a_failed_follow_up_sends_the_hazard_back_to_rectifying_and_a_discard_records_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ent = store
        .add_enterprise(enterprise("方山县加油站", "91350100M000100Y43"))
        .expect("enterprise");
    let id = hazard(&mut store, ent.id(), "卸油口无静电接地", true);
    store
        .apply_step(id, Step::ReportRectified, t("2023-08-10T01:00:00Z"), "")
        .expect("reported");
    let me = store.author_id().expect("author");
    let start = |store: &mut Store| {
        let items = fu::items(&store.open_hazards_of(ent.id()).expect("open"));
        store
            .create_inspection(Inspection::draft(
                ent.id(),
                InspectionMode::FollowUp,
                vec![me],
                t("2023-08-15T01:00:00Z"),
                vec![],
                items,
            ))
            .expect("draft")
    };
    let thrown_away = start(&mut store);
    store
        .set_answer(thrown_away.id(), &fu::code(id), AnswerResult::Compliant, "")
        .expect("answer");
    store.discard_draft(thrown_away.id()).expect("discard");
    assert_eq!(store.hazard_events(id).expect("events").len(), 2);

    let ins = start(&mut store);
    store
        .set_answer(
            ins.id(),
            &fu::code(id),
            AnswerResult::NonCompliant,
            "仍未接地",
        )
        .expect("answer");
    let (_, outcomes) = store
        .finalize_with_follow_ups(ins.id(), None)
        .expect("final");
    assert_eq!(outcomes.len(), 1);
    assert!(outcomes[0].contains("验收未通过"), "{outcomes:?}");
    let (_, _, status) = store.hazard_status(id).expect("status");
    assert_eq!(status.stage, Stage::Rectifying);
}

#[test]
fn home_counts_follow_the_lifecycle_a_failed_verification_is_overdue_again() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ent = store
        .add_enterprise(enterprise("方山县加油站", "91350100M000100Y43"))
        .expect("enterprise");
    let major = store
        .record_hazard(Hazard {
            enterprise_id: ent.id(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "储罐区紧急切断装置失效".into(),
            location: String::new(),
            basis: String::new(),
            found_at: t("2023-08-01T01:00:00Z"),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "王五".into(),
                measures: "更换阀门".into(),
                funds: "2万元".into(),
                deadline: chrono::NaiveDate::from_ymd_opt(2023, 8, 10).expect("d"),
                emergency_plan: "停止卸油".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    hazard(&mut store, ent.id(), "灭火器过期", false); // general: never counted
    let today = chrono::NaiveDate::from_ymd_opt(2023, 8, 15).expect("d");
    let on_deadline = chrono::NaiveDate::from_ymd_opt(2023, 8, 10).expect("d");
    assert_eq!(
        store.major_hazard_counts(on_deadline).expect("counts"),
        (1, 0)
    );
    assert_eq!(store.major_hazard_counts(today).expect("counts"), (1, 1));
    let when = t("2023-08-14T01:00:00Z");
    store
        .apply_step(major, Step::Rectify { fixes: None }, when, "")
        .expect("rectify");
    store
        .apply_step(major, Step::ReportRectified, when, "")
        .expect("reported");
    assert_eq!(store.major_hazard_counts(today).expect("counts"), (1, 0));
    let failed = Step::Verify {
        passed: false,
        by: "李建山".into(),
        new_deadline: None,
        case_opened: false,
    };
    store.apply_step(major, failed, when, "").expect("verify");
    assert_eq!(
        store.major_hazard_counts(today).expect("counts"),
        (1, 1),
        "back in 整改中 past its deadline"
    );
}
