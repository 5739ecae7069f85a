//! The state machine exhaustively: every stage × every step, allowed or refused with its
//! reason; overdue on its boundary days.

use super::*;
use crate::domain::HazardSource;
use chrono::TimeZone;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 9, 20, 2, 0, 0)
        .single()
        .expect("time")
}

fn fixes(deadline: &str) -> FiveFixes {
    FiveFixes {
        responsible_person: "王五".into(),
        measures: "停止作业，送培取证".into(),
        funds: "0.5万元".into(),
        deadline: d(deadline),
        emergency_plan: "暂停动火".into(),
    }
}

fn hazard(grade: HazardGrade, with_fixes: bool, immediately: bool) -> Hazard {
    Hazard {
        enterprise_id: uuid::Uuid::nil(),
        inspection_id: None,
        item_code: Some("E12".into()),
        grade,
        source: HazardSource::Inspection,
        description: "焊工无证上岗".into(),
        location: String::new(),
        basis: String::new(),
        found_at: at(),
        rectify_immediately: immediately,
        fixes: with_fixes.then(|| fixes("2023-09-15")),
        supervision: None,
        anonymous_report: false,
        assigning_document: None,
    }
}

fn event(step: &Step) -> HazardEvent {
    HazardEvent {
        hazard_id: uuid::Uuid::nil(),
        kind: step.kind(),
        occurred_at: at(),
        payload: step.payload(),
        note: String::new(),
    }
}

const LEADER: &str = "王县长";

/// The steps that bring a hazard to `stage`.
fn path_to(stage: Stage) -> Vec<Step> {
    let all = [
        Step::Transfer {
            to_unit: "能源股".into(),
        },
        Step::Rectify { fixes: None },
        Step::ReportRectified,
        Step::Verify {
            passed: true,
            by: "李建山".into(),
            new_deadline: None,
            case_opened: false,
        },
        Step::CloseOut {
            signer: LEADER.into(),
            signed_at: at(),
            signer_id: None,
        },
    ];
    let n = Stage::ALL.iter().position(|s| *s == stage).expect("stage");
    all.into_iter().take(n).collect()
}

fn status_at(stage: Stage) -> Status {
    let h = hazard(HazardGrade::Major, true, false);
    let events: Vec<HazardEvent> = path_to(stage).iter().map(event).collect();
    let s = fold(&h, &events);
    assert_eq!(s.stage, stage);
    s
}

/// One step of every kind, each with a valid payload.
fn every_step() -> Vec<(&'static str, Step)> {
    vec![
        (
            "transfer",
            Step::Transfer {
                to_unit: "能源股".into(),
            },
        ),
        ("rectify", Step::Rectify { fixes: None }),
        ("report", Step::ReportRectified),
        (
            "verify",
            Step::Verify {
                passed: true,
                by: "李建山".into(),
                new_deadline: None,
                case_opened: false,
            },
        ),
        (
            "close",
            Step::CloseOut {
                signer: LEADER.into(),
                signed_at: at(),
                signer_id: None,
            },
        ),
        (
            "list",
            Step::ListForSupervision {
                tracking_person: "杨红平".into(),
            },
        ),
        (
            "number",
            Step::Number {
                number: "方山-2023-09-001".into(),
            },
        ),
        (
            "correct",
            Step::Correct {
                field: "location".into(),
                value: "维修车间".into(),
            },
        ),
    ]
}

#[test]
fn every_stage_times_every_step() {
    use Stage::*;
    // (stage, the steps allowed there); everything else must be refused with a reason.
    let allowed: [(Stage, &[&str]); 6] = [
        (
            Registered,
            &["transfer", "rectify", "list", "number", "correct"],
        ),
        (Transferred, &["rectify", "list", "number", "correct"]),
        (Rectifying, &["report", "list", "number", "correct"]),
        (
            RectificationReported,
            &["verify", "list", "number", "correct"],
        ),
        (Verified, &["close", "list", "number", "correct"]),
        (ClosedOut, &["number", "correct"]),
    ];
    for (stage, ok) in allowed {
        let status = status_at(stage);
        for (name, step) in every_step() {
            let verdict = check(&status, &step);
            if ok.contains(&name) {
                assert_eq!(verdict, Ok(()), "{stage:?} × {name}");
            } else {
                let reason = verdict.expect_err(&format!("{stage:?} × {name} must be refused"));
                assert!(
                    !reason.is_empty() && !reason.is_ascii(),
                    "{stage:?} × {name}: {reason}"
                );
            }
        }
    }
}

