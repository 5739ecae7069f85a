//! Applying a bundle's records in one write transaction: all or nothing. Immutable records
//! join as a union by id (the same id with other content is refused, naming the record);
//! enterprises keep the latest version by (updated_at, replica_id) and every other version as
//! history; a new inspection's signatures are checked against its canonical form recomputed
//! from what was received. Hazard state is folded afresh from the union of events.

use super::export::{RECORD_SIGNATURE_COLUMNS, SIGNATURE_COLUMNS};
use super::kinds::{self, ITEM_COLUMNS, Kind, Merge};
use super::rows::{self, Object, sql_value};
use super::{canonical, sign};
use crate::identity::keys;
use crate::storage::sql::ts;
use crate::storage::{Result, Store, StoreError, hazard_status};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Refuse a bundle signed by anyone whose public key this database has not recorded.
    pub strict: bool,
    /// Take a new identity carrying the certificate number of an inspector already known
    /// here from another device (otherwise refused as a possible impostor).
    pub trust_new_keys: bool,
    /// Work everything out, then roll back.
    pub dry_run: bool,
    pub file_name: String,
    /// SHA-256 of the whole bundle file (hex), for the log and the keys it introduces.
    pub sha256: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// SHA-256 of the bundle file as read.
    pub sha256: String,
    /// New records per kind.
    pub added: BTreeMap<&'static str, u64>,
    /// Records already here, identical.
    pub unchanged: u64,
    /// Enterprises replaced by a newer version from the bundle (the old one kept as history).
    pub enterprises_updated: u64,
    /// Older enterprise versions from the bundle kept as history only.
    pub enterprise_versions_kept: u64,
    /// Names of enterprises new to this database.
    pub new_enterprises: Vec<String>,
    /// Inspectors whose public key was recorded on first sight (trust on first import).
    pub new_keys: Vec<String>,
}

impl ImportReport {
    pub fn added_total(&self) -> u64 {
        self.added.values().sum()
    }
    pub fn changed_anything(&self) -> bool {
        self.added_total() + self.enterprises_updated + self.enterprise_versions_kept > 0
    }
}

pub struct Applier<'t> {
    tx: &'t Connection,
    options: &'t ImportOptions,
    report: ImportReport,
    sealed: bool,
    /// Inspectors and enterprises known to exist (few, looked up for almost every record).
    known: BTreeSet<String>,
    /// Authors' recorded keys, once looked up (keys are applied before any signed record).
    key_cache: std::collections::HashMap<String, Option<String>>,
    /// Signatures are checked on another core while records are written.
    verifier: super::verify::Verifier<Failure>,
    /// Where the line being applied is (kind, line), for deferred messages.
    at: (&'static str, u64),
    /// The last inspection found arriving in this bundle (children come grouped by it).
    arriving: Option<String>,
    now: String,
}

