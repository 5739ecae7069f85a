//! The records a table counts: those of the scope and the period, each hazard folded to the
//! end of the cut-off day, corrected records left out.

use super::{Input, Period, Scope, day_of};
use crate::domain::HazardSource;
use crate::domain::lifecycle::{self, Step};
use crate::report::HazardFacts;
use std::collections::{HashMap, HashSet};
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
    pub(super) activities: Vec<ActivityAt<'a>>,
}

/// An activity entry with the day that puts it in the period: the day it was held, or for a
/// report reward booked on a hazard, the day the report was verified true (查实).
pub(super) struct ActivityAt<'a> {
    pub(super) entry: &'a crate::domain::Record<crate::domain::Activity>,
    pub(super) day: chrono::NaiveDate,
    /// For a reward booked on a hazard: that hazard was verified true on `day`.
    pub(super) verified_report: bool,
}

/// Who a record belongs to in a group's own table (本股室), and when a reported hazard was
/// verified true. The rules are in `docs/reports.md`.
struct Owners<'a> {
    input: &'a Input<'a>,
    hazards: HashMap<Uuid, &'a HazardFacts>,
}

impl<'a> Owners<'a> {
    fn new(input: &'a Input<'a>) -> Owners<'a> {
        Owners {
            input,
            hazards: input.hazards.iter().map(|h| (h.hazard.id(), h)).collect(),
        }
    }

    /// The inspector is a member of `group` (roster, else profile: see `inspector_groups`).
    fn member(&self, inspector: &Uuid, group: &str) -> bool {
        self.input
            .groups
            .get(inspector)
            .is_some_and(|g| g.as_deref() == Some(group))
    }

    /// An inspector of `group` took part in the inspection (author or co-inspector).
    fn took_part(&self, inspection: Uuid, group: &str) -> bool {
        self.input
            .officers
            .get(&inspection)
            .is_some_and(|ids| ids.iter().any(|i| self.member(i, group)))
    }

    /// The groups responsible for the enterprise's sector (本行业领域), if any.
    fn responsible(&self, enterprise: Uuid) -> Option<&'a Vec<String>> {
        self.input
            .enterprises
            .get(&enterprise)
            .and_then(|e| e.sector_code.as_ref())
            .and_then(|s| self.input.sector_groups.get(s))
            .filter(|groups| !groups.is_empty())
    }

    /// A hazard is the own of the groups that found it on an inspection (every officer's
    /// group, and its author's); a hazard entered at the office (enterprise self-check,
    /// public report, assigned from above — no inspection) is the own of the group
    /// responsible for the enterprise's sector, or its author's when no group is.
    fn hazard(&self, h: &crate::domain::Record<crate::domain::Hazard>, group: &str) -> bool {
        let author = self.member(&h.meta.author_id, group);
        match h.data.inspection_id {
            Some(inspection) => author || self.took_part(inspection, group),
            None if h.data.source == HazardSource::Inspection => author,
            None => match self.responsible(h.data.enterprise_id) {
                Some(groups) => groups.iter().any(|g| g == group),
                None => author,
            },
        }
    }

    /// An enforcement action is its author's group's own, and follows the inspection or the
    /// hazard it was decided on.
    fn action(
        &self,
        a: &crate::domain::Record<crate::domain::EnforcementAction>,
        group: &str,
    ) -> bool {
        self.member(&a.meta.author_id, group)
            || a.data
                .inspection_id
                .is_some_and(|i| self.took_part(i, group))
            || a.data
                .hazard_id
                .and_then(|h| self.hazards.get(&h))
                .is_some_and(|h| self.hazard(&h.hazard, group))
    }

    /// The day a reported hazard was verified true (查实), if it was by the end of `to`: the
    /// first 验收 in effect, passed or not — a follow-up on site found the hazard the report
    /// named (fixed, or still there).
    fn verified_on(&self, hazard: Uuid, to: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
        let h = self.hazards.get(&hazard)?;
        let mut first = None;
        lifecycle::walk(
            &h.hazard.data,
            h.events.iter().map(|e| &e.data),
            |i, _, step, effect| {
                if first.is_none() && effect && matches!(step, Some(Step::Verify { .. })) {
                    first = h.events.get(i).map(|e| day_of(e.data.occurred_at));
                }
            },
        );
        first.filter(|day| *day <= to)
    }
}

