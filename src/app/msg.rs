//! What flows through the app: messages into `update`, effects out of it. `update` never does
//! I/O; the effect runner does, and answers with a message.

use super::search::SearchKey;
use crate::domain::trust::{Role, Roster, SignedEntry};
use crate::domain::{
    AnswerResult, EnforcementAction, Enterprise, EvidenceRecord, ExamRecord, Hazard, Inspection,
    Record,
};
use crate::storage::{DraftSummary, HeldBundle};
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize,
    /// A background job (bundle export or import) moved on: `done` of `total` records
    /// (`total` 0 when not known).
    JobProgress {
        done: u64,
        total: u64,
    },
    JobDone(JobOutcome),
    HomeLoaded(HomeData),
    /// A folder read for the attach browser, or why it could not be.
    FolderListed(Result<super::screens::attach::Listing, String>),
    /// A thumbnail made by the preview worker (or why none could be).
    Thumbnail(super::preview::Key, super::preview::Made),
    /// Files attached: the records written; or every reason none was (one line per file).
    Attached(Result<Vec<Record<crate::domain::attachment::Attachment>>, Vec<String>>),
    /// The files a record already has (the attach browser's 已附 list), or why not.
    AttachedListed(Result<Vec<super::screens::attach::Stored>, String>),
    /// The terminal window got the focus back: another process may have changed the data.
    FocusGained,
    /// The profile was set: the name it records under.
    ProfileSaved(String),
    /// An addendum was recorded.
    AddendumSaved,
    /// A finalized inspection's times were corrected (a new record).
    TimesCorrected(Record<crate::domain::TimeCorrection>),
    /// An evidence record of a finalized inspection was corrected (a new record).
    EvidenceCorrected(Record<crate::domain::EvidenceCorrection>),
    /// The enterprise roster import: what was imported, or why nothing was (in Chinese).
    /// The summary and the warnings, or the refusal with every problem.
    EnterprisesImported(Result<(String, Vec<String>), crate::roster::file::Refusal>),
    EnterprisesLoaded(Arc<EnterpriseIndex>),
    EnterpriseCreated(Record<Enterprise>),
    SetupLoaded(SetupData),
    ReportLoaded(ReportKind, String),
    MonthlyLoaded(Box<crate::report::monthly::Table>),
    ActivitySaved(Record<crate::domain::Activity>),
    /// Demonstration data loaded: what was made, in words.
    DemoLoaded(String),
    InspectionOpened(Box<InspectionView>, Option<Place>),
    AnswerSaved {
        code: String,
        result: AnswerResult,
        note: String,
        at: DateTime<Utc>,
    },
    HazardSaved(Record<Hazard>),
    EvidenceSaved(Record<EvidenceRecord>),
    ExamSaved(Record<ExamRecord>),
    ActionSaved(Record<EnforcementAction>),
    /// Finalized; with what became of each 复查 item.
    Finalized(Uuid, Vec<String>),
    LedgerLoaded(Arc<LedgerIndex>),
    /// One hazard, with the campaign-rule warnings that concern it.
    HazardLoaded(Box<crate::storage::LedgerRow>, HazardNotes),
    StepApplied(Uuid),
    /// The office's roster and what the roster screen shows beside it.
    RosterLoaded(Box<RosterData>),
    /// A change to the roster was signed and stored: what was done, in words.
    RosterWritten(String),
    /// The documents of an inspection or a hazard, issued or not.
    DocumentsLoaded(Box<super::screens::documents::DocList>),
    /// A document issued (or reprinted) and written to its file, or why not (in Chinese).
    DocumentIssued(Result<Box<super::screens::documents::Written>, String>),
    /// A 现场照片补充页 written to its file, or why not (in Chinese).
    PhotosWritten(Result<Box<super::screens::documents::PhotosWritten>, String>),
    /// A loose form a crash interrupted, to reopen with what had been typed.
    LooseFormResumed(FormDraft),
    /// The enterprise chosen for an office hazard entry, and why the profile may not register
    /// one (asked before the form is filled); `draft`: a form being reopened.
    OfficeHazardReady {
        enterprise: Box<Record<Enterprise>>,
        refused: Option<String>,
        draft: Option<FormDraft>,
    },
    /// An office hazard registered (with its reward booked, in fen).
    OfficeHazardSaved(Record<Hazard>, Option<i64>),
    /// A month's hazard or disclosure list, and the path its export is offered at.
    MonthListLoaded(Box<crate::report::month_lists::MonthList>, PathBuf),
    /// The list written as xlsx: where, or why not (in Chinese).
    MonthListExported(Result<String, String>),
    /// The record to correct from the monthly table, or why it cannot be (in Chinese).
    CorrectionReady {
        target: Result<CorrectionTarget, String>,
        draft: Option<FormDraft>,
    },
    Discarded,
    Failed(String),
}

