//! The closed loop of a hazard as a state machine over its append-only events:
//! 登记 → (已移交) → 整改中 → 待验收 → 已验收 → 已销号, with 逾期 derived from the deadline
//! and the day. Every step is an event; a refused step says why in Chinese.

use super::hazard::{FiveFixes, Hazard, HazardEvent, HazardEventKind, HazardGrade};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

impl std::str::FromStr for Stage {
    type Err = StageError;
    fn from_str(text: &str) -> Result<Stage, StageError> {
        Stage::parse(text).map_err(StageError)
    }
}

/// A text that names no stage (the message lists the stages, in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StageError(String);

/// Where a hazard stands in its closed loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Registered,
    Transferred,
    Rectifying,
    RectificationReported,
    Verified,
    ClosedOut,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Registered,
        Stage::Transferred,
        Stage::Rectifying,
        Stage::RectificationReported,
        Stage::Verified,
        Stage::ClosedOut,
    ];

    /// Parses a label (登记…) or a code (registered…).
    pub fn parse(text: &str) -> Result<Stage, String> {
        let t = text.trim();
        Stage::ALL
            .into_iter()
            .find(|s| s.code() == t || s.label() == t)
            .ok_or_else(|| {
                let labels: Vec<&str> = Stage::ALL.iter().map(|s| s.label()).collect();
                format!("“{t}”不是隐患状态，可选：{}", labels.join("、"))
            })
    }

    /// The code stored in SQLite and JSON (as serde spells it: a test holds them together).
    pub fn code(self) -> &'static str {
        match self {
            Stage::Registered => "registered",
            Stage::Transferred => "transferred",
            Stage::Rectifying => "rectifying",
            Stage::RectificationReported => "rectification_reported",
            Stage::Verified => "verified",
            Stage::ClosedOut => "closed_out",
        }
    }

    /// Still to be rectified: the stages in which a passed deadline makes a hazard 逾期.
    pub fn is_before_verification(self) -> bool {
        matches!(
            self,
            Stage::Registered | Stage::Transferred | Stage::Rectifying
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Registered => "登记",
            Stage::Transferred => "已移交",
            Stage::Rectifying => "整改中",
            Stage::RectificationReported => "待验收",
            Stage::Verified => "已验收",
            Stage::ClosedOut => "已销号",
        }
    }
}

/// What each kind of step carries (kept in the event's JSON payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Transfer {
        to_unit: String,
    },
    /// Rectification under way: the five fixes (needed unless the hazard was fixed on the spot).
    Rectify {
        fixes: Option<FiveFixes>,
    },
    ReportRectified,
    /// A follow-up found the rectification done (`passed`) or not (back to 整改中). A failed
    /// one says what follows (the TUI and CLI ask for one of them): a new deadline the
    /// inspectors set, or a case opened (立案查处) for not rectifying.
    Verify {
        passed: bool,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_deadline: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        case_opened: bool,
    },
    /// 销号, signed by `signer` (for a major hazard, a close-out leader of the office's
    /// roster, `signer_id` being their roster id).
    CloseOut {
        signer: String,
        signed_at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signer_id: Option<uuid::Uuid>,
    },
    ListForSupervision {
        tracking_person: String,
    },
    Number {
        number: String,
    },
    /// A correction of what was recorded: a field and its new value (never an edit).
    Correct {
        field: String,
        value: String,
    },
}

impl Step {
    pub fn kind(&self) -> HazardEventKind {
        match self {
            Step::Transfer { .. } => HazardEventKind::Transferred,
            Step::Rectify { .. } => HazardEventKind::Rectifying,
            Step::ReportRectified => HazardEventKind::RectificationReported,
            Step::Verify { .. } => HazardEventKind::Verified,
            Step::CloseOut { .. } => HazardEventKind::ClosedOut,
            Step::ListForSupervision { .. } => HazardEventKind::ListedForSupervision,
            Step::Number { .. } => HazardEventKind::Numbered,
            Step::Correct { .. } => HazardEventKind::Corrected,
        }
    }

