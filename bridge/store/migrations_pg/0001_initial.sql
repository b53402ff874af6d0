-- particle-bridge schema for PostgreSQL, version 1.
-- The same tables as the SQLite schema at its version 2 (store/migrations/), in PostgreSQL
-- types: times are bigint milliseconds since the Unix epoch (UTC), 0 meaning "never";
-- flags are boolean; values double precision. Ids and names use COLLATE "C": they sort and
-- compare byte by byte, as in SQLite, whatever the database's locale.
-- Exactly-once storage: every ingest row carries `key`, the 64-bit hash of its natural key
-- (bridge_key(), store/key.h, computed by the store in C), with a UNIQUE index on
-- (time, key); rows are written with INSERT ... ON CONFLICT DO NOTHING, so a replayed SSE
-- event, a retried webhook, a restart, or a second bridge instance that sees the same data
-- stores nothing twice.

CREATE TABLE devices (
    particle_id          text COLLATE "C" PRIMARY KEY,            -- ParticleDeviceId
    name                 text COLLATE "C" NOT NULL DEFAULT '',
    product_id           integer NOT NULL DEFAULT 0,  -- 0: user scope (developer device)
    platform_id          integer NOT NULL DEFAULT 0,
    check_interval_ms    bigint NOT NULL,             -- CheckInterval
    date_added_ms        bigint NOT NULL,             -- DateAdded
    connected            boolean NOT NULL DEFAULT false,
    enabled              boolean NOT NULL DEFAULT true,
    last_app             text NOT NULL DEFAULT '',
    last_heard_ms        bigint NOT NULL DEFAULT 0,
    publish_unknown_as_measurements boolean NOT NULL DEFAULT true,
    publish_unknown_as_status_posts boolean NOT NULL DEFAULT true,
    online_post          boolean NOT NULL DEFAULT true,   -- OnlineNotificationOption
    online_message       text NOT NULL DEFAULT '',
    offline_post         boolean NOT NULL DEFAULT true,   -- OfflineNotificationOption
    offline_message      text NOT NULL DEFAULT '',
    fault_count          integer NOT NULL DEFAULT 0,
    faulted              boolean NOT NULL DEFAULT false,
    breaker_reset_at_ms  bigint NOT NULL DEFAULT 0,       -- CircuitBreakerResetAt
    breaker_trips        integer NOT NULL DEFAULT 0,      -- faults in a row; grows the delay
    ignore_rename        boolean NOT NULL DEFAULT false,
    iccid                text COLLATE "C" NOT NULL DEFAULT '',
    gone                 boolean NOT NULL DEFAULT false,  -- no longer listed by the cloud
    last_synced_ms       bigint NOT NULL DEFAULT 0
);

CREATE TABLE variables (
    device_id         text COLLATE "C" NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    name              text COLLATE "C" NOT NULL,
    type              text NOT NULL DEFAULT '',
    enabled           boolean NOT NULL DEFAULT true,
    check_interval_ms bigint NOT NULL DEFAULT 0,   -- 0: the device's CheckInterval
    PRIMARY KEY (device_id, name)
);

CREATE TABLE functions (
    device_id text COLLATE "C" NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    name      text COLLATE "C" NOT NULL,
    PRIMARY KEY (device_id, name)
);

-- Raw events as received (SSE or webhook).
CREATE TABLE events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key             bigint NOT NULL,     -- bridge_key(device_id, name, published_at_ms, data)
    device_id       text COLLATE "C" NOT NULL,
    name            text COLLATE "C" NOT NULL,
    data            text,
    published_at_ms bigint NOT NULL,
    source          text NOT NULL,       -- 'sse' or 'webhook'
    received_at_ms  bigint NOT NULL,
    UNIQUE (published_at_ms, key)
);

CREATE TABLE measurements (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key       bigint NOT NULL,           -- bridge_key(device_id, name, ts_ms, source)
    device_id text COLLATE "C" NOT NULL,
    name      text COLLATE "C" NOT NULL,
    value     double precision NOT NULL,
    ts_ms     bigint NOT NULL,
    source    text NOT NULL,             -- 'poll', 'sse' or 'webhook'
    UNIQUE (ts_ms, key)
);

CREATE TABLE status_posts (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key       bigint NOT NULL,           -- bridge_key(device_id, kind, name, ts_ms, message)
    device_id text COLLATE "C" NOT NULL,
    kind      text NOT NULL,             -- 'variable', 'event', 'online', 'offline'
    name      text COLLATE "C" NOT NULL DEFAULT '',  -- variable or event name
    message   text NOT NULL,
    ts_ms     bigint NOT NULL,
    UNIQUE (ts_ms, key)
);

-- The newest value of each (device, measurement name), kept up to date by the writer so
-- reading it never scans the history.
CREATE TABLE measurements_latest (
    device_id text COLLATE "C" NOT NULL,
    name      text COLLATE "C" NOT NULL,
    value     double precision NOT NULL,
    ts_ms     bigint NOT NULL,
    source    text NOT NULL,
    PRIMARY KEY (device_id, name)
);

CREATE TABLE connectivity (              -- online/offline history
    device_id text COLLATE "C" NOT NULL,
    ts_ms     bigint NOT NULL,
    online    boolean NOT NULL,
    source    text NOT NULL,             -- 'event' (spark/status) or 'sync' (connected flag)
    PRIMARY KEY (device_id, ts_ms, online)
);

CREATE TABLE sims (
    iccid                           text COLLATE "C" PRIMARY KEY,
    device_id                       text COLLATE "C" NOT NULL DEFAULT '',
    base_country_code               text NOT NULL DEFAULT '',
    base_monthly_rate               double precision NOT NULL DEFAULT 0,
    overage_monthly_rate            double precision NOT NULL DEFAULT 0,
    first_activated_on_ms           bigint NOT NULL DEFAULT 0,
    last_activated_on_ms            bigint NOT NULL DEFAULT 0,
    imsi                            text NOT NULL DEFAULT '',
    limit_mb                        double precision NOT NULL DEFAULT 0,
    status                          text NOT NULL DEFAULT '',
    carrier                         text NOT NULL DEFAULT '',
    last_status_change_action       text NOT NULL DEFAULT '',
    last_status_change_action_error text NOT NULL DEFAULT '',
    last_updated_ms                 bigint NOT NULL DEFAULT 0,
    date_added_ms                   bigint NOT NULL DEFAULT 0
);

CREATE TABLE sim_usage (
    iccid         text COLLATE "C" NOT NULL,
    date_ms       bigint NOT NULL,               -- the day (UTC midnight)
    used_mb       double precision NOT NULL,
    cumulative_mb double precision NOT NULL,
    PRIMARY KEY (iccid, date_ms)
);

-- Where each event stream left off (Last-Event-ID), written in the same transaction as the
-- events it covers, so a restart resumes exactly after the last stored event.
CREATE TABLE stream_cursors (
    stream        text COLLATE "C" PRIMARY KEY,
    last_event_id text NOT NULL,
    updated_ms    bigint NOT NULL
);
