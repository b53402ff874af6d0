-- particle-bridge schema (PostgreSQL), version 13: report exports copied into a table, as
-- the SQLite migration 0013_report_snapshots.sql (read the columns with
-- row_json::jsonb ->> 'DeviceId').
CREATE TABLE report_snapshots (
    export_name text COLLATE "C" NOT NULL,
    row_number  integer NOT NULL,
    row_json    text NOT NULL,
    taken_ms    bigint NOT NULL,
    PRIMARY KEY (export_name, row_number)
);
