-- particle-bridge schema, version 4: which bridge syncs a device. Several bridges may share
-- one database (PostgreSQL), each with its own scope or partition of the fleet; a bridge
-- polls and marks gone only the devices it syncs. The tag names the scope (partition.h);
-- '' means no bridge has synced the device since this version, and any bridge may take it.
ALTER TABLE devices ADD COLUMN owner TEXT NOT NULL DEFAULT '';
