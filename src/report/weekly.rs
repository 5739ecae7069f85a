//! The weekly feedback on transferred hazards ("每星期四上午12点前以正式文件反馈整改治理情况"):
//! text ready to paste into the document.

use super::HazardFacts;
use crate::domain::lifecycle::{Stage, Step};
use crate::domain::{HazardEventKind, time};
use chrono::{Days, NaiveDate};
use std::fmt::Write;

/// The report for the week ending on `date` (normally a Thursday): every hazard transferred by
/// then and not closed out before the week began, with what happened to it during the week.
pub fn report(hazards: &[HazardFacts], date: NaiveDate) -> String {
    let week_start = date.checked_sub_days(Days::new(6)).unwrap_or(date);
    let mut out = format!(
        "交办隐患整改治理情况（{} 至 {}）\n",
        week_start.format("%Y年%m月%d日"),
        date.format("%Y年%m月%d日")
    );
    let mut n = 0;
    for f in hazards {
        let day = |e: &crate::domain::HazardEvent| time::local(e.occurred_at).date();
        let transferred = f
            .events
            .iter()
            .find(|e| e.data.kind == HazardEventKind::Transferred && day(&e.data) <= date);
        if transferred.is_none() {
            continue;
        }
        let closed_before = f
            .events
            .iter()
            .any(|e| e.data.kind == HazardEventKind::ClosedOut && day(&e.data) < week_start);
        if closed_before {
            continue;
        }
        n += 1;
        let number = f
            .status
            .number
            .as_deref()
            .map(|x| format!("（编号 {x}）"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{}、{}：{}{number}",
            chinese_ordinal(n),
            f.enterprise_name,
            f.status.description
        );
        let deadline = match (f.status.deadline, f.status.days_left(date)) {
            (Some(d), Some(left)) if f.status.overdue(date) => {
                format!("，整改时限 {d}（已逾期 {} 天）", -left)
            }
            (Some(d), _) if f.status.stage < Stage::RectificationReported => {
                format!("，整改时限 {d}")
            }
            _ => String::new(),
        };
        let _ = writeln!(out, "    当前状态：{}{deadline}", f.status.stage.label());
        let progress: Vec<String> = f
            .events
            .iter()
            .filter(|e| (week_start..=date).contains(&day(&e.data)))
            .filter(|e| e.data.kind != HazardEventKind::Numbered)
            .map(|e| {
                let what = match Step::of(&e.data) {
                    Some(step @ Step::Verify { .. }) => {
                        step.verification_text().unwrap_or_default()
                    }
                    Some(Step::CloseOut { signer, .. }) => format!("销号（{signer} 签字确认）"),
                    Some(Step::Transfer { to_unit }) => format!("移交{to_unit}"),
                    _ => e.data.kind.label().to_string(),
                };
                let note = if e.data.note.is_empty() {
                    String::new()
                } else {
                    format!("：{}", e.data.note)
                };
                format!("{} {what}{note}", day(&e.data).format("%m月%d日"))
            })
            .collect();
        let progress = if progress.is_empty() {
            "无新进展".to_string()
        } else {
            progress.join("；")
        };
        let _ = writeln!(out, "    本周进展：{progress}");
    }
    if n == 0 {
        out.push_str("\n本周没有需要反馈的交办隐患。\n");
    }
    out
}

/// 一, 二, … 十, 十一 … 九十九 (then digits).
fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::{self, Step};
    use crate::domain::*;
    use chrono::{TimeZone, Utc};

    fn on(day: &str) -> chrono::DateTime<Utc> {
        let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date");
        time::from_local(d.and_hms_opt(10, 0, 0).expect("time"))
    }

    fn facts(steps: &[(&str, Step, &str)]) -> HazardFacts {
        let hazard = Hazard {
            enterprise_id: uuid::Uuid::nil(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::Assigned,
            description: "餐饮用户使用可调式减压阀".into(),
            location: String::new(),
            basis: String::new(),
            found_at: on("2023-09-01"),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "钱七".into(),
                measures: "更换".into(),
                funds: "0.1万元".into(),
                deadline: NaiveDate::from_ymd_opt(2023, 9, 15).expect("date"),
                emergency_plan: "停气".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: Some("方安办〔2023〕5号".into()),
        };
        let meta = || {
            RecordMeta::new(
                uuid::Uuid::now_v7(),
                uuid::Uuid::nil(),
                Utc.timestamp_opt(0, 0).single().expect("t"),
            )
        };
        let events: Vec<Record<HazardEvent>> = steps
            .iter()
            .map(|(day, step, note)| Record {
                meta: meta(),
                data: HazardEvent {
                    hazard_id: uuid::Uuid::nil(),
                    kind: step.kind(),
                    occurred_at: on(day),
                    payload: step.payload(),
                    note: note.to_string(),
                },
            })
            .collect();
        let status = lifecycle::fold(&hazard, events.iter().map(|e| &e.data));
        HazardFacts {
            hazard: Record {
                meta: meta(),
                data: hazard,
            },
            events,
            status,
            enterprise_name: "方山县燃气有限公司".into(),
        }
    }

    #[test]
    fn lists_transferred_hazards_with_this_weeks_progress() {
        let transferred = facts(&[
            (
                "2023-09-05",
                Step::Transfer {
                    to_unit: "能源股".into(),
                },
                "",
            ),
            ("2023-09-06", Step::Rectify { fixes: None }, ""),
            ("2023-09-18", Step::ReportRectified, "企业报告已更换"),
        ]);
        let not_transferred = facts(&[]);
        let text = report(
            &[transferred, not_transferred],
            NaiveDate::from_ymd_opt(2023, 9, 21).expect("date"),
        );
        assert_eq!(
            text,
            "交办隐患整改治理情况（2023年09月15日 至 2023年09月21日）\n\n\
             一、方山县燃气有限公司：餐饮用户使用可调式减压阀\n    当前状态：待验收\n    本周进展：09月18日 待验收：企业报告已更换\n"
        );
    }

    #[test]
    fn overdue_and_quiet_weeks_are_said_and_old_close_outs_left_out() {
        let stuck = facts(&[
            (
                "2023-09-05",
                Step::Transfer {
                    to_unit: "能源股".into(),
                },
                "",
            ),
            ("2023-09-06", Step::Rectify { fixes: None }, ""),
        ]);
        let text = report(
            &[stuck],
            NaiveDate::from_ymd_opt(2023, 9, 21).expect("date"),
        );
        assert!(
            text.contains("当前状态：整改中，整改时限 2023-09-15（已逾期 6 天）"),
            "{text}"
        );
        assert!(text.contains("本周进展：无新进展"), "{text}");
        let long_closed = facts(&[
            (
                "2023-09-05",
                Step::Transfer {
                    to_unit: "能源股".into(),
                },
                "",
            ),
            ("2023-09-06", Step::Rectify { fixes: None }, ""),
            ("2023-09-07", Step::ReportRectified, ""),
            (
                "2023-09-08",
                Step::Verify {
                    passed: true,
                    by: "李建山".into(),
                    new_deadline: None,
                    case_opened: false,
                },
                "",
            ),
            (
                "2023-09-09",
                Step::CloseOut {
                    signer: "王县长".into(),
                    signed_at: on("2023-09-09"),
                    signer_id: None,
                },
                "",
            ),
        ]);
        let text = report(
            &[long_closed],
            NaiveDate::from_ymd_opt(2023, 9, 21).expect("date"),
        );
        assert!(text.ends_with("本周没有需要反馈的交办隐患。\n"), "{text}");
    }
}