/// What a signature that does not verify is reported as (worded only if it happens).
pub enum Failure {
    Record {
        at: (&'static str, u64),
        author: String,
    },
    Inspection(String),
    Aborted,
}

impl Failure {
    fn message(&self, conn: &Connection) -> String {
        match self {
            Failure::Record {
                at: (kind, line),
                author,
            } => format!(
                "records/{kind}.jsonl 第{line}行：作者签名与内容不符：记录在签名后被改动过，或不是 {} 记录的",
                inspector_name(conn, author)
            ),
            Failure::Inspection(id) => {
                format!("检查记录 {id} 的签名与内容不符：记录在签名后被改动过，或签名是伪造的")
            }
            Failure::Aborted => "签名校验意外中止，数据包没有导入".to_string(),
        }
    }
}

/// What an import keeps aside until the end, in temp tables of the same transaction (so memory
/// stays flat however large the bundle): inspections inserted as drafts until their answers,
/// evidence and exams are in; their signatures, checked when sealed; hazards whose state must
/// be folded again.
const SCRATCH: &str = "
CREATE TEMP TABLE IF NOT EXISTS import_pending (id TEXT PRIMARY KEY, finalized_at TEXT);
CREATE TEMP TABLE IF NOT EXISTS import_signatures (
    inspection_id TEXT NOT NULL, inspector_id TEXT NOT NULL, public_key TEXT NOT NULL,
    signature TEXT NOT NULL, signed_at TEXT NOT NULL, PRIMARY KEY (inspection_id, inspector_id));
CREATE TEMP TABLE IF NOT EXISTS import_touched (hazard_id TEXT PRIMARY KEY);
DELETE FROM import_pending; DELETE FROM import_signatures; DELETE FROM import_touched;
";

/// The kinds that must come after a new inspection is complete and sealed.
fn after_inspections(kind: &Kind) -> bool {
    let order = |k: &Kind| kinds::ALL.iter().position(|x| x.name == k.name);
    order(kind) > order(&kinds::EXAMS)
}

impl<'t> Applier<'t> {
    /// Applies one line (`line` counts from 1) of `records/<kind>.jsonl`.
    pub fn apply(&mut self, kind: &'static Kind, line: u64, object: Object) -> Result<()> {
        let at = |e: StoreError| {
            StoreError::Invalid(format!(
                "records/{}.jsonl 第{line}行：{}",
                kind.name,
                plain(&e)
            ))
        };
        if !self.sealed && after_inspections(kind) {
            self.seal()?;
        }
        self.at = (kind.name, line);
        let mut object = object;
        let signature = if sign::is_signed(kind) {
            match object.remove("signature") {
                Some(Value::Object(o)) => Some(o),
                _ => {
                    return Err(at(StoreError::Invalid(
                        "缺少作者签名（signature），无法证明是谁记录的".into(),
                    )));
                }
            }
        } else {
            None
        };
        let extra: &[&str] = if kind.name == kinds::INSPECTIONS.name {
            &["inspectors", "items", "signatures"]
        } else {
            &[]
        };
        rows::check_shape(kind, &object, extra)
            .map_err(StoreError::Invalid)
            .map_err(at)?;
        self.check_refs(kind, &object).map_err(at)?;
        match kind.name {
            "keys" => self.key(object),
            "enterprises" => self.enterprise(object),
            "inspections" => self.inspection(object),
            "answers" | "evidence" | "exams" => self.child(kind, object),
            _ => self.signed(kind, object, signature),
        }
        .map_err(at)
    }

    fn check_refs(&mut self, kind: &Kind, object: &Object) -> Result<()> {
        let child = matches!(kind.name, "answers" | "evidence" | "exams");
        for (column, table) in kind.refs {
            let Some(Value::String(parent)) = object.get(*column) else {
                continue;
            };
            // A child's inspection is checked by `child` (it must arrive with it).
            if child && *column == "inspection_id" {
                continue;
            }
            let small = *table == "inspectors" || *table == "enterprises";
            if small && self.known.contains(parent) {
                continue;
            }
            if exists(self.tx, table, parent)? {
                if small {
                    self.known.insert(parent.clone());
                }
            } else {
                return Err(StoreError::Invalid(format!(
                    "引用的{}“{parent}”在数据包和本机数据中都不存在",
                    table_label(table)
                )));
            }
        }
        Ok(())
    }

