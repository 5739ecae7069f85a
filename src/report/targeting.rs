//! Which enterprises to visit next, unannounced: a transparent score from what the records say
//! (overdue and open majors, recent findings, high-risk sector, the roster's 风险等级, time since
//! the last check — a recent one takes points off), every point shown with its reason — the
//! campaign's "大数据排查", done locally. Weights come from `config/rules.toml`.

use crate::domain::RiskLevel;
use crate::domain::rules::TargetingWeights;
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

/// What the records say about one enterprise.
#[derive(Debug, Clone)]
pub struct EnterpriseFacts {
    pub id: Uuid,
    pub name: String,
    pub high_risk: bool,
    /// The roster's 风险等级, when it gives one.
    pub risk_level: Option<RiskLevel>,
    pub last_inspected: Option<NaiveDate>,
    pub overdue_majors: u32,
    pub open_majors: u32,
    pub hazards_in_last_year: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub enterprise_id: Uuid,
    pub name: String,
    pub score: u32,
    /// One line per source of points, e.g. "逾期重大隐患 1 个（+40）" or "今天已检查（-60）".
    pub reasons: Vec<String>,
}

/// Scores every enterprise on `today`, highest first (ties by name); enterprises with no points
/// are left out.
pub fn rank(facts: &[EnterpriseFacts], w: &TargetingWeights, today: NaiveDate) -> Vec<Target> {
    let mut out: Vec<Target> = facts
        .iter()
        .map(|f| {
            let mut score: i64 = 0;
            let mut reasons = Vec::new();
            let mut add = |points: u32, reason: String| {
                if points > 0 {
                    score += i64::from(points);
                    reasons.push(format!("{reason}（+{points}）"));
                }
            };
            add(
                f.overdue_majors * w.overdue_major,
                format!("逾期未整改的重大隐患 {} 个", f.overdue_majors),
            );
            let open_not_overdue = f.open_majors.saturating_sub(f.overdue_majors);
            add(
                open_not_overdue * w.open_major,
                format!("未销号的重大隐患 {open_not_overdue} 个"),
            );
            add(
                f.hazards_in_last_year * w.hazard_in_last_year,
                format!("近一年发现隐患 {} 个", f.hazards_in_last_year),
            );
            if f.high_risk {
                add(w.high_risk_sector, "高危行业领域".to_string());
            }
            if let Some(level) = f.risk_level {
                let points = match level {
                    RiskLevel::Major => w.risk_major,
                    RiskLevel::High => w.risk_high,
                    RiskLevel::Moderate => w.risk_moderate,
                    RiskLevel::Low => w.risk_low,
                };
                add(points, format!("风险等级：{}", level.label()));
            }
            let mut recent = None;
            match f.last_inspected {
                None => add(w.never_inspected, "从未检查".to_string()),
                Some(last) => {
                    let days = (today - last).num_days().max(0) as u32;
                    let months = (days / 30).min(w.months_cap);
                    add(
                        months * w.per_month_uninspected,
                        format!("距上次检查 {days} 天"),
                    );
                    recent = Some(days);
                }
            }
            // Just inspected: what was found is being followed up already.
            if let Some(days) = recent
                && days < w.recent_days
            {
                let off = w.recently_inspected * (w.recent_days - days) / w.recent_days;
                if off > 0 {
                    score -= i64::from(off);
                    let when = match days {
                        0 => "今天已检查".to_string(),
                        d => format!("{d} 天前已检查"),
                    };
                    reasons.push(format!("{when}（-{off}）"));
                }
            }
            (score, f, reasons)
        })
        .filter(|(score, _, _)| *score > 0)
        .map(|(score, f, reasons)| Target {
            enterprise_id: f.id,
            name: f.name.clone(),
            score: u32::try_from(score).unwrap_or(u32::MAX),
            reasons,
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights() -> TargetingWeights {
        let rules: crate::domain::rules::RulesConfig =
            toml::from_str(include_str!("../../config/rules.toml")).expect("rules");
        rules.targeting
    }

    fn facts(name: &str) -> EnterpriseFacts {
        EnterpriseFacts {
            id: Uuid::nil(),
            name: name.into(),
            high_risk: false,
            risk_level: None,
            last_inspected: NaiveDate::from_ymd_opt(2023, 9, 1),
            overdue_majors: 0,
            open_majors: 0,
            hazards_in_last_year: 0,
        }
    }

    #[test]
    fn every_point_has_its_reason_and_the_worst_comes_first() {
        let today = NaiveDate::from_ymd_opt(2023, 10, 1).expect("date");
        let mut overdue = facts("甲加油站");
        overdue.overdue_majors = 1;
        overdue.open_majors = 2;
        overdue.hazards_in_last_year = 3;
        overdue.high_risk = true;
        let mut never = facts("乙粮库");
        never.last_inspected = None;
        let quiet = facts("丙公司"); // inspected 30 days ago: one month → 3 points
        let ranked = rank(&[quiet, never, overdue], &weights(), today);
        let names: Vec<&str> = ranked.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["甲加油站", "乙粮库", "丙公司"]);
        assert_eq!(ranked[0].score, 40 + 20 + 15 + 10 + 3);
        assert_eq!(
            ranked[0].reasons,
            [
                "逾期未整改的重大隐患 1 个（+40）",
                "未销号的重大隐患 1 个（+20）",
                "近一年发现隐患 3 个（+15）",
                "高危行业领域（+10）",
                "距上次检查 30 天（+3）",
            ]
        );
        assert_eq!(ranked[1].reasons, ["从未检查（+30）"]);
    }

    #[test]
    fn time_since_inspection_is_capped_and_nothing_means_no_entry() {
        let today = NaiveDate::from_ymd_opt(2030, 1, 1).expect("date");
        let long_ago = facts("丁厂");
        let ranked = rank(&[long_ago], &weights(), today);
        assert_eq!(ranked[0].score, 12 * 3, "capped at twelve months");
        let fresh = facts("戊厂");
        assert!(
            rank(
                &[fresh],
                &weights(),
                NaiveDate::from_ymd_opt(2023, 9, 2).expect("date")
            )
            .is_empty()
        );
    }

    #[test]
    fn an_enterprise_inspected_today_ranks_low_and_says_why() {
        let today = NaiveDate::from_ymd_opt(2023, 10, 1).expect("date");
        // Inspected today: three hazards found and two majors still open (found just now).
        let mut visited = facts("甲加油站");
        visited.last_inspected = Some(today);
        visited.open_majors = 2;
        visited.hazards_in_last_year = 3;
        visited.high_risk = true;
        // Not inspected for four months, nothing open.
        let mut waiting = facts("乙粮库");
        waiting.last_inspected = NaiveDate::from_ymd_opt(2023, 6, 1);
        waiting.high_risk = true;
        let mut risky = facts("丙燃气公司");
        risky.last_inspected = NaiveDate::from_ymd_opt(2023, 8, 1);
        risky.risk_level = Some(RiskLevel::Major);
        let ranked = rank(&[visited, waiting, risky], &weights(), today);
        let names: Vec<&str> = ranked.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["丙燃气公司", "乙粮库", "甲加油站"],
            "the most points before today's inspection, the last after it: {ranked:?}"
        );
        // 40 + 15 + 10 points, 60 off for today's inspection: 5 left.
        assert_eq!(ranked[2].score, 2 * 20 + 15 + 10 - 60);
        assert_eq!(
            ranked[2].reasons.last().map(String::as_str),
            Some("今天已检查（-60）")
        );
        // The points off fade: half of them fifteen days later, none after thirty.
        let mut fifteen = facts("丁厂");
        fifteen.risk_level = Some(RiskLevel::Major);
        fifteen.last_inspected = NaiveDate::from_ymd_opt(2023, 9, 16);
        fifteen.open_majors = 2;
        let ranked = rank(&[fifteen], &weights(), today);
        assert_eq!(ranked[0].score, 40 + 30 - 30);
        assert!(
            ranked[0]
                .reasons
                .contains(&"15 天前已检查（-30）".to_string())
        );
    }

    #[test]
    fn the_rosters_risk_level_adds_its_points_with_the_reason() {
        let today = NaiveDate::from_ymd_opt(2023, 10, 1).expect("date");
        let w = weights();
        let cases = [
            (RiskLevel::Major, w.risk_major, "风险等级：重大风险"),
            (RiskLevel::High, w.risk_high, "风险等级：较大风险"),
            (RiskLevel::Moderate, w.risk_moderate, "风险等级：一般风险"),
        ];
        for (level, points, reason) in cases {
            assert!(points > 0, "{reason}");
            let mut f = facts("戊公司");
            f.risk_level = Some(level);
            let ranked = rank(&[f], &w, today);
            assert_eq!(
                ranked[0].score,
                points + 3,
                "{level:?}: plus 30 days uninspected"
            );
            assert_eq!(ranked[0].reasons[0], format!("{reason}（+{points}）"));
        }
        let mut low = facts("己公司");
        low.risk_level = Some(RiskLevel::Low);
        let ranked = rank(&[low], &w, today);
        assert_eq!(
            ranked[0].reasons,
            ["距上次检查 30 天（+3）"],
            "低风险 adds nothing"
        );
        let mut major = facts("庚公司");
        major.risk_level = Some(RiskLevel::Major);
        let ranked = rank(&[major, facts("辛公司")], &w, today);
        assert_eq!(
            ranked[0].name, "庚公司",
            "重大风险 ranks before the same record without"
        );
    }
}
