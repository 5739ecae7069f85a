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
    with_names(store, store.ledger_with_events()?)
}

/// The campaign-rule warnings that concern one hazard: its own, and its enterprise's.
pub fn warnings_for_hazard(
    store: &Store,
    hazard: &crate::domain::Record<crate::domain::Hazard>,
    day: NaiveDate,
) -> Result<Vec<String>, StoreError> {
    let enterprise = hazard.data.enterprise_id;
    let facts = with_names(store, store.hazards_of_enterprise(enterprise)?)?;
    // All actions: the rules match them to hazards themselves (an action may name only its
    // inspection or its hazard).
    let actions = store.enforcement_actions()?;
    Ok(super::warnings::warnings(&facts, &actions, day)
        .into_iter()
        .filter(|w| w.hazard_id.is_none_or(|h| h == hazard.id()))
        .map(|w| w.text)
        .collect())
}

fn with_names(
    store: &Store,
    rows: Vec<crate::storage::LedgerRow>,
) -> Result<Vec<HazardFacts>, StoreError> {
    let names: HashMap<_, _> = store
        .enterprises()?
        .into_iter()
        .map(|e| (e.id(), e.data.name))
        .collect();
    Ok(rows
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
                    .is_some_and(|s| s.high_risk()),
                risk_level: e.data.risk_level,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;
    use chrono::{TimeZone, Utc};
    use std::sync::Arc;
    use uuid::Uuid;

    fn enterprise(store: &mut Store, name: &str, n: usize) -> Uuid {
        store
            .add_enterprise(Enterprise {
                name: name.into(),
                credit_code: CreditCode::from_body(&format!("91140000{n:09}")).expect("code"),
                address: String::new(),
                town: "圪洞镇".into(),
                sector: "加油站".into(),
                sector_code: Some("fuel".into()),
                risk_level: None,
                principal: String::new(),
                phone: String::new(),
            })
            .expect("enterprise")
            .id()
    }

    fn hazard(store: &mut Store, enterprise_id: Uuid, grade: HazardGrade) -> Record<Hazard> {
        store
            .record_hazard(Hazard {
                enterprise_id,
                inspection_id: None,
                item_code: None,
                grade,
                source: HazardSource::Inspection,
                description: "卸油口无静电接地".into(),
                location: String::new(),
                basis: String::new(),
                found_at: Utc
                    .with_ymd_and_hms(2023, 8, 1, 1, 0, 0)
                    .single()
                    .expect("t"),
                rectify_immediately: false,
                fixes: Some(FiveFixes {
                    responsible_person: "王五".into(),
                    measures: "恢复接地".into(),
                    funds: "0.1万元".into(),
                    deadline: NaiveDate::from_ymd_opt(2023, 8, 10).expect("d"),
                    emergency_plan: "停止卸油".into(),
                }),
                supervision: None,
                anonymous_report: false,
                assigning_document: None,
            })
            .expect("hazard")
    }

    #[test]
    fn a_hazard_shows_its_own_and_its_enterprises_warnings_only() {
        let dir = tempfile::tempdir().expect("dir");
        let clock = Arc::new(FixedClock(
            Utc.with_ymd_and_hms(2023, 8, 15, 1, 0, 0)
                .single()
                .expect("t"),
        ));
        let mut store = Store::open(dir.path(), clock).expect("store");
        crate::demo::one_person_office(&mut store, "方山县应急管理局", "王县长").expect("office");
        let a = enterprise(&mut store, "方山县圪洞加油站", 1);
        let b = enterprise(&mut store, "方山县峪口加油站", 2);
        let overdue_major = hazard(&mut store, a, HazardGrade::Major);
        let general = hazard(&mut store, a, HazardGrade::General);
        let elsewhere = hazard(&mut store, b, HazardGrade::Major);
        let day = NaiveDate::from_ymd_opt(2023, 8, 15).expect("d");

        let own = warnings_for_hazard(&store, &overdue_major, day).expect("warnings");
        assert_eq!(own.len(), 1, "{own:?}");
        assert!(own[0].contains("一案双罚") && own[0].contains("2023-08-10"));
        assert!(
            warnings_for_hazard(&store, &general, day)
                .expect("warnings")
                .is_empty(),
            "another hazard's warning is not this one's"
        );
        assert_eq!(
            warnings_for_hazard(&store, &elsewhere, day)
                .expect("warnings")
                .len(),
            1
        );
        let before = NaiveDate::from_ymd_opt(2023, 8, 10).expect("d");
        assert!(
            warnings_for_hazard(&store, &overdue_major, before)
                .expect("warnings")
                .is_empty(),
            "on the deadline day it is not yet overdue"
        );
    }
}
