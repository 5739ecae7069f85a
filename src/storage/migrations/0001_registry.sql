-- v1: device identity, inspector profiles and the enterprise registry.
-- Every record table carries: id (UUIDv7 text), created_at/updated_at (RFC 3339 UTC),
-- author_id (inspector) and replica_id (device). Records are never deleted.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE inspectors (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    replica_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    cert_no    TEXT NOT NULL DEFAULT '',
    group_code TEXT
) STRICT;

CREATE TABLE enterprises (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    replica_id  TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    town        TEXT NOT NULL DEFAULT '',
    sector      TEXT NOT NULL DEFAULT '',
    sector_code TEXT,
    risk_level  TEXT,
    principal   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT ''
) STRICT;

-- Every change to an enterprise keeps the replaced row: nothing is silently overwritten.
CREATE TABLE enterprise_revisions (
    seq           INTEGER PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    replaced_at   TEXT NOT NULL,
    old_row       TEXT NOT NULL
) STRICT;

CREATE TRIGGER enterprises_keep_revisions AFTER UPDATE ON enterprises
BEGIN
    INSERT INTO enterprise_revisions (enterprise_id, replaced_at, old_row)
    VALUES (OLD.id, NEW.updated_at, json_object(
        'id', OLD.id, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
        'author_id', OLD.author_id, 'replica_id', OLD.replica_id,
        'credit_code', OLD.credit_code, 'name', OLD.name, 'address', OLD.address,
        'town', OLD.town, 'sector', OLD.sector, 'sector_code', OLD.sector_code,
        'risk_level', OLD.risk_level, 'principal', OLD.principal, 'phone', OLD.phone));
END;

CREATE TRIGGER enterprises_never_deleted BEFORE DELETE ON enterprises
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (enterprises)'); END;
CREATE TRIGGER enterprise_revisions_append_only BEFORE UPDATE ON enterprise_revisions
BEGIN SELECT RAISE(ABORT, 'paicha: revisions are append-only'); END;
CREATE TRIGGER enterprise_revisions_never_deleted BEFORE DELETE ON enterprise_revisions
BEGIN SELECT RAISE(ABORT, 'paicha: revisions are append-only'); END;
CREATE TRIGGER inspectors_never_deleted BEFORE DELETE ON inspectors
BEGIN SELECT RAISE(ABORT, 'paicha: records are never deleted (inspectors)'); END;