/// How a background job ended, as lines for the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum JobOutcome {
    Exported(Vec<String>),
    /// A dry run's findings: what the import would add (`anything` false: nothing new).
    Previewed {
        path: std::path::PathBuf,
        lines: Vec<String>,
        anything: bool,
        /// The previewed file's SHA-256: the import takes only that file.
        sha256: String,
        /// The office fingerprint the user confirmed, carried to the import itself.
        office_fingerprint: Option<String>,
    },
    /// The bundle brings an office's roster this laptop does not trust yet: the user compares
    /// the fingerprint with the one shown at the office before anything else happens.
    UnknownOffice {
        path: std::path::PathBuf,
        office: String,
        fingerprint: String,
    },
    Imported(Vec<String>),
    Failed(Vec<String>),
    /// A backup written and read back (what to tell), or why not.
    BackedUp(Result<Vec<String>, Vec<String>>),
    /// Files attached to a record, or every reason none was.
    Attached(
        Result<Vec<crate::domain::Record<crate::domain::attachment::Attachment>>, Vec<String>>,
    ),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Starts a bundle export or import in the background.
    Start(super::jobs::Work),
    LoadHome,
    /// Sets this device's inspector profile (name, 执法证号, group).
    SaveProfile(crate::domain::Inspector),
    /// Adds an addendum beside a finalized inspection.
    AddAddendum {
        inspection: Uuid,
        text: String,
    },
    /// Corrects a finalized inspection's arrival and departure (a new record stating both).
    CorrectTimes {
        inspection: Uuid,
        arrived_at: DateTime<Utc>,
        departed_at: DateTime<Utc>,
        reason: String,
    },
    /// Corrects an evidence record of a finalized inspection (a new record, values whole).
    CorrectEvidence {
        evidence: Uuid,
        values: std::collections::BTreeMap<String, crate::domain::FieldValue>,
        reason: String,
    },
    /// Imports the enterprise roster from a file (.xlsx, .xls or CSV), all or nothing.
    ImportEnterprises(std::path::PathBuf),
    LoadEnterprises,
    CreateEnterprise(Enterprise),
    LoadSetup(Uuid),
    /// A report over the ledger, as of today.
    LoadReport(ReportKind),
    /// Fills an empty database with demonstration data.
    LoadDemo,
    /// Logs an activity (C1, D rows of the monthly table).
    SaveActivity(crate::domain::Activity),
    /// The monthly progress table for a scope and period, filed by `unit`.
    LoadMonthly {
        scope: crate::report::monthly::Scope,
        period: crate::report::monthly::Period,
        unit: String,
    },
    /// Setup of a 复查 of `hazard` at `enterprise`, started from the ledger.
    LoadFollowUp {
        enterprise: Uuid,
        hazard: Uuid,
    },
    /// Starts a draft; the extra inspector names are registered first.
    StartInspection {
        inspection: Inspection,
        colleagues: Vec<String>,
    },
    OpenInspection(Uuid, Option<Place>),
    SaveAnswer {
        inspection: Uuid,
        code: String,
        result: AnswerResult,
        note: String,
    },
    RecordHazard(Hazard),
    RecordExam(ExamRecord),
    RecordAction(EnforcementAction),
    /// A new evidence record (`id` None) or a changed working copy.
    SaveEvidence {
        id: Option<Uuid>,
        record: EvidenceRecord,
    },
    /// Finalizes the draft; the visit ended at `departed_at` (`None`: now).
    Finalize {
        id: Uuid,
        departed_at: Option<chrono::DateTime<chrono::Utc>>,
    },
    Discard(Uuid),
    RememberPlace(Place),
    /// Starts building the ledger index in the background (at startup), so opening is instant.
    WarmLedger,
    LoadLedger,
    LoadHazard(Uuid),
    ApplyStep {
        hazard: Uuid,
        step: crate::domain::lifecycle::Step,
        note: String,
    },
    ForgetPlace,
    /// The roster screen's data (the roster, history, held bundles).
    LoadRoster,
    /// A change to the office's roster (only at the office; the store signs it).
    Roster(RosterWrite),
    /// Writes this laptop's public-key card to hand to the office (answered as a roster
    /// write: the roster screen says where it went).
    ExportOwnKey(PathBuf),
    /// Reads the documents of a finalized inspection or of a hazard's steps.
    LoadDocuments(super::screens::documents::Subject),
    /// Issues a document (or reprints it as first issued) and writes its HTML file.
    IssueDocument(Box<super::screens::documents::IssueRequest>),
    /// Writes the 现场照片补充页 of an inspection into a folder.
    WritePhotoSupplement {
        inspection: Uuid,
        folder: PathBuf,
    },
    /// Opens a written document with the system's opener, detached (never waited for).
    OpenDocument(PathBuf),
    /// Remembers the folder documents are written to (this device's choice).
    RememberDocumentFolder(String),
    /// Remembers the loose form being typed (`None`: forgets it): a form with no draft
    /// inspection behind it (ledger, monthly table, documents), kept apart from the place.
    RememberLooseForm(Option<FormDraft>),
    /// Answers with the loose form a crash interrupted, if any.
    ResumeLooseForm,
    /// Opens the office hazard entry at this enterprise (the permission asked first).
    OpenOfficeHazard {
        enterprise: Uuid,
        draft: Option<FormDraft>,
    },
    /// Registers an office hazard and books its reward, in one transaction.
    RecordOfficeHazard {
        hazard: Hazard,
        reward_fen: Option<i64>,
    },
    /// A month's list (the 25th of `month` closes it).
    LoadMonthList {
        which: crate::report::month_lists::Which,
        year: i32,
        month: u32,
    },
    /// The month's list written as xlsx to `path`.
    ExportMonthList {
        which: crate::report::month_lists::Which,
        year: i32,
        month: u32,
        path: PathBuf,
    },
    /// Finds the record a row of the monthly table counted, to correct it.
    OpenCorrection {
        record: Uuid,
        draft: Option<FormDraft>,
    },
    /// Reads a folder for the attach browser (`None`: the one to open on).
    ListFolder(Option<PathBuf>),
    /// Lists the files already attached to a record, for the attach browser.
    ListAttached(super::screens::attach::AttachTo),
    /// Asks the preview worker for the thumbnail of a photo, encoded for `cells` when known.
    Thumbnail {
        key: super::preview::Key,
        cells: Option<ratatui::layout::Size>,
    },
    /// Attaches the files (all or none) and remembers their folder.
    Attach {
        to: super::screens::attach::AttachTo,
        files: Vec<PathBuf>,
    },
    Quit,
}

