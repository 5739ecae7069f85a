//! Records that carry their author's own signature (hazards, hazard events, enforcement
//! actions, activities, addenda): a new one is taken only when its signer vouches for it here
//! (`trust::admission::vouch`) and may record it (`trust::authorize`). A hazard event's place
//! in its hazard's history is checked once the whole bundle is in (`events`).

use super::super::export::RECORD_SIGNATURE_COLUMNS;
use super::super::kinds::Kind;
use super::super::rows::{self, Object};
use super::super::sign;
use super::facts::{self, text};
use super::{Applier, Failure};
use crate::domain::HazardSource;
use crate::domain::trust::admission::{self, Origin};
use crate::domain::trust::{Action, Actor, Person, authorize};
use crate::storage::{Result, StoreError};
use rusqlite::OptionalExtension;
use uuid::Uuid;

impl Applier<'_> {
    pub(super) fn signed(
        &mut self,
        kind: &'static Kind,
        line: u64,
        object: Object,
        signature: Option<Object>,
    ) -> Result<()> {
        let Some(signature) = signature else {
            return self.immutable(kind, object).map(|_| ());
        };
        rows::check_nested("signature", &signature, RECORD_SIGNATURE_COLUMNS)
            .map_err(StoreError::Invalid)?;
        let id = text(&object, "id");
        let author = text(&object, "author_id");
        let who = self.who(&author);
        if text(&signature, "inspector_id") != author {
            return Err(StoreError::Invalid(format!(
                "签名人不是记录的作者 {who}：可能是冒名记录"
            )));
        }
        let form = sign::record_form(&object);
        let public = text(&signature, "public_key");
        if let Some(local) = rows::existing(self.tx, kind, &id)? {
            if local != object {
                return Err(facts::differs(&local, &object));
            }
            let known = rows::all(
                self.tx,
                RECORD_SIGNATURE_COLUMNS,
                "record_signatures",
                "WHERE record_table = ?1 AND record_id = ?2",
                &[&kind.table, &id],
            )?;
            match known.first() {
                Some(local) if *local == signature => {
                    self.report.unchanged += 1;
                    return Ok(());
                }
                Some(_) => {
                    return Err(StoreError::Invalid(
                        "与本机已有的作者签名不同：可能被伪造".into(),
                    ));
                }
                // Here unsigned so far (made before records were signed): take a valid one.
                None => {}
            }
        } else {
            let author_id = Uuid::parse_str(&author).unwrap_or_default();
            let record_id = Uuid::parse_str(&id).unwrap_or_default();
            let recorded = self.recorded_key(&author)?;
            let recorded = recorded
                .as_ref()
                .and_then(|(k, o)| Origin::parse(o).map(|o| (k.as_str(), o)));
            let verdict = admission::vouch(
                self.roster.as_ref(),
                author_id,
                &who,
                &public,
                recorded,
                record_id,
            )
            .owned();
            let person = match verdict {
                Ok(p) => p,
                Err((true, reason)) => {
                    self.held_or_released(&public, author_id, record_id, reason)?
                }
                Err((false, reason)) => return Err(StoreError::Invalid(reason)),
            };
            // Roles as they stood when the record was made: a role withdrawn later does not
            // undo what the office had received.
            let created = text(&object, "created_at");
            let then = person
                .as_ref()
                .and_then(|p| self.roster.as_ref()?.person_at(p.id, &created).cloned());
            self.authorize_record(kind, &object, author_id, then.as_ref(), &who)?;
            if kind.name == "documents" {
                self.check_document(&object, then.as_ref())?;
            }
            self.check_correction(kind.name, &object)?;
            self.immutable(kind, object)?;
            if kind.name == "hazard_events" {
                // Vouched for once: its step is authorized at its place when the bundle is in.
                self.tx
                    .prepare_cached("INSERT INTO temp.import_new_events VALUES (?1, ?2, ?3)")?
                    .execute(rusqlite::params![
                        id,
                        line as i64,
                        person.as_ref().map(|p| p.id.to_string())
                    ])?;
            }
        }
        rows::insert_led(
            self.tx,
            "record_signatures",
            &["record_table", "record_id"],
            &[kind.table, &id],
            RECORD_SIGNATURE_COLUMNS,
            &signature,
        )?;
        let failure = Failure::Record {
            at: self.at,
            author,
        };
        self.verifier
            .check(public, form, text(&signature, "signature"), failure);
        Ok(())
    }

    /// A hazard found on an inspection is of that inspection's enterprise and, when it names
    /// an item, one of the items shown at that visit.
    fn hazard_fits_inspection(&self, object: &Object, inspection: &str) -> Result<()> {
        let enterprise: Option<String> = self
            .tx
            .query_row(
                "SELECT enterprise_id FROM inspections WHERE id = ?1",
                [inspection],
                |r| r.get(0),
            )
            .optional()?;
        if enterprise.as_deref() != Some(text(object, "enterprise_id").as_str()) {
            return Err(StoreError::Invalid(
                "enterprise_id 与所引用检查记录的企业不同：检查中发现的隐患属于被检查的企业".into(),
            ));
        }
        let item = text(object, "item_code");
        if !item.is_empty() {
            let shown: bool = self.tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM inspection_items
                     WHERE inspection_id = ?1 AND code = ?2)",
                [inspection, item.as_str()],
                |r| r.get(0),
            )?;
            if !shown {
                return Err(StoreError::Invalid(format!(
                    "item_code “{item}”不是所引用检查记录中的检查项"
                )));
            }
        }
        Ok(())
    }

    /// A document number: about a record that exists, printed once, and in a series the
    /// roster assigned (its own prefix for a laptop; the empty series is the office's, i.e. a
    /// clerk's).
    fn check_document(&self, object: &Object, person: Option<&Person>) -> Result<()> {
        let subject = text(object, "subject_id");
        let found: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM inspections WHERE id = ?1)
                 OR EXISTS (SELECT 1 FROM hazard_events WHERE id = ?1)",
            [&subject],
            |r| r.get(0),
        )?;
        if !found {
            return Err(StoreError::Invalid(format!(
                "subject_id 引用的检查记录或办理记录“{subject}”在数据包和本机数据中都不存在"
            )));
        }
        // Issued (when the record says so) no later than it was recorded, and numbered in the
        // year it was issued. A number given before paicha recorded the issue has no such
        // moment and keeps the year it was given under.
        if let Some(at) = object.get("issued_at").and_then(serde_json::Value::as_str) {
            let created = text(object, "created_at");
            if at > created.as_str() {
                return Err(StoreError::Invalid(format!(
                    "文书出具时间 {at} 晚于记录时间 {created}：出具时间不能是将来"
                )));
            }
            let year = crate::domain::time::parse_record_time(at)
                .map(|t| i64::from(chrono::Datelike::year(&crate::domain::time::local(t))));
            if object.get("year").and_then(serde_json::Value::as_i64) != year {
                return Err(StoreError::Invalid(
                    "文书编号的年份与出具时间的年份（北京时间）不一致".into(),
                ));
            }
        }
        let number = text(object, "number");
        let other: Option<String> = self
            .tx
            .query_row(
                "SELECT id FROM issued_documents WHERE number = ?1 AND id <> ?2",
                [&number, &text(object, "id")],
                |r| r.get(0),
            )
            .optional()?;
        if other.is_some() {
            return Err(StoreError::Invalid(format!(
                "文书编号“{number}”已给了另一份文书：一个编号只能用一次"
            )));
        }
        if let Some(roster) = self.roster.as_ref() {
            let series = text(object, "series");
            let office_series = series.is_empty()
                && person.is_some_and(|p| p.has(crate::domain::trust::Role::Clerk));
            let assigned = !series.is_empty() && roster.prefixes_ever.contains_key(&series);
            if !office_series && !assigned {
                return Err(StoreError::Invalid(if series.is_empty() {
                    format!(
                        "文书编号“{number}”用的是办公室自己的编号序列，但编号人不是办公室内勤：\
                         现场电脑须使用办公室分配的文书编号前缀（paicha roster device）"
                    )
                } else {
                    format!("文书编号“{number}”的前缀“{series}”不是办公室分配的")
                }));
            }
        }
        Ok(())
    }

    /// May the author record this? Hazards: 登记 by who found them; actions, activities and
    /// addenda: any recording role. Events wait for their place in the hazard's history.
    fn authorize_record(
        &self,
        kind: &Kind,
        object: &Object,
        author: Uuid,
        person: Option<&Person>,
        who: &str,
    ) -> Result<()> {
        let actor = Actor {
            inspector_id: author,
            person,
            name: who,
        };
        let inspectors: Vec<Uuid>;
        let action = match kind.name {
            "hazard_events" => return Ok(()),
            "hazards" => {
                let source = HazardSource::parse(&text(object, "source"))
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let inspection = text(object, "inspection_id");
                let list = if inspection.is_empty() {
                    None
                } else {
                    self.hazard_fits_inspection(object, &inspection)?;
                    inspectors = rows::inspectors_of(self.tx, &inspection)?
                        .iter()
                        .filter_map(|s| Uuid::parse_str(s).ok())
                        .collect();
                    Some(inspectors.as_slice())
                };
                Action::RegisterHazard {
                    source,
                    inspectors: list,
                }
            }
            "enforcement_actions" | "activities" if !text(object, "corrects").is_empty() => {
                let original: String = self.tx.query_row(
                    &format!("SELECT author_id FROM {} WHERE id = ?1", kind.table),
                    [text(object, "corrects")],
                    |r| r.get(0),
                )?;
                Action::Correction {
                    original_author: Uuid::parse_str(&original).unwrap_or_default(),
                }
            }
            "attachments" => Action::Attach {
                to_hazard: matches!(
                    text(object, "target_kind").as_str(),
                    "hazard" | "hazard_event"
                ),
            },
            _ => Action::Record,
        };
        authorize(&self.permissions, self.roster.as_ref(), &actor, &action)
            .map_err(StoreError::Invalid)
    }
}
