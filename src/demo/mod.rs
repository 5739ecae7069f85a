//! Demonstration data: enterprises of 方山县 across the campaign's sectors, finalized (signed)
//! inspections from the shipped checklists with realistic answers, hazards in every state of the
//! closed loop, evidence records with some expired certificates, enforcement actions and the
//! activity log. Written through the same store calls the app uses, so everything is checked
//! and signed as real records are. The same seed gives the same content (ids and record times
//! are new each run).

mod fill;
mod people;
mod rng;

use crate::domain::Inspector;
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;
pub use rng::Rng;

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub enterprises: usize,
    pub inspections: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            enterprises: 30,
            inspections: 60,
            seed: 2023,
        }
    }
}

/// What was made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub enterprises: usize,
    pub inspections: usize,
    pub hazards: usize,
    pub events: usize,
    pub evidence: usize,
    pub actions: usize,
    pub activities: usize,
}

impl DemoSummary {
    pub fn text(&self) -> String {
        format!(
            "企业 {} 家、检查 {} 次（均已定稿签名）、隐患 {} 个（办理记录 {} 条）、检查材料 {} 份、执法措施 {} 条、工作活动 {} 条",
            self.enterprises,
            self.inspections,
            self.hazards,
            self.events,
            self.evidence,
            self.actions,
            self.activities
        )
    }
}

/// Fills `store` with demonstration data. Refused when the store already holds enterprises
/// (demo records must never mix with real ones). A device without a profile gets the demo
/// inspector's.
pub fn generate(
    store: &mut Store,
    catalog: &Catalog,
    options: DemoOptions,
) -> Result<DemoSummary, StoreError> {
    if store.enterprise_count()? > 0 {
        return Err(StoreError::Invalid(
            "这里已有企业数据：演示数据只能载入空的数据目录（可用 --data-dir 指定一个新目录）"
                .into(),
        ));
    }
    if options.enterprises == 0 {
        return Err(StoreError::Invalid("企业数应至少为 1".into()));
    }
    if store.profile()?.is_none() {
        store.set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })?;
    }
    demo_office(store)?;
    store.set_permissions(catalog.rules.permissions.clone());
    fill::Filler::new(store, catalog, options).run()
}

/// The demo data dir is an office of its own: its profile is the clerk (and an inspector and
/// group leader, to walk hazards through every step) and 王国锋 the leader who signs major
/// close-outs, on paper, recorded by the clerk.
fn demo_office(store: &mut Store) -> Result<(), StoreError> {
    if store.roster()?.is_some() {
        return Ok(());
    }
    one_person_office(store, "方山县应急管理局（演示）", DEMO_LEADER)
}

/// Makes `store` a one-person office (for demonstrations and tests): its profile — set to the
/// demo inspector if there is none — is enrolled as clerk, inspector and group leader, and
/// `leader` (no key) as the leader who signs major close-outs.
pub fn one_person_office(store: &mut Store, office: &str, leader: &str) -> Result<(), StoreError> {
    use crate::domain::trust::{Body, Role};
    if store.profile()?.is_none() {
        store.set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })?;
    }
    store.office_init(office, &[Role::Inspector, Role::GroupLeader])?;
    store.roster_append(vec![Body::Person {
        person_id: crate::storage::new_person_id(),
        name: leader.into(),
        cert_no: String::new(),
        group_code: None,
        roles: vec![Role::CloseOutLeader],
        active: true,
    }])?;
    Ok(())
}

/// The county leader who signs the demo's major close-outs.
pub const DEMO_LEADER: &str = "王国锋";
