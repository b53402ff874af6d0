-- particle-bridge schema (PostgreSQL), version 5: each SIM's cellular network status, as in
-- the SQLite migration 0005_sim_network.sql. -1 = the cloud has not said.
ALTER TABLE sims ADD COLUMN network_connected smallint NOT NULL DEFAULT -1;
ALTER TABLE sims ADD COLUMN gsm_connection smallint NOT NULL DEFAULT -1;
ALTER TABLE sims ADD COLUMN data_connection smallint NOT NULL DEFAULT -1;
ALTER TABLE sims ADD COLUMN network_checked_ms bigint NOT NULL DEFAULT 0;
