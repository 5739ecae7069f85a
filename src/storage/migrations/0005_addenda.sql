-- v5: addenda to finalized inspections. A finalized inspection is never edited; what was
-- missed or mistaken is added as an addendum, itself never edited or deleted.

CREATE TABLE inspection_addenda (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    replica_id    TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    text          TEXT NOT NULL
) STRICT;
CREATE INDEX addenda_by_inspection ON inspection_addenda(inspection_id);

CREATE TRIGGER addenda_only_on_finalized BEFORE INSERT ON inspection_addenda
WHEN (SELECT status FROM inspections WHERE id = NEW.inspection_id) <> 'finalized'
BEGIN SELECT RAISE(ABORT, 'paicha: addenda are for finalized inspections'); END;
CREATE TRIGGER addenda_never_updated BEFORE UPDATE ON inspection_addenda
BEGIN SELECT RAISE(ABORT, 'paicha: corrections are new records'); END;
CREATE TRIGGER addenda_never_deleted BEFORE DELETE ON inspection_addenda
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (addenda)'); END;
