//! The records a table counts: those of the scope and the period, each hazard folded to the
//! end of the cut-off day, corrected records left out.

use super::{Input, Period, Scope, day_of};
use crate::domain::lifecycle;
use std::collections::HashSet;
use uuid::Uuid;

/// A hazard as it stood at the end of the period.
pub(super) struct HazardAt<'a> {
    pub(super) facts: &'a crate::report::HazardFacts,
    pub(super) day: chrono::NaiveDate,
    pub(super) status: lifecycle::Status,
}

/// The records of the scope and the period, ready for the rows.
pub struct View<'a> {
    pub(super) input: &'a Input<'a>,
    pub(super) hazards: Vec<HazardAt<'a>>,
    pub(super) inspections: Vec<&'a crate::storage::InspectionFact>,
    pub(super) actions: Vec<(
        &'a crate::domain::Record<crate::domain::EnforcementAction>,
        Option<Uuid>,
    )>,
    pub(super) activities: Vec<&'a crate::domain::Record<crate::domain::Activity>>,
}

impl<'a> View<'a> {
    pub fn new(input: &'a Input<'a>, scope: &Scope, period: Period) -> View<'a> {
        let in_group = |author: &Uuid, group: &str| {
            input
                .groups
                .get(author)
                .is_some_and(|g| g.as_deref() == Some(group))
        };
        let in_sectors = |enterprise: Option<Uuid>, sectors: &[String]| {
            enterprise
                .and_then(|e| input.enterprises.get(&e))
                .and_then(|e| e.sector_code.as_ref())
                .is_some_and(|s| sectors.contains(s))
        };
        let covers = |author: &Uuid, enterprise: Option<Uuid>| match scope {
            Scope::All => true,
            Scope::Own { group } => in_group(author, group),
            Scope::Sector { sectors, .. } => in_sectors(enterprise, sectors),
        };
        let hazards = input
            .hazards
            .iter()
            .filter(|h| covers(&h.hazard.meta.author_id, Some(h.hazard.data.enterprise_id)))
            .filter_map(|h| {
                let day = day_of(h.hazard.data.found_at);
                if !period.contains(day) {
                    return None;
                }
                // As it stood at the end of the cut-off day: later events do not count yet.
                let events = h
                    .events
                    .iter()
                    .filter(|e| day_of(e.data.occurred_at) <= period.to)
                    .map(|e| &e.data);
                Some(HazardAt {
                    facts: h,
                    day,
                    status: lifecycle::fold(&h.hazard.data, events),
                })
            })
            .collect();
        let inspections = input
            .inspections
            .iter()
            .filter(|i| covers(&i.author_id, Some(i.enterprise_id)))
            .filter(|i| period.contains(day_of(i.arrival_at)))
            .collect();
        // A correction replaces the record it corrects (records are never edited).
        let corrected_actions: HashSet<Uuid> = input
            .actions
            .iter()
            .filter_map(|a| a.data.corrects)
            .collect();
        let hazard_enterprise: std::collections::HashMap<Uuid, Uuid> = input
            .hazards
            .iter()
            .map(|h| (h.hazard.id(), h.hazard.data.enterprise_id))
            .collect();
        let inspection_enterprise: std::collections::HashMap<Uuid, Uuid> = input
            .inspections
            .iter()
            .map(|i| (i.id, i.enterprise_id))
            .collect();
        let actions = input
            .actions
            .iter()
            .filter(|a| !corrected_actions.contains(&a.id()))
            .filter(|a| period.contains(a.data.decided_on))
            .map(|a| {
                let d = &a.data;
                let enterprise = d
                    .enterprise_id
                    .or_else(|| d.hazard_id.and_then(|h| hazard_enterprise.get(&h).copied()))
                    .or_else(|| {
                        d.inspection_id
                            .and_then(|i| inspection_enterprise.get(&i).copied())
                    });
                (a, enterprise)
            })
            .filter(|(a, enterprise)| covers(&a.meta.author_id, *enterprise))
            .collect();
        let corrected_activities: HashSet<Uuid> = input
            .activities
            .iter()
            .filter_map(|a| a.data.corrects)
            .collect();
        let activities = input
            .activities
            .iter()
            .filter(|a| !corrected_activities.contains(&a.id()))
            .filter(|a| period.contains(a.data.held_on))
            .filter(|a| match scope.group() {
                None => true,
                // Organisational work belongs to the group that logged it, in both scopes.
                Some(group) => match &a.data.group_code {
                    Some(g) => g == group,
                    None => in_group(&a.meta.author_id, group),
                },
            })
            .collect();
        View {
            input,
            hazards,
            inspections,
            actions,
            activities,
        }
    }

    pub(super) fn enterprise_name(&self, id: Option<Uuid>) -> String {
        id.and_then(|e| self.input.enterprises.get(&e))
            .map_or_else(|| "（未关联企业）".to_string(), |e| e.name.clone())
    }
}
