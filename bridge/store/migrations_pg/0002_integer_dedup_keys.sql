-- particle-bridge schema, version 2: cheaper exactly-once keys for the ingest tables.
-- On SQLite this step replaced the wide TEXT unique indexes of version 1 with a 64-bit `key`
-- column and a UNIQUE (time, key) index. The PostgreSQL schema had those from version 1, so
-- here the step only keeps the two histories numbered alike.
SELECT 1;
