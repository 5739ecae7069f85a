//! Applying a bundle's records in one write transaction: all or nothing. The work is split by
//! job: the roster and keys a bundle brings (`admit`), the union of immutable records and the
//! sealing of new inspections (`union`), records signed by their author (`signed`), the
//! enterprise register (`registry`), and the checks that need the whole bundle in — every
//! deferred reference, and each hazard's new events at their place in its history (`events`).
//! Who may do what is decided by `domain::trust`; this module gathers the facts and stores.

mod admit;
mod attachments;
mod checks;
mod corrections;
mod events;
mod facts;
mod log;
mod registry;
mod schemas;
mod signed;
mod union;

use super::kinds::{self, Kind};
use super::rows::{self, Object};
use super::sign;
use crate::domain::trust::{Permissions, Roster};
use crate::storage::sql::ts;
use crate::storage::{Result, Store, StoreError};
use facts::{plain, text};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

pub use attachments::CarriedFile;
pub use log::ImportLogEntry;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Refuse a bundle signed by anyone whose public key this database has not recorded.
    pub strict: bool,
    /// Take keys the roster (or, without one, the first-sight rule) would refuse, after the
    /// user was shown who and which key (`--trust-new-keys`).
    pub trust_new_keys: bool,
    /// The office's fingerprint the user read at the office: needed the first time this
    /// database meets a roster.
    pub office_fingerprint: Option<String>,
    /// At the office, after a clerk's review: records signed by a revoked key are taken, and
    /// their ids reported (`ImportReport::released`) for the roster's release entry.
    pub release_revoked: bool,
    /// Follow a new office anchor (the old one was lost) whose fingerprint is
    /// `office_fingerprint`, keeping the old roster as history (`--retrust`).
    pub retrust: bool,
    /// Work everything out, then roll back.
    pub dry_run: bool,
    pub file_name: String,
    /// SHA-256 of the whole bundle file (hex), for the log and the keys it introduces.
    pub sha256: String,
    /// Who exported the bundle (from its signed manifest): vouches for the register data.
    pub exporter_id: String,
    pub exporter_key: String,
    /// The files the bundle carries (`attachments/<sha256>`), by hash, already staged.
    pub attachments: BTreeMap<String, CarriedFile>,
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
    /// Keys recorded by this import: who, which key (fingerprint) and on what ground.
    pub new_keys: Vec<String>,
    /// Roster entries this import added (the office's changes reaching this laptop).
    pub roster_entries: u64,
    /// With `release_revoked`: the records taken from each revoked key (by public key).
    pub released: BTreeMap<String, BTreeSet<String>>,
}

impl ImportReport {
    pub fn added_total(&self) -> u64 {
        self.added.values().sum()
    }
    pub fn changed_anything(&self) -> bool {
        self.added_total() + self.enterprises_updated + self.enterprise_versions_kept > 0
            || self.roster_entries > 0
    }
}

