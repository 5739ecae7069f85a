-- v9: the office's roster of people, keys and roles (docs/trust.md), bundles held for a
-- clerk's review, and document numbers in per-device series.

-- The roster: a chain of entries signed by the office's anchor key, each naming the hash of
-- the one before. Kept exactly as signed; the state is folded from it (domain::trust) and the
-- signatures are checked every time it is read, so a hand edit makes paicha refuse it.
-- `chain` counts re-trusts: a laptop that trusted a new office anchor by its fingerprint
-- keeps the old chain as history and follows the new one.
CREATE TABLE roster_entries (
    chain       INTEGER NOT NULL CHECK (chain > 0),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    entry       TEXT NOT NULL,          -- the signed text (canonical JSON)
    public_key  TEXT NOT NULL,          -- the anchor key that signed it
    signature   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
) STRICT;
CREATE TRIGGER roster_entries_never_updated BEFORE UPDATE ON roster_entries
BEGIN SELECT RAISE(ABORT, 'paicha: a roster entry is never changed'); END;
CREATE TRIGGER roster_entries_never_deleted BEFORE DELETE ON roster_entries
BEGIN SELECT RAISE(ABORT, 'paicha: a roster entry is never deleted'); END;

-- The office anchor each chain was trusted with (the first entry's key): written when the
-- user confirmed the fingerprint (or ran office init), and the chain followed is the latest
-- pinned one. Entries of a chain nobody pinned are never acted on.
CREATE TABLE roster_pins (
    chain       INTEGER PRIMARY KEY CHECK (chain > 0),
    genesis_key TEXT NOT NULL,
    pinned_at   TEXT NOT NULL
) STRICT;
CREATE TRIGGER roster_pins_never_updated BEFORE UPDATE ON roster_pins
BEGIN SELECT RAISE(ABORT, 'paicha: a trusted office anchor is never changed'); END;
CREATE TRIGGER roster_pins_never_deleted BEFORE DELETE ON roster_pins
BEGIN SELECT RAISE(ABORT, 'paicha: a trusted office anchor is never deleted'); END;

-- Bundles not applied but kept for a clerk: records signed by a revoked key, or by a key
-- trusted on first sight before the roster that nobody has enrolled yet. The file is copied
-- into the data dir's held/ folder; nothing of it is in the database until it is imported.
CREATE TABLE held_bundles (
    sha256      TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    stored_as   TEXT NOT NULL,          -- path relative to the data dir
    held_at     TEXT NOT NULL,
    held_by     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    resolved_at TEXT,
    resolution  TEXT CHECK (resolution IN ('imported', 'rejected'))
) STRICT;

-- Keys now say how they came to be trusted: 'own' (made here), 'imported' (trust on first
-- import, before any roster), 'roster' (enrolled by the office), 'trusted' (taken with
-- --trust-new-keys after the user saw who and which key). Rebuilt for the wider check.
DROP TRIGGER inspector_keys_never_updated;
DROP TRIGGER inspector_keys_never_deleted;
ALTER TABLE inspector_keys RENAME TO inspector_keys_v8;
CREATE TABLE inspector_keys (
    inspector_id  TEXT PRIMARY KEY REFERENCES inspectors(id),
    public_key    TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('own', 'imported', 'roster', 'trusted')),
    recorded_at   TEXT NOT NULL,
    first_bundle  TEXT
) STRICT;
INSERT INTO inspector_keys SELECT * FROM inspector_keys_v8;
DROP TABLE inspector_keys_v8;
CREATE TRIGGER inspector_keys_never_updated BEFORE UPDATE ON inspector_keys
BEGIN SELECT RAISE(ABORT, 'paicha: a recorded key is never replaced'); END;
CREATE TRIGGER inspector_keys_never_deleted BEFORE DELETE ON inspector_keys
BEGIN SELECT RAISE(ABORT, 'paicha: a recorded key is never deleted'); END;

-- Document numbers: a series per device (the prefix the roster assigns; '' for the office
-- or a laptop without a roster), so laptops numbering offline never collide.
DROP TRIGGER issued_documents_never_updated;
DROP TRIGGER issued_documents_never_deleted;
ALTER TABLE issued_documents RENAME TO issued_documents_v8;
CREATE TABLE issued_documents (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES inspectors(id),
    replica_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('onsite_record', 'rectification_order',
                                              'reinspection_opinion')),
    subject_id  TEXT NOT NULL,
    year        INTEGER NOT NULL,
    series      TEXT NOT NULL DEFAULT '',
    seq         INTEGER NOT NULL CHECK (seq > 0),
    number      TEXT NOT NULL,
    UNIQUE (kind, subject_id),
    UNIQUE (kind, year, series, seq)
) STRICT;
INSERT INTO issued_documents (id, created_at, updated_at, author_id, replica_id, kind,
        subject_id, year, series, seq, number)
    SELECT id, created_at, updated_at, author_id, replica_id, kind, subject_id, year, '', seq,
           number
    FROM issued_documents_v8;
DROP TABLE issued_documents_v8;
CREATE TRIGGER issued_documents_never_updated BEFORE UPDATE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never changed'); END;
CREATE TRIGGER issued_documents_never_deleted BEFORE DELETE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never deleted'); END;

-- Hazard events fold by occurrence time (ties by id): the index the fold reads them by.
CREATE INDEX hazard_events_by_fold_order ON hazard_events(hazard_id, occurred_at, id);
