-- Schema 8: audience loads. A load carries one client's transformed audience (kept in `work_dir`) into
-- its Customer Profiles domain, SMS opt-out list and SES tenant's suppression list; `progress` holds how
-- far each part is (a checkpoint per batch), so a stopped or killed load resumes where it was.
CREATE TABLE audience_load (
    id               TEXT PRIMARY KEY,
    client           TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    state            TEXT NOT NULL,
    digest           TEXT NOT NULL,
    work_dir         TEXT NOT NULL,
    accepted_problems TEXT,
    target           TEXT NOT NULL,
    reconciliation   TEXT NOT NULL,
    result           TEXT
) STRICT;

CREATE TABLE audience_progress (
    load_id  TEXT NOT NULL REFERENCES audience_load(id),
    part     TEXT NOT NULL,
    done     INTEGER NOT NULL,
    total    INTEGER NOT NULL,
    failed   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (load_id, part)
) STRICT;
