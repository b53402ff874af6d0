-- particle-bridge schema, version 6: how the fleet is organised (cloud-api.md section 9): the
-- products the account sees, each configured product's customers and device groups, and the
-- groups each product device is in. The sync replaces each set as a whole (store_fleet.c), so
-- a product, customer or group the cloud no longer lists is gone from here too.

CREATE TABLE products (
    product_id   INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    platform_id  INTEGER NOT NULL DEFAULT 0,
    description  TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',  -- the organization's id; '' for a user's product
    owner        TEXT NOT NULL DEFAULT ''   -- the scope tag of the bridge that listed it
);
CREATE INDEX products_by_slug ON products (slug);

CREATE TABLE customers (
    product_id   INTEGER NOT NULL,
    username     TEXT NOT NULL,             -- the customer's email or unique identifier
    customer_id  TEXT NOT NULL DEFAULT '',
    full_name    TEXT NOT NULL DEFAULT '',
    device_ids   TEXT NOT NULL DEFAULT '',  -- the customer's devices, comma-separated
    device_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, username)
) WITHOUT ROWID;

CREATE TABLE product_groups (
    product_id  INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    color       TEXT NOT NULL DEFAULT '',
    fw_version  INTEGER,                    -- NULL: no product firmware released to it
    PRIMARY KEY (product_id, name)
) WITHOUT ROWID;

CREATE TABLE device_groups (
    device_id  TEXT NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    group_name TEXT NOT NULL,
    PRIMARY KEY (device_id, group_name)
) WITHOUT ROWID;
-- The product-devices report's ?group= filter and the groups report's device counts.
CREATE INDEX device_groups_by_group ON device_groups (group_name, device_id);
