//! What the monthly progress table (调度表) counts, read in a few whole-table queries: who
//! belongs to which group, each enterprise's sector, every finalized inspection with the items
//! it found non-compliant. Hazards, actions and activities come from their own readers.

use super::sql::{get_uuid, query_all};
use super::{Result, Store};
use crate::domain::InspectionMode;
use chrono::{DateTime, Utc};
use rusqlite::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// A finalized inspection as the B rows and C2 see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionFact {
    pub id: Uuid,
    pub enterprise_id: Uuid,
    pub author_id: Uuid,
    pub mode: InspectionMode,
    pub arrival_at: DateTime<Utc>,
    /// (template id, item code) of every item answered non-compliant.
    pub non_compliant: Vec<(String, String)>,
}

/// An enterprise's name, campaign sector and town.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseFact {
    pub name: String,
    pub sector_code: Option<String>,
    pub town: String,
}

impl Store {
    /// Every inspector's group (专项行动小组 code), by id: the office's roster's for a laptop
    /// profile whose key it enrolled (one source of people), else as the profile was set up,
    /// else — for a colleague typed in by name on an inspection (an inspector entry with no
    /// group) — the group of the roster's person of that name, when every person of that
    /// name is in the same group.
    pub fn inspector_groups(&self) -> Result<HashMap<Uuid, Option<String>>> {
        let rows = query_all(
            &self.conn,
            "SELECT id, name, group_code FROM inspectors",
            [],
            |r| {
                Ok((
                    get_uuid(r, "id")?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )?;
        // A roster that fails its checks is refused where it is acted on; here the groups as
        // typed stand.
        let roster = super::roster::load(&self.conn).ok().flatten();
        Ok(rows
            .into_iter()
            .map(|(id, name, group)| {
                let Some(roster) = roster.as_ref() else {
                    return (id, group);
                };
                let group = match roster.author_person(id) {
                    Some(person) => person.group_code.clone(),
                    None => group.or_else(|| group_by_name(roster, &name)),
                };
                (id, group)
            })
            .collect())
    }

    /// Who took part in each inspection (its `inspector_ids`, the author first), by
    /// inspection id: drafts and finalized ones alike, for the hazards and actions recorded
    /// on them.
    pub fn inspection_officers(&self) -> Result<HashMap<Uuid, Vec<Uuid>>> {
        let rows = query_all(
            &self.conn,
            "SELECT inspection_id, inspector_id FROM inspection_inspectors
             ORDER BY inspection_id, position",
            [],
            |r| Ok((get_uuid(r, "inspection_id")?, get_uuid(r, "inspector_id")?)),
        )?;
        let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (inspection, inspector) in rows {
            out.entry(inspection).or_default().push(inspector);
        }
        Ok(out)
    }

    /// Every enterprise's name and sector, by id.
    pub fn enterprise_facts(&self) -> Result<HashMap<Uuid, EnterpriseFact>> {
        let rows = query_all(
            &self.conn,
            "SELECT id, name, sector_code, town FROM enterprises",
            [],
            |r| {
                Ok((
                    get_uuid(r, "id")?,
                    EnterpriseFact {
                        name: r.get(1)?,
                        sector_code: r.get(2)?,
                        town: r.get(3)?,
                    },
                ))
            },
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Every finalized inspection with its non-compliant items.
    pub fn inspection_facts(&self) -> Result<Vec<InspectionFact>> {
        let mut found: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
        for (id, template, code) in query_all(
            &self.conn,
            "SELECT a.inspection_id, it.template_id, a.item_code
             FROM answers a
             JOIN inspections i ON i.id = a.inspection_id AND i.status = 'finalized'
             JOIN inspection_items it ON it.inspection_id = a.inspection_id
                 AND it.code = a.item_code
             WHERE a.result = 'non_compliant'",
            [],
            |r| {
                Ok((
                    get_uuid(r, "inspection_id")?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )? {
            found.entry(id).or_default().push((template, code));
        }
        let mut out = query_all(
            &self.conn,
            "SELECT id, enterprise_id, author_id, mode, arrival_at FROM inspections
             WHERE status = 'finalized' ORDER BY arrival_at, id",
            [],
            inspection_fact,
        )?;
        for fact in &mut out {
            fact.non_compliant = found.remove(&fact.id).unwrap_or_default();
        }
        Ok(out)
    }
}

fn inspection_fact(r: &Row) -> rusqlite::Result<InspectionFact> {
    let mode: String = r.get("mode")?;
    let arrival: String = r.get("arrival_at")?;
    let bad = |i: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            Box::new(std::io::Error::other(what)),
        )
    };
    Ok(InspectionFact {
        id: get_uuid(r, "id")?,
        enterprise_id: get_uuid(r, "enterprise_id")?,
        author_id: get_uuid(r, "author_id")?,
        mode: InspectionMode::parse(&mode).map_err(|e| bad(3, e.to_string()))?,
        arrival_at: DateTime::parse_from_rfc3339(&arrival)
            .map_err(|e| bad(4, e.to_string()))?
            .to_utc(),
        non_compliant: Vec::new(),
    })
}

/// The group of the roster's people named `name`, when they all share one (two people of the
/// same name in different groups: unknown, rather than a guess).
fn group_by_name(roster: &crate::domain::trust::Roster, name: &str) -> Option<String> {
    let name = name.trim();
    let mut groups = roster
        .people
        .values()
        .filter(|p| !name.is_empty() && p.name == name)
        .map(|p| p.group_code.clone());
    let first = groups.next()??;
    groups
        .all(|g| g.as_deref() == Some(first.as_str()))
        .then_some(first)
}
