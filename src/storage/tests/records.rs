//! Every record kind round-trips; what is evidence cannot be changed or deleted.

use super::*;
use crate::domain::*;
use crate::storage::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[test]
fn every_record_kind_reads_back_equal_after_reopening() {
    let dir = tempfile::tempdir().expect("dir");
    let (ins, answer, hazard, event, evidence, exam, action, activity, colleague) = {
        let mut store = open(dir.path());
        store
            .set_profile(Inspector {
                name: "李建山".into(),
                cert_no: "14010001".into(),
                group_code: Some("energy".into()),
            })
            .expect("profile");
        let colleague = store
            .add_inspector(Inspector {
                name: "高峰翔".into(),
                cert_no: "14010002".into(),
                group_code: None,
            })
            .expect("colleague");
        let ins = draft(&mut store);
        let answer = store
            .set_answer(ins.id(), "E12", AnswerResult::NonCompliant, "两名焊工无证")
            .expect("answer");
        let hazard = store
            .record_hazard(Hazard {
                enterprise_id: ins.data.enterprise_id,
                inspection_id: Some(ins.id()),
                item_code: Some("E12".into()),
                grade: HazardGrade::Major,
                source: HazardSource::Inspection,
                description: "焊工无特种作业操作证上岗".into(),
                location: "维修车间".into(),
                basis: "工贸10号令 第3条(二)".into(),
                found_at: t("2023-08-15T01:20:00Z"),
                rectify_immediately: false,
                fixes: Some(FiveFixes {
                    responsible_person: "王五".into(),
                    measures: "停止作业，送培取证".into(),
                    funds: "0.5万元".into(),
                    deadline: NaiveDate::from_ymd_opt(2023, 9, 15).expect("date"),
                    emergency_plan: "动火作业暂停".into(),
                }),
                supervision: Some(Supervision {
                    tracking_person: "杨红平".into(),
                }),
                anonymous_report: false,
                assigning_document: None,
            })
            .expect("hazard");
        let event = store
            .append_hazard_event(HazardEvent {
                hazard_id: hazard.id(),
                kind: HazardEventKind::Transferred,
                occurred_at: t("2023-08-16T02:00:00Z"),
                payload: serde_json::json!({"to": "能源股"}),
                note: "移交能源股".into(),
            })
            .expect("event");
        let mut values = BTreeMap::new();
        values.insert("holder_name".to_string(), FieldValue::Text("赵六".into()));
        values.insert(
            "valid_until".to_string(),
            FieldValue::Text("2022-05-01".into()),
        );
        values.insert("verified".to_string(), FieldValue::Bool(false));
        let evidence = store
            .save_evidence(
                None,
                EvidenceRecord {
                    inspection_id: ins.id(),
                    kind: EvidenceKind::SpecialOperationCertificate,
                    form_version: 1,
                    values,
                },
            )
            .expect("evidence");
        let exam = store
            .record_exam(ExamRecord {
                inspection_id: ins.id(),
                examinee_name: "王五".into(),
                examinee_role: "主要负责人".into(),
                questions: vec![ExamQuestion {
                    question_id: "fuel-01".into(),
                    question: "无证上岗是否属于重大事故隐患？".into(),
                    outcome: ExamOutcome::Correct,
                    note: String::new(),
                }],
            })
            .expect("exam");
        let action = store
            .record_enforcement(EnforcementAction {
                kind: EnforcementKind::Penalty,
                enterprise_id: Some(ins.data.enterprise_id),
                inspection_id: Some(ins.id()),
                hazard_id: Some(hazard.id()),
                decided_on: NaiveDate::from_ymd_opt(2023, 8, 20).expect("date"),
                document_no: "方发改罚〔2023〕3号".into(),
                amount_fen: Some(3_000_000),
                persons: None,
                dangerous_operation_crime: false,
                note: String::new(),
                corrects: None,
            })
            .expect("action");
        let activity = store
            .record_activity(Activity {
                kind: ActivityKind::GroupStudy,
                level: ActivityLevel::Department,
                group_code: Some("energy".into()),
                held_on: NaiveDate::from_ymd_opt(2023, 6, 2).expect("date"),
                title: "学习十五条硬措施".into(),
                amount_fen: None,
                count: None,
                anonymous: false,
                note: String::new(),
                corrects: None,
            })
            .expect("activity");
        let ins = store.inspection(ins.id()).expect("reload inspection");
        (
            ins, answer, hazard, event, evidence, exam, action, activity, colleague,
        )
    };

    let store = open(dir.path());
    assert_eq!(store.inspection(ins.id()).expect("inspection"), ins);
    assert_eq!(store.answers(ins.id()).expect("answers"), vec![answer]);
    assert_eq!(store.hazard(hazard.id()).expect("hazard"), hazard);
    let events = store.hazard_events(hazard.id()).expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data.kind, HazardEventKind::Registered);
    assert_eq!(events[1], event);
    assert_eq!(
        store.evidence_for(ins.id()).expect("evidence"),
        vec![evidence]
    );
    assert_eq!(store.exams_for(ins.id()).expect("exams"), vec![exam]);
    assert_eq!(store.enforcement_actions().expect("actions"), vec![action]);
    assert_eq!(store.activities().expect("activities"), vec![activity]);
    assert_eq!(
        store.inspector(colleague.id()).expect("colleague"),
        colleague
    );
    let profile = store.profile().expect("profile").expect("set");
    assert_eq!(profile.data.name, "李建山");
    // Every record says who made it and where.
    assert_eq!(hazard.meta.author_id, profile.id());
    assert_eq!(hazard.meta.replica_id, store.replica_id());
    assert_eq!(ins.meta.id.get_version_num(), 7, "ids are UUIDv7");
}

