-- particle-bridge schema (PostgreSQL), version 7: the bridge's own settings, as in the SQLite
-- migration 0007_settings.sql.

CREATE TABLE bridge_settings (
    name       text COLLATE "C" PRIMARY KEY,
    value      text NOT NULL,
    updated_ms bigint NOT NULL
);
