//! The record kinds a bundle carries: one JSON Lines file each, in the order they are applied
//! (parents before children). Columns are listed, not `SELECT *`, because they are the format
//! (docs/bundle-format.md) and the canonical form that signatures cover: a later column must
//! be added here deliberately, with a format version.

/// How records of a kind join what the receiving database already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Never changed once made: a union by id; the same id with other content is refused.
    Immutable,
    /// Registry data that is edited (enterprises): the latest version by (updated_at,
    /// replica_id) wins; every other version is kept as history.
    Latest,
}

#[derive(Debug)]
pub struct Kind {
    /// The file is `records/<name>.jsonl`.
    pub name: &'static str,
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// (column, table whose id it names): checked before a record is applied.
    pub refs: &'static [(&'static str, &'static str)],
    pub merge: Merge,
    /// Chinese name for messages.
    pub label: &'static str,
}

/// Columns added after bundle format 2, as (table, column): written only when they hold a
/// value, and absent meaning NULL. A record made before they existed therefore keeps the very
/// same line and signed form (old signatures stay valid), and a bundle of format 2 reads as
/// before.
pub const LATER: [(&str, &str); 3] = [
    ("inspections", "departed_at"),
    ("issued_documents", "issued_at"),
    ("issued_documents", "content"),
];

/// Whether `column` of `table` is one of the [`LATER`] columns.
pub fn is_later(table: &str, column: &str) -> bool {
    LATER.iter().any(|(t, c)| *t == table && *c == column)
}

const META: [&str; 5] = ["id", "created_at", "updated_at", "author_id", "replica_id"];

macro_rules! cols {
    ($($c:literal),* $(,)?) => {
        &[META[0], META[1], META[2], META[3], META[4], $($c),*]
    };
}

pub const INSPECTORS: Kind = Kind {
    name: "inspectors",
    table: "inspectors",
    columns: cols!["name", "cert_no", "group_code"],
    refs: &[("author_id", "inspectors")],
    merge: Merge::Immutable,
    label: "检查人员",
};

pub const ENTERPRISES: Kind = Kind {
    name: "enterprises",
    table: "enterprises",
    columns: cols![
        "credit_code",
        "name",
        "address",
        "town",
        "sector",
        "sector_code",
        "risk_level",
        "principal",
        "phone"
    ],
    refs: &[("author_id", "inspectors")],
    merge: Merge::Latest,
    label: "企业",
};

pub const INSPECTIONS: Kind = Kind {
    name: "inspections",
    table: "inspections",
    columns: cols![
        "enterprise_id",
        "mode",
        "arrival_at",
        "templates",
        "status",
        "finalized_at",
        "follow_up_of",
        "departed_at"
    ],
    refs: &[
        ("author_id", "inspectors"),
        ("enterprise_id", "enterprises"),
        ("follow_up_of", "hazards"),
    ],
    merge: Merge::Immutable,
    label: "检查记录",
};

/// An inspection's item snapshots, nested in its line as `items` (no id of their own).
pub const ITEM_COLUMNS: &[&str] = &[
    "position",
    "code",
    "template_id",
    "template_version",
    "section",
    "question",
    "basis",
];

pub const ANSWERS: Kind = Kind {
    name: "answers",
    table: "answers",
    columns: cols!["inspection_id", "item_code", "result", "note"],
    refs: &[
        ("author_id", "inspectors"),
        ("inspection_id", "inspections"),
    ],
    merge: Merge::Immutable,
    label: "检查结论",
};

pub const EVIDENCE: Kind = Kind {
    name: "evidence",
    table: "evidence_records",
    columns: cols!["inspection_id", "kind", "form_version", "field_values"],
    refs: &[
        ("author_id", "inspectors"),
        ("inspection_id", "inspections"),
    ],
    merge: Merge::Immutable,
    label: "查证记录",
};

pub const EXAMS: Kind = Kind {
    name: "exams",
    table: "exam_records",
    columns: cols![
        "inspection_id",
        "examinee_name",
        "examinee_role",
        "questions"
    ],
    refs: &[
        ("author_id", "inspectors"),
        ("inspection_id", "inspections"),
    ],
    merge: Merge::Immutable,
    label: "逢查必考记录",
};

pub const HAZARDS: Kind = Kind {
    name: "hazards",
    table: "hazards",
    columns: cols![
        "enterprise_id",
        "inspection_id",
        "item_code",
        "grade",
        "source",
        "description",
        "location",
        "basis",
        "found_at",
        "rectify_immediately",
        "fixes",
        "supervision",
        "anonymous_report",
        "assigning_document"
    ],
    refs: &[
        ("author_id", "inspectors"),
        ("enterprise_id", "enterprises"),
        ("inspection_id", "inspections"),
    ],
    merge: Merge::Immutable,
    label: "隐患",
};

pub const HAZARD_EVENTS: Kind = Kind {
    name: "hazard_events",
    table: "hazard_events",
    columns: cols!["hazard_id", "kind", "occurred_at", "payload", "note"],
    refs: &[("author_id", "inspectors"), ("hazard_id", "hazards")],
    merge: Merge::Immutable,
    label: "隐患办理记录",
};

