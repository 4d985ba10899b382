-- Schema 6: migration runs and their journal. A run applies (or rolls back) a blueprint version's target
-- resources for some clients; the journal is append-only: an intent row before each effect on AWS, an
-- outcome row after it (failures kept), every row hash-chained to the one before (docs/journal.md says
-- how an auditor checks the chain with standard tools).
CREATE TABLE run (
    id          TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    scan_id     TEXT NOT NULL,
    connection  TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    clients     TEXT NOT NULL,
    unsigned_reason TEXT,
    state       TEXT NOT NULL,
    finished_at TEXT
) STRICT;

CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL,
    at          TEXT NOT NULL,
    client      TEXT,
    step        TEXT,
    kind        TEXT,
    phase       TEXT NOT NULL,
    outcome     TEXT,
    arn         TEXT,
    identifiers TEXT,
    request_id  TEXT,
    error_code  TEXT,
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

CREATE INDEX journal_step ON journal (step, seq);
CREATE INDEX journal_run ON journal (run_id, seq);
