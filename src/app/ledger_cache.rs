//! The ledger index kept between openings of the ledger screen. Building it reads every
//! hazard (a few hundred milliseconds at 100 000); reusing it makes opening the ledger one
//! frame. It is reused only while it is current: nothing committed by another process since
//! (SQLite's `data_version`), the same calendar day (days left and 逾期 depend on it), and
//! this window's own hazard writes patched in row by row. The first build runs on a thread
//! at startup, on a read-only connection of its own.

use super::msg::{LedgerIndex, LedgerRowView};
use crate::storage::{HazardSummary, Store, StoreError};
use crate::templates::Catalog;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use uuid::Uuid;

/// What a row shows of its enterprise: name, town and campaign group.
type Names = HashMap<Uuid, (String, String, String)>;

#[derive(Default)]
pub struct LedgerCache {
    current: Option<Current>,
    warming: Option<Warming>,
}

struct Current {
    index: Arc<LedgerIndex>,
    names: Names,
    day: NaiveDate,
    data_version: i64,
}

struct Warming {
    handle: JoinHandle<Result<(LedgerIndex, Names), StoreError>>,
    day: NaiveDate,
    data_version: i64,
}

impl LedgerCache {
    /// Starts building the index in the background, so the first opening finds it ready.
    /// Without a second connection nothing is started: the first opening builds it.
    pub fn warm(&mut self, store: &Store, catalog: &Catalog, day: NaiveDate) {
        let (Ok(reader), Ok(data_version)) = (store.reader(), store.data_version()) else {
            return;
        };
        let groups = catalog.campaign.sections_by_sector();
        let spawned = std::thread::Builder::new()
            .name("ledger-warm-up".into())
            .spawn(move || build(&reader, &groups, day));
        // No thread to be had: the first opening builds the index instead.
        let Ok(handle) = spawned else { return };
        self.warming = Some(Warming {
            handle,
            day,
            data_version,
        });
    }

    /// The index as of now: the kept one when it is current, else built afresh.
    pub fn get(
        &mut self,
        store: &Store,
        catalog: &Catalog,
        day: NaiveDate,
    ) -> Result<Arc<LedgerIndex>, StoreError> {
        let data_version = store.data_version()?;
        if let Some(w) = self.warming.take()
            && let Ok(Ok((index, names))) = w.handle.join()
            && w.day == day
            && w.data_version == data_version
        {
            self.current = Some(Current {
                index: Arc::new(index),
                names,
                day,
                data_version,
            });
        }
        if let Some(c) = &self.current
            && c.day == day
            && c.data_version == data_version
        {
            return Ok(c.index.clone());
        }
        let (index, names) = build(store, &catalog.campaign.sections_by_sector(), day)?;
        let index = Arc::new(index);
        self.current = Some(Current {
            index: index.clone(),
            names,
            day,
            data_version,
        });
        Ok(index)
    }

    /// After this window wrote to the hazards in `changed`: patches their rows in (or lets the
    /// next opening rebuild when a row cannot be patched, e.g. a new enterprise's first hazard).
    pub fn patch(&mut self, changed: Result<Vec<HazardSummary>, StoreError>) {
        // A background build may have read the database before this write.
        self.warming = None;
        let Some(c) = &mut self.current else { return };
        let Ok(changed) = changed else {
            self.current = None;
            return;
        };
        let mut rows = Vec::with_capacity(changed.len());
        for s in changed {
            let Some(names) = c.names.get(&s.enterprise_id) else {
                self.current = None;
                return;
            };
            rows.push(row_view(s, names, c.day));
        }
        let index = Arc::make_mut(&mut c.index);
        for row in rows {
            index.upsert(row);
        }
    }
}

/// Reads every hazard's projected status and its enterprise's names into a ledger index.
fn build(
    store: &Store,
    groups: &HashMap<String, String>,
    day: NaiveDate,
) -> Result<(LedgerIndex, Names), StoreError> {
    let names: Names = store
        .enterprises()?
        .into_iter()
        .map(|e| {
            let group = e
                .data
                .sector_code
                .as_deref()
                .and_then(|s| groups.get(s))
                .cloned()
                .unwrap_or_default();
            (e.id(), (e.data.name, e.data.town, group))
        })
        .collect();
    let blank = (String::new(), String::new(), String::new());
    let rows = store
        .hazard_summaries()?
        .into_iter()
        .map(|s| {
            let n = names.get(&s.enterprise_id).unwrap_or(&blank);
            row_view(s, n, day)
        })
        .collect();
    Ok((LedgerIndex::new(rows), names))
}

fn row_view(
    s: HazardSummary,
    (name, town, group): &(String, String, String),
    day: NaiveDate,
) -> LedgerRowView {
    LedgerRowView {
        id: s.id,
        days_left: s.days_left(day),
        overdue: s.overdue(day),
        number: s.number,
        enterprise: name.clone(),
        town: town.clone(),
        group: group.clone(),
        grade: s.grade,
        source: s.source,
        stage: s.stage,
        tracking_person: s.tracking_person,
        deadline: s.deadline,
        description: s.description,
        found_at: s.found_at,
    }
}

#[cfg(test)]
mod tests;
