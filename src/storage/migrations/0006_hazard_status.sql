-- v6: hazard_status, each hazard's folded state as one row, so the ledger, the home counts
-- and the filters read 100 000 hazards without folding a million events. It is derived data,
-- not a record: rewritten in the same transaction as every event (storage::hazard_status),
-- filled from the events when a database is opened whose projection was made by another
-- version of the fold (storage::hazard_status::ensure_current), which includes right after
-- this script. Dates and times are text in the same fixed-width forms as elsewhere.

CREATE TABLE hazard_status (
    hazard_id       TEXT PRIMARY KEY REFERENCES hazards(id),
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    stage           TEXT NOT NULL,      -- lifecycle::Stage code
    grade           TEXT NOT NULL,      -- as corrected
    source          TEXT NOT NULL,
    deadline        TEXT,               -- YYYY-MM-DD, as set by the fixes or corrected
    tracking_person TEXT,               -- 挂牌督办
    number          TEXT,               -- ledger number
    description     TEXT NOT NULL,      -- as corrected
    found_at        TEXT NOT NULL,
    event_count     INTEGER NOT NULL,
    last_event_id   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX hazard_status_by_grade_stage ON hazard_status(grade, stage, deadline);
CREATE INDEX hazard_status_by_enterprise ON hazard_status(enterprise_id);
CREATE INDEX hazard_status_by_number ON hazard_status(number) WHERE number IS NOT NULL;