/// A change the roster screen asks for. The runner reads what it needs afresh (the person as
/// the roster holds them now, a key file, the records a key signed) and appends the entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterWrite {
    /// Makes this data dir the office; its profile becomes the first person (内勤 and `roles`).
    Init {
        office_name: String,
        roles: Vec<Role>,
    },
    /// Enrols a new person, with the key in `key_file` (`paicha keys --export`) if given.
    AddPerson {
        name: String,
        cert_no: String,
        group_code: Option<String>,
        roles: Vec<Role>,
        key_file: Option<PathBuf>,
    },
    /// Sets a person's roles (a person who left is active again).
    SetRoles { person: Uuid, roles: Vec<Role> },
    /// Enrols the key in `key_file` for a person.
    AddKey { person: Uuid, key_file: PathBuf },
    /// The person left: no role any more.
    Leave { person: Uuid },
    /// Withdraws a key; records the office already received from it stay valid.
    Revoke { public_key: String },
}

/// What the roster screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterData {
    /// `None` before any office roster.
    pub roster: Option<Roster>,
    /// Why the stored roster cannot be used (changed by hand), if so.
    pub problem: Option<String>,
    /// This data dir holds the office's anchor key.
    pub is_office: bool,
    /// This device's inspector profile (the office's first person), if set.
    pub profile_name: Option<String>,
    /// Every entry of the roster, in order (its history).
    pub entries: Vec<SignedEntry>,
    /// Bundles held for a clerk's review.
    pub held: Vec<HeldBundle>,
    /// Keys trusted on first sight before the roster and not enrolled since:
    /// (inspector id, name, public key).
    pub unenrolled: Vec<(String, String, String)>,
    /// Where this laptop's public-key card is offered to be written (`k`).
    pub key_card_path: PathBuf,
}

