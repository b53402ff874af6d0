-- particle-bridge schema (PostgreSQL), version 8: the bridge's own settings, as in the SQLite
-- migration 0008_settings.sql.

CREATE TABLE bridge_settings (
    name       text COLLATE "C" PRIMARY KEY,
    value      text NOT NULL,
    updated_ms bigint NOT NULL
);
