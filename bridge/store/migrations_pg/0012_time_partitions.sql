-- particle-bridge schema (PostgreSQL), version 12: events, measurements and status posts
-- partitioned by time (declarative RANGE partitioning on their time column, one partition per
-- UTC day, named <table>_pYYYYMMDD, plus a DEFAULT partition for rows of days that have none).
-- The bridge creates the days ahead and drops those past [database] retention
-- (store/postgres_partitions.c). A partitioned table's keys must hold the partition column, so
-- the primary key becomes (time, id); id stays an identity column, unique in practice. That
-- key is also the index the API's keyset pages walk (migration 0010 made one on the old
-- tables, which go with them).
-- The rows of the old tables move into the new ones (into the DEFAULT partition; the next
-- maintenance moves recent days into their own partitions).

ALTER TABLE events RENAME TO events_unpartitioned;
CREATE TABLE events (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    key             bigint NOT NULL,
    device_id       text COLLATE "C" NOT NULL,
    name            text COLLATE "C" NOT NULL,
    data            text,
    published_at_ms bigint NOT NULL,
    source          text NOT NULL,
    received_at_ms  bigint NOT NULL,
    PRIMARY KEY (published_at_ms, id),
    UNIQUE (published_at_ms, key)
) PARTITION BY RANGE (published_at_ms);
CREATE TABLE events_default PARTITION OF events DEFAULT;
INSERT INTO events OVERRIDING SYSTEM VALUE
    SELECT id, key, device_id, name, data, published_at_ms, source, received_at_ms
    FROM events_unpartitioned;
SELECT setval(pg_get_serial_sequence('events', 'id'),
              (SELECT coalesce(max(id), 0) + 1 FROM events), false);
DROP TABLE events_unpartitioned;

ALTER TABLE measurements RENAME TO measurements_unpartitioned;
CREATE TABLE measurements (
    id        bigint GENERATED ALWAYS AS IDENTITY,
    key       bigint NOT NULL,
    device_id text COLLATE "C" NOT NULL,
    name      text COLLATE "C" NOT NULL,
    value     double precision NOT NULL,
    ts_ms     bigint NOT NULL,
    source    text NOT NULL,
    PRIMARY KEY (ts_ms, id),
    UNIQUE (ts_ms, key)
) PARTITION BY RANGE (ts_ms);
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
INSERT INTO measurements OVERRIDING SYSTEM VALUE
    SELECT id, key, device_id, name, value, ts_ms, source FROM measurements_unpartitioned;
SELECT setval(pg_get_serial_sequence('measurements', 'id'),
              (SELECT coalesce(max(id), 0) + 1 FROM measurements), false);
DROP TABLE measurements_unpartitioned;

ALTER TABLE status_posts RENAME TO status_posts_unpartitioned;
CREATE TABLE status_posts (
    id        bigint GENERATED ALWAYS AS IDENTITY,
    key       bigint NOT NULL,
    device_id text COLLATE "C" NOT NULL,
    kind      text NOT NULL,
    name      text COLLATE "C" NOT NULL DEFAULT '',
    message   text NOT NULL,
    ts_ms     bigint NOT NULL,
    PRIMARY KEY (ts_ms, id),
    UNIQUE (ts_ms, key)
) PARTITION BY RANGE (ts_ms);
CREATE TABLE status_posts_default PARTITION OF status_posts DEFAULT;
INSERT INTO status_posts OVERRIDING SYSTEM VALUE
    SELECT id, key, device_id, kind, name, message, ts_ms FROM status_posts_unpartitioned;
SELECT setval(pg_get_serial_sequence('status_posts', 'id'),
              (SELECT coalesce(max(id), 0) + 1 FROM status_posts), false);
DROP TABLE status_posts_unpartitioned;