#[test]
fn hazards_and_their_events_cannot_be_updated_or_deleted_even_in_sql() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ins = draft(&mut store);
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: ins.data.enterprise_id,
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::General,
            source: HazardSource::PublicReport,
            description: "消防通道堵塞".into(),
            location: String::new(),
            basis: String::new(),
            found_at: t("2023-08-15T01:20:00Z"),
            rectify_immediately: true,
            fixes: None,
            supervision: None,
            anonymous_report: true,
            assigning_document: None,
        })
        .expect("hazard");
    let id = hazard.id();
    for sql in [
        format!("UPDATE hazards SET description = 'x' WHERE id = '{id}'"),
        format!("DELETE FROM hazards WHERE id = '{id}'"),
        format!("UPDATE hazard_events SET note = 'x' WHERE hazard_id = '{id}'"),
        format!("DELETE FROM hazard_events WHERE hazard_id = '{id}'"),
        "DELETE FROM enterprises".to_string(),
        "DELETE FROM inspections".to_string(),
    ] {
        let err = raw_error(&store, &sql);
        assert!(matches!(err, StoreError::Immutable), "{sql}: {err:?}");
        assert!(err.to_string().contains("不能修改或删除"), "{err}");
    }
    assert_eq!(store.hazard(id).expect("still there"), hazard);
}

