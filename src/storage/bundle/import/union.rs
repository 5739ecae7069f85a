//! Immutable records join as a union by id; a new inspection arrives as a draft until its
//! answers, evidence and exams are in, then is sealed and its signatures checked against its
//! canonical form recomputed from what was received.

use super::super::canonical;
use super::super::export::SIGNATURE_COLUMNS;
use super::super::kinds::{self, ITEM_COLUMNS, Kind, Merge};
use super::super::rows::{self, Object, sql_value};
use super::facts::{self, differs, nested, take_array, text};
use super::{Applier, Failure};
use crate::domain::trust::admission::{self, Origin};
use crate::storage::{Result, StoreError};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

impl Applier<'_> {
    /// Union by id: new → inserted; present and identical → nothing; present and different →
    /// refused. `true` when inserted.
    pub(super) fn immutable(&mut self, kind: &'static Kind, object: Object) -> Result<bool> {
        debug_assert_eq!(kind.merge, Merge::Immutable);
        let id = text(&object, kind.columns[0]);
        // Insert first (the common case at the office): only an id already here is compared.
        if !rows::insert_new(self.tx, kind.table, kind.columns, &object)? {
            let Some(local) = rows::existing(self.tx, kind, &id)? else {
                if kind.name == kinds::DOCUMENTS.name {
                    return Err(StoreError::Invalid(format!(
                        "文书编号“{}”与本机已有的另一份文书冲突（同一编号已给了别的文书，或这份文书已另有编号）：\
                         现场电脑应使用办公室分配的文书编号前缀（paicha roster device）",
                        text(&object, "number")
                    )));
                }
                return Err(StoreError::Invalid(
                    "与本机已有的另一条记录冲突（例如同一检查项已有另一条结论）：可能被篡改".into(),
                ));
            };
            return if local == object {
                self.report.unchanged += 1;
                Ok(false)
            } else {
                Err(differs(&local, &object))
            };
        }
        *self.report.added.entry(kind.name).or_default() += 1;
        let touched = match kind.name {
            "hazards" => Some(id.clone()),
            "hazard_events" => Some(text(&object, "hazard_id")),
            _ => None,
        };
        if let Some(hazard) = touched {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO temp.import_touched VALUES (?1)")?
                .execute([hazard])?;
        }
        Ok(true)
    }

    pub(super) fn inspection(&mut self, mut object: Object) -> Result<()> {
        let kind = &kinds::INSPECTIONS;
        let inspectors = take_array(&mut object, "inspectors")?;
        let items = take_array(&mut object, "items")?;
        let signatures = take_array(&mut object, "signatures")?;
        let id = text(&object, "id");
        if object.get("status") != Some(&Value::String("finalized".into())) {
            return Err(StoreError::Invalid(
                "只接受已定稿的检查记录（草稿和作废记录不离开本机）".into(),
            ));
        }
        check_departure(&object)?;
        let inspectors: Vec<String> = inspectors
            .iter()
            .map(|v| match v.as_str() {
                Some(s) if Uuid::parse_str(s).is_ok() => Ok(s.to_string()),
                _ => Err(StoreError::Invalid(
                    "inspectors 应为检查人员编号的列表".into(),
                )),
            })
            .collect::<Result<_>>()?;
        for inspector in &inspectors {
            if !facts::exists(self.tx, "inspectors", inspector)? {
                return Err(StoreError::Invalid(format!(
                    "inspectors 引用的检查人员“{inspector}”在数据包和本机数据中都不存在"
                )));
            }
        }
        let items: Vec<Object> = items
            .into_iter()
            .map(|v| nested(v, ITEM_COLUMNS, "items"))
            .collect::<Result<_>>()?;
        let signatures: Vec<Object> = signatures
            .into_iter()
            .map(|v| nested(v, SIGNATURE_COLUMNS, "signatures"))
            .collect::<Result<_>>()?;
        for signature in &signatures {
            self.check_not_future(signature)?;
        }

        if let Some(local) = rows::existing(self.tx, kind, &id)? {
            let local_items = rows::all(
                self.tx,
                ITEM_COLUMNS,
                "inspection_items",
                "WHERE inspection_id = ?1 ORDER BY position",
                &[&id],
            )?;
            if local != object {
                return Err(differs(&local, &object));
            }
            if local_items != items || rows::inspectors_of(self.tx, &id)? != inspectors {
                return Err(StoreError::Invalid(
                    "与本机已有的同一检查记录的检查项或检查人员不同：可能被篡改".into(),
                ));
            }
            self.report.unchanged += 1;
        } else {
            // A draft until its answers, evidence and exams are in (see `seal`).
            let mut draft = object;
            let finalized_at = draft.insert("finalized_at".into(), Value::Null);
            draft.insert("status".into(), Value::String("draft".into()));
            rows::insert(self.tx, kind.table, kind.columns, &draft)?;
            let mut add_inspector = self.tx.prepare_cached(
                "INSERT INTO inspection_inspectors (inspection_id, position, inspector_id)
                 VALUES (?1, ?2, ?3)",
            )?;
            for (position, inspector) in inspectors.iter().enumerate() {
                add_inspector.execute(params![id, position as i64, inspector])?;
            }
            for item in &items {
                rows::insert_led(
                    self.tx,
                    "inspection_items",
                    &["inspection_id"],
                    &[&id],
                    ITEM_COLUMNS,
                    item,
                )?;
            }
            self.tx
                .prepare_cached("INSERT INTO temp.import_pending VALUES (?1, ?2)")?
                .execute(params![
                    id,
                    sql_value(finalized_at.as_ref().unwrap_or(&Value::Null))
                ])?;
            *self.report.added.entry(kind.name).or_default() += 1;
        }
        for signature in &signatures {
            if !rows::insert_new_led(
                self.tx,
                "temp.import_signatures",
                &["inspection_id"],
                &[&id],
                SIGNATURE_COLUMNS,
                signature,
            )? {
                return Err(StoreError::Invalid(format!(
                    "检查记录 {id} 上同一检查人员的签名出现了两次"
                )));
            }
        }
        Ok(())
    }

    /// Answers, evidence and exams: only for an inspection that arrives in this bundle; one
    /// that is final here already cannot gain or change any.
    pub(super) fn child(&mut self, kind: &'static Kind, object: Object) -> Result<()> {
        let parent = text(&object, "inspection_id");
        let id = text(&object, kind.columns[0]);
        let arriving = self.arriving.as_ref() == Some(&parent) || {
            let found: bool = self
                .tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM temp.import_pending WHERE id = ?1)")?
                .query_row([&parent], |r| r.get(0))?;
            if found {
                self.arriving = Some(parent.clone());
            }
            found
        };
        if !arriving {
            // Its inspection is final here (or nowhere): the record must be here, unchanged.
            return match rows::existing(self.tx, kind, &id)? {
                Some(local) if local == object => {
                    self.report.unchanged += 1;
                    Ok(())
                }
                Some(local) => Err(differs(&local, &object)),
                None if !facts::exists(self.tx, "inspections", &parent)? => {
                    Err(StoreError::Invalid(format!(
                        "inspection_id 引用的检查记录“{parent}”在数据包和本机数据中都不存在"
                    )))
                }
                None => Err(StoreError::Invalid(format!(
                    "检查记录 {parent} 在本机已定稿，不能再增加内容（可能被篡改）"
                ))),
            };
        }
        self.immutable(kind, object).map(|_| ())
    }

    /// Finalizes the inspections that arrived, then checks and records their signatures.
    pub(super) fn seal(&mut self) -> Result<()> {
        self.sealed = true;
        self.tx.execute(
            "UPDATE inspections SET status = 'finalized', finalized_at =
                 (SELECT p.finalized_at FROM temp.import_pending p WHERE p.id = inspections.id)
             WHERE id IN (SELECT id FROM temp.import_pending)",
            [],
        )?;
        let mut stmt = self.tx.prepare(&format!(
            "SELECT s.inspection_id, {}, p.id IS NOT NULL
             FROM temp.import_signatures s LEFT JOIN temp.import_pending p
                 ON p.id = s.inspection_id
             ORDER BY s.inspection_id",
            SIGNATURE_COLUMNS
                .iter()
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let mut rows_of = stmt.query([])?;
        // One inspection's signatures come together: its canonical form is built once.
        let mut form: Option<(String, canonical::Form)> = None;
        while let Some(row) = rows_of.next()? {
            let inspection: String = row.get(0)?;
            let mut signature = Object::new();
            for (i, column) in SIGNATURE_COLUMNS.iter().enumerate() {
                signature.insert((*column).to_string(), Value::String(row.get(i + 1)?));
            }
            let inspector = text(&signature, "inspector_id");
            let arriving: bool = row.get(SIGNATURE_COLUMNS.len() + 1)?;
            // An inspection that arrives in this bundle has no signatures here yet.
            let existing = if arriving {
                Vec::new()
            } else {
                rows::all(
                    self.tx,
                    SIGNATURE_COLUMNS,
                    "inspection_signatures",
                    "WHERE inspection_id = ?1 AND inspector_id = ?2",
                    &[&inspection, &inspector],
                )?
            };
            if let Some(local) = existing.first() {
                if *local != signature {
                    return Err(StoreError::Invalid(format!(
                        "检查记录 {inspection} 上 {} 的签名与本机已有的不同：可能被伪造",
                        facts::inspector_name(self.tx, &inspector)
                    )));
                }
                continue;
            }
            let this_form = match form.take() {
                Some((id, f)) if id == inspection => f,
                _ => canonical::inspection_form(self.tx, &inspection)?,
            };
            self.check_signature(&inspection, &signature, &this_form)?;
            form = Some((inspection.clone(), this_form));
            rows::insert_led(
                self.tx,
                "inspection_signatures",
                &["inspection_id"],
                &[&inspection],
                SIGNATURE_COLUMNS,
                &signature,
            )?;
        }
        let unsigned: Option<String> = self
            .tx
            .query_row(
                "SELECT id FROM temp.import_pending p WHERE NOT EXISTS
                     (SELECT 1 FROM inspection_signatures s WHERE s.inspection_id = p.id)
                 LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = unsigned {
            return Err(StoreError::Invalid(format!(
                "检查记录 {id} 没有任何检查人员的签名，不能作为执法记录导入"
            )));
        }
        Ok(())
    }

    /// Checks one signature of `inspection` against its canonical `form`: the signer must be
    /// one of its inspectors, and the key the one enrolled (or trusted here) for that very
    /// inspector — a colleague's name never carries another's key.
    fn check_signature(
        &mut self,
        inspection: &str,
        signature: &Object,
        form: &canonical::Form,
    ) -> Result<()> {
        let inspector = text(signature, "inspector_id");
        let who = self.who(&inspector);
        let public = text(signature, "public_key");
        if !form.signers.contains(&inspector) {
            return Err(StoreError::Invalid(format!(
                "检查记录 {inspection} 的签名人 {who} 不是这次检查的检查人员"
            )));
        }
        let recorded = self.recorded_key(&inspector)?;
        let recorded = recorded
            .as_ref()
            .and_then(|(k, o)| Origin::parse(o).map(|o| (k.as_str(), o)));
        let inspector_id = Uuid::parse_str(&inspector).unwrap_or_default();
        let record = Uuid::parse_str(inspection).unwrap_or_default();
        let verdict = admission::vouch(
            self.roster.as_ref(),
            inspector_id,
            &who,
            &public,
            recorded,
            record,
        )
        .owned();
        match verdict {
            Ok(person) => {
                // A signer must be an inspector when they signed (a person who left is not).
                let signed_at = text(signature, "signed_at");
                let then = person
                    .as_ref()
                    .and_then(|p| self.roster.as_ref()?.person_at(p.id, &signed_at));
                let actor = crate::domain::trust::Actor {
                    inspector_id,
                    person: then,
                    name: &who,
                };
                crate::domain::trust::authorize(
                    &self.permissions,
                    self.roster.as_ref(),
                    &actor,
                    &crate::domain::trust::Action::Inspect,
                )
                .map_err(|reason| {
                    StoreError::Invalid(format!("检查记录 {inspection}：{reason}"))
                })?;
            }
            Err((true, reason)) => {
                self.held_or_released(
                    &public,
                    inspector_id,
                    record,
                    format!("检查记录 {inspection}：{reason}"),
                )?;
            }
            Err((false, reason)) => {
                return Err(StoreError::Invalid(format!(
                    "检查记录 {inspection}：{reason}"
                )));
            }
        }
        self.verifier.check(
            public,
            form.text.clone(),
            text(signature, "signature"),
            Failure::Inspection(inspection.to_string()),
        );
        Ok(())
    }
}

/// A received inspection's departure (when it has one) is after its arrival and not after its
/// finalization, by the rule the TUI applies (`domain::inspection::check_departure`).
fn check_departure(object: &Object) -> Result<()> {
    let time = |column: &str| {
        object
            .get(column)
            .and_then(Value::as_str)
            .and_then(crate::domain::time::parse_record_time)
    };
    let Some(departed) = time("departed_at") else {
        return Ok(()); // shape already checked: absent (made before paicha asked for it)
    };
    let (Some(arrival), Some(finalized)) = (time("arrival_at"), time("finalized_at")) else {
        return Err(StoreError::Invalid(
            "有离开现场时间的检查记录缺少到达时间或定稿时间".into(),
        ));
    };
    crate::domain::inspection::check_departure(arrival, departed, finalized)
        .map_err(StoreError::Invalid)
}