pub struct Applier<'t> {
    tx: &'t Connection,
    options: &'t ImportOptions,
    permissions: Permissions,
    /// The evidence forms in force: what a correction of evidence is checked against.
    forms: std::sync::Arc<Vec<crate::templates::forms::FormDef>>,
    report: ImportReport,
    sealed: bool,
    /// Inspectors and enterprises known to exist (few, looked up for almost every record).
    known: BTreeSet<String>,
    /// Inspectors that arrived in this bundle (a key for one of them is a new identity).
    arrived: HashSet<String>,
    /// Recorded keys of inspectors, once looked up: (public key, origin).
    key_cache: HashMap<String, Option<(String, String)>>,
    /// Inspectors' names for messages and actors, once looked up (authors are few).
    names: HashMap<String, String>,
    /// The roster in force, updated by the bundle's own roster lines.
    roster: Option<Roster>,
    /// Signatures are checked on another core while records are written.
    verifier: super::verify::Verifier<Failure>,
    /// Where the line being applied is (kind, line), for deferred messages.
    at: (&'static str, u64),
    /// The last inspection found arriving in this bundle (children come grouped by it).
    arriving: Option<String>,
    now: String,
    /// The latest instant a record may claim (now plus the clock skew allowed).
    latest: chrono::DateTime<chrono::Utc>,
    /// The same, as record times are spelled.
    latest_text: String,
    /// The latest day a decision may claim (the day of the latest instant, in Beijing).
    latest_day: String,
    /// This data dir's attachment store and size caps.
    files: crate::storage::attachment_files::Files,
    attachment_rules: crate::domain::attachment::AttachmentRules,
    /// The files the bundle's attachment lines name, by hash.
    named_files: BTreeMap<String, attachments::Named>,
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
                facts::inspector_name(conn, author)
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
/// be folded again and the new events to check there; references to records that may come
/// later in the bundle.
const SCRATCH: &str = "
CREATE TEMP TABLE IF NOT EXISTS import_pending (id TEXT PRIMARY KEY, finalized_at TEXT);
CREATE TEMP TABLE IF NOT EXISTS import_signatures (
    inspection_id TEXT NOT NULL, inspector_id TEXT NOT NULL, public_key TEXT NOT NULL,
    signature TEXT NOT NULL, signed_at TEXT NOT NULL, PRIMARY KEY (inspection_id, inspector_id));
CREATE TEMP TABLE IF NOT EXISTS import_touched (hazard_id TEXT PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS import_new_events (
    id TEXT PRIMARY KEY, line INTEGER NOT NULL, person TEXT);
CREATE TEMP TABLE IF NOT EXISTS import_refs (
    kind TEXT NOT NULL, line INTEGER NOT NULL, column_name TEXT NOT NULL,
    target TEXT NOT NULL, id TEXT NOT NULL);
DELETE FROM import_pending; DELETE FROM import_signatures; DELETE FROM import_touched;
DELETE FROM import_new_events; DELETE FROM import_refs;
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
            let text = format!("records/{}.jsonl 第{line}行：{}", kind.name, plain(&e));
            match e {
                StoreError::Held(_) => StoreError::Held(text),
                e @ StoreError::UnknownOffice { .. } => e,
                _ => StoreError::Invalid(text),
            }
        };
        self.at = (kind.name, line);
        if kind.name == kinds::ROSTER.name {
            return self.roster_line(object).map_err(at);
        }
        if !self.sealed && after_inspections(kind) {
            self.seal()?;
        }
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
        rows::drop_absent(kind.table, &mut object);
        schemas::check(kind.name, &object).map_err(at)?;
        self.check_not_future(&object).map_err(at)?;
        self.check_refs(kind, line, &object).map_err(at)?;
        match kind.name {
            "keys" => self.key(object),
            "enterprises" => self.enterprise(object),
            "inspections" => self.inspection(object),
            "answers" | "evidence" | "exams" => self.child(kind, object),
            "inspectors" => self.inspector(object),
            "attachments" => {
                self.attachment(&object)?;
                self.signed(kind, line, object, signature)
            }
            _ => self.signed(kind, line, object, signature),
        }
        .map_err(at)
    }

    /// An inspector record (who someone says they are; identity rests on keys, not on it).
    fn inspector(&mut self, object: Object) -> Result<()> {
        let id = text(&object, "id");
        if self.immutable(&kinds::INSPECTORS, object)? {
            self.arrived.insert(id.clone());
        }
        self.known.insert(id);
        Ok(())
    }

    /// A signer the roster holds back: with `release_revoked` a revoked key's record is taken
    /// (and noted for the release entry), anything else is held for review.
    fn held_or_released(
        &mut self,
        public: &str,
        inspector: Uuid,
        record: Uuid,
        reason: String,
    ) -> Result<Option<crate::domain::trust::Person>> {
        if self.options.release_revoked
            && let Some(roster) = &self.roster
            && let crate::domain::trust::KeyStanding::Revoked(p, _) =
                roster.standing(public, inspector)
        {
            let person = p.clone();
            self.report
                .released
                .entry(public.to_string())
                .or_default()
                .insert(record.to_string());
            return Ok(Some(person));
        }
        Err(StoreError::Held(reason))
    }

    /// "name（id）" of an inspector, for messages and actors (looked up once per inspector).
    fn who(&mut self, inspector: &str) -> String {
        if let Some(name) = self.names.get(inspector) {
            return name.clone();
        }
        let name = facts::inspector_name(self.tx, inspector);
        self.names.insert(inspector.to_string(), name.clone());
        name
    }

    /// The moment of this import.
    fn now_time(&self) -> chrono::DateTime<chrono::Utc> {
        self.latest - crate::domain::trust::CLOCK_SKEW
    }

    /// The key recorded here for `inspector`, with its origin (cached: authors are few).
    fn recorded_key(&mut self, inspector: &str) -> Result<Option<(String, String)>> {
        if let Some(k) = self.key_cache.get(inspector) {
            return Ok(k.clone());
        }
        let k = facts::recorded_key(self.tx, inspector)?;
        self.key_cache.insert(inspector.to_string(), k.clone());
        Ok(k)
    }

    fn finish(&mut self) -> Result<()> {
        if !self.sealed {
            self.seal()?;
        }
        if let Some(failure) = self.verifier.finish() {
            return Err(StoreError::Invalid(failure.message(self.tx)));
        }
        self.check_deferred_refs()?;
        self.check_events()?;
        self.check_attachment_files()
    }
}

