//! Numbers of printed enforcement documents: one per (kind, subject), given once, in a series
//! per kind, year and device, never reused. The office numbers in its own series; a laptop
//! under a roster numbers in the series (prefix) the office assigned to it, so laptops
//! numbering offline never collide. Numbers travel in bundles (signed by who gave them).

use super::sql::{META_COLUMNS, meta_values};
use super::{Result, Store, StoreError};
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
    /// of this device's series for the `year`, spelled by `spell(series, seq)`.
    pub fn document_number(
        &mut self,
        kind: &str,
        subject: Uuid,
        year: i32,
        spell: impl Fn(&str, u32) -> String,
    ) -> Result<IssuedNumber> {
        let series = self.document_series()?;
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
                         seq, number)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
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
                    number
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
                issued_at: stamp.now,
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
