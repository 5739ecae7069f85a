//! Numbers of printed enforcement documents: one per (kind, subject), given once, in a series
//! per kind, year and device, never reused. The office numbers in its own series; a laptop
//! under a roster numbers in the series (prefix) the office assigned to it, so laptops
//! numbering offline never collide. Numbers travel in bundles (signed by who gave them).

use super::sql::{META_COLUMNS, meta_values};
use super::{Result, Store, StoreError};
use rusqlite::OptionalExtension;
use uuid::Uuid;

/// A number given to a document, with the act of issuing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedNumber {
    pub number: String,
    pub seq: u32,
    /// When the document was issued: the moment the inspector chose (on site, or later at
    /// the office), or for a number given before paicha asked, when it was given.
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// The decision the document itself makes (JSON), for kinds that make one.
    pub content: Option<String>,
    /// When the number was given (the record's `created_at`): what another document may
    /// cite of it depends on whether it existed then, so that a reprint never changes.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// The row of a document already given, as `issued_number` reads it.
const ISSUED_COLUMNS: &str = "number, seq, COALESCE(issued_at, created_at), content, created_at";

/// (number, seq, issued at, content, recorded at) as `ISSUED_COLUMNS` selects them.
type IssuedRow = (String, u32, String, Option<String>, String);

fn issued_from_row(r: &rusqlite::Row) -> rusqlite::Result<IssuedRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

/// The row of the `kind` document about `subject`, if it was given.
fn issued_row(
    conn: &rusqlite::Connection,
    kind: &str,
    subject: Uuid,
) -> rusqlite::Result<Option<IssuedRow>> {
    conn.query_row(
        &format!(
            "SELECT {ISSUED_COLUMNS} FROM issued_documents WHERE kind = ?1 AND subject_id = ?2"
        ),
        rusqlite::params![kind, subject.to_string()],
        issued_from_row,
    )
    .optional()
}

fn issued((number, seq, at, content, recorded): IssuedRow) -> Option<IssuedNumber> {
    let issued_at = chrono::DateTime::parse_from_rfc3339(&at).ok()?.to_utc();
    let recorded_at = chrono::DateTime::parse_from_rfc3339(&recorded)
        .ok()?
        .to_utc();
    Some(IssuedNumber {
        number,
        seq,
        issued_at,
        content,
        recorded_at,
    })
}

impl Store {
    /// The number of the `kind` document about `subject`: the one given before, or the next
    /// of this device's series for the `year`, spelled by `spell(series, seq)`; issued now.
    pub fn document_number(
        &mut self,
        kind: &str,
        subject: Uuid,
        year: i32,
        spell: impl Fn(&str, u32) -> String,
    ) -> Result<IssuedNumber> {
        self.give_number(kind, subject, year, None, None, spell)
    }

    /// Issues the `kind` document about `subject` at `issued_at` (numbered in that moment's
    /// year, Beijing time), with the decision it makes (`content`, JSON) — or, when it was
    /// issued before, returns that issue unchanged: a document is issued once, and printing it
    /// again prints the same number, date and content.
    pub fn issue_document(
        &mut self,
        kind: &str,
        subject: Uuid,
        issued_at: chrono::DateTime<chrono::Utc>,
        content: Option<&str>,
        spell: impl Fn(i32, &str, u32) -> String,
    ) -> Result<IssuedNumber> {
        use chrono::Datelike;
        let year = crate::domain::time::local(issued_at).year();
        self.give_number(
            kind,
            subject,
            year,
            Some(issued_at),
            content,
            |series, seq| spell(year, series, seq),
        )
    }

    fn give_number(
        &mut self,
        kind: &str,
        subject: Uuid,
        year: i32,
        issued_at: Option<chrono::DateTime<chrono::Utc>>,
        content: Option<&str>,
        spell: impl Fn(&str, u32) -> String,
    ) -> Result<IssuedNumber> {
        let series = self.document_series()?;
        self.write(|tx, stamp| {
            let known = issued_row(tx, kind, subject)?;
            if let Some(row) = known {
                return issued(row).ok_or_else(|| {
                    StoreError::Invalid(format!("文书 {kind} {subject} 的出具时间无法读取"))
                });
            }
            if issued_at.is_some_and(|t| t > stamp.now) {
                return Err(StoreError::Invalid(
                    "出具时间不能晚于现在：文书在出具的那一刻编号".into(),
                ));
            }
            let series = match &series {
                Ok(s) => s.clone(),
                Err(e) => return Err(StoreError::Invalid(e.clone())),
            };
            let seq: u32 = tx.query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM issued_documents
                 WHERE kind = ?1 AND year = ?2 AND series = ?3",
                rusqlite::params![kind, year, series],
                |r| r.get(0),
            )?;
            let number = spell(&series, seq);
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            tx.execute(
                &format!(
                    "INSERT INTO issued_documents ({META_COLUMNS}, kind, subject_id, year, series,
                         seq, number, issued_at, content)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                ),
                rusqlite::params![
                    id,
                    created,
                    updated,
                    author,
                    replica,
                    kind,
                    subject.to_string(),
                    year,
                    series,
                    seq,
                    number,
                    issued_at.map(super::sql::ts),
                    content
                ],
            )?;
            super::bundle::sign::sign_record(
                tx,
                &super::bundle::kinds::DOCUMENTS,
                &meta.id.to_string(),
                stamp.now,
            )?;
            Ok(IssuedNumber {
                number,
                seq,
                issued_at: issued_at.unwrap_or(stamp.now),
                content: content.map(str::to_string),
                // As stored (and read back by `issued_number`).
                recorded_at: chrono::DateTime::parse_from_rfc3339(&created)
                    .map(|t| t.to_utc())
                    .unwrap_or(meta.created_at),
            })
        })
    }

    /// This device's series of document numbers: '' at the office or without a roster; the
    /// prefix the roster assigned to this device on a laptop under a roster (a laptop without
    /// one gets the reason, in Chinese, why it cannot number yet).
    pub fn document_series(&self) -> Result<std::result::Result<String, String>> {
        let Some(roster) = self.roster()? else {
            return Ok(Ok(String::new()));
        };
        if self.is_office()? {
            return Ok(Ok(String::new()));
        }
        Ok(match roster.devices.get(&self.replica_id()) {
            Some(prefix) => Ok(prefix.clone()),
            None => Err(format!(
                "办公室还没有给这台电脑分配文书编号前缀，现场文书暂不能编号：请在办公室运行 \
                 paicha roster device {} --prefix 前缀，再把台账导入这台电脑",
                self.replica_id()
            )),
        })
    }

    /// The number already given to the `kind` document about `subject`, if any.
    pub fn issued_number(&self, kind: &str, subject: Uuid) -> Result<Option<IssuedNumber>> {
        Ok(issued_row(&self.conn, kind, subject)?.and_then(issued))
    }
}
