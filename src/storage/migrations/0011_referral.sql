-- v11: a village's findings are referred to the town or the competent department
-- (事故隐患移交书): the bureau cannot order a village committee to rectify. A document kind of
-- its own; the table is rebuilt only to widen the kind check.

DROP TRIGGER issued_documents_never_updated;
DROP TRIGGER issued_documents_never_deleted;
ALTER TABLE issued_documents RENAME TO issued_documents_v10;
CREATE TABLE issued_documents (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES inspectors(id),
    replica_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('onsite_record', 'rectification_order',
                                              'reinspection_opinion', 'onsite_measures',
                                              'supervision_notice', 'referral')),
    subject_id  TEXT NOT NULL,
    year        INTEGER NOT NULL,
    series      TEXT NOT NULL DEFAULT '',
    seq         INTEGER NOT NULL CHECK (seq > 0),
    number      TEXT NOT NULL,
    issued_at   TEXT,
    content     TEXT,
    UNIQUE (kind, subject_id),
    UNIQUE (kind, year, series, seq)
) STRICT;
INSERT INTO issued_documents SELECT * FROM issued_documents_v10;
DROP TABLE issued_documents_v10;
CREATE TRIGGER issued_documents_never_updated BEFORE UPDATE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never changed'); END;
CREATE TRIGGER issued_documents_never_deleted BEFORE DELETE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never deleted'); END;