impl Store {
    /// Applies a bundle's records, which `feed` hands to the applier in kind order, in one
    /// write transaction: either all of it lands (and is logged) or nothing does.
    pub fn import_records(
        &mut self,
        options: &ImportOptions,
        feed: impl FnOnce(&mut Applier) -> Result<()>,
    ) -> Result<ImportReport> {
        self.import_records_placing(options, feed, || Ok(()))
    }

    /// As [`Store::import_records`]; once every check has passed (and not in a dry run),
    /// `place` runs just before the commit: it puts the bundle's staged files in the store, so
    /// a refused bundle leaves none, and a committed row names a file on disk.
    pub fn import_records_placing(
        &mut self,
        options: &ImportOptions,
        feed: impl FnOnce(&mut Applier) -> Result<()>,
        place: impl FnOnce() -> Result<()>,
    ) -> Result<ImportReport> {
        let forms = self.forms();
        let files = self.attachment_files();
        let attachment_rules = self.attachment_rules;
        self.write(|tx, stamp| {
            tx.execute_batch(SCRATCH)?;
            let mut applier = Applier {
                tx,
                options,
                permissions: (*stamp.permissions).clone(),
                forms,
                report: ImportReport {
                    sha256: options.sha256.clone(),
                    ..Default::default()
                },
                sealed: false,
                known: BTreeSet::new(),
                arrived: HashSet::new(),
                key_cache: HashMap::new(),
                names: HashMap::new(),
                roster: crate::storage::roster::load(tx)?,
                verifier: super::verify::Verifier::start(|| Failure::Aborted),
                at: ("", 0),
                arriving: None,
                now: ts(stamp.now),
                latest: stamp.now + crate::domain::trust::CLOCK_SKEW,
                latest_text: ts(stamp.now + crate::domain::trust::CLOCK_SKEW),
                latest_day: crate::domain::time::local(
                    stamp.now + crate::domain::trust::CLOCK_SKEW,
                )
                .date()
                .format("%Y-%m-%d")
                .to_string(),
                files,
                attachment_rules,
                named_files: BTreeMap::new(),
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
            place()?;
            Ok(report)
        })
        .or_else(|e| match e {
            StoreError::DryRun(report) => Ok(*report),
            other => Err(other),
        })
    }
}
