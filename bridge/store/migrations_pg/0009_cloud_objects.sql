-- particle-bridge schema (PostgreSQL), version 9: the cloud's objects kept whole and a view
-- per report over them, as in the SQLite migration 0009_cloud_objects.sql.

CREATE TABLE cloud_objects (
    kind       text COLLATE "C" NOT NULL,
    object_key text COLLATE "C" NOT NULL,
    product_id bigint NOT NULL DEFAULT 0,
    object     text NOT NULL,
    synced_ms  bigint NOT NULL,
    PRIMARY KEY (kind, object_key)
);
CREATE INDEX cloud_objects_scope ON cloud_objects (kind, product_id, synced_ms);

CREATE VIEW report_device_information AS
SELECT d.particle_id AS device_id, d.name AS name, d.product_id AS product_id,
       d.platform_id AS platform_id, d.connected AS connected, d.iccid AS iccid,
       o.object::jsonb ->> 'owner' AS owner, o.object::jsonb ->> 'last_ip_address' AS last_ip_address,
       o.object::jsonb ->> 'last_heard' AS last_heard,
       o.object::jsonb ->> 'last_handshake_at' AS last_handshake_at,
       o.object::jsonb ->> 'serial_number' AS serial_number, o.object::jsonb ->> 'imei' AS imei,
       o.object::jsonb ->> 'system_firmware_version' AS system_firmware_version,
       o.object::jsonb ->> 'firmware_version' AS firmware_version,
       o.object::jsonb ->> 'notes' AS notes, o.object::jsonb ->> 'development' AS development,
       o.object::jsonb ->> 'quarantined' AS quarantined, o.object::jsonb ->> 'cellular' AS cellular,
       o.object::jsonb ->> 'status' AS status, o.object::jsonb -> 'groups' AS groups, d.gone AS gone
FROM devices d LEFT JOIN cloud_objects o ON o.kind = 'device' AND o.object_key = d.particle_id;

CREATE VIEW report_sim_cards AS
SELECT object_key AS iccid, product_id, object::jsonb ->> 'status' AS status,
       object::jsonb ->> 'last_device_id' AS last_device_id, object::jsonb ->> 'msisdn' AS msisdn,
       object::jsonb ->> 'carrier' AS carrier, object::jsonb ->> 'imsi' AS imsi,
       object::jsonb ->> 'base_country_code' AS base_country_code,
       object::jsonb ->> 'mb_limit' AS mb_limit,
       object::jsonb ->> 'first_activated_on' AS first_activated_on,
       object::jsonb ->> 'last_device_name' AS last_device_name, synced_ms
FROM cloud_objects WHERE kind = 'sim';

CREATE VIEW report_fleet_data_usage AS
SELECT product_id, object::jsonb ->> 'date' AS date, object::jsonb ->> 'mbs_used' AS mbs_used,
       object::jsonb ->> 'mbs_used_cumulative' AS mbs_used_cumulative, synced_ms
FROM cloud_objects WHERE kind = 'fleet_usage';