    pub fn payload(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// A verification's outcome in a line: 验收通过（甲） / 验收未通过（甲），重新限期至 2023-10-01.
    pub fn verification_text(&self) -> Option<String> {
        let Step::Verify {
            passed,
            by,
            new_deadline,
            case_opened,
        } = self
        else {
            return None;
        };
        Some(match (passed, new_deadline, case_opened) {
            (true, _, _) => format!("验收通过（{by}）"),
            (false, Some(d), _) => format!("验收未通过（{by}），重新限期至 {d}"),
            (false, None, true) => format!("验收未通过（{by}），立案查处"),
            (false, None, false) => format!("验收未通过（{by}），退回整改"),
        })
    }

    /// The step an event records (`None` for the 登记 event and unreadable payloads).
    pub fn of(event: &HazardEvent) -> Option<Step> {
        serde_json::from_value(event.payload.clone()).ok()
    }
}

/// A verification as the inspector records it: passed, or failed with what follows — a new
/// deadline (a day after `today`) or a case opened — one of the two, never neither.
pub fn verification(
    passed: bool,
    by: String,
    new_deadline: Option<NaiveDate>,
    case_opened: bool,
    today: NaiveDate,
) -> Result<Step, String> {
    if !passed {
        match (new_deadline, case_opened) {
            (None, false) => {
                return Err(
                    "验收未通过：请给出新的整改期限，或选择立案查处（复查不合格须有下文）"
                        .to_string(),
                );
            }
            (Some(d), _) if d <= today => {
                return Err(format!("新的整改期限 {d} 应晚于今天"));
            }
            _ => {}
        }
    }
    let step = Step::Verify {
        passed,
        by,
        new_deadline: new_deadline.filter(|_| !passed),
        case_opened: case_opened && !passed,
    };
    Ok(step)
}

/// The fields a correction may change.
pub const CORRECTABLE: [&str; 5] = ["description", "location", "basis", "grade", "deadline"];

/// A hazard's state, folded from its record and events in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub stage: Stage,
    pub grade: HazardGrade,
    pub fixes: Option<FiveFixes>,
    pub deadline: Option<NaiveDate>,
    pub rectify_immediately: bool,
    pub tracking_person: Option<String>,
    pub number: Option<String>,
    pub closed_by: Option<(String, DateTime<Utc>)>,
    pub description: String,
    /// 部位 and 依据 as corrected.
    pub location: String,
    pub basis: String,
    /// Recorded as major at any point (a correction to 一般 does not lift what a major
    /// hazard's close-out needs).
    pub ever_major: bool,
}

impl Status {
    /// The grade that decides who may close the hazard out: major if it ever was.
    pub fn close_out_grade(&self) -> HazardGrade {
        if self.ever_major {
            HazardGrade::Major
        } else {
            self.grade
        }
    }

    /// 逾期: past the deadline and the rectification not yet reported done.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        overdue(self.stage, self.deadline, today)
    }

    /// Days left until the deadline (negative when overdue).
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        days_left(self.deadline, today)
    }

    pub fn listed(&self) -> bool {
        self.tracking_person.is_some()
    }
}

/// 逾期: past the deadline and the rectification not yet reported done.
pub fn overdue(stage: Stage, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    stage.is_before_verification() && deadline.is_some_and(|d| today > d)
}

/// Days left until the deadline (negative when overdue).
pub fn days_left(deadline: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    deadline.map(|d| (d - today).num_days())
}

/// Folds the events, given in fold order (by occurrence time, ties by id), over the hazard
/// as recorded. A step the lifecycle does not allow where it stands is not in effect: it is
/// kept (records are never dropped) but changes nothing, so every database holding the same
/// events reaches the same state whatever order they arrived in.
pub fn fold<'a>(hazard: &Hazard, events: impl IntoIterator<Item = &'a HazardEvent>) -> Status {
    walk(hazard, events, |_, _, _, _| {})
}

/// [`fold`], telling `visit` for each event (its index, the state just before it, its step,
/// and whether it took effect).
pub fn walk<'a>(
    hazard: &Hazard,
    events: impl IntoIterator<Item = &'a HazardEvent>,
    mut visit: impl FnMut(usize, &Status, Option<&Step>, bool),
) -> Status {
    let mut s = Status {
        stage: Stage::Registered,
        grade: hazard.grade,
        deadline: hazard.fixes.as_ref().map(|f| f.deadline),
        fixes: hazard.fixes.clone(),
        rectify_immediately: hazard.rectify_immediately,
        // A 挂牌督办 proposed with the hazard becomes a listing only by its own step.
        tracking_person: None,
        number: None,
        closed_by: None,
        description: hazard.description.clone(),
        location: hazard.location.clone(),
        basis: hazard.basis.clone(),
        ever_major: hazard.grade == HazardGrade::Major,
    };
    for (i, event) in events.into_iter().enumerate() {
        // 登记 opens a hazard's history: in effect only as its first event.
        if event.kind == super::HazardEventKind::Registered {
            visit(i, &s, None, i == 0);
            continue;
        }
        match Step::of(event) {
            Some(step) if step.kind() == event.kind && check(&s, &step).is_ok() => {
                visit(i, &s, Some(&step), true);
                apply(&mut s, &step);
            }
            step => visit(i, &s, step.as_ref(), false),
        }
    }
    s
}

