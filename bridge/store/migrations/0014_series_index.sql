-- particle-bridge schema, version 14: one device's readings of one name in time order, for the
-- dashboard's charts (GET /api/v1/measurements?bucket=...): the buckets of a year of minute
-- readings are read from this index's range instead of scanning every device's rows of that
-- time (EXPLAIN QUERY PLAN: SEARCH measurements USING INDEX measurements_by_series).
CREATE INDEX measurements_by_series ON measurements (device_id, name, ts_ms);
