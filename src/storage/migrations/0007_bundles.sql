-- v7: what findings bundles need. Keys and signatures are evidence, so insert-only like the
-- records they vouch for; the export and import logs are the office's paper trail.

-- Public keys of inspectors: our own (made on first use, private half in the data dir's
-- keys/ folder) and those met in imported bundles (trust on first import).
CREATE TABLE inspector_keys (
    inspector_id  TEXT PRIMARY KEY REFERENCES inspectors(id),
    public_key    TEXT NOT NULL,           -- 64 lowercase hex digits (ed25519)
    origin        TEXT NOT NULL CHECK (origin IN ('own', 'imported')),
    recorded_at   TEXT NOT NULL,
    first_bundle  TEXT                     -- SHA-256 of the bundle it first came in
) STRICT;

-- Each signature over a finalized inspection's canonical form (see docs/bundle-format.md).
CREATE TABLE inspection_signatures (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    inspector_id  TEXT NOT NULL REFERENCES inspectors(id),
    public_key    TEXT NOT NULL,
    signature     TEXT NOT NULL,           -- 128 lowercase hex digits
    signed_at     TEXT NOT NULL,
    PRIMARY KEY (inspection_id, inspector_id)
) STRICT;

CREATE TRIGGER inspector_keys_never_updated BEFORE UPDATE ON inspector_keys
BEGIN SELECT RAISE(ABORT, 'paicha: a recorded key is never replaced'); END;
CREATE TRIGGER inspector_keys_never_deleted BEFORE DELETE ON inspector_keys
BEGIN SELECT RAISE(ABORT, 'paicha: a recorded key is never deleted'); END;
CREATE TRIGGER signatures_never_updated BEFORE UPDATE ON inspection_signatures
BEGIN SELECT RAISE(ABORT, 'paicha: signatures are never changed'); END;
CREATE TRIGGER signatures_never_deleted BEFORE DELETE ON inspection_signatures
BEGIN SELECT RAISE(ABORT, 'paicha: signatures are never deleted'); END;
CREATE TRIGGER signatures_only_on_finalized BEFORE INSERT ON inspection_signatures
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'finalized'
BEGIN SELECT RAISE(ABORT, 'paicha: only a finalized inspection is signed'); END;

-- The author's signature of each record that stands on its own (hazards, hazard events,
-- enforcement actions, activities, addenda): its canonical JSON, signed when it is made, so
-- a record relayed through other laptops still proves who recorded it.
CREATE TABLE record_signatures (
    record_table TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
    public_key   TEXT NOT NULL,
    signature    TEXT NOT NULL,
    PRIMARY KEY (record_table, record_id)
) STRICT;
CREATE TRIGGER record_signatures_never_updated BEFORE UPDATE ON record_signatures
BEGIN SELECT RAISE(ABORT, 'paicha: signatures are never changed'); END;
CREATE TRIGGER record_signatures_never_deleted BEFORE DELETE ON record_signatures
BEGIN SELECT RAISE(ABORT, 'paicha: signatures are never deleted'); END;

-- Where bundles went: the default export is everything since the last one to that place.
CREATE TABLE export_log (
    id           TEXT PRIMARY KEY,
    destination  TEXT NOT NULL,            -- absolute path of the bundle file
    exported_at  TEXT NOT NULL,
    exported_by  TEXT NOT NULL,
    covers_from  TEXT,                     -- NULL: from the beginning
    covers_until TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    ledger       INTEGER NOT NULL
) STRICT;
CREATE INDEX export_log_by_destination ON export_log(destination, covers_until);

-- Every import applied (or found to change nothing). Refusals change nothing here: they go to
-- the data dir's imports-refused.jsonl.
CREATE TABLE import_log (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('applied', 'unchanged')),
    summary     TEXT NOT NULL
) STRICT;