#[test]
fn a_draft_is_a_working_copy_and_a_finalized_inspection_is_frozen() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let first = store
        .set_answer(ins.id(), "E10", AnswerResult::Compliant, "")
        .expect("answer");
    let second = store
        .set_answer(ins.id(), "E10", AnswerResult::NonCompliant, "无监护人")
        .expect("change");
    assert_eq!(
        second.meta.id, first.meta.id,
        "one answer per item in a draft"
    );
    assert_eq!(second.meta.created_at, first.meta.created_at);
    assert_eq!(store.answers(ins.id()).expect("answers").len(), 1);
    let unknown = store
        .set_answer(ins.id(), "E99", AnswerResult::Compliant, "")
        .unwrap_err();
    assert!(unknown.to_string().contains("E99"), "{unknown}");

    let done = store.finalize_inspection(ins.id()).expect("finalize");
    assert_eq!(done.data.status, InspectionStatus::Finalized);
    assert!(done.data.finalized_at.is_some());
    let err = store
        .set_answer(ins.id(), "E12", AnswerResult::Compliant, "")
        .unwrap_err();
    assert!(matches!(err, StoreError::Frozen), "{err:?}");
    assert!(matches!(
        store.finalize_inspection(ins.id()).unwrap_err(),
        StoreError::Frozen
    ));
    assert!(matches!(
        store.discard_draft(ins.id()).unwrap_err(),
        StoreError::Frozen
    ));
    let evidence = EvidenceRecord {
        inspection_id: ins.id(),
        kind: EvidenceKind::DrillRecord,
        form_version: 1,
        values: BTreeMap::new(),
    };
    assert!(matches!(
        store.save_evidence(None, evidence).unwrap_err(),
        StoreError::Frozen
    ));
    let id = ins.id();
    for sql in [
        format!("UPDATE inspections SET mode = 'covert' WHERE id = '{id}'"),
        format!("UPDATE answers SET note = 'x' WHERE inspection_id = '{id}'"),
        format!("UPDATE inspection_items SET question = 'x' WHERE inspection_id = '{id}'"),
    ] {
        assert!(
            matches!(
                raw_error(&store, &sql),
                StoreError::Frozen | StoreError::Immutable
            ),
            "{sql}"
        );
    }
    assert_eq!(store.answers(id).expect("answers")[0].data.note, "无监护人");
}

#[test]
fn a_discarded_draft_is_kept_but_no_longer_a_draft() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    assert_eq!(
        store.draft_inspection_ids().expect("drafts"),
        vec![ins.id()]
    );
    store.discard_draft(ins.id()).expect("discard");
    assert!(store.draft_inspection_ids().expect("drafts").is_empty());
    assert_eq!(
        store.inspection(ins.id()).expect("kept").data.status,
        InspectionStatus::Discarded
    );
}

#[test]
fn hazards_of_a_discarded_draft_are_withdrawn_with_it_kept_but_counted_nowhere() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open_office(dir.path());
    let ins = draft(&mut store);
    let enterprise_id = ins.data.enterprise_id;
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id,
            inspection_id: Some(ins.id()),
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "焊工无证上岗".into(),
            location: String::new(),
            basis: String::new(),
            found_at: t("2023-08-15T01:10:00Z"),
            rectify_immediately: true,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    assert_eq!(store.hazard_summaries().expect("ledger").len(), 1);
    store.discard_draft(ins.id()).expect("discard");
    // In no list, count or table; the record and its events stay.
    assert!(store.hazard_summaries().expect("ledger").is_empty());
    assert!(store.ledger_with_events().expect("ledger").is_empty());
    assert!(
        store
            .hazards_of_enterprise(enterprise_id)
            .expect("of")
            .is_empty()
    );
    assert!(
        store
            .open_hazards_of(enterprise_id)
            .expect("open")
            .is_empty()
    );
    assert_eq!(
        store
            .major_hazard_counts(t("2023-08-16T00:00:00Z").date_naive())
            .expect("home"),
        (0, 0)
    );
    assert_eq!(store.hazard(hazard).expect("kept").id(), hazard);
    // And no step is taken on it any more.
    let err = store
        .apply_step(
            hazard,
            crate::domain::lifecycle::Step::ReportRectified,
            t("2023-08-16T01:00:00Z"),
            "",
        )
        .expect_err("withdrawn");
    assert!(err.to_string().contains("随草稿一并撤回"), "{err}");
    // A rebuild of the projection agrees.
    store.rebuild_hazard_status().expect("rebuild");
    assert!(store.hazard_summaries().expect("ledger").is_empty());
}

