-- particle-bridge schema, version 13: report exports copied into a table ([export.<name>]
-- format = table). Each export's latest snapshot replaces its previous one: one row per
-- report row, in the report's order, the row as the JSON object the API serves (read its
-- columns with json_extract(row_json, '$.DeviceId')).
CREATE TABLE report_snapshots (
    export_name TEXT NOT NULL,
    row_number  INTEGER NOT NULL,   -- 0, 1, ... in the report's order
    row_json    TEXT NOT NULL,
    taken_ms    INTEGER NOT NULL,   -- when the snapshot was taken
    PRIMARY KEY (export_name, row_number)
);
