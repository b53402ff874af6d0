-- particle-bridge schema, version 3: device vitals (remote diagnostics, cloud-api.md section 7.2).
-- One row per device and updated_at: the exactly-once key, so the same vitals seen through
-- the event stream (spark/device/diagnostics/update), a webhook and the sync's
-- GET /v1/diagnostics/:id/last are stored once. The payload is kept whole as JSON text; the
-- flattened columns are what the vitals reports show (NULL when the payload lacks them).

CREATE TABLE vitals (
    id                  INTEGER PRIMARY KEY,
    device_id           TEXT NOT NULL,
    updated_at_ms       INTEGER NOT NULL,
    source              TEXT NOT NULL,      -- 'sync', 'sse' or 'webhook'
    payload             TEXT NOT NULL,      -- the section 7.2 object
    signal_strength_pct REAL,               -- device.network.signal.strength
    signal_quality_pct  REAL,               -- device.network.signal.quality
    battery_charge_pct  REAL,               -- device.power.battery.charge
    memory_used_bytes   INTEGER,            -- device.system.memory.used
    memory_total_bytes  INTEGER,            -- device.system.memory.total
    uptime_s            INTEGER,            -- device.system.uptime
    cloud_disconnects   INTEGER,            -- device.cloud.connection.disconnects
    UNIQUE (device_id, updated_at_ms)
);
-- The history report's time-range scan over every device.
CREATE INDEX vitals_by_time ON vitals (updated_at_ms);
