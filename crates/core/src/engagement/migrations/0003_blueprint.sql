-- Schema 3: what people decide on top of an estate. Tenancy choices (client names, merges, owners of
-- shared resources, topology overrides) as one JSON document; blueprint versions frozen for sign-off;
-- decisions with their owner and status; sign-offs per client and blueprint version.

CREATE TABLE tenancy_choices (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE blueprint_version (
    version    INTEGER PRIMARY KEY NOT NULL,
    scan_id    TEXT NOT NULL REFERENCES scan (id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    -- JSON: the whole blueprint as it was saved (format version inside).
    body       TEXT NOT NULL,
    -- SHA-256 of body, so a signed-off version can be shown unchanged.
    digest     TEXT NOT NULL
) STRICT;

CREATE TABLE decision (
    id         TEXT PRIMARY KEY NOT NULL,
    status     TEXT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    due        TEXT NOT NULL DEFAULT '',
    choice     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE sign_off (
    client     TEXT NOT NULL,
    version    INTEGER NOT NULL REFERENCES blueprint_version (version),
    signed_by  TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (client, version)
) STRICT;
