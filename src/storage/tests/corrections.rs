//! Corrections of a finalized inspection's times and evidence: new signed records beside the
//! signed inspection, refused on drafts, never updated or deleted even in SQL.

use super::*;
use std::collections::BTreeMap;

fn drill(store: &mut Store, inspection: Uuid) -> Record<EvidenceRecord> {
    let values = BTreeMap::from([
        ("name".to_string(), FieldValue::Text("火灾疏散演练".into())),
        (
            "plan_type".to_string(),
            FieldValue::Text("现场处置方案".into()),
        ),
        ("held_on".to_string(), FieldValue::Text("2023-06-16".into())),
        ("staff_know_exits".to_string(), FieldValue::Bool(true)),
    ]);
    let form = crate::templates::forms::shipped()
        .expect("forms")
        .into_iter()
        .find(|f| f.kind == EvidenceKind::DrillRecord)
        .expect("form");
    assert!(
        form.check_values(&values).is_empty(),
        "{:?}",
        form.check_values(&values)
    );
    store
        .save_evidence(
            None,
            EvidenceRecord {
                inspection_id: inspection,
                kind: EvidenceKind::DrillRecord,
                form_version: form.version,
                values,
            },
        )
        .expect("evidence")
}

#[test]
fn times_are_corrected_by_a_new_record_and_the_signed_inspection_stays() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    // A draft is simply edited: no correction.
    let err = store
        .correct_times(ins.id(), Some(t("2023-08-15T00:50:00Z")), None, "按记录仪")
        .expect_err("draft");
    assert!(err.to_string().contains("只有已定稿的检查"), "{err}");
    let signed = store.finalize_inspection(ins.id()).expect("finalize");
    let before = store.visit_times(ins.id()).expect("times");
    assert!(!before.corrected);

    let err = store
        .correct_times(ins.id(), None, Some(t("2023-08-15T01:31:00Z")), "晚了")
        .expect_err("after signing");
    assert!(err.to_string().contains("晚于定稿签名时间"), "{err}");
    let err = store
        .correct_times(
            ins.id(),
            Some(signed.data.arrival_at),
            signed.data.departed_at,
            "同",
        )
        .expect_err("no change");
    assert!(err.to_string().contains("没有需要更正的内容"), "{err}");
    let err = store
        .correct_times(ins.id(), None, Some(t("2023-08-15T01:20:00Z")), " ")
        .expect_err("no reason");
    assert!(err.to_string().contains("更正理由不能为空"), "{err}");

    let c = store
        .correct_times(
            ins.id(),
            Some(t("2023-08-15T00:50:00Z")),
            Some(t("2023-08-15T01:20:00Z")),
            "按执法记录仪",
        )
        .expect("correct");
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.time_corrections(ins.id()).expect("list"), vec![c]);
    let now = store.visit_times(ins.id()).expect("times");
    assert!(now.corrected);
    assert_eq!(now.text(), "2023-08-15 08:50 至 2023-08-15 09:20（已更正）");
    assert_eq!(
        store.inspection(ins.id()).expect("read"),
        signed,
        "the signed record stays"
    );
}

#[test]
fn corrections_are_never_updated_deleted_or_made_on_drafts_even_in_sql() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let ev = drill(&mut store, ins.id());
    let (iid, eid) = (ins.id().to_string(), ev.id().to_string());
    let me = store.author_id().expect("me").to_string();
    let meta = format!(
        "'{}', '2023-08-15T01:30:00.000000000Z', '2023-08-15T01:30:00.000000000Z', '{me}', '{me}'",
        Uuid::now_v7()
    );
    let insert_time = format!(
        "INSERT INTO inspection_time_corrections VALUES ({meta}, '{iid}', NULL,
             '2023-08-15T01:20:00.000000000Z', '理由')"
    );
    let insert_evidence =
        format!("INSERT INTO evidence_corrections VALUES ({meta}, '{eid}', 2, '{{}}', '理由')");
    for sql in [&insert_time, &insert_evidence] {
        let err = raw_error(&store, sql).to_string();
        assert!(err.contains("只能对已定稿的检查记录"), "{err}");
    }
    store.finalize_inspection(ins.id()).expect("finalize");
    store
        .correct_times(ins.id(), None, Some(t("2023-08-15T01:20:00Z")), "理由")
        .expect("time");
    let mut values = ev.data.values.clone();
    values.insert("name".into(), FieldValue::Text("消防演练".into()));
    store
        .correct_evidence(ev.id(), values, "抄错了名称")
        .expect("evidence");
    for table in ["inspection_time_corrections", "evidence_corrections"] {
        let err = raw_error(&store, &format!("UPDATE {table} SET reason = '改'"));
        assert!(matches!(err, StoreError::Immutable), "{err}");
        let err = raw_error(&store, &format!("DELETE FROM {table}"));
        assert!(matches!(err, StoreError::Immutable), "{err}");
        let rows: i64 = store
            .conn
            .query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE reason <> '改'"),
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(rows, 1, "{table} unchanged");
    }
    // Neither time given, or an empty reason: refused by the schema itself.
    let none = insert_time.replace("'2023-08-15T01:20:00.000000000Z'", "NULL");
    let err = raw_error(&store, &none);
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
}

#[test]
fn evidence_is_corrected_against_its_form_and_the_latest_correction_is_in_force() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = open(dir.path());
    let ins = draft(&mut store);
    let ev = drill(&mut store, ins.id());
    let mut values = ev.data.values.clone();
    values.insert("name".into(), FieldValue::Text("消防演练".into()));
    let err = store
        .correct_evidence(ev.id(), values.clone(), "抄错")
        .expect_err("draft");
    assert!(err.to_string().contains("草稿"), "{err}");
    store.finalize_inspection(ins.id()).expect("finalize");

    let mut bad = values.clone();
    bad.insert("plan_type".into(), FieldValue::Text("随便演练".into()));
    let err = store
        .correct_evidence(ev.id(), bad, "抄错")
        .expect_err("enum");
    assert!(
        err.to_string().contains("所演练的预案应为以下之一"),
        "{err}"
    );
    let mut missing = values.clone();
    missing.remove("name");
    let err = store
        .correct_evidence(ev.id(), missing, "抄错")
        .expect_err("required");
    assert!(err.to_string().contains("演练名称不能为空"), "{err}");
    let err = store
        .correct_evidence(ev.id(), ev.data.values.clone(), "同")
        .expect_err("no change");
    assert!(err.to_string().contains("没有需要更正的内容"), "{err}");

    store
        .correct_evidence(ev.id(), values.clone(), "抄错了名称")
        .expect("first");
    let mut again = values.clone();
    again.insert("held_on".into(), FieldValue::Text("2023-06-18".into()));
    store
        .correct_evidence(ev.id(), again.clone(), "日期也错了")
        .expect("second");
    let list = store.evidence_corrections_for(ins.id()).expect("list");
    assert_eq!(list.len(), 2);
    let (now, corrected) = crate::domain::correction::effective_values(&ev.data.values, &list);
    assert!(corrected);
    assert_eq!(now, &again);
    assert_eq!(
        store.evidence(ev.id()).expect("original"),
        ev,
        "the original stays"
    );
}