    /// Union by id: new → inserted; present and identical → nothing; present and different →
    /// refused. `true` when inserted.
    fn immutable(&mut self, kind: &'static Kind, object: Object) -> Result<bool> {
        debug_assert_eq!(kind.merge, Merge::Immutable);
        let id = text(&object, kind.columns[0]);
        // Insert first (the common case at the office): only an id already here is compared.
        if !rows::insert_new(self.tx, kind.table, kind.columns, &object)? {
            let Some(local) = rows::existing(self.tx, kind, &id)? else {
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
        if kind.name == kinds::INSPECTORS.name {
            self.known.insert(id);
        }
        Ok(true)
    }

    /// A record that carries its author's signature: a new one is taken only when the
    /// signature is its author's (with the key recorded for them) over exactly these fields.
    fn signed(
        &mut self,
        kind: &'static Kind,
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
        if text(&signature, "inspector_id") != author {
            return Err(StoreError::Invalid(format!(
                "签名人不是记录的作者 {}：可能是冒名记录",
                inspector_name(self.tx, &author)
            )));
        }
        let form = sign::record_form(&object);
        // The record first: the same id with other content is refused as changed.
        if !self.immutable(kind, object)? {
            let known = rows::all(
                self.tx,
                RECORD_SIGNATURE_COLUMNS,
                "record_signatures",
                "WHERE record_table = ?1 AND record_id = ?2",
                &[&kind.table, &id],
            )?;
            match known.first() {
                Some(local) if *local == signature => return Ok(()),
                Some(_) => {
                    return Err(StoreError::Invalid(
                        "与本机已有的作者签名不同：可能被伪造".into(),
                    ));
                }
                None => {} // here unsigned so far: take a valid signature
            }
        }
        let public = text(&signature, "public_key");
        if self.known_key(&author)?.as_deref() != Some(public.as_str()) {
            return Err(StoreError::Invalid(format!(
                "作者 {} 的公钥未登记或与登记的不同",
                inspector_name(self.tx, &author)
            )));
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

    /// The recorded key of an author, remembered for the rest of the import (authors are few).
    fn known_key(&mut self, inspector: &str) -> Result<Option<String>> {
        if let Some(k) = self.key_cache.get(inspector) {
            return Ok(k.clone());
        }
        let k = self.registered_key(inspector)?;
        self.key_cache.insert(inspector.to_string(), k.clone());
        Ok(k)
    }

    /// The public key recorded here for `inspector`, if any.
    fn registered_key(&self, inspector: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached("SELECT public_key FROM inspector_keys WHERE inspector_id = ?1")?
            .query_row([inspector], |r| r.get(0))
            .optional()?)
    }

    fn key(&mut self, object: Object) -> Result<()> {
        let inspector = text(&object, "inspector_id");
        let public = text(&object, "public_key");
        match self.registered_key(&inspector)? {
            Some(k) if k == public => {
                self.report.unchanged += 1;
                Ok(())
            }
            Some(_) => Err(StoreError::Invalid(format!(
                "检查人员 {} 的公钥与本机登记的不同：数据包可能是伪造的",
                inspector_name(self.tx, &inspector)
            ))),
            None if self.options.strict => Err(StoreError::Invalid(format!(
                "检查人员 {} 的公钥尚未登记（--strict 只接受已登记公钥签名的数据包）",
                inspector_name(self.tx, &inspector)
            ))),
            None => {
                self.check_not_an_impostor(&inspector)?;
                self.tx.execute(
                    "INSERT INTO inspector_keys
                         (inspector_id, public_key, origin, recorded_at, first_bundle)
                     VALUES (?1, ?2, 'imported', ?3, ?4)",
                    params![inspector, public, self.now, self.options.sha256],
                )?;
                *self.report.added.entry("keys").or_default() += 1;
                self.report
                    .new_keys
                    .push(inspector_name(self.tx, &inspector));
                Ok(())
            }
        }
    }

    /// A new identity whose certificate number belongs to an inspector who already has a key
    /// here, made on another device, is refused unless trusted explicitly: it could be someone
    /// signing in a colleague's name. (A profile changed on the same device keeps its device.)
    fn check_not_an_impostor(&self, inspector: &str) -> Result<()> {
        if self.options.trust_new_keys {
            return Ok(());
        }
        let known: Option<(String, String)> = self
            .tx
            .query_row(
                "SELECT o.name, o.cert_no FROM inspectors n
                 JOIN inspectors o ON o.cert_no = n.cert_no AND o.id <> n.id
                     AND o.replica_id <> n.replica_id
                 JOIN inspector_keys k ON k.inspector_id = o.id
                 WHERE n.id = ?1 AND n.cert_no <> ''
                 LIMIT 1",
                [inspector],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match known {
            Some((name, cert)) => Err(StoreError::Invalid(format!(
                "执法证号 {cert} 在本机已属于已登记公钥的 {name}，这个数据包却带来了同一证号的另一个身份\
                 （{}），可能是冒名。如确为本人换了电脑，请核实后用 paicha import --trust-new-keys 导入",
                inspector_name(self.tx, inspector)
            ))),
            None => Ok(()),
        }
    }

    fn enterprise(&mut self, object: Object) -> Result<()> {
        let kind = &kinds::ENTERPRISES;
        let id = text(&object, "id");
        let Some(local) = rows::existing(self.tx, kind, &id)? else {
            let code = text(&object, "credit_code");
            let other: Option<String> = self
                .tx
                .query_row(
                    "SELECT name FROM enterprises WHERE credit_code = ?1",
                    [&code],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(name) = other {
                return Err(StoreError::Invalid(format!(
                    "统一社会信用代码 {code} 在本机属于另一条企业记录（{name}，编号不同）。\
                     两台电脑各自导入了同一企业：请先把办公室的台账导出给这台电脑（paicha export --ledger）"
                )));
            }
            rows::insert(self.tx, kind.table, kind.columns, &object)?;
            *self.report.added.entry(kind.name).or_default() += 1;
            self.report.new_enterprises.push(text(&object, "name"));
            return Ok(());
        };
        if local == object {
            self.report.unchanged += 1;
            return Ok(());
        }
        let version = |o: &Object| (text(o, "updated_at"), text(o, "replica_id"));
        let (incoming, current) = (version(&object), version(&local));
        if incoming == current {
            return Err(differs(&local, &object));
        }
        if incoming > current {
            let sets: Vec<String> = kind.columns[1..]
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 2))
                .collect();
            let mut values = vec![Value::String(id.clone())];
            values.extend(kind.columns[1..].iter().map(|c| object[*c].clone()));
            self.tx.execute(
                &format!("UPDATE enterprises SET {} WHERE id = ?1", sets.join(", ")),
                rusqlite::params_from_iter(values.iter().map(sql_value)),
            )?;
            self.report.enterprises_updated += 1;
            return Ok(());
        }
        // Older than ours: kept as history, once, in the form the update trigger writes.
        let kept: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM enterprise_revisions WHERE enterprise_id = ?1
                 AND json_extract(old_row, '$.updated_at') = ?2
                 AND json_extract(old_row, '$.replica_id') = ?3)",
            params![id, incoming.0, incoming.1],
            |r| r.get(0),
        )?;
        if !kept {
            let pairs: Vec<String> = kind
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("'{c}', ?{}", i + 3))
                .collect();
            let mut values = vec![Value::String(id.clone()), Value::String(current.0)];
            values.extend(kind.columns.iter().map(|c| object[*c].clone()));
            self.tx.execute(
                &format!(
                    "INSERT INTO enterprise_revisions (enterprise_id, replaced_at, old_row)
                     VALUES (?1, ?2, json_object({}))",
                    pairs.join(", ")
                ),
                rusqlite::params_from_iter(values.iter().map(sql_value)),
            )?;
            self.report.enterprise_versions_kept += 1;
        }
        Ok(())
    }

