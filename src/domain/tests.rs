//! Round trips of every closed vocabulary: code ↔ value ↔ label ↔ JSON.

use super::*;

macro_rules! round_trip {
    ($($ty:ty),+ $(,)?) => {$(
        {
            let mut codes = std::collections::HashSet::new();
            let mut labels = std::collections::HashSet::new();
            for &v in <$ty>::ALL {
                assert_eq!(<$ty>::parse(v.code()), Ok(v));
                assert_eq!(<$ty>::parse(v.label()), Ok(v));
                let json = serde_json::to_string(&v).expect("serialise");
                assert_eq!(json, format!("\"{}\"", v.code()));
                assert_eq!(serde_json::from_str::<$ty>(&json).expect("deserialise"), v);
                assert!(v.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                        "code {} is not snake_case", v.code());
                assert!(codes.insert(v.code()), "duplicate code {}", v.code());
                assert!(labels.insert(v.label()), "duplicate label {}", v.label());
            }
            assert!(<$ty>::parse("no such value").is_err());
        }
    )+};
}

#[test]
fn every_enum_round_trips() {
    round_trip!(
        RiskLevel,
        InspectionMode,
        InspectionStatus,
        AnswerResult,
        HazardGrade,
        HazardSource,
        HazardEventKind,
        EvidenceKind,
        ExamOutcome,
        EnforcementKind,
        ActivityKind,
        ActivityLevel,
    );
}

#[test]
fn the_seven_modes_of_the_campaign_are_there() {
    let labels: Vec<&str> = InspectionMode::ALL.iter().map(|m| m.label()).collect();
    assert_eq!(
        labels,
        [
            "四不两直",
            "明查",
            "暗访",
            "异地执法",
            "联合执法",
            "帮扶指导",
            "复查"
        ]
    );
}

#[test]
fn unknown_value_error_lists_the_choices_in_chinese() {
    let err = HazardSource::parse("电话").unwrap_err().to_string();
    assert_eq!(
        err,
        "“电话”不是有效的隐患来源，可选：企业自查、执法检查、群众举报、上级交办"
    );
}

#[test]
fn exam_score() {
    let q = |outcome| ExamQuestion {
        question_id: "q".into(),
        question: "?".into(),
        outcome,
        note: String::new(),
    };
    let exam = ExamRecord {
        inspection_id: uuid::Uuid::nil(),
        examinee_name: "张三".into(),
        examinee_role: "主要负责人".into(),
        questions: vec![
            q(ExamOutcome::Correct),
            q(ExamOutcome::Partial),
            q(ExamOutcome::Wrong),
            q(ExamOutcome::Correct),
        ],
    };
    // Two right (2 × 2), one partly (1), one wrong (0) of four: 5 / 8 = 62 %.
    assert_eq!(exam.score_percent(), 62);
}

#[test]
fn record_json_is_flat_with_snake_case_keys() {
    let clock = FixedClock(chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("ts"));
    let meta = RecordMeta::new(uuid::Uuid::nil(), uuid::Uuid::nil(), clock.now());
    let rec = Record {
        meta,
        data: Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        },
    };
    let v = serde_json::to_value(&rec).expect("json");
    for key in [
        "id",
        "created_at",
        "updated_at",
        "author_id",
        "replica_id",
        "name",
        "cert_no",
        "group_code",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    let back: Record<Inspector> = serde_json::from_value(v).expect("back");
    assert_eq!(back, rec);
}
