-- particle-bridge schema (PostgreSQL), version 14: one device's readings of one name in time
-- order, for the dashboard's charts (GET /api/v1/measurements?bucket=...). Made on the
-- partitioned table, so every day partition, present and future, gets it.
CREATE INDEX measurements_by_series ON measurements (device_id, name, ts_ms);
