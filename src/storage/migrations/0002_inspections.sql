-- v2: inspections, the item texts they were answered against, and the answers.
-- A draft is a working copy; once finalized nothing about it changes.

CREATE TABLE inspections (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    mode          TEXT NOT NULL,
    arrival_at    TEXT NOT NULL,
    templates     TEXT NOT NULL,            -- JSON [{id, version}]
    status        TEXT NOT NULL CHECK (status IN ('draft', 'finalized', 'discarded')),
    finalized_at  TEXT,
    follow_up_of  TEXT
) STRICT;
CREATE INDEX inspections_by_enterprise ON inspections(enterprise_id);

CREATE TABLE inspection_inspectors (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    position      INTEGER NOT NULL,
    inspector_id  TEXT NOT NULL REFERENCES inspectors(id),
    PRIMARY KEY (inspection_id, position)
) STRICT;

-- Snapshot of each item as shown: a template change never rewrites history.
CREATE TABLE inspection_items (
    inspection_id    TEXT NOT NULL REFERENCES inspections(id),
    position         INTEGER NOT NULL,
    code             TEXT NOT NULL,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    section          TEXT NOT NULL,
    question         TEXT NOT NULL,
    basis            TEXT NOT NULL,
    PRIMARY KEY (inspection_id, position),
    UNIQUE (inspection_id, code)
) STRICT;

CREATE TABLE answers (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    item_code     TEXT NOT NULL,
    result        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    UNIQUE (inspection_id, item_code)
) STRICT;

-- A finalized or discarded inspection is frozen.
CREATE TRIGGER inspections_frozen BEFORE UPDATE ON inspections
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER inspections_never_deleted BEFORE DELETE ON inspections
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (inspections)'); END;

CREATE TRIGGER answers_insert_only_in_draft BEFORE INSERT ON answers
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER answers_update_only_in_draft BEFORE UPDATE ON answers
WHEN (SELECT status FROM inspections WHERE id = OLD.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER answers_never_deleted BEFORE DELETE ON answers
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (answers)'); END;

CREATE TRIGGER inspection_items_frozen_update BEFORE UPDATE ON inspection_items
BEGIN SELECT RAISE(ABORT, 'paicha: item snapshots are never rewritten'); END;
CREATE TRIGGER inspection_items_frozen_delete BEFORE DELETE ON inspection_items
BEGIN SELECT RAISE(ABORT, 'paicha: item snapshots are never rewritten'); END;
CREATE TRIGGER inspection_items_insert_only_in_draft BEFORE INSERT ON inspection_items
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;

CREATE TRIGGER inspection_inspectors_draft_insert BEFORE INSERT ON inspection_inspectors
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER inspection_inspectors_draft_update BEFORE UPDATE ON inspection_inspectors
WHEN (SELECT status FROM inspections WHERE id = OLD.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
CREATE TRIGGER inspection_inspectors_draft_delete BEFORE DELETE ON inspection_inspectors
WHEN (SELECT status FROM inspections WHERE id = OLD.inspection_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'paicha: a finalized inspection cannot be changed'); END;