pub const ACTIONS: Kind = Kind {
    name: "enforcement_actions",
    table: "enforcement_actions",
    columns: cols![
        "kind",
        "enterprise_id",
        "inspection_id",
        "hazard_id",
        "decided_on",
        "document_no",
        "amount_fen",
        "persons",
        "dangerous_operation_crime",
        "note",
        "corrects"
    ],
    refs: &[
        ("author_id", "inspectors"),
        ("enterprise_id", "enterprises"),
        ("inspection_id", "inspections"),
        ("hazard_id", "hazards"),
        ("corrects", "enforcement_actions"),
    ],
    merge: Merge::Immutable,
    label: "执法措施",
};

pub const ACTIVITIES: Kind = Kind {
    name: "activities",
    table: "activities",
    columns: cols![
        "kind",
        "level",
        "group_code",
        "held_on",
        "title",
        "amount_fen",
        "count",
        "anonymous",
        "note",
        "corrects"
    ],
    refs: &[("author_id", "inspectors"), ("corrects", "activities")],
    merge: Merge::Immutable,
    label: "工作记录",
};

pub const ADDENDA: Kind = Kind {
    name: "addenda",
    table: "inspection_addenda",
    columns: cols!["inspection_id", "text"],
    refs: &[
        ("author_id", "inspectors"),
        ("inspection_id", "inspections"),
    ],
    merge: Merge::Immutable,
    label: "检查补记",
};

/// Corrections of a finalized inspection's arrival/departure (bundle format 4).
pub const TIME_CORRECTIONS: Kind = Kind {
    name: "time_corrections",
    table: "inspection_time_corrections",
    columns: cols!["inspection_id", "arrived_at", "departed_at", "reason"],
    refs: &[
        ("author_id", "inspectors"),
        ("inspection_id", "inspections"),
    ],
    merge: Merge::Immutable,
    label: "到达/离开时间更正",
};

/// Corrections of the evidence records of a finalized inspection (bundle format 4).
pub const EVIDENCE_CORRECTIONS: Kind = Kind {
    name: "evidence_corrections",
    table: "evidence_corrections",
    columns: cols!["evidence_id", "form_version", "field_values", "reason"],
    refs: &[
        ("author_id", "inspectors"),
        ("evidence_id", "evidence_records"),
    ],
    merge: Merge::Immutable,
    label: "证据记录更正",
};

/// Photos, videos and scans attached to a record (bundle format 4): the record names its
/// target and the file's SHA-256; the file travels as `attachments/<sha256>`. Applied last, so
/// every record it can name is in.
pub const ATTACHMENTS: Kind = Kind {
    name: "attachments",
    table: "attachments",
    columns: cols![
        "target_kind",
        "target_id",
        "item_code",
        "role",
        "sha256",
        "size",
        "media_type",
        "file_name",
        "captured_at",
        "capture_source",
        "latitude_e7",
        "longitude_e7",
        "note"
    ],
    refs: &[("author_id", "inspectors")],
    merge: Merge::Immutable,
    label: "附件",
};

/// The kinds added by bundle format 4: a bundle of an earlier format carries none.
pub const SINCE_FORMAT_4: [&Kind; 3] = [&TIME_CORRECTIONS, &EVIDENCE_CORRECTIONS, &ATTACHMENTS];

/// Numbers given to printed enforcement documents, in per-device series.
pub const DOCUMENTS: Kind = Kind {
    name: "documents",
    table: "issued_documents",
    columns: cols![
        "kind",
        "subject_id",
        "year",
        "series",
        "seq",
        "number",
        "issued_at",
        "content"
    ],
    refs: &[("author_id", "inspectors")],
    merge: Merge::Immutable,
    label: "文书编号",
};

/// Every kind, in the order a bundle's files are applied: the roster first (it decides whose
/// keys count), then the people and keys, then the records.
pub const ALL: [&Kind; 17] = [
    &ROSTER,
    &INSPECTORS,
    &KEYS,
    &ENTERPRISES,
    &INSPECTIONS,
    &ANSWERS,
    &EVIDENCE,
    &EXAMS,
    &HAZARDS,
    &HAZARD_EVENTS,
    &ACTIONS,
    &ACTIVITIES,
    &ADDENDA,
    &TIME_CORRECTIONS,
    &EVIDENCE_CORRECTIONS,
    &DOCUMENTS,
    &ATTACHMENTS,
];

/// Public keys of the inspectors who signed or exported (`inspector_id`, `public_key`).
pub const KEYS: Kind = Kind {
    name: "keys",
    table: "inspector_keys",
    columns: &["inspector_id", "public_key"],
    refs: &[("inspector_id", "inspectors")],
    merge: Merge::Immutable,
    label: "公钥",
};

/// The office's roster entries (no provenance of their own: each is signed by the office's
/// anchor; lines are the entry's members plus `signature`). Written and read by special code
/// (`import::admit`, `export`), never through the generic record paths.
pub const ROSTER: Kind = Kind {
    name: "roster",
    table: "roster_entries",
    columns: &["seq", "prev", "office", "made_at", "body"],
    refs: &[],
    merge: Merge::Immutable,
    label: "人员名册",
};

pub fn by_name(name: &str) -> Option<&'static Kind> {
    ALL.into_iter().find(|k| k.name == name)
}