    fn inspection(&mut self, mut object: Object) -> Result<()> {
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
            if !exists(self.tx, "inspectors", inspector)? {
                return Err(StoreError::Invalid(format!(
                    "引用的检查人员“{inspector}”在数据包和本机数据中都不存在"
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
    fn child(&mut self, kind: &'static Kind, object: Object) -> Result<()> {
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
            // Its inspection is final here: the record must be here already, unchanged.
            return match rows::existing(self.tx, kind, &id)? {
                Some(local) if local == object => {
                    self.report.unchanged += 1;
                    Ok(())
                }
                Some(local) => Err(differs(&local, &object)),
                None => Err(StoreError::Invalid(format!(
                    "检查记录 {parent} 在本机已定稿，不能再增加内容（可能被篡改）"
                ))),
            };
        }
        self.immutable(kind, object).map(|_| ())
    }

    /// Finalizes the inspections that arrived, then checks and records their signatures.
    fn seal(&mut self) -> Result<()> {
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
        let mut registered: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
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
                        inspector_name(self.tx, &inspector)
                    )));
                }
                continue;
            }
            if form.as_ref().map(|(id, _)| id) != Some(&inspection) {
                form = Some((
                    inspection.clone(),
                    canonical::inspection_form(self.tx, &inspection)?,
                ));
            }
            let Some((_, this_form)) = form.as_ref() else {
                continue;
            };
            let key = match registered.get(&inspector) {
                Some(k) => k.clone(),
                None => {
                    let k = self.registered_key(&inspector)?;
                    registered.insert(inspector.clone(), k.clone());
                    k
                }
            };
            self.check_signature(&inspection, &signature, this_form, key.as_deref())?;
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