/// Why adding events to a hazard's history is refused: the index (in fold order) of the event
/// at fault and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misplaced {
    pub index: usize,
    pub reason: String,
}

/// Checks events about to be added to a hazard's history (`new[i]` marks them; all events in
/// fold order): each new one must take effect where it falls, and none already in effect may
/// lose its effect. The same check for a step taken here and for one arriving in a bundle.
///
/// One exception keeps laptops that worked offline converging: when two laptops took the same
/// step (two 整改中, two 移交), the one that falls second simply has no effect, whichever
/// arrives first — the step is in effect once either way.
pub fn check_additions(
    hazard: &Hazard,
    events: &[&HazardEvent],
    new: &[bool],
) -> Result<(), Misplaced> {
    let is_new = |i: usize| new.get(i).copied().unwrap_or(false);
    let mut before = vec![false; events.len()];
    let old: Vec<(usize, &HazardEvent)> = events
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_new(*i))
        .map(|(i, e)| (i, *e))
        .collect();
    walk(hazard, old.iter().map(|(_, e)| *e), |j, _, _, effect| {
        before[old[j].0] = effect;
    });
    let mut after = vec![false; events.len()];
    let mut reasons: Vec<Option<String>> = vec![None; events.len()];
    walk(hazard, events.iter().copied(), |i, status, step, effect| {
        after[i] = effect;
        if !effect {
            reasons[i] = Some(match step.map(|s| check(status, s)) {
                _ if events[i].kind == super::HazardEventKind::Registered => {
                    "登记只能是隐患的第一条办理记录".to_string()
                }
                Some(Err(reason)) => reason,
                // Readable and allowed here, yet not in effect: its kind says another step.
                Some(Ok(())) => "办理内容与记录类型不符".to_string(),
                None => "办理内容无法识别或与记录类型不符".to_string(),
            });
        }
    });
    // The same kind of step in effect elsewhere: a concurrent duplicate, harmless. (A readable
    // step of that kind only: an unreadable payload is never a duplicate.)
    // (A passed and a failed verification are not the same step.)
    let same = |e: &HazardEvent| {
        Step::of(e).filter(|s| s.kind() == e.kind).map(|s| match s {
            Step::Verify { passed, .. } => (e.kind, Some(passed)),
            _ => (e.kind, None),
        })
    };
    let twin = |i: usize| {
        same(events[i]).is_some_and(|key| {
            events
                .iter()
                .enumerate()
                .any(|(j, e)| j != i && after[j] && same(e) == Some(key))
        })
    };
    for i in 0..events.len() {
        if after[i] || twin(i) {
            continue;
        }
        let reason = reasons[i].clone().unwrap_or_default();
        if is_new(i) {
            return Err(Misplaced { index: i, reason });
        }
        if before[i] {
            return Err(Misplaced {
                index: i,
                reason: format!(
                    "会使已有的一条办理记录失效（{reason}）：两台电脑对同一隐患的办理相互冲突"
                ),
            });
        }
    }
    Ok(())
}

fn apply(s: &mut Status, step: &Step) {
    match step {
        Step::Transfer { .. } => s.stage = Stage::Transferred,
        Step::Rectify { fixes } => {
            if let Some(f) = fixes {
                s.deadline = Some(f.deadline);
                s.fixes = Some(f.clone());
            }
            s.stage = Stage::Rectifying;
        }
        Step::ReportRectified => s.stage = Stage::RectificationReported,
        Step::Verify { passed: true, .. } => s.stage = Stage::Verified,
        Step::Verify {
            passed: false,
            new_deadline,
            ..
        } => {
            s.stage = Stage::Rectifying;
            if let Some(d) = new_deadline {
                s.deadline = Some(*d);
            }
        }
        Step::CloseOut {
            signer, signed_at, ..
        } => {
            s.stage = Stage::ClosedOut;
            s.closed_by = Some((signer.clone(), *signed_at));
        }
        Step::ListForSupervision { tracking_person } => {
            s.tracking_person = Some(tracking_person.clone())
        }
        Step::Number { number } => s.number = Some(number.clone()),
        Step::Correct { field, value } => match field.as_str() {
            "grade" => {
                if let Ok(g) = HazardGrade::parse(value) {
                    s.grade = g;
                    s.ever_major |= g == HazardGrade::Major;
                }
            }
            "deadline" => {
                if let Some(d) = super::time::parse_day(value) {
                    s.deadline = Some(d);
                }
            }
            "description" => s.description = value.clone(),
            "location" => s.location = value.clone(),
            "basis" => s.basis = value.clone(),
            _ => {}
        },
    }
}

