-- particle-bridge schema for PostgreSQL, version 3: device vitals (remote diagnostics,
-- cloud-api.md section 7.2); the same table as SQLite's migration 0003_vitals.
-- One row per device and updated_at: the exactly-once key, so the same vitals seen through
-- the event stream (spark/device/diagnostics/update), a webhook and the sync's
-- GET /v1/diagnostics/:id/last are stored once. The payload is kept whole as JSON text; the
-- flattened columns are what the vitals reports show (NULL when the payload lacks them).

CREATE TABLE vitals (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id           text COLLATE "C" NOT NULL,
    updated_at_ms       bigint NOT NULL,
    source              text NOT NULL,          -- 'sync', 'sse' or 'webhook'
    payload             text NOT NULL,          -- the section 7.2 object
    signal_strength_pct double precision,       -- device.network.signal.strength
    signal_quality_pct  double precision,       -- device.network.signal.quality
    battery_charge_pct  double precision,       -- device.power.battery.charge
    memory_used_bytes   bigint,                 -- device.system.memory.used
    memory_total_bytes  bigint,                 -- device.system.memory.total
    uptime_s            bigint,                 -- device.system.uptime
    cloud_disconnects   bigint,                 -- device.cloud.connection.disconnects
    UNIQUE (device_id, updated_at_ms)
);
-- The history report's time-range scan over every device.
CREATE INDEX vitals_by_time ON vitals (updated_at_ms);
