-- particle-bridge schema, version 1.
-- Times are integer milliseconds since the Unix epoch (UTC); 0 or NULL means "never".
-- Exactly-once storage: every row that arrives from the network has a natural key with a
-- UNIQUE constraint, and is written with INSERT OR IGNORE, so a replayed SSE event, a
-- retried webhook or a restart that sees the same data again stores nothing twice.

CREATE TABLE devices (
    particle_id          TEXT PRIMARY KEY,   -- ParticleDeviceId
    name                 TEXT NOT NULL DEFAULT '',
    product_id           INTEGER NOT NULL DEFAULT 0,  -- 0: user scope (developer device)
    platform_id          INTEGER NOT NULL DEFAULT 0,
    check_interval_ms    INTEGER NOT NULL,    -- CheckInterval
    date_added_ms        INTEGER NOT NULL,    -- DateAdded
    connected            INTEGER NOT NULL DEFAULT 0,
    enabled              INTEGER NOT NULL DEFAULT 1,
    last_app             TEXT NOT NULL DEFAULT '',
    last_heard_ms        INTEGER NOT NULL DEFAULT 0,
    publish_unknown_as_measurements INTEGER NOT NULL DEFAULT 1,
    publish_unknown_as_status_posts INTEGER NOT NULL DEFAULT 1,
    online_post          INTEGER NOT NULL DEFAULT 1,  -- OnlineNotificationOption
    online_message       TEXT NOT NULL DEFAULT '',
    offline_post         INTEGER NOT NULL DEFAULT 1,  -- OfflineNotificationOption
    offline_message      TEXT NOT NULL DEFAULT '',
    fault_count          INTEGER NOT NULL DEFAULT 0,
    faulted              INTEGER NOT NULL DEFAULT 0,
    breaker_reset_at_ms  INTEGER NOT NULL DEFAULT 0,  -- CircuitBreakerResetAt
    breaker_trips        INTEGER NOT NULL DEFAULT 0,  -- faults in a row; grows the reset delay
    ignore_rename        INTEGER NOT NULL DEFAULT 0,
    iccid                TEXT NOT NULL DEFAULT '',
    gone                 INTEGER NOT NULL DEFAULT 0,  -- no longer listed by the cloud
    last_synced_ms       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE variables (
    device_id         TEXT NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL DEFAULT '',
    enabled           INTEGER NOT NULL DEFAULT 1,
    check_interval_ms INTEGER NOT NULL DEFAULT 0,   -- 0: the device's CheckInterval
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;

CREATE TABLE functions (
    device_id TEXT NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;

-- Raw events as received (SSE or webhook). data_hash is FNV-1a 64 of data, so the key
-- stays small while still telling apart two events of the same name in the same millisecond.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    device_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    data            TEXT,
    published_at_ms INTEGER NOT NULL,
    data_hash       INTEGER NOT NULL,
    source          TEXT NOT NULL,          -- 'sse' or 'webhook'
    received_at_ms  INTEGER NOT NULL,
    UNIQUE (device_id, name, published_at_ms, data_hash)
);

CREATE TABLE measurements (
    id        INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL NOT NULL,
    ts_ms     INTEGER NOT NULL,
    source    TEXT NOT NULL,                -- 'poll', 'sse' or 'webhook'
    UNIQUE (device_id, name, ts_ms, source)
);
CREATE INDEX measurements_by_time ON measurements (ts_ms);

CREATE TABLE status_posts (
    id        INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,                -- 'variable', 'event', 'online', 'offline'
    name      TEXT NOT NULL DEFAULT '',     -- variable or event name
    message   TEXT NOT NULL,
    ts_ms     INTEGER NOT NULL,
    UNIQUE (device_id, kind, name, ts_ms, message)
);
CREATE INDEX status_posts_by_time ON status_posts (ts_ms);

CREATE TABLE connectivity (                 -- online/offline history
    device_id TEXT NOT NULL,
    ts_ms     INTEGER NOT NULL,
    online    INTEGER NOT NULL,
    source    TEXT NOT NULL,                -- 'event' (spark/status) or 'sync' (connected flag)
    PRIMARY KEY (device_id, ts_ms, online)
) WITHOUT ROWID;

CREATE TABLE sims (
    iccid                           TEXT PRIMARY KEY,
    device_id                       TEXT NOT NULL DEFAULT '',
    base_country_code               TEXT NOT NULL DEFAULT '',
    base_monthly_rate               REAL NOT NULL DEFAULT 0,
    overage_monthly_rate            REAL NOT NULL DEFAULT 0,
    first_activated_on_ms           INTEGER NOT NULL DEFAULT 0,
    last_activated_on_ms            INTEGER NOT NULL DEFAULT 0,
    imsi                            TEXT NOT NULL DEFAULT '',
    limit_mb                        REAL NOT NULL DEFAULT 0,
    status                          TEXT NOT NULL DEFAULT '',
    carrier                         TEXT NOT NULL DEFAULT '',
    last_status_change_action       TEXT NOT NULL DEFAULT '',
    last_status_change_action_error TEXT NOT NULL DEFAULT '',
    last_updated_ms                 INTEGER NOT NULL DEFAULT 0,
    date_added_ms                   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sim_usage (
    iccid         TEXT NOT NULL,
    date_ms       INTEGER NOT NULL,            -- the day (UTC midnight)
    used_mb       REAL NOT NULL,
    cumulative_mb REAL NOT NULL,
    PRIMARY KEY (iccid, date_ms)
) WITHOUT ROWID;

-- Where each event stream left off (Last-Event-ID), written in the same transaction as the
-- events it covers, so a restart resumes exactly after the last stored event.
CREATE TABLE stream_cursors (
    stream        TEXT PRIMARY KEY,
    last_event_id TEXT NOT NULL,
    updated_ms    INTEGER NOT NULL
) WITHOUT ROWID;
