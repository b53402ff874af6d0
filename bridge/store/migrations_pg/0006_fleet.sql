-- particle-bridge schema (PostgreSQL), version 6: products, customers, device groups and the
-- groups of each product device, as in the SQLite migration 0006_fleet.sql. The sync replaces
-- each set as a whole (store_fleet.c).

CREATE TABLE products (
    product_id   integer PRIMARY KEY,
    slug         text COLLATE "C" NOT NULL DEFAULT '',
    name         text COLLATE "C" NOT NULL DEFAULT '',
    platform_id  integer NOT NULL DEFAULT 0,
    description  text NOT NULL DEFAULT '',
    organization text COLLATE "C" NOT NULL DEFAULT '',  -- the organization's id; '' = user's
    owner        text COLLATE "C" NOT NULL DEFAULT ''   -- the scope tag of the bridge that listed it
);
CREATE INDEX products_by_slug ON products (slug);

CREATE TABLE customers (
    product_id   integer NOT NULL,
    username     text COLLATE "C" NOT NULL,             -- email or unique identifier
    customer_id  text COLLATE "C" NOT NULL DEFAULT '',
    full_name    text NOT NULL DEFAULT '',
    device_ids   text COLLATE "C" NOT NULL DEFAULT '',  -- comma-separated
    device_count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, username)
);

CREATE TABLE product_groups (
    product_id  integer NOT NULL,
    name        text COLLATE "C" NOT NULL,
    description text NOT NULL DEFAULT '',
    color       text NOT NULL DEFAULT '',
    fw_version  integer,                                -- NULL: none released to it
    PRIMARY KEY (product_id, name)
);

CREATE TABLE device_groups (
    device_id  text COLLATE "C" NOT NULL REFERENCES devices(particle_id) ON DELETE CASCADE,
    group_name text COLLATE "C" NOT NULL,
    PRIMARY KEY (device_id, group_name)
);
CREATE INDEX device_groups_by_group ON device_groups (group_name, device_id);
