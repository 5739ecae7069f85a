//! The rule of every row: which records each figure of the form counts (the cell builders
//! are in `cells.rs`). Each figure is derived from its selection, so a cell's records are
//! exactly what it counted.

use super::cells::{
    Sum, Tally, actions, activities, guidance_visits, hazards, rectified, spot_checked,
};
use super::view::{HazardAt, View};
use super::{Figure, Row};
use crate::domain::{ActivityKind, ActivityLevel, EnforcementKind, HazardSource};

/// The form's rows, in order, with their rules.
pub fn all(v: &View) -> Vec<Row> {
    use HazardSource::*;
    let mut rows = Vec::with_capacity(36);
    let mut row = |code, label, cells| rows.push(Row { code, label, cells });
    let pairs: [(&str, &str, &str, &str, HazardSource); 4] = [
        (
            "A1",
            "企业自查发现的重大事故隐患（个）",
            "A2",
            "企业自查发现重大事故隐患中已完成整改的（个）",
            SelfCheck,
        ),
        (
            "A3",
            "执法检查发现的重大事故隐患（个）",
            "A4",
            "执法检查发现重大事故隐患中已完成整改的（个）",
            Inspection,
        ),
        (
            "A5",
            "群众举报的重大事故隐患（个）",
            "A6",
            "群众举报的重大事故隐患中已完成整改的（个）",
            PublicReport,
        ),
        (
            "A7",
            "上级交办的重大事故隐患（个）",
            "A8",
            "上级交办的重大事故隐患中已完成整改的（个）",
            Assigned,
        ),
    ];
    for (found, found_label, done, done_label, source) in pairs {
        let of = |h: &HazardAt| h.facts.hazard.data.source == source;
        row(found, found_label, vec![hazards(v, "", |h| of(h))]);
        row(
            done,
            done_label,
            vec![hazards(v, "", |h| of(h) && rectified(h))],
        );
    }
    row(
        "A9",
        "政府部门挂牌督办的重大事故隐患（个）",
        vec![hazards(v, "", |h| h.status.listed())],
    );
    row(
        "A10",
        "挂牌督办重大事故隐患中已完成整改的（个）",
        vec![hazards(v, "", |h| h.status.listed() && rectified(h))],
    );

    row(
        "B1",
        "抽查检查的企业总数（家）",
        vec![spot_checked(v, None)],
    );
    let b: [(&str, &str); 7] = [
        ("B2", "企业主要负责人未按要求亲自研究排查整治工作（家）"),
        ("B3", "企业主要负责人未带队检查（家）"),
        ("B4", "企业未制定分管负责人职责清单（家）"),
        ("B5", "企业未依法建立安全管理机构和配足安全管理人员（家）"),
        ("B6", "电焊等特种作业岗位人员无证上岗作业（家）"),
        ("B7", "外包外租安全管理混乱（家）"),
        ("B8", "未按规定开展应急演练、员工不熟悉逃生出口（家）"),
    ];
    for (code, label) in b {
        row(code, label, vec![spot_checked(v, Some(code))]);
    }

    use EnforcementKind as K;
    row(
        "C1",
        "帮扶指导重点镇（个次）",
        vec![activities(
            v,
            "",
            ActivityKind::TownGuidance,
            None,
            Tally::Entries,
        )],
    );
    row("C2", "帮扶指导重点企业（家次）", vec![guidance_visits(v)]);
    row(
        "C3",
        "行政处罚（次，万元）",
        vec![
            actions(
                v,
                "次",
                &[K::Penalty, K::DualPenalty],
                Sum::Decisions,
                |_| true,
            ),
            actions(
                v,
                "万元",
                &[K::Penalty, K::DualPenalty],
                Sum::Amount,
                |_| true,
            ),
        ],
    );
    row(
        "C4",
        "企业和企业主要负责人“一案双罚”（次）",
        vec![actions(v, "", &[K::DualPenalty], Sum::Entries, |_| true)],
    );
    row(
        "C5",
        "移送司法机关（人）",
        vec![actions(v, "", &[K::JudicialTransfer], Sum::Persons, |_| {
            true
        })],
    );
    row(
        "C6",
        "责令停产整顿/关闭取缔（家）",
        vec![
            actions(v, "停产", &[K::Suspension], Sum::Enterprises, |_| true),
            actions(v, "关闭", &[K::Closure], Sum::Enterprises, |_| true),
        ],
    );
    row(
        "C7",
        "曝光、约谈、联合惩戒企业（家）",
        vec![actions(
            v,
            "",
            &[K::Exposure, K::InterviewNotice],
            Sum::Enterprises,
            |_| true,
        )],
    );
    row(
        "C8",
        "公布典型案例（个），其中危险作业罪案例（个）",
        vec![
            actions(v, "", &[K::CasePublication], Sum::Entries, |_| true),
            actions(
                v,
                "其中危险作业罪",
                &[K::CasePublication],
                Sum::Entries,
                |a| a.dangerous_operation_crime,
            ),
        ],
    );
    row(
        "C9",
        "责任倒查追责问责（人）",
        vec![actions(v, "", &[K::Accountability], Sum::Persons, |_| true)],
    );
    row(
        "C10",
        "约谈通报企业（次）",
        vec![actions(v, "", &[K::InterviewNotice], Sum::Entries, |_| {
            true
        })],
    );

    use ActivityLevel::{County, Department, Town};
    let three = |kind| {
        vec![
            activities(v, "县", kind, Some(County), Tally::Entries),
            activities(v, "镇", kind, Some(Town), Tally::Entries),
            activities(v, "部门", kind, Some(Department), Tally::Entries),
        ]
    };
    row(
        "D1",
        "专项行动小组组织专题学习安全生产十五条硬措施（次）",
        three(ActivityKind::GroupStudy),
    );
    row(
        "D2",
        "股室负责人分别专题研究（次）",
        three(ActivityKind::SectionStudy),
    );
    row(
        "D3",
        "领导小组负责同志分别现场督导检查（次）",
        three(ActivityKind::LeaderSupervision),
    );
    row(
        "D4",
        "分管领导分别到企业宣讲（次）",
        vec![activities(
            v,
            "",
            ActivityKind::LeaderBriefing,
            None,
            Tally::Entries,
        )],
    );
    row(
        "D5",
        "举报奖励（万元），其中匿名举报查实奖励（万元）",
        vec![
            activities(
                v,
                "",
                ActivityKind::ReportReward,
                None,
                Tally::Amount {
                    anonymous_only: false,
                },
            ),
            activities(
                v,
                "其中匿名举报查实",
                ActivityKind::ReportReward,
                None,
                Tally::Amount {
                    anonymous_only: true,
                },
            ),
        ],
    );
    let mut media = activities(v, "", ActivityKind::MediaColumn, None, Tally::Entries);
    media.figure = Figure::YesNo(!media.records.is_empty());
    row("D6", "是否在本级主流媒体播放安全生产专题栏目", vec![media]);
    row(
        "D7",
        "配备专兼职技术检查员数量（人）",
        vec![
            activities(
                v,
                "县",
                ActivityKind::TechInspectors,
                Some(County),
                Tally::Stock,
            ),
            activities(
                v,
                "镇",
                ActivityKind::TechInspectors,
                Some(Town),
                Tally::Stock,
            ),
        ],
    );
    row(
        "D8",
        "组织开展考核巡查督导检查（次）",
        vec![activities(
            v,
            "",
            ActivityKind::AssessmentTour,
            None,
            Tally::Entries,
        )],
    );
    rows
}
