//! Loading what the monthly table counts, once, for the CLI and the TUI alike.

use crate::report::HazardFacts;
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;
use std::collections::HashMap;

/// Everything the monthly table is computed from, loaded once (see `monthly::Input`).
pub struct MonthlyData {
    pub hazards: Vec<HazardFacts>,
    pub inspections: Vec<crate::storage::InspectionFact>,
    pub actions: Vec<crate::domain::Record<crate::domain::EnforcementAction>>,
    pub activities: Vec<crate::domain::Record<crate::domain::Activity>>,
    pub groups: HashMap<uuid::Uuid, Option<String>>,
    pub officers: HashMap<uuid::Uuid, Vec<uuid::Uuid>>,
    pub sector_groups: HashMap<String, Vec<String>>,
    pub enterprises: HashMap<uuid::Uuid, crate::storage::EnterpriseFact>,
    pub item_rows: HashMap<(String, String), Vec<String>>,
}

impl MonthlyData {
    pub fn load(store: &Store, catalog: &Catalog) -> Result<MonthlyData, StoreError> {
        let mut item_rows = HashMap::new();
        for (checklist, _) in &catalog.checklists {
            for (_, item) in checklist.items() {
                let rows: Vec<String> = item
                    .report_rows
                    .iter()
                    .filter(|r| crate::domain::report_codes::fed_by_items(r))
                    .cloned()
                    .collect();
                if !rows.is_empty() {
                    item_rows.insert((checklist.id.clone(), item.code.clone()), rows);
                }
            }
        }
        let mut sector_groups: HashMap<String, Vec<String>> = HashMap::new();
        for group in &catalog.campaign.groups {
            for sector in &group.sectors {
                sector_groups
                    .entry(sector.clone())
                    .or_default()
                    .push(group.code.clone());
            }
        }
        Ok(MonthlyData {
            hazards: crate::report::gather::hazard_facts(store)?,
            inspections: store.inspection_facts()?,
            actions: store.enforcement_actions()?,
            activities: store.activities()?,
            groups: store.inspector_groups()?,
            officers: store.inspection_officers()?,
            sector_groups,
            enterprises: store.enterprise_facts()?,
            item_rows,
        })
    }

    pub fn input(&self) -> super::Input<'_> {
        super::Input {
            hazards: &self.hazards,
            inspections: &self.inspections,
            actions: &self.actions,
            activities: &self.activities,
            groups: &self.groups,
            officers: &self.officers,
            sector_groups: &self.sector_groups,
            enterprises: &self.enterprises,
            item_rows: &self.item_rows,
        }
    }
}
