-- particle-bridge schema, version 9: the cloud's objects as the sync lists them, kept whole
-- (JSON text) for the reports that show every field (docs/BRIDGE.md "Reports"):
--   kind 'device'      a device object of a device listing (mobile_secret left out), key = id
--   kind 'sim'         a SIM object of the listSIMs sweep of the user and each product, key =
--                      ICCID, product_id = the product listing it (0 = the user's listing)
--   kind 'fleet_usage' a day of a product fleet's data usage (GET /v1/products/:p/sims/
--                      data_usage), key = "<product>:<YYYY-MM-DD>"
-- and a view per report built from them, for SQL users.

CREATE TABLE cloud_objects (
    kind       TEXT NOT NULL,
    object_key TEXT NOT NULL,
    product_id INTEGER NOT NULL DEFAULT 0,
    object     TEXT NOT NULL,
    synced_ms  INTEGER NOT NULL,
    PRIMARY KEY (kind, object_key)
) WITHOUT ROWID;
CREATE INDEX cloud_objects_scope ON cloud_objects (kind, product_id, synced_ms);

CREATE VIEW report_device_information AS
SELECT d.particle_id AS device_id, d.name AS name, d.product_id AS product_id,
       d.platform_id AS platform_id, d.connected AS connected, d.iccid AS iccid,
       o.object ->> 'owner' AS owner, o.object ->> 'last_ip_address' AS last_ip_address,
       o.object ->> 'last_heard' AS last_heard, o.object ->> 'last_handshake_at' AS last_handshake_at,
       o.object ->> 'serial_number' AS serial_number, o.object ->> 'imei' AS imei,
       o.object ->> 'system_firmware_version' AS system_firmware_version,
       o.object ->> 'firmware_version' AS firmware_version, o.object ->> 'notes' AS notes,
       o.object ->> 'development' AS development, o.object ->> 'quarantined' AS quarantined,
       o.object ->> 'cellular' AS cellular, o.object ->> 'status' AS status,
       o.object -> 'groups' AS groups, d.gone AS gone
FROM devices d LEFT JOIN cloud_objects o ON o.kind = 'device' AND o.object_key = d.particle_id;

CREATE VIEW report_sim_cards AS
SELECT object_key AS iccid, product_id, object ->> 'status' AS status,
       object ->> 'last_device_id' AS last_device_id, object ->> 'msisdn' AS msisdn, object ->> 'carrier' AS carrier, object ->> 'imsi' AS imsi,
       object ->> 'base_country_code' AS base_country_code,
       object ->> 'mb_limit' AS mb_limit, object ->> 'first_activated_on' AS first_activated_on,
       object ->> 'last_device_name' AS last_device_name, synced_ms
FROM cloud_objects WHERE kind = 'sim';

CREATE VIEW report_fleet_data_usage AS
SELECT product_id, object ->> 'date' AS date, object ->> 'mbs_used' AS mbs_used,
       object ->> 'mbs_used_cumulative' AS mbs_used_cumulative, synced_ms
FROM cloud_objects WHERE kind = 'fleet_usage';
