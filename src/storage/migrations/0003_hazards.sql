-- v3: hazards and their append-only lifecycle events. Neither is ever updated or deleted:
-- every change is a new event, so merging laptops is a union by id.

CREATE TABLE hazards (
    id                  TEXT PRIMARY KEY,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    author_id           TEXT NOT NULL,
    replica_id          TEXT NOT NULL,
    enterprise_id       TEXT NOT NULL REFERENCES enterprises(id),
    inspection_id       TEXT REFERENCES inspections(id),
    item_code           TEXT,
    grade               TEXT NOT NULL,
    source              TEXT NOT NULL,
    description         TEXT NOT NULL,
    location            TEXT NOT NULL DEFAULT '',
    basis               TEXT NOT NULL DEFAULT '',
    found_at            TEXT NOT NULL,
    rectify_immediately INTEGER NOT NULL,
    fixes               TEXT,               -- JSON FiveFixes
    supervision         TEXT,               -- JSON Supervision
    anonymous_report    INTEGER NOT NULL DEFAULT 0,
    assigning_document  TEXT
) STRICT;
CREATE INDEX hazards_by_enterprise ON hazards(enterprise_id);

CREATE TABLE hazard_events (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    replica_id  TEXT NOT NULL,
    hazard_id   TEXT NOT NULL REFERENCES hazards(id),
    kind        TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    payload     TEXT NOT NULL,              -- JSON, kind-specific
    note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX hazard_events_by_hazard ON hazard_events(hazard_id, occurred_at);

CREATE TRIGGER hazards_never_updated BEFORE UPDATE ON hazards
BEGIN SELECT RAISE(ABORT, 'paicha: hazards change only through new events'); END;
CREATE TRIGGER hazards_never_deleted BEFORE DELETE ON hazards
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (hazards)'); END;
CREATE TRIGGER hazard_events_never_updated BEFORE UPDATE ON hazard_events
BEGIN SELECT RAISE(ABORT, 'paicha: hazard events are append-only'); END;
CREATE TRIGGER hazard_events_never_deleted BEFORE DELETE ON hazard_events
BEGIN SELECT RAISE(ABORT, 'paicha: hazard events are append-only'); END;
