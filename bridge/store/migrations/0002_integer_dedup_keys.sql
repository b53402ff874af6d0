-- particle-bridge schema, version 2: cheaper exactly-once keys for the ingest tables.
-- Version 1 kept a UNIQUE index over (device_id, name, time, ...) TEXT columns on events,
-- measurements and status posts; maintaining those wide indexes made each insert several
-- times slower than the row itself. Each of these tables now has a `key` column, a 64-bit
-- hash of the same natural key (bridge_key(), store/key.h, registered by the store), and
-- one UNIQUE index on (time, key): two integers, ordered by time, so a batch of new rows
-- lands on the last few index pages instead of dirtying pages all over a hash-ordered
-- index (which made every commit rewrite most of the index). The same index serves the
-- API's time-range queries. Rows keep their ids (rowid order = arrival order). Derived rows
-- are still written only when their event was new, so the semantics do not change.

CREATE TABLE events_v2 (
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
INSERT OR IGNORE INTO events_v2 (id, key, device_id, name, data, published_at_ms, source, received_at_ms)
    SELECT id, bridge_key(device_id, name, published_at_ms, data), device_id, name, data,
           published_at_ms, source, received_at_ms FROM events ORDER BY id;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;

CREATE TABLE measurements_v2 (
    id        INTEGER PRIMARY KEY,
    key       INTEGER NOT NULL,                -- bridge_key(device_id, name, ts_ms, source)
    device_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL NOT NULL,
    ts_ms     INTEGER NOT NULL,
    source    TEXT NOT NULL,                   -- 'poll', 'sse' or 'webhook'
    UNIQUE (ts_ms, key)
);
INSERT OR IGNORE INTO measurements_v2 (id, key, device_id, name, value, ts_ms, source)
    SELECT id, bridge_key(device_id, name, ts_ms, source), device_id, name, value, ts_ms, source
    FROM measurements ORDER BY id;
DROP TABLE measurements;
ALTER TABLE measurements_v2 RENAME TO measurements;

CREATE TABLE status_posts_v2 (
    id        INTEGER PRIMARY KEY,
    key       INTEGER NOT NULL,                -- bridge_key(device_id, kind, name, ts_ms, message)
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,                   -- 'variable', 'event', 'online', 'offline'
    name      TEXT NOT NULL DEFAULT '',
    message   TEXT NOT NULL,
    ts_ms     INTEGER NOT NULL,
    UNIQUE (ts_ms, key)
);
INSERT OR IGNORE INTO status_posts_v2 (id, key, device_id, kind, name, message, ts_ms)
    SELECT id, bridge_key(device_id, kind, name, ts_ms, message), device_id, kind, name, message, ts_ms
    FROM status_posts ORDER BY id;
DROP TABLE status_posts;
ALTER TABLE status_posts_v2 RENAME TO status_posts;

-- The newest value of each (device, measurement name): what SenML and the device view show,
-- kept up to date by the writer so reading it never scans the measurement history.
CREATE TABLE measurements_latest (
    device_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL NOT NULL,
    ts_ms     INTEGER NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;
INSERT INTO measurements_latest (device_id, name, value, ts_ms, source)
    SELECT device_id, name, value, max(ts_ms), source FROM measurements GROUP BY device_id, name;
