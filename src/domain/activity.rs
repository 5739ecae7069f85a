//! The activity log behind the D rows (and C1) of the monthly table.

use super::code_enum::code_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

code_enum! {
    ActivityKind, "工作活动" {
        /// C1: 帮扶指导重点镇.
        TownGuidance = "town_guidance" / "帮扶指导重点镇",
        /// D1: 专项行动小组专题学习安全生产十五条硬措施.
        GroupStudy = "group_study" / "专题学习十五条硬措施",
        /// D2: 股室负责人专题研究.
        SectionStudy = "section_study" / "股室负责人专题研究",
        /// D3: 领导小组负责同志现场督导检查.
        LeaderSupervision = "leader_supervision" / "领导现场督导检查",
        /// D4: 分管领导到企业宣讲.
        LeaderBriefing = "leader_briefing" / "分管领导到企业宣讲",
        /// D5: 举报奖励.
        ReportReward = "report_reward" / "举报奖励",
        /// D6: 本级主流媒体安全生产专题栏目.
        MediaColumn = "media_column" / "主流媒体专题栏目",
        /// D7: 专兼职技术检查员.
        TechInspectors = "tech_inspectors" / "配备专兼职技术检查员",
        /// D8: 考核巡查督导检查.
        AssessmentTour = "assessment_tour" / "考核巡查督导检查",
    }
}

code_enum! {
    /// The county / town / department split some D rows ask for.
    ActivityLevel, "层级" {
        County = "county" / "县",
        Town = "town" / "镇",
        Department = "department" / "部门",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub level: ActivityLevel,
    pub group_code: Option<String>,
    pub held_on: NaiveDate,
    pub title: String,
    /// D5 reward amount in fen; D7 head count in `count`.
    pub amount_fen: Option<i64>,
    pub count: Option<u32>,
    /// D5: the reward was for a verified anonymous report.
    pub anonymous: bool,
    pub note: String,
    /// When this entry corrects an earlier one (the log is append-only).
    pub corrects: Option<Uuid>,
}

impl ActivityKind {
    /// The row of the monthly table the kind feeds.
    pub fn report_row(self) -> &'static str {
        match self {
            ActivityKind::TownGuidance => "C1",
            ActivityKind::GroupStudy => "D1",
            ActivityKind::SectionStudy => "D2",
            ActivityKind::LeaderSupervision => "D3",
            ActivityKind::LeaderBriefing => "D4",
            ActivityKind::ReportReward => "D5",
            ActivityKind::MediaColumn => "D6",
            ActivityKind::TechInspectors => "D7",
            ActivityKind::AssessmentTour => "D8",
        }
    }
}

impl Activity {
    /// The note that books a report reward on the hazard it rewards (`hazard add --reward`):
    /// the monthly table counts such a reward from the day the report is verified true.
    pub fn reward_note(hazard: Uuid) -> String {
        format!("隐患 {hazard}")
    }

    /// The hazard a report reward is booked on, read from its note (see
    /// [`Activity::reward_note`]); `None` for any other entry.
    pub fn rewarded_hazard(&self) -> Option<Uuid> {
        if self.kind != ActivityKind::ReportReward {
            return None;
        }
        let id = self.note.trim().strip_prefix("隐患")?.trim();
        Uuid::parse_str(id).ok()
    }

    /// What the monthly table needs of an entry of this kind, in Chinese when missing.
    pub fn check(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("名称不能为空".into());
        }
        match self.kind {
            ActivityKind::ReportReward if self.amount_fen.is_none() => {
                Err("举报奖励需要写明金额（万元）".into())
            }
            ActivityKind::TechInspectors if self.count.is_none() => {
                Err("配备专兼职技术检查员需要写明人数".into())
            }
            ActivityKind::TechInspectors if self.level == ActivityLevel::Department => {
                Err("配备专兼职技术检查员只分县、镇两级统计，层级请选县或镇".into())
            }
            _ => Ok(()),
        }
    }
}

/// 万元 as typed ("0.5", "0.5万元", "5000元") to fen, exactly; see [`super::money::parse_wan`].
pub fn wan_to_fen(text: &str) -> Result<i64, String> {
    super::money::parse_wan(text)
}

#[cfg(test)]
mod tests {
    use super::wan_to_fen;

    #[test]
    fn amounts_in_wan_become_exact_fen_and_bad_ones_are_refused() {
        assert_eq!(wan_to_fen("0.5").ok(), Some(500_000));
        assert_eq!(wan_to_fen("12").ok(), Some(12_000_000));
        assert_eq!(wan_to_fen("0.000001").ok(), Some(1));
        assert_eq!(wan_to_fen("9999.999999").ok(), Some(9_999_999_999));
        for bad in [
            "",
            ".5",
            "1.0000001",
            "-1",
            "1,5",
            "一万",
            "99999999999999",
            "10000",
        ] {
            assert!(wan_to_fen(bad).is_err(), "{bad}");
        }
    }
}
