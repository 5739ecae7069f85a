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
