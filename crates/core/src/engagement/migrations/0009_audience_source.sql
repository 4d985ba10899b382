-- Schema 9: where each client's audience comes from (files, folders or s3:// prefixes), so that applying
-- the client in a migration run loads it, and `pinshift audience load --client ID` needs no --from.
CREATE TABLE audience_source (
    client           TEXT PRIMARY KEY,
    paths            TEXT NOT NULL,
    exclude_inactive INTEGER NOT NULL DEFAULT 0,
    accept_problems  TEXT,
    set_at           TEXT NOT NULL
) STRICT;
