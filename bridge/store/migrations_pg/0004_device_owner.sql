-- particle-bridge schema (PostgreSQL), version 4: which bridge syncs a device, as in the
-- SQLite migration 0004_device_owner.sql. '' = no bridge has synced it since.
ALTER TABLE devices ADD COLUMN owner text COLLATE "C" NOT NULL DEFAULT '';
