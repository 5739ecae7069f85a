use super::*;
use crate::domain::time::parse_minute;
use crate::domain::{InspectionMode, RecordMeta};

fn at(text: &str) -> DateTime<Utc> {
    parse_minute(text).expect("a time")
}

/// Arrived 09:00, left 11:00, signed 11:30 on 2023-09-05.
fn finalized() -> Inspection {
    let mut i = Inspection::draft(
        Uuid::nil(),
        InspectionMode::Unannounced,
        vec![],
        at("2023-09-05 09:00"),
        vec![],
        vec![],
    );
    i.status = InspectionStatus::Finalized;
    i.finalized_at = Some(at("2023-09-05 11:30"));
    i.departed_at = Some(at("2023-09-05 11:00"));
    i
}

fn times(arrived: Option<&str>, departed: Option<&str>, reason: &str) -> TimeCorrection {
    TimeCorrection {
        inspection_id: Uuid::nil(),
        arrived_at: arrived.map(at),
        departed_at: departed.map(at),
        reason: reason.into(),
    }
}

fn record<T>(data: T, made: &str) -> Record<T> {
    Record {
        meta: RecordMeta::new(Uuid::nil(), Uuid::nil(), at(made)),
        data,
    }
}

const LATER: &str = "2023-09-06 08:00";

#[test]
fn a_correction_within_the_visit_and_before_the_signing_stands() {
    let i = finalized();
    let c = times(
        Some("2023-09-05 08:50"),
        Some("2023-09-05 11:20"),
        "按执法记录仪",
    );
    assert_eq!(check_time_correction(&i, &c, at(LATER)), Ok(()));
    // Only the departure: the arrival stays as signed.
    let c = times(None, Some("2023-09-05 10:40"), "按登记簿");
    assert_eq!(check_time_correction(&i, &c, at(LATER)), Ok(()));
}

#[test]
fn a_departure_after_the_signing_or_before_the_arrival_is_refused() {
    let i = finalized();
    let late = times(None, Some("2023-09-05 11:31"), "理由");
    let err = check_time_correction(&i, &late, at(LATER)).expect_err("after signing");
    assert!(err.contains("晚于定稿签名时间 2023-09-05 11:30"), "{err}");
    let early = times(Some("2023-09-05 11:10"), None, "理由");
    let err = check_time_correction(&i, &early, at(LATER)).expect_err("arrival after departure");
    assert!(err.contains("早于到达时间 2023-09-05 11:10"), "{err}");
    let crossed = times(Some("2023-09-05 10:00"), Some("2023-09-05 09:59"), "理由");
    assert!(check_time_correction(&i, &crossed, at(LATER)).is_err());
}

#[test]
fn a_correction_needs_a_reason_a_time_and_a_finalized_inspection() {
    let i = finalized();
    let err = check_time_correction(&i, &times(None, Some("2023-09-05 10:00"), "  "), at(LATER))
        .expect_err("no reason");
    assert!(err.contains("更正理由不能为空"), "{err}");
    let err = check_time_correction(&i, &times(None, None, "理由"), at(LATER)).expect_err("none");
    assert!(err.contains("到达时间或离开时间"), "{err}");
    let mut draft = finalized();
    draft.status = InspectionStatus::Draft;
    let err = check_time_correction(
        &draft,
        &times(None, Some("2023-09-05 10:00"), "理由"),
        at(LATER),
    )
    .expect_err("draft");
    assert!(err.contains("只有已定稿的检查"), "{err}");
}

#[test]
fn the_arrival_is_not_after_the_correction_itself() {
    let i = finalized();
    let c = times(Some("2023-09-05 09:10"), None, "理由");
    let err = check_time_correction(&i, &c, at("2023-09-05 09:05")).expect_err("future");
    assert!(err.contains("不能是将来的时间"), "{err}");
}

#[test]
fn an_inspection_signed_before_departures_were_asked_ends_at_its_signing() {
    let mut i = finalized();
    i.departed_at = None;
    let t = effective_times(&i, &[]);
    assert_eq!(t.departure, Some(at("2023-09-05 11:30")));
    assert!(!t.corrected);
    let c = times(Some("2023-09-05 11:00"), None, "理由");
    assert_eq!(check_time_correction(&i, &c, at(LATER)), Ok(()));
}

#[test]
fn the_latest_correction_is_in_force_and_states_both_times() {
    let i = finalized();
    let first = record(
        times(Some("2023-09-05 08:30"), Some("2023-09-05 10:00"), "一"),
        "2023-09-06 08:00",
    );
    let second = record(
        times(None, Some("2023-09-05 10:30"), "二"),
        "2023-09-07 08:00",
    );
    let t = effective_times(&i, &[second.clone(), first.clone()]);
    // The second states no arrival: the signed one, not the first correction's.
    assert_eq!(t.arrival, at("2023-09-05 09:00"));
    assert_eq!(t.departure, Some(at("2023-09-05 10:30")));
    assert!(t.corrected);
    assert_eq!(t.text(), "2023-09-05 09:00 至 2023-09-05 10:30（已更正）");
    let plain = effective_times(&i, &[]);
    assert_eq!(plain.text(), "2023-09-05 09:00 至 2023-09-05 11:00");
    assert!(changes_times(&plain, &i, &first.data));
    assert!(!changes_times(
        &plain,
        &i,
        &times(Some("2023-09-05 09:00"), None, "同")
    ));
}

#[test]
fn ties_in_time_are_broken_by_id() {
    let a = record(times(None, Some("2023-09-05 10:00"), "a"), LATER);
    let mut b = record(times(None, Some("2023-09-05 10:10"), "b"), LATER);
    b.meta.id = Uuid::max();
    assert_eq!(
        latest(&[b.clone(), a.clone()]).map(|r| r.data.reason.as_str()),
        Some("b")
    );
    assert_eq!(latest(&[a, b]).map(|r| r.data.reason.as_str()), Some("b"));
}

#[test]
fn evidence_corrections_take_the_latest_values_and_need_reason_and_valid_values() {
    let original = BTreeMap::from([("name".to_string(), FieldValue::Text("旧".into()))]);
    let c = EvidenceCorrection {
        evidence_id: Uuid::nil(),
        form_version: 1,
        values: BTreeMap::from([("name".to_string(), FieldValue::Text("新".into()))]),
        reason: "抄错".into(),
    };
    let (values, corrected) = effective_values(&original, &[]);
    assert!(!corrected);
    assert_eq!(values, &original);
    let list = [record(c.clone(), LATER)];
    let (values, corrected) = effective_values(&original, &list);
    assert!(corrected);
    assert_eq!(values.get("name"), Some(&FieldValue::Text("新".into())));

    assert_eq!(
        check_evidence_correction(InspectionStatus::Finalized, &c, &[]),
        Ok(())
    );
    let err = check_evidence_correction(InspectionStatus::Draft, &c, &[]).expect_err("draft");
    assert!(err.contains("草稿"), "{err}");
    let err = check_evidence_correction(
        InspectionStatus::Finalized,
        &EvidenceCorrection {
            reason: String::new(),
            ..c.clone()
        },
        &[],
    )
    .expect_err("reason");
    assert!(err.contains("更正理由"), "{err}");
    let err = check_evidence_correction(
        InspectionStatus::Finalized,
        &c,
        &["演练日期应为日期，格式如 2023-08-15".to_string()],
    )
    .expect_err("bad value");
    assert!(err.contains("演练日期应为日期"), "{err}");
}