#[test]
fn roster_import_adds_then_updates_by_credit_code_keeping_revisions() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let a = enterprise("甲加油站", "91350100M000100Y43");
    let b = enterprise("乙粮库", "914403001922038216");
    let s = store
        .import_roster(vec![a.clone(), b.clone()], RosterFields::ALL)
        .expect("first");
    assert_eq!((s.added, s.updated, s.unchanged), (2, 0, 0));
    let mut b2 = b.clone();
    b2.phone = "13800138000".into();
    let s = store
        .import_roster(vec![a.clone(), b2.clone()], RosterFields::ALL)
        .expect("second");
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 1));
    let all = store.enterprises().expect("list");
    assert_eq!(all.len(), 2);
    let stored_b = store
        .enterprise_by_credit_code(&b.credit_code)
        .expect("q")
        .expect("b");
    assert_eq!(stored_b.data.phone, "13800138000");
    let revisions = store
        .enterprise_revisions(stored_b.id())
        .expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0]["phone"], "0358-6021234");
}

#[test]
fn records_made_before_a_profile_have_a_stable_unnamed_author_and_the_profile_stays_unset() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let a = store
        .add_enterprise(enterprise("甲", "91350100M000100Y43"))
        .expect("a");
    let b = store
        .add_enterprise(enterprise("乙", "914403001922038216"))
        .expect("b");
    assert_eq!(a.meta.author_id, b.meta.author_id);
    assert!(
        store.profile().expect("profile").is_none(),
        "still asks for a profile"
    );
    assert_eq!(
        store.inspector(a.meta.author_id).expect("author").data.name,
        profile::UNNAMED_PROFILE
    );
    let me = store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "1".into(),
            group_code: None,
        })
        .expect("set");
    assert_eq!(store.author_id().expect("author"), me.id());
}

#[test]
fn evidence_of_every_kind_round_trips_with_values_the_forms_accept() {
    let samples: [(EvidenceKind, &[(&str, &str)]); 4] = [
        (
            EvidenceKind::HotWorkPermit,
            &[
                ("permit_no", "DH-2023-081"),
                ("content", "更换输油管道法兰"),
                ("location", "加油区 3 号罐"),
                ("level", "一级"),
                ("welder", "赵六"),
                ("welder_cert_no", "T11010519491231002X"),
                ("gas_sampled_at", "2023-08-15 08:40"),
                ("start_at", "2023-08-15 09:00"),
                ("end_at", "2023-08-15 16:00"),
                ("measures_confirmed", "是"),
                ("fire_watch", "钱七"),
                ("approver", "王五"),
            ],
        ),
        (
            EvidenceKind::SpecialOperationCertificate,
            &[
                ("holder_name", "赵六"),
                ("id_number", "11010519491231002X"),
                ("cert_no", "T11010519491231002X"),
                ("issuing_system", "应急管理（特种作业操作证）"),
                ("category", "焊接与热切割作业"),
                ("operation_item", "熔化焊接与热切割作业"),
                ("valid_until", "2022-05-01"),
                ("verified", "否"),
            ],
        ),
        (
            EvidenceKind::OutsourcingAgreement,
            &[
                ("arrangement", "发包"),
                ("contractor_name", "某某安装工程有限公司"),
                ("contractor_credit_code", "91110000802100433B"),
                ("scope", "储罐清洗"),
                ("contractor_qualified", "是"),
                ("agreement_signed", "否"),
                ("duties_clear", "否"),
                ("unified_management", "是"),
                ("regular_inspections", "否"),
            ],
        ),
        (
            EvidenceKind::DrillRecord,
            &[
                ("name", "加油站火灾疏散演练"),
                ("plan_type", "现场处置方案"),
                ("held_on", "2023-06-16"),
                ("participants", "12"),
                ("staff_know_exits", "是"),
            ],
        ),
    ];
    let forms = crate::templates::forms::shipped().expect("forms");
    let dir = tempfile::tempdir().expect("dir");
    let mut saved = Vec::new();
    {
        let mut store = open(dir.path());
        let ins = draft(&mut store);
        for (kind, inputs) in samples {
            let form = forms.iter().find(|f| f.kind == kind).expect("form");
            let values: BTreeMap<String, FieldValue> = inputs
                .iter()
                .map(|(key, input)| {
                    let value = form
                        .field(key)
                        .expect(key)
                        .parse_input(input)
                        .expect(key)
                        .expect(key);
                    (key.to_string(), value)
                })
                .collect();
            assert!(
                form.check_values(&values).is_empty(),
                "{kind:?}: {:?}",
                form.check_values(&values)
            );
            let record = EvidenceRecord {
                inspection_id: ins.id(),
                kind,
                form_version: form.version,
                values,
            };
            saved.push(store.save_evidence(None, record).expect("save"));
        }
        // A draft's evidence is a working copy: edit one in place.
        let mut drill = saved.pop().expect("drill");
        drill
            .data
            .values
            .insert("participants".into(), FieldValue::Number(15.0));
        let edited = store
            .save_evidence(Some(drill.id()), drill.data.clone())
            .expect("edit");
        assert_eq!(edited.meta.id, drill.meta.id);
        assert_eq!(edited.meta.created_at, drill.meta.created_at);
        saved.push(edited);
    }
    let store = open(dir.path());
    let inspection_id = saved[0].data.inspection_id;
    let mut back = store.evidence_for(inspection_id).expect("evidence");
    back.sort_by_key(|r| r.data.kind);
    saved.sort_by_key(|r| r.data.kind);
    assert_eq!(back, saved);
}

