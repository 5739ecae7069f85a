-- v13: photos, videos and scans attached as evidence. Each attachment is its own record naming
-- its target and the file's SHA-256 (the file is `attachments/<sha256>` in the data dir, placed
-- durably before the row commits). Addable at any time, also to a finalized inspection, whose
-- signature it leaves alone; never updated, never deleted.

CREATE TABLE attachments (
    id             TEXT PRIMARY KEY,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    author_id      TEXT NOT NULL,
    replica_id     TEXT NOT NULL,
    target_kind    TEXT NOT NULL CHECK (target_kind IN
                       ('inspection', 'answer', 'hazard', 'hazard_event', 'evidence', 'action')),
    target_id      TEXT NOT NULL,
    item_code      TEXT,                   -- the item, for target_kind 'answer' only
    role           TEXT CHECK (role IN ('before', 'after')),  -- hazards and their steps only
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size           INTEGER NOT NULL CHECK (size > 0),
    media_type     TEXT NOT NULL,
    file_name      TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    captured_at    TEXT,
    capture_source TEXT NOT NULL CHECK (capture_source IN ('exif', 'container', 'file_time')),
    latitude_e7    INTEGER CHECK (latitude_e7 BETWEEN -900000000 AND 900000000),
    longitude_e7   INTEGER CHECK (longitude_e7 BETWEEN -1800000000 AND 1800000000),
    note           TEXT NOT NULL DEFAULT '',
    CHECK ((target_kind = 'answer') = (item_code IS NOT NULL)),
    CHECK (role IS NULL OR target_kind IN ('hazard', 'hazard_event')),
    CHECK ((latitude_e7 IS NULL) = (longitude_e7 IS NULL)),
    CHECK (captured_at IS NOT NULL OR capture_source = 'file_time')
) STRICT;
CREATE INDEX attachments_by_target ON attachments(target_id, target_kind);
CREATE INDEX attachments_by_sha256 ON attachments(sha256);

-- The target must exist, whatever wrote the row.
CREATE TRIGGER attachments_name_an_existing_target BEFORE INSERT ON attachments
WHEN NOT (CASE NEW.target_kind
    WHEN 'inspection' THEN EXISTS (SELECT 1 FROM inspections WHERE id = NEW.target_id)
    WHEN 'answer' THEN EXISTS (SELECT 1 FROM inspection_items
                               WHERE inspection_id = NEW.target_id AND code = NEW.item_code)
    WHEN 'hazard' THEN EXISTS (SELECT 1 FROM hazards WHERE id = NEW.target_id)
    WHEN 'hazard_event' THEN EXISTS (SELECT 1 FROM hazard_events WHERE id = NEW.target_id)
    WHEN 'evidence' THEN EXISTS (SELECT 1 FROM evidence_records WHERE id = NEW.target_id)
    WHEN 'action' THEN EXISTS (SELECT 1 FROM enforcement_actions WHERE id = NEW.target_id)
    ELSE 0 END)
BEGIN SELECT RAISE(ABORT, 'paicha: an attachment names a record that does not exist'); END;
CREATE TRIGGER attachments_never_updated BEFORE UPDATE ON attachments
BEGIN SELECT RAISE(ABORT, 'paicha: attachments are never changed'); END;
CREATE TRIGGER attachments_never_deleted BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (attachments)'); END;