/// Checks that `step` may follow `status` in the closed loop (who may take it is
/// `trust::authorize`'s question). The reason is shown to the user as it is.
pub fn check(status: &Status, step: &Step) -> Result<(), String> {
    use Stage::*;
    let closed = || Err("隐患已销号，不能再办理（如需更正请用“更正”）".to_string());
    match step {
        Step::Correct { field, value } => {
            if !CORRECTABLE.contains(&field.as_str()) {
                return Err(format!(
                    "不能更正“{field}”，可更正：{}",
                    CORRECTABLE.join("、")
                ));
            }
            if value.trim().is_empty() {
                return Err("更正后的内容不能为空".to_string());
            }
            match field.as_str() {
                "grade" if HazardGrade::parse(value).is_err() => {
                    Err(format!("隐患等级应为“重大”或“一般”，不是“{value}”"))
                }
                "deadline" if super::time::parse_day(value).is_none() => Err(format!(
                    "整改时限应为日期，格式如 2023-09-15，不是“{value}”"
                )),
                _ => Ok(()),
            }
        }
        // The monthly list numbers every major hazard of the month, closed out or not.
        Step::Number { number } => {
            if status.number.is_some() {
                Err("隐患已经编号，编号不能更改".to_string())
            } else if number.trim().is_empty() {
                Err("编号不能为空".to_string())
            } else {
                Ok(())
            }
        }
        _ if status.stage == ClosedOut => closed(),
        Step::Transfer { to_unit } => match status.stage {
            Registered if to_unit.trim().is_empty() => Err("请填写移交的责任单位".to_string()),
            Registered => Ok(()),
            Transferred => Err("隐患已经移交".to_string()),
            other => Err(format!("隐患已在“{}”阶段，不能再移交", other.label())),
        },
        Step::Rectify { fixes } => match status.stage {
            Registered | Transferred => {
                let has_deadline = fixes.is_some() || status.deadline.is_some();
                if !has_deadline && !status.rectify_immediately {
                    Err("没有整改时限：请先明确责任人、措施、资金、时限和应急预案，才能进入“整改中”"
                        .to_string())
                } else {
                    Ok(())
                }
            }
            Rectifying => Err("隐患已在整改中".to_string()),
            other => Err(format!("隐患已在“{}”阶段，不能再进入整改中", other.label())),
        },
        Step::ReportRectified => match status.stage {
            Rectifying => Ok(()),
            Registered if status.rectify_immediately => Ok(()),
            Registered | Transferred => Err("隐患还没有进入“整改中”，不能报告整改完成".to_string()),
            RectificationReported => Err("已经报告整改完成，等待验收".to_string()),
            other => Err(format!("隐患已在“{}”阶段", other.label())),
        },
        Step::Verify {
            passed: true,
            new_deadline: Some(_),
            ..
        }
        | Step::Verify {
            passed: true,
            case_opened: true,
            ..
        } => Err("验收通过的隐患不再有新的整改期限或立案".to_string()),
        Step::Verify {
            new_deadline: Some(_),
            case_opened: true,
            ..
        } => Err("验收未通过：新的整改期限和立案查处只能选一种".to_string()),
        Step::Verify { by, .. } => match status.stage {
            RectificationReported if by.trim().is_empty() => Err("请填写验收人".to_string()),
            RectificationReported => Ok(()),
            Verified => Err("隐患已经验收".to_string()),
            _ => Err("整改完成报告之后才能验收（先办理“待验收”）".to_string()),
        },
        Step::CloseOut { signer, .. } => match status.stage {
            Verified if signer.trim().is_empty() => Err("请填写签字确认人".to_string()),
            Verified => Ok(()),
            _ => Err("没有验收，不能销号（先复查验收）".to_string()),
        },
        Step::ListForSupervision { tracking_person } => {
            if status.grade != HazardGrade::Major {
                Err("只有重大事故隐患才挂牌督办".to_string())
            } else if status.listed() {
                Err("隐患已经挂牌督办".to_string())
            } else if tracking_person.trim().is_empty() {
                Err("挂牌督办须明确跟踪督办的责任人".to_string())
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests;
