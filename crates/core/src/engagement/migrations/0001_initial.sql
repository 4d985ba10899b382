-- Schema 1: the engagement itself and the connections used to reach AWS.
-- Secrets are never stored here: an access-key connection keeps only its key id; the secret lives in
-- the OS keychain under "<engagement id>/<connection name>".

CREATE TABLE engagement (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    created_by_version TEXT NOT NULL
) STRICT;

CREATE TABLE connection (
    name              TEXT PRIMARY KEY NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('access_key', 'profile', 'assume_role')),
    access_key_id     TEXT,
    profile           TEXT,
    source_connection TEXT REFERENCES connection (name),
    role_arn          TEXT,
    external_id       TEXT,
    region            TEXT,
    created_at        TEXT NOT NULL
) STRICT;

-- Which binary versions migrated this file, for support.
CREATE TABLE schema_history (
    version     INTEGER PRIMARY KEY NOT NULL,
    applied_at  TEXT NOT NULL,
    app_version TEXT NOT NULL
) STRICT;
