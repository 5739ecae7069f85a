-- v4: evidence records, spot exams, enforcement actions and the activity log.

CREATE TABLE evidence_records (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    kind          TEXT NOT NULL,
    form_version  INTEGER NOT NULL,
    field_values  TEXT NOT NULL             -- JSON {field key: value}
) STRICT;
CREATE INDEX evidence_by_inspection ON evidence_records(inspection_id, kind);

CREATE TABLE exam_records (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    examinee_name TEXT NOT NULL,
    examinee_role TEXT NOT NULL,
    questions     TEXT NOT NULL             -- JSON [ExamQuestion]
) STRICT;
CREATE INDEX exams_by_inspection ON exam_records(inspection_id);

CREATE TABLE enforcement_actions (
    id                        TEXT PRIMARY KEY,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    author_id                 TEXT NOT NULL,
    replica_id                TEXT NOT NULL,
    kind                      TEXT NOT NULL,
    enterprise_id             TEXT REFERENCES enterprises(id),
    inspection_id             TEXT REFERENCES inspections(id),
    hazard_id                 TEXT REFERENCES hazards(id),
    decided_on                TEXT NOT NULL,
    document_no               TEXT NOT NULL DEFAULT '',
    amount_fen                INTEGER,
    persons                   INTEGER,
    dangerous_operation_crime INTEGER NOT NULL DEFAULT 0,
    note                      TEXT NOT NULL DEFAULT '',
    corrects                  TEXT REFERENCES enforcement_actions(id)
) STRICT;

CREATE TABLE activities (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    replica_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    level      TEXT NOT NULL,
    group_code TEXT,
    held_on    TEXT NOT NULL,
    title      TEXT NOT NULL,
    amount_fen INTEGER,
    count      INTEGER,
    anonymous  INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    corrects   TEXT REFERENCES activities(id)
) STRICT;

-- Evidence and exams are part of the inspection's working copy until it is finalized.
CREATE TRIGGER evidence_insert_only_in_draft BEFORE INSERT ON evidence_records
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER evidence_update_only_in_draft BEFORE UPDATE ON evidence_records
WHEN (SELECT status FROM inspections WHERE id = OLD.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER evidence_never_deleted BEFORE DELETE ON evidence_records
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (evidence)'); END;
CREATE TRIGGER exams_insert_only_in_draft BEFORE INSERT ON exam_records
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER exams_update_only_in_draft BEFORE UPDATE ON exam_records
WHEN (SELECT status FROM inspections WHERE id = OLD.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER exams_never_deleted BEFORE DELETE ON exam_records
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (exams)'); END;

-- Enforcement actions and activities are corrected by new records, never edited.
CREATE TRIGGER enforcement_never_updated BEFORE UPDATE ON enforcement_actions
BEGIN SELECT RAISE(ABORT, 'paicha: corrections are new records'); END;
CREATE TRIGGER enforcement_never_deleted BEFORE DELETE ON enforcement_actions
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (enforcement)'); END;
CREATE TRIGGER activities_never_updated BEFORE UPDATE ON activities
BEGIN SELECT RAISE(ABORT, 'paicha: corrections are new records'); END;
CREATE TRIGGER activities_never_deleted BEFORE DELETE ON activities
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (activities)'); END;
