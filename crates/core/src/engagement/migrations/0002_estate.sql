-- Schema 2: inventory scans (estates). Every resource keeps the raw payload AWS returned beside the
-- columns Pinshift indexes; what could not be read is a scan issue, never a silent hole.

CREATE TABLE scan (
    id          TEXT PRIMARY KEY NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    -- running | complete | complete_with_gaps | cancelled | failed
    status      TEXT NOT NULL,
    -- JSON: the connections and Regions asked for.
    request     TEXT NOT NULL
) STRICT;

CREATE TABLE scan_resource (
    scan_id    TEXT NOT NULL REFERENCES scan (id),
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    project_id TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    version    TEXT NOT NULL DEFAULT '',
    name       TEXT,
    raw        TEXT NOT NULL,
    PRIMARY KEY (scan_id, account_id, region, project_id, kind, id, version)
) STRICT;

CREATE TABLE scan_issue (
    scan_id    TEXT NOT NULL REFERENCES scan (id),
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    project_id TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    operation  TEXT NOT NULL,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL
) STRICT;

-- Units of work a scan has finished (an account × Region's account-level read, or one project), so an
-- interrupted scan resumes where it stopped.
CREATE TABLE scan_unit (
    scan_id TEXT NOT NULL REFERENCES scan (id),
    unit    TEXT NOT NULL,
    PRIMARY KEY (scan_id, unit)
) STRICT;

CREATE INDEX scan_resource_kind ON scan_resource (scan_id, kind);