#[test]
fn a_finalized_inspection_is_amended_only_by_addenda() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let err = store.add_addendum(ins.id(), "补充").unwrap_err();
    assert!(err.to_string().contains("只有已定稿的检查"), "{err}");
    store.finalize_inspection(ins.id()).expect("finalize");
    let added = store
        .add_addendum(ins.id(), "补充：现场照片另行归档")
        .expect("addendum");
    assert_eq!(store.addenda(ins.id()).expect("addenda"), vec![added]);
    let sql = format!(
        "UPDATE inspection_addenda SET text = 'x' WHERE inspection_id = '{}'",
        ins.id()
    );
    assert!(matches!(raw_error(&store, &sql), StoreError::Immutable));
    assert!(
        store.add_addendum(ins.id(), "  ").is_err(),
        "an empty addendum says nothing"
    );
}

#[test]
fn lifecycle_steps_are_guarded_inside_the_transaction() {
    use crate::domain::lifecycle::{Stage, Step};
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: ins.data.enterprise_id,
            inspection_id: Some(ins.id()),
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "焊工无证上岗".into(),
            location: String::new(),
            basis: String::new(),
            found_at: t("2023-08-15T01:20:00Z"),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard");
    let id = hazard.id();
    let when = t("2023-08-16T01:00:00Z");
    let err = store
        .apply_step(id, Step::Rectify { fixes: None }, when, "")
        .unwrap_err();
    assert!(err.to_string().starts_with("没有整改时限"), "{err}");
    assert_eq!(
        store.hazard_events(id).expect("events").len(),
        1,
        "refused: nothing written"
    );
    store
        .apply_step(
            id,
            Step::Transfer {
                to_unit: "能源股".into(),
            },
            when,
            "移交能源股",
        )
        .expect("transfer");
    // A second window (or process) trying the same step is refused by the same guard.
    let mut other = open(dir.path());
    let again = other
        .apply_step(
            id,
            Step::Transfer {
                to_unit: "能源股".into(),
            },
            when,
            "",
        )
        .unwrap_err();
    assert_eq!(again.to_string(), "隐患已经移交");
    let (_, events, status) = store.hazard_status(id).expect("status");
    assert_eq!(status.stage, Stage::Transferred);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].data.note, "移交能源股");
}