impl<'a> View<'a> {
    pub fn new(input: &'a Input<'a>, scope: &Scope, period: Period) -> View<'a> {
        let owners = Owners::new(input);
        let in_sectors = |enterprise: Option<Uuid>, sectors: &[String]| {
            enterprise
                .and_then(|e| input.enterprises.get(&e))
                .and_then(|e| e.sector_code.as_ref())
                .is_some_and(|s| sectors.contains(s))
        };
        let covers_hazard = |h: &crate::domain::Record<crate::domain::Hazard>| match scope {
            Scope::All => true,
            Scope::Own { group } => owners.hazard(h, group),
            Scope::Sector { sectors, .. } => in_sectors(Some(h.data.enterprise_id), sectors),
        };
        let hazards = input
            .hazards
            .iter()
            .filter(|h| covers_hazard(&h.hazard))
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
            .filter(|i| match scope {
                Scope::All => true,
                Scope::Own { group } => {
                    owners.member(&i.author_id, group) || owners.took_part(i.id, group)
                }
                Scope::Sector { sectors, .. } => in_sectors(Some(i.enterprise_id), sectors),
            })
            .filter(|i| period.contains(day_of(i.arrival_at)))
            .collect();
        // A correction replaces the record it corrects (records are never edited).
        let corrected_actions: HashSet<Uuid> = input
            .actions
            .iter()
            .filter_map(|a| a.data.corrects)
            .collect();
        let hazard_enterprise: HashMap<Uuid, Uuid> = input
            .hazards
            .iter()
            .map(|h| (h.hazard.id(), h.hazard.data.enterprise_id))
            .collect();
        let inspection_enterprise: HashMap<Uuid, Uuid> = input
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
            .filter(|(a, enterprise)| match scope {
                Scope::All => true,
                Scope::Own { group } => owners.action(a, group),
                Scope::Sector { sectors, .. } => in_sectors(*enterprise, sectors),
            })
            .collect();
        let corrected_activities: HashSet<Uuid> = input
            .activities
            .iter()
            .filter_map(|a| a.data.corrects)
            .collect();
        let mut activities = input
            .activities
            .iter()
            .filter(|a| !corrected_activities.contains(&a.id()))
            .filter_map(|a| match a.data.rewarded_hazard() {
                // A reward booked on a reported hazard: pending until the report is verified
                // true, then counted on that day, wherever the hazard counts.
                Some(hazard) => {
                    let day = owners.verified_on(hazard, period.to)?;
                    let facts = owners.hazards.get(&hazard)?;
                    (period.contains(day) && covers_hazard(&facts.hazard)).then_some(ActivityAt {
                        entry: a,
                        day,
                        verified_report: true,
                    })
                }
                None => {
                    let day = a.data.held_on;
                    let covered = match scope.group() {
                        None => true,
                        // Organisational work belongs to the group that logged it, in both
                        // scopes.
                        Some(group) => match &a.data.group_code {
                            Some(g) => g == group,
                            None => owners.member(&a.meta.author_id, group),
                        },
                    };
                    (period.contains(day) && covered).then_some(ActivityAt {
                        entry: a,
                        day,
                        verified_report: false,
                    })
                }
            })
            .collect::<Vec<_>>();
        activities.sort_by_key(|a| (a.day, a.entry.id()));
        View {
            input,
            hazards,
            inspections,
            actions,
            activities,
        }
    }

    /// An assisted village (帮扶村) rather than an enterprise: the B rows and C2 count
    /// enterprises (家), and a village committee is no production or business unit.
    pub(super) fn is_village(&self, id: Uuid) -> bool {
        self.input
            .enterprises
            .get(&id)
            .is_some_and(|e| e.sector_code.as_deref() == Some(crate::documents::VILLAGE))
    }

    pub(super) fn enterprise_name(&self, id: Option<Uuid>) -> String {
        id.and_then(|e| self.input.enterprises.get(&e))
            .map_or_else(|| "（未关联企业）".to_string(), |e| e.name.clone())
    }
}