    /// Checks one signature of `inspection` against its canonical `form`; `registered` is the
    /// signer's recorded public key.
    fn check_signature(
        &mut self,
        inspection: &str,
        signature: &Object,
        form: &canonical::Form,
        registered: Option<&str>,
    ) -> Result<()> {
        let inspector = text(signature, "inspector_id");
        let who = || inspector_name(self.tx, &inspector);
        let public = text(signature, "public_key");
        if registered != Some(public.as_str()) {
            return Err(StoreError::Invalid(format!(
                "检查记录 {inspection} 由 {} 签名，但其公钥未登记或与登记的不同",
                who()
            )));
        }
        if !form.signers.contains(&inspector) {
            return Err(StoreError::Invalid(format!(
                "检查记录 {inspection} 的签名人 {} 不是这次检查的检查人员",
                who()
            )));
        }
        self.verifier.check(
            public,
            form.text.clone(),
            text(signature, "signature"),
            Failure::Inspection(inspection.to_string()),
        );
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if !self.sealed {
            self.seal()?;
        }
        if let Some(failure) = self.verifier.finish() {
            return Err(StoreError::Invalid(failure.message(self.tx)));
        }
        let mut stmt = self
            .tx
            .prepare("SELECT hazard_id FROM temp.import_touched ORDER BY hazard_id")?;
        let mut touched = stmt.query([])?;
        while let Some(row) = touched.next()? {
            if let Ok(id) = Uuid::parse_str(&row.get::<_, String>(0)?) {
                hazard_status::refresh(self.tx, id)?;
            }
        }
        Ok(())
    }
}

/// One applied import, as `paicha import --log` lists it.
#[derive(Debug, Clone)]
pub struct ImportLogEntry {
    pub file_name: String,
    pub sha256: String,
    /// Name of the importing inspector.
    pub imported_by: String,
    pub imported_at: String,
    pub result: String,
    pub summary: String,
}

impl Store {
    /// Every import applied here, oldest first.
    pub fn import_log(&self) -> Result<Vec<ImportLogEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.file_name, l.sha256, COALESCE(i.name, l.imported_by), l.imported_at,
                    l.result, l.summary
             FROM import_log l LEFT JOIN inspectors i ON i.id = l.imported_by
             ORDER BY l.imported_at, l.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ImportLogEntry {
                    file_name: r.get(0)?,
                    sha256: r.get(1)?,
                    imported_by: r.get(2)?,
                    imported_at: r.get(3)?,
                    result: r.get(4)?,
                    summary: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Applies a bundle's records, which `feed` hands to the applier in kind order, in one
    /// write transaction: either all of it lands (and is logged) or nothing does.
    pub fn import_records(
        &mut self,
        options: &ImportOptions,
        feed: impl FnOnce(&mut Applier) -> Result<()>,
    ) -> Result<ImportReport> {
        self.write(|tx, stamp| {
            tx.execute_batch(SCRATCH)?;
            let mut applier = Applier {
                tx,
                options,
                report: ImportReport {
                    sha256: options.sha256.clone(),
                    ..Default::default()
                },
                sealed: false,
                known: BTreeSet::new(),
                key_cache: std::collections::HashMap::new(),
                verifier: super::verify::Verifier::start(|| Failure::Aborted),
                at: ("", 0),
                arriving: None,
                now: ts(stamp.now),
            };
            feed(&mut applier)?;
            applier.finish()?;
            let report = applier.report;
            if options.dry_run {
                // Rolled back by returning an error the caller turns into the report.
                return Err(StoreError::DryRun(Box::new(report)));
            }
            tx.execute(
                "INSERT INTO import_log (id, file_name, sha256, imported_by, imported_at, result,
                     summary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    Uuid::now_v7().to_string(),
                    options.file_name,
                    options.sha256,
                    stamp.author(tx)?.to_string(),
                    ts(stamp.now),
                    if report.changed_anything() {
                        "applied"
                    } else {
                        "unchanged"
                    },
                    serde_json::to_string(&report)?,
                ],
            )?;
            Ok(report)
        })
        .or_else(|e| match e {
            StoreError::DryRun(report) => Ok(*report),
            other => Err(other),
        })
    }