/// Where the inspector is, remembered so a restart returns there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub inspection: Uuid,
    pub screen: PlaceScreen,
    pub item: Option<String>,
    /// A form being filled in, as of the last field left: a crash loses at most the field
    /// being typed, not the whole form.
    #[serde(default)]
    pub form: Option<FormDraft>,
    /// The note editor open over the checklist, with the text typed so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteDraft>,
    /// The spot exam under way: the questions drawn and every grade given so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam: Option<ExamDraft>,
}

/// The note being typed for one item: remembered after each burst of keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDraft {
    pub code: String,
    pub result: AnswerResult,
    /// The note as it was saved when the editor opened (Esc warns against leaving it changed).
    pub original: String,
    pub text: String,
}

/// A spot exam as it stands: the questions are kept whole, so a reopened exam shows the same
/// ones even if the bank changed meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamDraft {
    pub questions: Vec<crate::templates::exam_bank::Question>,
    pub outcomes: Vec<Option<crate::domain::ExamOutcome>>,
    pub name: String,
    pub role: String,
    pub focus: usize,
}

/// The fields typed so far into one of the inspection's forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDraft {
    pub form: DraftForm,
    pub values: Vec<(String, String)>,
    pub focus: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftForm {
    Hazard,
    Evidence {
        kind: crate::domain::EvidenceKind,
        record: Option<Uuid>,
    },
    Action,
    /// A correction of the enforcement action `corrects` (a new record naming it).
    ActionCorrection {
        corrects: Uuid,
    },
    /// A correction of a finalized inspection's arrival/departure times.
    TimeCorrection,
    /// A correction of the evidence record `evidence` of a finalized inspection.
    EvidenceCorrection {
        evidence: Uuid,
    },
    /// The office's hazard entry (ledger `A`) at `enterprise`.
    OfficeHazard {
        enterprise: Uuid,
    },
    /// A new activity (monthly table `a`).
    Activity,
    /// A correction of the activity `corrects`.
    ActivityCorrection {
        corrects: Uuid,
    },
    /// A step of the closed loop of `hazard`, typed on its ledger detail (m z b y x p c).
    HazardStep {
        hazard: Uuid,
        step: super::screens::hazard_detail::StepForm,
    },
    /// The first issue of the document `kind` of `of` (the inspection, the verification event
    /// or the hazard of its row) on the documents screen of `subject`; `on_site`: the screen
    /// was offered right after finalizing (出具时间 starts at 现场出具, Esc goes home).
    Document {
        subject: super::screens::documents::Subject,
        kind: crate::templates::campaign::DocumentKind,
        of: Uuid,
        on_site: bool,
    },
    /// The documents screen's folder (`d`).
    DocumentFolder {
        subject: super::screens::documents::Subject,
        on_site: bool,
    },
}

impl DraftForm {
    /// A correction of a finalized inspection: remembered and resumed like a draft's form.
    pub fn of_finalized(self) -> bool {
        matches!(
            self,
            DraftForm::TimeCorrection | DraftForm::EvidenceCorrection { .. }
        )
    }
}

