//! Loading what the reports need from the store, once, for the CLI and the TUI alike.

use super::HazardFacts;
use super::targeting::EnterpriseFacts;
use crate::domain::lifecycle::Stage;
use crate::domain::{HazardGrade, time};
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Every hazard with its events, status and enterprise name.
pub fn hazard_facts(store: &Store) -> Result<Vec<HazardFacts>, StoreError> {
    let names: HashMap<_, _> = store
        .enterprises()?
        .into_iter()
        .map(|e| (e.id(), e.data.name))
        .collect();
    Ok(store
        .ledger_with_events()?
        .into_iter()
        .map(|(hazard, events, status)| HazardFacts {
            enterprise_name: names
                .get(&hazard.data.enterprise_id)
                .cloned()
                .unwrap_or_default(),
            hazard,
            events,
            status,
        })
        .collect())
}

/// What the targeting score looks at, per enterprise in the registry, as of `day`.
pub fn enterprise_facts(
    store: &Store,
    catalog: &Catalog,
    hazards: &[HazardFacts],
    day: NaiveDate,
) -> Result<Vec<EnterpriseFacts>, StoreError> {
    let last = store.last_inspections()?;
    let year_ago = day - chrono::Days::new(365);
    let open_major = |h: &&&HazardFacts| {
        h.status.grade == HazardGrade::Major && h.status.stage != Stage::ClosedOut
    };
    Ok(store
        .enterprises()?
        .into_iter()
        .map(|e| {
            let own: Vec<&HazardFacts> = hazards
                .iter()
                .filter(|h| h.hazard.data.enterprise_id == e.id())
                .collect();
            EnterpriseFacts {
                id: e.id(),
                high_risk: e
                    .data
                    .sector_code
                    .as_deref()
                    .and_then(|s| catalog.sectors.get(s))
                    .is_some_and(|s| s.drills_per_year >= 2),
                last_inspected: last.get(&e.id()).map(|t| time::local(*t).date()),
                overdue_majors: own
                    .iter()
                    .filter(open_major)
                    .filter(|h| h.status.overdue(day))
                    .count() as u32,
                open_majors: own.iter().filter(open_major).count() as u32,
                hazards_in_last_year: own
                    .iter()
                    .filter(|h| time::local(h.hazard.data.found_at).date() > year_ago)
                    .count() as u32,
                name: e.data.name,
            }
        })
        .collect())
}

/// The ranked targeting list as plain text, one enterprise a paragraph.
pub fn targets_text(targets: &[super::targeting::Target]) -> String {
    if targets.is_empty() {
        return "没有需要优先检查的企业\n".to_string();
    }
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{}. {}（{} 分）\n   {}\n",
                i + 1,
                t.name,
                t.score,
                t.reasons.join("；")
            )
        })
        .collect()
}

/// The campaign-rule warnings as plain text, one a line.
pub fn warnings_text(warnings: &[super::warnings::Warning]) -> String {
    if warnings.is_empty() {
        return "没有需要提示的情况\n".to_string();
    }
    warnings
        .iter()
        .map(|w| format!("{}：{}\n", w.enterprise_name, w.text))
        .collect()
}
