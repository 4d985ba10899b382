-- Schema 5: the lease a writing job (a scan; later a migration run or an audience load) holds on the
-- engagement, so two processes never write it at once. One row while a job runs; a row whose
-- expires_at has passed was left by a process that died and may be taken over.
CREATE TABLE lease (
    name        TEXT PRIMARY KEY,
    token       TEXT NOT NULL,
    job         TEXT NOT NULL,
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    renewed_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
