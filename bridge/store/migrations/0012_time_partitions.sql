-- particle-bridge schema, version 12: on PostgreSQL this step partitions events, measurements
-- and status posts by day. SQLite has no partitions: [database] retention deletes old rows in
-- small batches instead (store/store_retention.c). The step keeps the two histories numbered
-- alike.
SELECT 1;
