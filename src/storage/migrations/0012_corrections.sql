-- v12: corrections of a finalized inspection's arrival/departure times and of its evidence
-- records. The inspection and its evidence stay as signed; a correction is a new record beside
-- them, never edited or deleted. Each correction states the whole corrected value (both times;
-- every field of the form), so the latest one (by created_at, then id) is in force on its own.

CREATE TABLE inspection_time_corrections (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    arrived_at    TEXT,                     -- NULL: as in the signed record
    departed_at   TEXT,                     -- NULL: as in the signed record
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    CHECK (arrived_at IS NOT NULL OR departed_at IS NOT NULL)
) STRICT;
CREATE INDEX time_corrections_by_inspection ON inspection_time_corrections(inspection_id);

CREATE TABLE evidence_corrections (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    evidence_id   TEXT NOT NULL REFERENCES evidence_records(id),
    form_version  INTEGER NOT NULL,
    field_values  TEXT NOT NULL,            -- JSON {field key: value}: the whole corrected record
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;
CREATE INDEX evidence_corrections_by_record ON evidence_corrections(evidence_id);

CREATE TRIGGER time_corrections_only_on_finalized BEFORE INSERT ON inspection_time_corrections
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) IS NOT 'finalized'
BEGIN SELECT RAISE(ABORT, 'paicha: time corrections are for finalized inspections'); END;
CREATE TRIGGER time_corrections_never_updated BEFORE UPDATE ON inspection_time_corrections
BEGIN SELECT RAISE(ABORT, 'paicha: corrections are new records'); END;
CREATE TRIGGER time_corrections_never_deleted BEFORE DELETE ON inspection_time_corrections
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (time corrections)'); END;

CREATE TRIGGER evidence_corrections_only_on_finalized BEFORE INSERT ON evidence_corrections
WHEN (SELECT i.status FROM inspections i JOIN evidence_records e ON e.inspection_id = i.id
      WHERE e.id = NEW.evidence_id) IS NOT 'finalized'
BEGIN SELECT RAISE(ABORT, 'paicha: evidence corrections are for finalized inspections'); END;
CREATE TRIGGER evidence_corrections_never_updated BEFORE UPDATE ON evidence_corrections
BEGIN SELECT RAISE(ABORT, 'paicha: corrections are new records'); END;
CREATE TRIGGER evidence_corrections_never_deleted BEFORE DELETE ON evidence_corrections
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (evidence corrections)'); END;
