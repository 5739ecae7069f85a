//! The roles the office grants in its roster, and the default table of which role may take
//! which step (`config/rules.toml`, `[permissions]`: an office may change it).

use crate::domain::code_enum::code_enum;
use serde::{Deserialize, Serialize};

code_enum! {
    /// What a person enrolled in the office's roster may do.
    Role, "角色" {
        /// Inspects enterprises, records findings, follows hazards up.
        Inspector = "inspector" / "检查人员",
        /// Leads one of the campaign's groups: lists hazards for supervision, closes out
        /// general hazards.
        GroupLeader = "group_leader" / "组长",
        /// A county leader who may sign the close-out (销号) of a major hazard.
        CloseOutLeader = "close_out_leader" / "销号签字领导",
        /// The office clerk (内勤): numbers hazards and documents, records office sources and
        /// a leader's written sign-off.
        Clerk = "clerk" / "内勤",
    }
}

/// Who may take each kind of step: roles per action. One table, applied by
/// [`super::authorize`] for the TUI, the CLI and every import alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// 登记 of a hazard found on an inspection (the author must also be one of its inspectors).
    pub register_on_inspection: Vec<Role>,
    /// 登记 of a hazard from an office source (public report, assignment, self-check).
    pub register_office_source: Vec<Role>,
    pub transfer: Vec<Role>,
    pub rectify: Vec<Role>,
    pub report_rectified: Vec<Role>,
    pub verify: Vec<Role>,
    pub list_for_supervision: Vec<Role>,
    pub close_out_general: Vec<Role>,
    /// 销号 of a major hazard signed by the leader with their own key (the signer named in
    /// the step must be the author).
    pub close_out_major: Vec<Role>,
    /// 销号 of a major hazard recorded from the leader's written sign-off (the leader named
    /// must hold `close_out_major`).
    pub close_out_major_on_paper: Vec<Role>,
    pub number: Vec<Role>,
    /// Corrections of a hazard, besides its own author.
    pub correct: Vec<Role>,
    /// Adding or editing an enterprise in the register.
    pub enterprise: Vec<Role>,
    /// Enforcement actions, activities and addenda.
    pub record: Vec<Role>,
}

impl Default for Permissions {
    /// The table of the issue that introduced the roster (also in `config/rules.toml`).
    fn default() -> Self {
        use Role::*;
        let anyone = vec![Inspector, GroupLeader, CloseOutLeader, Clerk];
        Permissions {
            register_on_inspection: vec![Inspector],
            register_office_source: vec![Clerk],
            transfer: vec![Inspector, Clerk],
            rectify: vec![Inspector, Clerk],
            report_rectified: vec![Inspector, Clerk],
            verify: vec![Inspector],
            list_for_supervision: vec![GroupLeader, Clerk],
            close_out_general: vec![GroupLeader, Clerk],
            close_out_major: vec![CloseOutLeader],
            close_out_major_on_paper: vec![Clerk],
            number: vec![Clerk],
            correct: vec![Clerk],
            enterprise: anyone.clone(),
            record: anyone,
        }
    }
}

/// A person's roles as Chinese labels, listed ("无" when none).
pub fn listed(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "无".to_string();
    }
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// Roles as Chinese labels joined for a message.
pub fn labels(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "（无人）".to_string();
    }
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("或")
}