    /// Records this device's public key of `inspector` (made if missing) and returns it.
    pub fn own_public_key(&mut self, inspector: Uuid) -> Result<String> {
        let (key, _) = self
            .keys()
            .get_or_make(inspector)
            .map_err(sign::key_error)?;
        let public = keys::public_hex(&key);
        self.write(|tx, stamp| sign::record_own_key(tx, inspector, &public, stamp.now))?;
        Ok(public)
    }
}

fn exists(conn: &Connection, table: &'static str, id: &str) -> Result<bool> {
    thread_local! {
        /// The existence query per table, made once (one runs for most records).
        static SQL: std::cell::RefCell<std::collections::HashMap<&'static str, std::rc::Rc<str>>> =
            Default::default();
    }
    let sql = SQL.with(|cache| {
        cache
            .borrow_mut()
            .entry(table)
            .or_insert_with(|| {
                let key = if table == "inspector_keys" {
                    "inspector_id"
                } else {
                    "id"
                };
                format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE {key} = ?1)").into()
            })
            .clone()
    });
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?)
}

fn table_label(table: &str) -> &'static str {
    kinds::ALL
        .iter()
        .find(|k| k.table == table)
        .map_or("记录", |k| k.label)
}

fn inspector_name(conn: &Connection, id: &str) -> String {
    conn.query_row("SELECT name FROM inspectors WHERE id = ?1", [id], |r| {
        r.get::<_, String>(0)
    })
    .map(|name| format!("{name}（{id}）"))
    .unwrap_or_else(|_| id.to_string())
}

fn text(object: &Object, key: &str) -> String {
    object
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn take_array(object: &mut Object, key: &str) -> Result<Vec<Value>> {
    match object.remove(key) {
        Some(Value::Array(a)) => Ok(a),
        _ => Err(StoreError::Invalid(format!("字段“{key}”应为列表"))),
    }
}

/// A nested object with exactly `columns`, each of the right shape.
fn nested(value: Value, columns: &[&str], what: &str) -> Result<Object> {
    let Value::Object(o) = value else {
        return Err(StoreError::Invalid(format!("{what} 的每一项应为对象")));
    };
    rows::check_nested(what, &o, columns).map_err(StoreError::Invalid)?;
    Ok(o)
}

fn differs(local: &Object, incoming: &Object) -> StoreError {
    let fields: Vec<&str> = local
        .keys()
        .chain(incoming.keys())
        .filter(|k| local.get(*k) != incoming.get(*k))
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    StoreError::Invalid(format!(
        "与本机已有的同一编号记录内容不同（{}）：可能被篡改或出错，整个数据包不予导入",
        fields.join("、")
    ))
}

/// An error's message without a wrapper's prefix.
fn plain(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(text) => text.clone(),
        other => other.to_string(),
    }
}