/// A record the monthly table counted, to correct by a new record naming it.
#[derive(Debug, Clone, PartialEq)]
pub enum CorrectionTarget {
    Activity(Record<crate::domain::Activity>),
    Action(Record<EnforcementAction>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceScreen {
    Checklist,
    Review,
}

/// The home screen's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeData {
    pub drafts: Vec<DraftSummary>,
    /// Finalized inspections, the most recent first (opened read-only).
    pub finalized: Vec<DraftSummary>,
    /// Inspections that arrived today (Beijing time), drafts and finalized.
    pub today: Vec<DraftSummary>,
    pub enterprise_count: u64,
    pub open_major: u64,
    pub overdue_major: u64,
    pub profile_name: Option<String>,
    /// The profile's group (专项行动小组 code), if set.
    pub profile_group: Option<String>,
    /// The profile's 执法证号 (empty when not given).
    pub profile_cert_no: String,
    /// The profile comes from the office's roster (this device's key is enrolled): it is
    /// changed at the office, not here.
    pub profile_from_roster: bool,
    pub data_dir: String,
    /// When data last left this machine (a backup or an exported bundle), if ever.
    pub last_safeguard: Option<DateTime<Utc>>,
}

/// One enterprise as the picker lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseRow {
    pub id: Uuid,
    pub name: String,
    pub credit_code: String,
    pub town: String,
    pub sector: String,
}

/// The registry, ready to search: rows and their search keys, built once.
#[derive(Debug, Default)]
pub struct EnterpriseIndex {
    pub rows: Vec<EnterpriseRow>,
    pub keys: Vec<SearchKey>,
}

impl EnterpriseIndex {
    pub fn new(rows: Vec<EnterpriseRow>) -> EnterpriseIndex {
        let keys = rows
            .iter()
            .map(|r| SearchKey::new(&r.name, &r.credit_code))
            .collect();
        EnterpriseIndex { rows, keys }
    }
}

/// What the setup screen needs about the chosen enterprise.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupData {
    pub enterprise: Record<Enterprise>,
    /// This device's inspector, who leads the inspection (None: no profile set up yet).
    pub profile_name: Option<String>,
    pub open_hazards: Vec<Record<Hazard>>,
    /// Drafts already open for this enterprise (a second one is allowed, but said).
    pub open_drafts: usize,
    /// Started from a hazard in the ledger: a 复查 of that hazard.
    pub follow_up_of: Option<Uuid>,
    /// The open hazards whose rectification was reported (待验收): what a 复查 can verify.
    pub awaiting_verification: Vec<Uuid>,
}

/// An inspection as the checklist and review screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionView {
    pub inspection: Record<Inspection>,
    pub enterprise: Record<Enterprise>,
    pub inspector_names: Vec<String>,
    pub answers: HashMap<String, (AnswerResult, String)>,
    pub hazards: Vec<Record<Hazard>>,
    pub evidence: Vec<Record<EvidenceRecord>>,
    pub exams: Vec<Record<ExamRecord>>,
    pub actions: Vec<Record<EnforcementAction>>,
    /// Of a finalized inspection: corrections of its times and of its evidence records.
    pub time_corrections: Vec<Record<crate::domain::TimeCorrection>>,
    pub evidence_corrections: Vec<Record<crate::domain::EvidenceCorrection>>,
    /// Attached to the inspection, its items, its evidence records, its actions and its
    /// hazards.
    pub attachments: Vec<Record<crate::domain::attachment::Attachment>>,
}

impl InspectionView {
    pub fn id(&self) -> Uuid {
        self.inspection.id()
    }

    pub fn result(&self, code: &str) -> AnswerResult {
        self.answers
            .get(code)
            .map_or(AnswerResult::Unchecked, |(r, _)| *r)
    }

    pub fn note(&self, code: &str) -> &str {
        self.answers.get(code).map_or("", |(_, n)| n.as_str())
    }

    /// Arrival and departure in force (as signed, or as last corrected).
    pub fn visit(&self) -> crate::domain::VisitTimes {
        crate::domain::correction::effective_times(&self.inspection.data, &self.time_corrections)
    }

    /// The corrections of one evidence record, oldest first.
    pub fn corrections_of(&self, evidence: Uuid) -> Vec<Record<crate::domain::EvidenceCorrection>> {
        self.evidence_corrections
            .iter()
            .filter(|c| c.data.evidence_id == evidence)
            .cloned()
            .collect()
    }

    /// How many files are attached to the record `id` (for an item: the inspection's id and
    /// its code).
    pub fn attachment_count(&self, id: Uuid, item: Option<&str>) -> usize {
        self.attachments
            .iter()
            .filter(|a| a.data.target_id == id && a.data.item_code.as_deref() == item)
            .count()
    }

