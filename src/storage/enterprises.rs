//! The enterprise registry.

use super::sql::{META_COLUMNS, get_code, get_meta, get_opt_code, meta_values, query_all, ts};
use super::{Result, Store, StoreError};
use crate::domain::{CreditCode, Enterprise, Record, RosterFields};
use rusqlite::{Connection, Row, params};
use serde::Serialize;
use uuid::Uuid;

/// What a roster import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RosterSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

const COLUMNS: &str =
    "credit_code, name, address, town, sector, sector_code, risk_level, principal, phone";

fn read_row(row: &Row) -> rusqlite::Result<Record<Enterprise>> {
    Ok(Record {
        meta: get_meta(row)?,
        data: Enterprise {
            credit_code: get_code(row, "credit_code")?,
            name: row.get("name")?,
            address: row.get("address")?,
            town: row.get("town")?,
            sector: row.get("sector")?,
            sector_code: row.get("sector_code")?,
            risk_level: get_opt_code(row, "risk_level")?,
            principal: row.get("principal")?,
            phone: row.get("phone")?,
        },
    })
}

fn select(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Record<Enterprise>>> {
    query_all(
        conn,
        &format!("SELECT {META_COLUMNS}, {COLUMNS} FROM enterprises {filter}"),
        args,
        read_row,
    )
}

fn insert(conn: &Connection, rec: &Record<Enterprise>) -> Result<()> {
    let [id, created, updated, author, replica] = meta_values(&rec.meta);
    let e = &rec.data;
    conn.execute(
        &format!(
            "INSERT INTO enterprises ({META_COLUMNS}, {COLUMNS})
                  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        ),
        params![
            id,
            created,
            updated,
            author,
            replica,
            e.credit_code.as_str(),
            e.name,
            e.address,
            e.town,
            e.sector,
            e.sector_code,
            e.risk_level.map(|r| r.code()),
            e.principal,
            e.phone
        ],
    )?;
    Ok(())
}

fn by_credit_code(conn: &Connection, code: &CreditCode) -> Result<Option<Record<Enterprise>>> {
    Ok(select(conn, "WHERE credit_code = ?1", &[&code.as_str()])?
        .into_iter()
        .next())
}

impl Store {
    /// Adds one enterprise. A credit code already registered is refused.
    pub fn add_enterprise(&mut self, enterprise: Enterprise) -> Result<Record<Enterprise>> {
        self.write(|tx, stamp| {
            if by_credit_code(tx, &enterprise.credit_code)?.is_some() {
                return Err(StoreError::Invalid(format!(
                    "统一社会信用代码 {} 已登记",
                    enterprise.credit_code
                )));
            }
            let rec = Record {
                meta: stamp.meta(tx)?,
                data: enterprise,
            };
            insert(tx, &rec)?;
            Ok(rec)
        })
    }

    /// Applies a whole roster in one transaction: new credit codes are added, known ones are
    /// updated where something differs (the replaced row is kept as a revision). Fields the
    /// roster does not supply keep their stored values.
    pub fn import_roster(
        &mut self,
        roster: Vec<Enterprise>,
        fields: RosterFields,
    ) -> Result<RosterSummary> {
        self.write(|tx, stamp| {
            let mut summary = RosterSummary::default();
            for incoming in roster {
                let Some(old) = by_credit_code(tx, &incoming.credit_code)? else {
                    let rec = Record {
                        meta: stamp.meta(tx)?,
                        data: incoming,
                    };
                    insert(tx, &rec)?;
                    summary.added += 1;
                    continue;
                };
                let e = fields.merge(&old.data, incoming);
                if e == old.data {
                    summary.unchanged += 1;
                    continue;
                }
                tx.execute(
                    "UPDATE enterprises SET updated_at = ?2, author_id = ?3, replica_id = ?4,
                         name = ?5, address = ?6, town = ?7, sector = ?8, sector_code = ?9,
                         risk_level = ?10, principal = ?11, phone = ?12
                     WHERE id = ?1",
                    params![
                        old.id().to_string(),
                        ts(stamp.now),
                        stamp.author(tx)?.to_string(),
                        stamp.replica.to_string(),
                        e.name,
                        e.address,
                        e.town,
                        e.sector,
                        e.sector_code,
                        e.risk_level.map(|r| r.code()),
                        e.principal,
                        e.phone
                    ],
                )?;
                summary.updated += 1;
            }
            Ok(summary)
        })
    }

    /// All enterprises, by town then name.
    pub fn enterprises(&self) -> Result<Vec<Record<Enterprise>>> {
        select(&self.conn, "ORDER BY town, name, credit_code", &[])
    }

    pub fn enterprise(&self, id: Uuid) -> Result<Record<Enterprise>> {
        select(&self.conn, "WHERE id = ?1", &[&id.to_string()])?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound(format!("企业 {id}")))
    }

    pub fn enterprise_by_credit_code(
        &self,
        code: &CreditCode,
    ) -> Result<Option<Record<Enterprise>>> {
        by_credit_code(&self.conn, code)
    }

    pub fn enterprise_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM enterprises", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The earlier versions of an enterprise, oldest first, as the JSON rows they were.
    pub fn enterprise_revisions(&self, id: Uuid) -> Result<Vec<serde_json::Value>> {
        let mut stmt = self.conn.prepare(
            "SELECT old_row FROM enterprise_revisions WHERE enterprise_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }
}
