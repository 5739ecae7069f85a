-- v8: numbers given to printed enforcement documents (现场检查记录, 责令限期整改指令书,
-- 整改复查意见书). A number, once given to a document about a record, is that document's for
-- good: printing it again gives the same number, and a number is never given twice.

CREATE TABLE issued_documents (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES inspectors(id),
    replica_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('onsite_record', 'rectification_order',
                                              'reinspection_opinion')),
    subject_id  TEXT NOT NULL,             -- the inspection, or the verification event
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    number      TEXT NOT NULL,
    UNIQUE (kind, subject_id),
    UNIQUE (kind, year, seq)
) STRICT;

CREATE TRIGGER issued_documents_never_updated BEFORE UPDATE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never changed'); END;
CREATE TRIGGER issued_documents_never_deleted BEFORE DELETE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'paicha: a document number is never deleted'); END;