#[test]
fn the_reasons_a_user_reads() {
    // No deadline: cannot be 整改中 by deadline.
    let no_fixes = fold(&hazard(HazardGrade::Major, false, false), &[]);
    assert_eq!(
        check(&no_fixes, &Step::Rectify { fixes: None }),
        Err(
            "没有整改时限：请先明确责任人、措施、资金、时限和应急预案，才能进入“整改中”"
                .to_string()
        )
    );
    assert_eq!(
        check(
            &no_fixes,
            &Step::Rectify {
                fixes: Some(fixes("2023-10-01"))
            }
        ),
        Ok(())
    );
    // No verification: cannot close out.
    assert_eq!(
        check(
            &status_at(Stage::RectificationReported),
            &Step::CloseOut {
                signer: LEADER.into(),
                signed_at: at(),
                signer_id: None,
            }
        ),
        Err("没有验收，不能销号（先复查验收）".to_string())
    );
    // Who may sign a close-out is trust::authorize's question: the lifecycle asks for a
    // signer and a verification only.
    let verified = status_at(Stage::Verified);
    assert_eq!(
        check(
            &verified,
            &Step::CloseOut {
                signer: " ".into(),
                signed_at: at(),
                signer_id: None,
            }
        ),
        Err("请填写签字确认人".to_string())
    );
    let general = fold(
        &hazard(HazardGrade::General, true, false),
        &path_to(Stage::Verified)
            .iter()
            .map(event)
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        check(
            &general,
            &Step::CloseOut {
                signer: "李建山".into(),
                signed_at: at(),
                signer_id: None,
            }
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &general,
            &Step::ListForSupervision {
                tracking_person: "杨红平".into()
            }
        ),
        Err("只有重大事故隐患才挂牌督办".to_string())
    );
    // Corrections are checked too.
    assert!(
        check(
            &verified,
            &Step::Correct {
                field: "found_at".into(),
                value: "x".into()
            }
        )
        .is_err()
    );
    assert!(
        check(
            &verified,
            &Step::Correct {
                field: "deadline".into(),
                value: "9月15日".into()
            }
        )
        .is_err()
    );
}

#[test]
fn fixed_on_the_spot_goes_straight_to_awaiting_verification() {
    let h = hazard(HazardGrade::General, false, true);
    let s = fold(&h, &[]);
    assert_eq!(check(&s, &Step::ReportRectified), Ok(()));
    let s = fold(&h, &[event(&Step::ReportRectified)]);
    assert_eq!(s.stage, Stage::RectificationReported);
}

#[test]
fn a_failed_verification_goes_back_to_rectifying_and_events_update_the_status() {
    let h = hazard(HazardGrade::Major, true, false);
    let mut steps = path_to(Stage::RectificationReported);
    steps.push(Step::Verify {
        passed: false,
        by: "李建山".into(),
        new_deadline: None,
        case_opened: false,
    });
    steps.push(Step::ListForSupervision {
        tracking_person: "杨红平".into(),
    });
    steps.push(Step::Number {
        number: "方山-2023-09-001".into(),
    });
    steps.push(Step::Correct {
        field: "deadline".into(),
        value: "2023-10-15".into(),
    });
    let s = fold(&h, &steps.iter().map(event).collect::<Vec<_>>());
    assert_eq!(s.stage, Stage::Rectifying);
    assert_eq!(s.tracking_person.as_deref(), Some("杨红平"));
    assert_eq!(s.number.as_deref(), Some("方山-2023-09-001"));
    assert_eq!(s.deadline, Some(d("2023-10-15")));
    assert_eq!(
        check(&s, &Step::Number { number: "x".into() }),
        Err("隐患已经编号，编号不能更改".to_string())
    );
    assert_eq!(
        check(
            &s,
            &Step::ListForSupervision {
                tracking_person: "x".into()
            }
        ),
        Err("隐患已经挂牌督办".to_string())
    );
}

#[test]
fn overdue_from_the_day_after_the_deadline_until_rectification_is_reported() {
    let s = status_at(Stage::Rectifying); // deadline 2023-09-15
    assert!(
        !s.overdue(d("2023-09-15")),
        "the deadline day itself is not overdue"
    );
    assert!(s.overdue(d("2023-09-16")));
    assert_eq!(s.days_left(d("2023-09-10")), Some(5));
    assert_eq!(s.days_left(d("2023-09-20")), Some(-5));
    assert!(
        !status_at(Stage::RectificationReported).overdue(d("2023-12-01")),
        "reported: no longer overdue"
    );
    assert!(
        !fold(&hazard(HazardGrade::Major, false, false), &[]).overdue(d("2030-01-01")),
        "no deadline, never overdue"
    );
}

#[test]
fn stage_codes_are_the_serde_spelling_and_parse_back() {
    for stage in Stage::ALL {
        assert_eq!(
            serde_json::to_value(stage).expect("json"),
            serde_json::Value::String(stage.code().into())
        );
        assert_eq!(stage.code().parse::<Stage>(), Ok(stage));
        assert_eq!(Stage::parse(stage.label()), Ok(stage));
    }
    let refused = "done".parse::<Stage>().expect_err("no such stage");
    assert!(refused.to_string().contains("已销号"), "{refused}");
}
