-- particle-bridge schema (PostgreSQL), version 7: product firmware and each device's
-- firmware, as in the SQLite migration 0007_firmware.sql (which says what each column holds).
-- No foreign key from device_firmware to devices: a flash event may come before the sync has
-- seen its device.

CREATE TABLE product_firmware (
    product_id      integer NOT NULL,
    version         bigint NOT NULL,
    firmware_id     text COLLATE "C" NOT NULL DEFAULT '',
    title           text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    file_name       text NOT NULL DEFAULT '',
    size_bytes      bigint NOT NULL DEFAULT 0,
    uploaded_at_ms  bigint NOT NULL DEFAULT 0,
    uploaded_by     text COLLATE "C" NOT NULL DEFAULT '',
    product_default boolean NOT NULL DEFAULT false,
    mandatory       boolean NOT NULL DEFAULT false,
    released_groups text COLLATE "C" NOT NULL DEFAULT '',
    device_count    bigint,
    PRIMARY KEY (product_id, version)
);

CREATE TABLE device_firmware (
    device_id         text COLLATE "C" PRIMARY KEY,
    firmware_version  bigint,
    targeted_version  bigint,
    desired_version   bigint,
    updates_enabled   boolean,
    updates_forced    boolean,
    synced_ms         bigint NOT NULL DEFAULT 0,
    flash_status      text COLLATE "C" NOT NULL DEFAULT '',
    flash_ms          bigint NOT NULL DEFAULT 0,
    flash_version     bigint
);
CREATE INDEX device_firmware_by_target ON device_firmware (targeted_version);
