-- A particle-bridge SQLite database as the store wrote it before the store was cut into a
-- domain layer and SQL drivers (schema version 5): one device, one event with its
-- measurement, status post and vitals, a reading, a stream cursor and a SIM. Written through
-- bridge_store_* at commit 4fde584 and dumped with sqlite3 .dump; test_bridge_store.c opens it
-- with today's code.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES(1,'0001_initial',1796243908474);
INSERT INTO schema_migrations VALUES(2,'0002_integer_dedup_keys',1796243908495);
INSERT INTO schema_migrations VALUES(3,'0003_vitals',1796243908496);
INSERT INTO schema_migrations VALUES(4,'0004_device_owner',1796243908498);
INSERT INTO schema_migrations VALUES(5,'0005_sim_network',1796243908503);
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
, owner TEXT NOT NULL DEFAULT '');
INSERT INTO devices VALUES('0123456789abcdef01234567','legacy',0,12,60000,1000,1,1,'',0,1,0,1,'up',0,'',0,0,0,0,0,'8934',0,1000,'scope-old');
CREATE TABLE variables (
    device_id         TEXT NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL DEFAULT '',
    enabled           INTEGER NOT NULL DEFAULT 1,
    check_interval_ms INTEGER NOT NULL DEFAULT 0,   -- 0: the device's CheckInterval
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;
INSERT INTO variables VALUES('0123456789abcdef01234567','temp','double',1,0);
CREATE TABLE functions (
    device_id TEXT NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;
INSERT INTO functions VALUES('0123456789abcdef01234567','led');
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
, network_connected INTEGER NOT NULL DEFAULT -1, gsm_connection INTEGER NOT NULL DEFAULT -1, data_connection INTEGER NOT NULL DEFAULT -1, network_checked_ms INTEGER NOT NULL DEFAULT 0);
INSERT INTO sims VALUES('8934','0123456789abcdef01234567','',0.0,0.0,0,0,'',0.0,'active','','','',0,0,-1,-1,-1,0);
CREATE TABLE sim_usage (
    iccid         TEXT NOT NULL,
    date_ms       INTEGER NOT NULL,            -- the day (UTC midnight)
    used_mb       REAL NOT NULL,
    cumulative_mb REAL NOT NULL,
    PRIMARY KEY (iccid, date_ms)
) WITHOUT ROWID;
CREATE TABLE stream_cursors (
    stream        TEXT PRIMARY KEY,
    last_event_id TEXT NOT NULL,
    updated_ms    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO stream_cursors VALUES('devices','42',7000);
CREATE TABLE IF NOT EXISTS "events" (
    id              INTEGER PRIMARY KEY,
    key             INTEGER NOT NULL,          -- bridge_key(device_id, name, published_at_ms, data)
    device_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    data            TEXT,
    published_at_ms INTEGER NOT NULL,
    source          TEXT NOT NULL,             -- 'sse' or 'webhook'
    received_at_ms  INTEGER NOT NULL,
    UNIQUE (published_at_ms, key)
);
INSERT INTO events VALUES(1,-16193062153479226,'0123456789abcdef01234567','temperature','21.5',5000,'sse',5005);
CREATE TABLE IF NOT EXISTS "measurements" (
    id        INTEGER PRIMARY KEY,
    key       INTEGER NOT NULL,                -- bridge_key(device_id, name, ts_ms, source)
    device_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL NOT NULL,
    ts_ms     INTEGER NOT NULL,
    source    TEXT NOT NULL,                   -- 'poll', 'sse' or 'webhook'
    UNIQUE (ts_ms, key)
);
INSERT INTO measurements VALUES(1,-2149481904712898334,'0123456789abcdef01234567','temperature',21.5,5000,'sse');
INSERT INTO measurements VALUES(2,486858993598206180,'0123456789abcdef01234567','temp',20.25,6000,'poll');
CREATE TABLE IF NOT EXISTS "status_posts" (
    id        INTEGER PRIMARY KEY,
    key       INTEGER NOT NULL,                -- bridge_key(device_id, kind, name, ts_ms, message)
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,                   -- 'variable', 'event', 'online', 'offline'
    name      TEXT NOT NULL DEFAULT '',
    message   TEXT NOT NULL,
    ts_ms     INTEGER NOT NULL,
    UNIQUE (ts_ms, key)
);
INSERT INTO status_posts VALUES(1,6456335247847027577,'0123456789abcdef01234567','event','note','hello',5000);
CREATE TABLE measurements_latest (
    device_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL NOT NULL,
    ts_ms     INTEGER NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;
INSERT INTO measurements_latest VALUES('0123456789abcdef01234567','temp',20.25,6000,'poll');
INSERT INTO measurements_latest VALUES('0123456789abcdef01234567','temperature',21.5,5000,'sse');
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
INSERT INTO vitals VALUES(1,'0123456789abcdef01234567',4000,'sse','{}',80.0,NULL,NULL,10,NULL,NULL,NULL);
CREATE INDEX vitals_by_time ON vitals (updated_at_ms);
COMMIT;
