-- Schema 7: verifications of migrated clients and the engagement's waves.
-- A verification reads back what runs created or adopted for some clients (resources, template renders,
-- segment estimates); `report` is its JSON. The newest verification of a client is its state.
CREATE TABLE verification (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    account_id  TEXT NOT NULL,
    clients     TEXT NOT NULL,
    report      TEXT NOT NULL
) STRICT;

-- Waves: the order clients are migrated in, the pilot first. `clients` is a JSON array of client ids.
CREATE TABLE wave (
    name        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    pilot       INTEGER NOT NULL,
    clients     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
