//! Numbers of printed enforcement documents: one per (kind, subject), given once, in a series
//! per kind and year, never reused.

use super::sql::{META_COLUMNS, meta_values};
use super::{Result, Store};
use rusqlite::OptionalExtension;
use uuid::Uuid;

/// A number given to a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedNumber {
    pub number: String,
    pub seq: u32,
    /// When it was first given (the document's date of issue).
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// The number of the `kind` document about `subject`: the one given before, or the next
    /// of the `year`'s series, spelled by `spell(seq)`.
    pub fn document_number(
        &mut self,
        kind: &str,
        subject: Uuid,
        year: i32,
        spell: impl Fn(u32) -> String,
    ) -> Result<IssuedNumber> {
        self.write(|tx, stamp| {
            let known = tx
                .query_row(
                    "SELECT number, seq, created_at FROM issued_documents
                     WHERE kind = ?1 AND subject_id = ?2",
                    rusqlite::params![kind, subject.to_string()],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, u32>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    },
                )
                .optional()?;
            if let Some((number, seq, at)) = known {
                let issued_at = chrono::DateTime::parse_from_rfc3339(&at)
                    .map(|t| t.to_utc())
                    .unwrap_or(stamp.now);
                return Ok(IssuedNumber {
                    number,
                    seq,
                    issued_at,
                });
            }
            let seq: u32 = tx.query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM issued_documents
                 WHERE kind = ?1 AND year = ?2",
                rusqlite::params![kind, year],
                |r| r.get(0),
            )?;
            let number = spell(seq);
            let meta = stamp.meta(tx)?;
            let [id, created, updated, author, replica] = meta_values(&meta);
            tx.execute(
                &format!(
                    "INSERT INTO issued_documents ({META_COLUMNS}, kind, subject_id, year, seq,
                         number)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
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
                    seq,
                    number
                ],
            )?;
            Ok(IssuedNumber {
                number,
                seq,
                issued_at: stamp.now,
            })
        })
    }

    /// The number already given to the `kind` document about `subject`, if any.
    pub fn issued_number(&self, kind: &str, subject: Uuid) -> Result<Option<IssuedNumber>> {
        Ok(self
            .conn
            .query_row(
                "SELECT number, seq, created_at FROM issued_documents
                 WHERE kind = ?1 AND subject_id = ?2",
                rusqlite::params![kind, subject.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, u32>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(number, seq, at)| {
                let issued_at = chrono::DateTime::parse_from_rfc3339(&at).ok()?.to_utc();
                Some(IssuedNumber {
                    number,
                    seq,
                    issued_at,
                })
            }))
    }
}
