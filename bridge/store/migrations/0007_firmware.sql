-- particle-bridge schema, version 7: product firmware (cloud-api.md section 9.6) and each
-- device's firmware (section 5.1 and the spark/flash/status event, section 6.6).
--
-- product_firmware: one product's firmware versions as GET /v1/products/:p/firmware lists
-- them. The sync replaces a product's set as a whole (store_firmware.c).
--
-- device_firmware: one row per device that the cloud or an event told something about its
-- firmware. The device sync writes the cloud's fields; a spark/flash/status event writes the
-- last flash status, with flash_version the version the device was targeted at when it came
-- (the rollout report counts an attempt only for that version). No foreign key to devices:
-- a flash event may come before the sync has seen its device, as connectivity rows do.

CREATE TABLE product_firmware (
    product_id      INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    firmware_id     TEXT NOT NULL DEFAULT '',  -- the cloud's _id
    title           TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    file_name       TEXT NOT NULL DEFAULT '',  -- the uploaded file's name
    size_bytes      INTEGER NOT NULL DEFAULT 0,
    uploaded_at_ms  INTEGER NOT NULL DEFAULT 0,  -- 0 = not said
    uploaded_by     TEXT NOT NULL DEFAULT '',  -- the uploader's username
    product_default INTEGER NOT NULL DEFAULT 0,  -- released product-wide
    mandatory       INTEGER NOT NULL DEFAULT 0,
    released_groups TEXT NOT NULL DEFAULT '',  -- the groups it is released to, comma-separated
    device_count    INTEGER,                   -- NULL: the listing did not say
    PRIMARY KEY (product_id, version)
) WITHOUT ROWID;

CREATE TABLE device_firmware (
    device_id         TEXT PRIMARY KEY,
    firmware_version  INTEGER,  -- the product firmware it reports running; NULL = not said
    targeted_version  INTEGER,  -- targeted_firmware_release_version
    desired_version   INTEGER,  -- desired_firmware_version: the version it is locked to
    updates_enabled   INTEGER,  -- firmware_updates_enabled: 1, 0, NULL = not said
    updates_forced    INTEGER,  -- firmware_updates_forced: 1, 0, NULL = not said
    synced_ms         INTEGER NOT NULL DEFAULT 0,  -- when the sync last wrote the fields above
    flash_status      TEXT NOT NULL DEFAULT '',    -- started, success, failed; '' = none seen
    flash_ms          INTEGER NOT NULL DEFAULT 0,  -- the flash event's published_at
    flash_version     INTEGER   -- targeted_version when the flash event came
) WITHOUT ROWID;
-- The rollout report: the devices targeted at a version.
CREATE INDEX device_firmware_by_target ON device_firmware (targeted_version);
