-- particle-bridge schema, version 5: each SIM's cellular network status (cloud-api.md section 7.6)
-- for the cellular-status report. -1 = the cloud has not said; checked = 0: never.
ALTER TABLE sims ADD COLUMN network_connected INTEGER NOT NULL DEFAULT -1;
ALTER TABLE sims ADD COLUMN gsm_connection INTEGER NOT NULL DEFAULT -1;
ALTER TABLE sims ADD COLUMN data_connection INTEGER NOT NULL DEFAULT -1;
ALTER TABLE sims ADD COLUMN network_checked_ms INTEGER NOT NULL DEFAULT 0;
