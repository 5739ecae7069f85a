-- v10: the end of a visit, and issuing as an act.
-- An inspection records when the inspectors left the site (asked at finalization; the
-- on-site record prints arrival–departure). A document records the moment it was issued
-- (chosen by the inspector: on site at the end of the visit, or later at the office) and,
-- for documents whose content is a decision of their own (现场处理措施决定书), that content.
-- Both columns are NULL on older rows: such a document was issued when its number was given.

ALTER TABLE inspections ADD COLUMN departed_at TEXT;

DROP TRIGGER issued_documents_never_updated;
DROP TRIGGER issued_documents_never_deleted;
ALTER TABLE issued_documents RENAME TO issued_documents_v9;
CREATE TABLE issued_documents (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES inspectors(id),
    replica_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('onsite_record', 'rectification_order',
                                              'reinspection_opinion', 'onsite_measures',
                                              'supervision_notice')),
    subject_id  TEXT NOT NULL,             -- the inspection, or the hazard event
    year        INTEGER NOT NULL,
    series      TEXT NOT NULL DEFAULT '',
    seq         INTEGER NOT NULL CHECK (seq > 0),
    number      TEXT NOT NULL,
    issued_at   TEXT,
    content     TEXT,                      -- JSON, for a decision the document itself makes
    UNIQUE (kind, subject_id),
    UNIQUE (kind, year, series, seq)
) STRICT;
INSERT INTO issued_documents (id, created_at, updated_at, author_id, replica_id, kind,
        subject_id, year, series, seq, number)
    SELECT id, created_at, updated_at, author_id, replica_id, kind, subject_id, year, series,
           seq, number
    FROM issued_documents_v9;
DROP TABLE issued_documents_v9;
CREATE TRIGGER issued_documents_never_updated BEFORE UPDATE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never changed'); END;
CREATE TRIGGER issued_documents_never_deleted BEFORE DELETE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never deleted'); END;
