//! A hazard's new events, checked once the whole bundle is in: each must take effect at its
//! place in the hazard's history (by occurrence time, ties by id) without taking the effect
//! of any event already here, and its author must hold the role the step needs — the same
//! lifecycle guard and the same `trust::authorize` as a step taken on this laptop. Then the
//! hazards' projected state is folded again and no ledger number may name two hazards.

use super::Applier;
use crate::domain::lifecycle;
use crate::domain::trust::{Action, Actor, authorize};
use crate::storage::hazards::read_status;
use crate::storage::{Result, StoreError, hazard_status};
use rusqlite::OptionalExtension;
use std::collections::HashMap;
use uuid::Uuid;

/// More events than any real hazard has (a step a day for over five years).
const MAX_EVENTS_PER_HAZARD: i64 = 2_000;

impl Applier<'_> {
    pub(super) fn check_events(&mut self) -> Result<()> {
        let touched: Vec<String> = self
            .tx
            .prepare("SELECT hazard_id FROM temp.import_touched ORDER BY hazard_id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // id → (line, the roster person its signer was vouched for as, if any).
        let new_events: HashMap<String, (i64, Option<String>)> = self
            .tx
            .prepare("SELECT id, line, person FROM temp.import_new_events")?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        for hazard in touched {
            let Ok(id) = Uuid::parse_str(&hazard) else {
                continue;
            };
            // A hazard's whole history is folded in memory: a forged one with a million events
            // is refused before it is read.
            let count: i64 = self.tx.query_row(
                "SELECT COUNT(*) FROM hazard_events WHERE hazard_id = ?1",
                [&hazard],
                |r| r.get(0),
            )?;
            if count > MAX_EVENTS_PER_HAZARD {
                return Err(StoreError::Invalid(format!(
                    "隐患 {hazard} 的办理记录超过 {MAX_EVENTS_PER_HAZARD} 条，不是一个隐患能有的办理量，整个数据包不予导入"
                )));
            }
            let (record, events, _) = read_status(self.tx, id)?;
            let is_new: Vec<bool> = events
                .iter()
                .map(|e| new_events.contains_key(&e.id().to_string()))
                .collect();
            let line_of = |i: usize| {
                events
                    .get(i)
                    .and_then(|e| new_events.get(&e.id().to_string()))
                    .map_or(0, |(line, _)| *line)
            };
            let data: Vec<_> = events.iter().map(|e| &e.data).collect();
            if let Err(m) = lifecycle::check_additions(&record.data, &data, &is_new) {
                // An event already here that would lose its effect: name the bundle's first
                // new event of this hazard, the one that displaces it.
                let line = match line_of(m.index) {
                    0 => (0..events.len())
                        .filter(|i| is_new[*i])
                        .map(line_of)
                        .filter(|l| *l > 0)
                        .min()
                        .unwrap_or(0),
                    l => l,
                };
                return Err(StoreError::Invalid(if line > 0 {
                    format!(
                        "records/hazard_events.jsonl 第{line}行：隐患“{}”的这一步办理不成立：{}",
                        record.data.description, m.reason
                    )
                } else {
                    format!(
                        "隐患“{}”：数据包中的办理记录{}",
                        record.data.description, m.reason
                    )
                }));
            }
            // A 登记 is the hazard's own: by its author, on the day it was found.
            for (i, event) in events.iter().enumerate() {
                if is_new[i]
                    && event.data.kind == crate::domain::HazardEventKind::Registered
                    && (event.meta.author_id != record.meta.author_id
                        || event.data.occurred_at != record.data.found_at)
                {
                    return Err(StoreError::Invalid(format!(
                        "records/hazard_events.jsonl 第{}行：隐患“{}”的登记只能由登记人在发现时记录一次",
                        line_of(i),
                        record.data.description
                    )));
                }
            }
            // Who took each new step, with the state just before it.
            let mut refusal: Option<(usize, String)> = None;
            let mut checks = Vec::new();
            lifecycle::walk(&record.data, data.iter().copied(), |i, status, step, _| {
                if let (true, Some(step)) = (is_new[i], step) {
                    checks.push((i, step.clone(), status.close_out_grade()));
                }
            });
            for (i, step, grade) in checks {
                let event = &events[i];
                let author = event.meta.author_id;
                let who = self.who(&author.to_string());
                // Its signer was vouched for when the line was applied (`signed`).
                // As the roster stood when the event was recorded.
                let created = crate::storage::sql_time(event.meta.created_at);
                let person = new_events
                    .get(&event.id().to_string())
                    .and_then(|(_, p)| p.as_deref())
                    .and_then(|p| Uuid::parse_str(p).ok())
                    .and_then(|p| self.roster.as_ref()?.person_at(p, &created));
                let actor = Actor {
                    inspector_id: author,
                    person,
                    name: &who,
                };
                let action = Action::Step {
                    step: &step,
                    grade,
                    hazard_author: record.meta.author_id,
                };
                if let Err(reason) =
                    authorize(&self.permissions, self.roster.as_ref(), &actor, &action)
                {
                    refusal = Some((i, reason));
                    break;
                }
            }
            if let Some((i, reason)) = refusal {
                return Err(StoreError::Invalid(format!(
                    "records/hazard_events.jsonl 第{}行：隐患“{}”的“{}”不予接受：{reason}",
                    line_of(i),
                    record.data.description,
                    events[i].data.kind.label()
                )));
            }
            hazard_status::refresh_with(self.tx, &record, &events)?;
        }
        let twice: Option<String> = self
            .tx
            .query_row(
                "SELECT number FROM hazard_status WHERE number IS NOT NULL
                 GROUP BY number HAVING COUNT(*) > 1 LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(number) = twice {
            return Err(StoreError::Invalid(format!(
                "台账编号 {number} 会同时属于两个隐患：编号只能由办公室内勤给出，数据包与本机台账冲突"
            )));
        }
        Ok(())
    }
}
