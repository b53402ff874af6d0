-- particle-bridge schema, version 8: the bridge's own settings, one text value per name, that
-- must outlive a restart; for example the id of the Particle integration the bridge keeps for
-- its webhook receiver (bridge/webhook_sync.c), so a restart reuses it instead of making
-- another.

CREATE TABLE bridge_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