    pub fn answered(&self) -> usize {
        self.inspection
            .data
            .items
            .iter()
            .filter(|i| self.result(&i.code) != AnswerResult::Unchecked)
            .count()
    }
}

/// What the detail of one hazard shows and knows beside its record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HazardNotes {
    /// Campaign rules that apply to this hazard or its enterprise (不予处罚, 一案双罚, 关闭).
    pub warnings: Vec<String>,
    /// Steps the profile here may not take, by kind, with who may: asked before a form is
    /// opened (as far as who may is known without what the form will say).
    pub not_permitted: Vec<(crate::domain::HazardEventKind, String)>,
    /// Attached to the hazard and to each of its steps (hazard events).
    pub attachments: Vec<Record<crate::domain::attachment::Attachment>>,
}

/// One hazard as the ledger lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRowView {
    pub id: Uuid,
    pub number: Option<String>,
    pub enterprise: String,
    /// The enterprise's 乡镇.
    pub town: String,
    /// The campaign group covering the enterprise's sector, by its lead section (e.g. 能源股).
    pub group: String,
    pub grade: crate::domain::HazardGrade,
    pub source: crate::domain::HazardSource,
    pub stage: crate::domain::lifecycle::Stage,
    pub deadline: Option<chrono::NaiveDate>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    /// 挂牌督办: the tracking person, when listed.
    pub tracking_person: Option<String>,
    pub description: String,
    pub found_at: DateTime<Utc>,
}

impl LedgerRowView {
    pub fn listed(&self) -> bool {
        self.tracking_person.is_some()
    }
}

/// The ledger, ready to filter and search: rows and their search keys, built once.
#[derive(Debug, Default, Clone)]
pub struct LedgerIndex {
    pub rows: Vec<LedgerRowView>,
    pub keys: Vec<SearchKey>,
    /// The distinct towns and groups present, sorted: what their filters cycle through.
    pub towns: Vec<String>,
    pub groups: Vec<String>,
    /// Where each hazard's row is, for patching one in.
    positions: HashMap<Uuid, usize>,
}

impl LedgerIndex {
    pub fn new(rows: Vec<LedgerRowView>) -> LedgerIndex {
        let keys = rows.iter().map(ledger_search_key).collect();
        let distinct = |pick: fn(&LedgerRowView) -> &String| -> Vec<String> {
            let set: std::collections::BTreeSet<&String> =
                rows.iter().map(pick).filter(|s| !s.is_empty()).collect();
            set.into_iter().cloned().collect()
        };
        let towns = distinct(|r| &r.town);
        let groups = distinct(|r| &r.group);
        let positions = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        LedgerIndex {
            rows,
            keys,
            towns,
            groups,
            positions,
        }
    }

    /// Replaces the row with `row`'s id, or adds it: how a write made in this window reaches
    /// the kept index without rereading 100 000 hazards.
    pub fn upsert(&mut self, row: LedgerRowView) {
        let key = ledger_search_key(&row);
        for (list, value) in [(&mut self.towns, &row.town), (&mut self.groups, &row.group)] {
            if let Err(at) = list.binary_search(value)
                && !value.is_empty()
            {
                list.insert(at, value.clone());
            }
        }
        match self.positions.get(&row.id) {
            Some(&at) => {
                self.rows[at] = row;
                self.keys[at] = key;
            }
            None => {
                self.positions.insert(row.id, self.rows.len());
                self.rows.push(row);
                self.keys.push(key);
            }
        }
    }
}

/// A hazard is found by its enterprise and description (pinyin initials too) or its number.
fn ledger_search_key(row: &LedgerRowView) -> SearchKey {
    SearchKey::new(
        &format!("{}{}", row.enterprise, row.description),
        row.number.as_deref().unwrap_or(""),
    )
}

/// The reports the ledger opens as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// 每周四反馈: transferred hazards and their progress this week.
    Weekly,
    /// 下一步检查对象: enterprises ranked for the next unannounced visits.
    Targets,
    /// 规则提示: 不予处罚、一案双罚、提请关闭 candidates.
    Warnings,
}

impl ReportKind {
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Weekly => "每周四反馈：交办隐患整改治理情况",
            ReportKind::Targets => "下一步“四不两直”检查对象",
            ReportKind::Warnings => "专项行动规则提示",
        }
    }
}
