/*
 * The PostgreSQL driver of the store (store/driver.h), on libpq, with a fast path for the
 * rows of a batch.
 *
 * One connection per handle. Every statement is a server-side prepared statement (PQprepare
 * once per connection, then PQexecPrepared with text parameters); no SQL is ever built from
 * data. Only constant SQL (transactions, the embedded migration scripts) goes through
 * PQexec. Parameters whose type the context does not fix are cast in the SQL, so preparing
 * needs no type array.
 *
 * A lost connection fails the call that met it with a message saying so; the next call
 * resets the connection (PQreset) and prepares its statements again.
 */
#include "store/postgres_internal.h"

#include "store/store.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"

/* Serialises migrations of every bridge sharing a database (pg_advisory_xact_lock key). */
#define MIGRATION_LOCK_KEY "7081934012"

/* The dialect's SQL, by statement id (store/driver.h says what each one takes). */
static const char *const pg_sql[BRIDGE_STMT_COUNT] = {
    [BRIDGE_STMT_BEGIN] = "BEGIN",
    [BRIDGE_STMT_COMMIT] = "COMMIT",
    [BRIDGE_STMT_ROLLBACK] = "ROLLBACK",
    [BRIDGE_STMT_MIG_TABLE] = "CREATE TABLE IF NOT EXISTS schema_migrations (version integer "
                              "PRIMARY KEY, name text NOT NULL, applied_ms bigint NOT NULL)",
    /* Held to the end of the transaction: a second bridge starting now waits here, then
     * finds every migration applied. */
    [BRIDGE_STMT_MIG_LOCK] = "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")",
    /* Until the store's two histories were numbered alike, PostgreSQL had no step 2 and
     * numbered vitals, device owner and SIM network 2..4: move them to 3..5 and record step 2
     * (which PostgreSQL never needed) as applied. Does nothing on a database migrated since. */
    [BRIDGE_STMT_MIG_LEGACY] =
        "UPDATE schema_migrations SET version = -version "
        "WHERE name IN ('0002_vitals', '0003_device_owner', '0004_sim_network'); "
        "UPDATE schema_migrations SET version = 1 - version, "
        "name = '000' || (1 - version) || substr(name, 5) WHERE version < 0; "
        "INSERT INTO schema_migrations (version, name, applied_ms) "
        "SELECT 2, '0002_integer_dedup_keys', applied_ms FROM schema_migrations "
        "WHERE version = 1 AND NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = 2)",
    [BRIDGE_STMT_MIG_APPLIED] = "SELECT 1 FROM schema_migrations WHERE version = $1",
    [BRIDGE_STMT_MIG_RECORD] =
        "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)",
    [BRIDGE_STMT_DEV_SELECT_ONE] =
        "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices WHERE particle_id = $1",
    [BRIDGE_STMT_DEV_SELECT_ALL] =
        "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices ORDER BY particle_id",
    [BRIDGE_STMT_VAR_SELECT_DEV] = "SELECT name, type, enabled, check_interval_ms, unit "
                                   "FROM variables WHERE device_id = $1 ORDER BY name",
    [BRIDGE_STMT_FN_SELECT_DEV] = "SELECT name FROM functions WHERE device_id = $1 ORDER BY name",
    [BRIDGE_STMT_DEV_INSERT] =
        "INSERT INTO devices (particle_id, name, product_id, platform_id, "
        "check_interval_ms, date_added_ms, connected, enabled, last_app, last_heard_ms, "
        "publish_unknown_as_measurements, publish_unknown_as_status_posts, online_post, "
        "online_message, offline_post, offline_message, iccid, owner, last_synced_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$6) ON CONFLICT (particle_id) DO NOTHING",
    [BRIDGE_STMT_DEV_UPDATE_SYNC] =
        "UPDATE devices SET name = CASE WHEN NOT ignore_rename AND $2::text <> '' THEN $2 "
        "ELSE name END, product_id = $3, platform_id = $4, "
        "last_app = coalesce($5::text, last_app), "
        "last_heard_ms = greatest(last_heard_ms, $6::bigint), "
        "iccid = coalesce($7::text, iccid), owner = $9, gone = false, last_synced_ms = $8 "
        "WHERE particle_id = $1",
    [BRIDGE_STMT_VAR_UPSERT] = "INSERT INTO variables (device_id, name, type) VALUES ($1, $2, $3) "
                               "ON CONFLICT (device_id, name) DO UPDATE SET type = excluded.type",
    [BRIDGE_STMT_VAR_DELETE] = "DELETE FROM variables WHERE device_id = $1 AND name = $2",
    [BRIDGE_STMT_FN_DELETE_DEV] = "DELETE FROM functions WHERE device_id = $1",
    [BRIDGE_STMT_FN_INSERT] = "INSERT INTO functions (device_id, name) VALUES ($1, $2) "
                              "ON CONFLICT (device_id, name) DO NOTHING",
    [BRIDGE_STMT_DEV_MARK_GONE] =
        "UPDATE devices SET gone = true WHERE ($1::integer < 0 OR product_id = $1) "
        "AND ($3::text IS NULL OR owner IN ($3, '')) AND last_synced_ms < $2 AND NOT gone",
    [BRIDGE_STMT_DEV_UPDATE_SETTINGS] =
        "UPDATE devices SET "
        "check_interval_ms = CASE WHEN $2::boolean THEN $3::bigint ELSE check_interval_ms END, "
        "enabled = CASE WHEN $4::boolean THEN $5::boolean ELSE enabled END, "
        "publish_unknown_as_measurements = CASE WHEN $6::boolean THEN $7::boolean "
        "ELSE publish_unknown_as_measurements END, "
        "publish_unknown_as_status_posts = CASE WHEN $8::boolean THEN $9::boolean "
        "ELSE publish_unknown_as_status_posts END, "
        "online_post = CASE WHEN $10::boolean THEN $11::boolean ELSE online_post END, "
        "online_message = CASE WHEN $10::boolean THEN $12::text ELSE online_message END, "
        "offline_post = CASE WHEN $13::boolean THEN $14::boolean ELSE offline_post END, "
        "offline_message = CASE WHEN $13::boolean THEN $15::text ELSE offline_message END, "
        "ignore_rename = CASE WHEN $16::boolean THEN $17::boolean ELSE ignore_rename END "
        "WHERE particle_id = $1",
    [BRIDGE_STMT_VAR_UPDATE_SETTINGS] =
        "UPDATE variables SET enabled = CASE WHEN $3::boolean THEN $4::boolean ELSE enabled END, "
        "check_interval_ms = CASE WHEN $5::boolean THEN $6::bigint ELSE check_interval_ms END, "
        "unit = CASE WHEN $7::boolean THEN $8::text ELSE unit END "
        "WHERE device_id = $1 AND name = $2",
    [BRIDGE_STMT_DEV_SET_BREAKER] = "UPDATE devices SET fault_count = $2, faulted = $3, "
                                    "breaker_reset_at_ms = $4, breaker_trips = $5 "
                                    "WHERE particle_id = $1",
    [BRIDGE_STMT_DEV_SET_CONNECTED] = "UPDATE devices SET connected = $2::boolean "
                                      "WHERE particle_id = $1 AND connected <> $2::boolean",
    [BRIDGE_STMT_CONN_INSERT] =
        "INSERT INTO connectivity (device_id, ts_ms, online, source) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (device_id, ts_ms, online) DO NOTHING",
    [BRIDGE_STMT_SIM_UPSERT] =
        "INSERT INTO sims (" BRIDGE_SIM_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19) "
        "ON CONFLICT (iccid) DO UPDATE SET device_id = excluded.device_id, "
        "base_country_code = excluded.base_country_code, "
        "base_monthly_rate = excluded.base_monthly_rate, "
        "overage_monthly_rate = excluded.overage_monthly_rate, "
        "first_activated_on_ms = excluded.first_activated_on_ms, "
        "last_activated_on_ms = excluded.last_activated_on_ms, imsi = excluded.imsi, "
        "limit_mb = excluded.limit_mb, status = excluded.status, carrier = excluded.carrier, "
        "last_status_change_action = excluded.last_status_change_action, "
        "last_status_change_action_error = excluded.last_status_change_action_error, "
        "last_updated_ms = excluded.last_updated_ms, "
        "network_connected = excluded.network_connected, "
        "gsm_connection = excluded.gsm_connection, data_connection = excluded.data_connection, "
        "network_checked_ms = excluded.network_checked_ms",
    [BRIDGE_STMT_SIM_USAGE_UPSERT] =
        "INSERT INTO sim_usage (iccid, date_ms, used_mb, cumulative_mb) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (iccid, date_ms) DO UPDATE SET used_mb = excluded.used_mb, "
        "cumulative_mb = excluded.cumulative_mb",
    [BRIDGE_STMT_SIM_SELECT] = "SELECT " BRIDGE_SIM_COLUMNS " FROM sims WHERE iccid = $1",
    [BRIDGE_STMT_SIM_USAGE_SELECT] = "SELECT date_ms, used_mb, cumulative_mb FROM sim_usage "
                                     "WHERE iccid = $1 ORDER BY date_ms",
    [BRIDGE_STMT_EVENT_INSERT] =
        "INSERT INTO events (device_id, name, data, published_at_ms, key, source, "
        "received_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (published_at_ms, key) DO NOTHING",
    [BRIDGE_STMT_MEAS_INSERT] = "INSERT INTO measurements (device_id, name, value, ts_ms, source, "
                                "key) VALUES ($1, $2, $3, $4, $5, $6) "
                                "ON CONFLICT (ts_ms, key) DO NOTHING",
    [BRIDGE_STMT_MEAS_LATEST_UPSERT] =
        "INSERT INTO measurements_latest AS l (device_id, name, value, ts_ms, source) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id, name) DO UPDATE SET "
        "value = excluded.value, ts_ms = excluded.ts_ms, source = excluded.source "
        "WHERE excluded.ts_ms >= l.ts_ms",
    [BRIDGE_STMT_POST_INSERT] = "INSERT INTO status_posts (device_id, kind, name, message, ts_ms, "
                                "key) VALUES ($1, $2, $3, $4, $5, $6) "
                                "ON CONFLICT (ts_ms, key) DO NOTHING",
    [BRIDGE_STMT_CURSOR_UPSERT] =
        "INSERT INTO stream_cursors (stream, last_event_id, updated_ms) VALUES ($1, $2, $3) "
        "ON CONFLICT (stream) DO UPDATE SET last_event_id = excluded.last_event_id, "
        "updated_ms = excluded.updated_ms",
    [BRIDGE_STMT_CURSOR_SELECT] = "SELECT last_event_id FROM stream_cursors WHERE stream = $1",
    [BRIDGE_STMT_MEAS_LATEST] = "SELECT device_id, name, value, ts_ms, source FROM "
                                "measurements_latest WHERE device_id = $1 ORDER BY name",
    [BRIDGE_STMT_VITALS_INSERT] = "INSERT INTO vitals (" BRIDGE_VITALS_COLUMNS ") "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                                  "ON CONFLICT (device_id, updated_at_ms) DO NOTHING",
    [BRIDGE_STMT_VITALS_LAST_ONE] = "SELECT " BRIDGE_VITALS_COLUMNS " FROM vitals WHERE "
                                    "device_id = $1 ORDER BY updated_at_ms DESC LIMIT 1",
    [BRIDGE_STMT_VITALS_LAST_ALL] = "SELECT DISTINCT ON (device_id) " BRIDGE_VITALS_COLUMNS
                                    " FROM vitals ORDER BY device_id, updated_at_ms DESC",
    [BRIDGE_STMT_VITALS_QUERY] =
        "SELECT " BRIDGE_VITALS_COLUMNS " FROM (SELECT id, " BRIDGE_VITALS_COLUMNS " FROM vitals "
        "WHERE ($1::text IS NULL OR device_id = $1) AND updated_at_ms >= $2 "
        "AND updated_at_ms <= $3 ORDER BY updated_at_ms DESC, id DESC LIMIT $4) AS newest "
        "ORDER BY updated_at_ms, id",
    /* Exact counts: identity columns skip the values of rows ON CONFLICT dropped, so
     * SQLite's max(id) would overcount here. */
    [BRIDGE_STMT_STATS] = "SELECT (SELECT count(*) FROM devices), "
                          "(SELECT count(*) FROM devices WHERE faulted), "
                          "(SELECT count(*) FROM devices WHERE gone), "
                          "(SELECT count(*) FROM events), (SELECT count(*) FROM measurements), "
                          "(SELECT count(*) FROM status_posts)",
    /* A product filter ($1 in the readers) is a product id or a slug. */
    [BRIDGE_STMT_PRODUCT_DELETE_OWNER] = "DELETE FROM products WHERE owner = $1",
    [BRIDGE_STMT_PRODUCT_UPSERT] =
        "INSERT INTO products (product_id, slug, name, platform_id, description, organization, "
        "owner) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (product_id) DO UPDATE SET "
        "slug = excluded.slug, name = excluded.name, platform_id = excluded.platform_id, "
        "description = excluded.description, organization = excluded.organization, "
        "owner = excluded.owner",
    [BRIDGE_STMT_PRODUCT_SELECT] =
        "SELECT p.product_id, p.slug, p.name, p.platform_id, p.description, p.organization, "
        "(SELECT count(*) FROM devices d WHERE d.product_id = p.product_id AND NOT d.gone), "
        "(SELECT count(*) FROM product_groups g WHERE g.product_id = p.product_id), "
        "(SELECT count(*) FROM customers c WHERE c.product_id = p.product_id) "
        "FROM products p WHERE $1::text IS NULL OR p.product_id::text = $1 OR p.slug = $1 "
        "ORDER BY p.product_id",
    [BRIDGE_STMT_CUSTOMER_DELETE_PRODUCT] = "DELETE FROM customers WHERE product_id = $1",
    [BRIDGE_STMT_CUSTOMER_UPSERT] =
        "INSERT INTO customers (product_id, username, customer_id, full_name, device_ids, "
        "device_count) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (product_id, username) "
        "DO UPDATE SET customer_id = excluded.customer_id, full_name = excluded.full_name, "
        "device_ids = excluded.device_ids, device_count = excluded.device_count",
    [BRIDGE_STMT_CUSTOMER_SELECT] =
        "SELECT product_id, username, customer_id, full_name, device_ids, device_count "
        "FROM customers WHERE $1::text IS NULL OR product_id::text = $1 "
        "OR product_id IN (SELECT product_id FROM products WHERE slug = $1) "
        "ORDER BY product_id, username",
    [BRIDGE_STMT_GROUP_DELETE_PRODUCT] = "DELETE FROM product_groups WHERE product_id = $1",
    [BRIDGE_STMT_GROUP_UPSERT] =
        "INSERT INTO product_groups (product_id, name, description, color, fw_version) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (product_id, name) DO UPDATE SET "
        "description = excluded.description, color = excluded.color, "
        "fw_version = excluded.fw_version",
    [BRIDGE_STMT_GROUP_SELECT] =
        "SELECT g.product_id, g.name, g.description, g.color, g.fw_version, "
        "(SELECT count(*) FROM device_groups dg JOIN devices d ON d.particle_id = dg.device_id "
        "WHERE dg.group_name = g.name AND d.product_id = g.product_id AND NOT d.gone) "
        "FROM product_groups g WHERE $1::text IS NULL OR g.product_id::text = $1 "
        "OR g.product_id IN (SELECT product_id FROM products WHERE slug = $1) "
        "ORDER BY g.product_id, g.name",
    [BRIDGE_STMT_DEVGROUP_DELETE_DEV] = "DELETE FROM device_groups WHERE device_id = $1",
    [BRIDGE_STMT_DEVGROUP_INSERT] = "INSERT INTO device_groups (device_id, group_name) "
                                    "VALUES ($1, $2) ON CONFLICT DO NOTHING",
    [BRIDGE_STMT_PRODUCT_DEVICE_SELECT] =
        "SELECT d.product_id, d.particle_id, d.name, d.platform_id, d.connected, d.enabled, "
        "d.last_heard_ms, d.iccid, d.gone, (SELECT string_agg(group_name, ',' ORDER BY "
        "group_name) FROM device_groups WHERE device_id = d.particle_id) "
        "FROM devices d JOIN products p ON p.product_id = d.product_id "
        "WHERE ($1::text IS NULL OR p.product_id::text = $1 OR p.slug = $1) "
        "AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM device_groups "
        "WHERE device_id = d.particle_id AND group_name = $2)) ORDER BY d.product_id, "
        "d.particle_id",
    /* Firmware (migration 0007). A device's firmware fields are the cloud's as last synced
     * (NULL: not said); a flash status keeps the newest by published_at. */
    [BRIDGE_STMT_FIRMWARE_DELETE_PRODUCT] = "DELETE FROM product_firmware WHERE product_id = $1",
    [BRIDGE_STMT_FIRMWARE_UPSERT] =
        "INSERT INTO product_firmware (" BRIDGE_FIRMWARE_COLUMNS
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (product_id, version) DO UPDATE SET firmware_id = excluded.firmware_id, "
        "title = excluded.title, description = excluded.description, "
        "file_name = excluded.file_name, size_bytes = excluded.size_bytes, "
        "uploaded_at_ms = excluded.uploaded_at_ms, uploaded_by = excluded.uploaded_by, "
        "product_default = excluded.product_default, mandatory = excluded.mandatory, "
        "released_groups = excluded.released_groups, device_count = excluded.device_count",
    [BRIDGE_STMT_FIRMWARE_SELECT] =
        "SELECT " BRIDGE_FIRMWARE_COLUMNS " FROM product_firmware WHERE $1::text IS NULL "
        "OR product_id::text = $1 "
        "OR product_id IN (SELECT product_id FROM products WHERE slug = $1) "
        "ORDER BY product_id, version",
    [BRIDGE_STMT_DEVFW_SYNC] =
        "INSERT INTO device_firmware (device_id, firmware_version, targeted_version, "
        "desired_version, updates_enabled, updates_forced, synced_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (device_id) DO UPDATE SET "
        "firmware_version = excluded.firmware_version, "
        "targeted_version = excluded.targeted_version, desired_version = excluded.desired_version, "
        "updates_enabled = excluded.updates_enabled, updates_forced = excluded.updates_forced, "
        "synced_ms = excluded.synced_ms",
    [BRIDGE_STMT_DEVFW_FLASH] =
        "INSERT INTO device_firmware (device_id, flash_status, flash_ms) VALUES ($1, $2, $3) "
        "ON CONFLICT (device_id) DO UPDATE SET flash_status = excluded.flash_status, "
        "flash_ms = excluded.flash_ms, flash_version = device_firmware.targeted_version "
        "WHERE excluded.flash_ms >= device_firmware.flash_ms",
    [BRIDGE_STMT_DEVFW_SELECT] = "SELECT " BRIDGE_DEVICE_FIRMWARE_COLUMNS " FROM device_firmware f "
                                 "JOIN devices d ON d.particle_id = f.device_id "
                                 "JOIN products p ON p.product_id = d.product_id "
                                 "WHERE $1::text IS NULL OR p.product_id::text = $1 OR p.slug = $1 "
                                 "ORDER BY d.product_id, d.particle_id",
    /* A targeted device is updated when it runs the version, or its last flash, made while
     * targeted at it, succeeded; failed when that flash failed; pending otherwise. */
    [BRIDGE_STMT_ROLLOUT_SELECT] =
        "SELECT v.product_id, v.version, coalesce(pf.title, ''), "
        "coalesce(pf.product_default, false), coalesce(pf.released_groups, ''), "
        "count(t.device_id), sum(CASE WHEN t.state = 1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN t.state = 2 THEN 1 ELSE 0 END), "
        "(SELECT count(*) FROM device_firmware r JOIN devices rd ON rd.particle_id = r.device_id "
        "WHERE rd.product_id = v.product_id AND r.firmware_version = v.version AND NOT rd.gone) "
        "FROM (SELECT product_id, version FROM product_firmware UNION "
        "SELECT d.product_id, f.targeted_version FROM device_firmware f "
        "JOIN devices d ON d.particle_id = f.device_id "
        "WHERE f.targeted_version IS NOT NULL AND NOT d.gone) v "
        "LEFT JOIN product_firmware pf ON pf.product_id = v.product_id AND pf.version = v.version "
        "LEFT JOIN (SELECT d.product_id, f.device_id, f.targeted_version, "
        "CASE WHEN f.firmware_version = f.targeted_version THEN 1 "
        "WHEN f.flash_version = f.targeted_version AND f.flash_status = 'success' THEN 1 "
        "WHEN f.flash_version = f.targeted_version AND f.flash_status = 'failed' THEN 2 "
        "ELSE 0 END AS state FROM device_firmware f JOIN devices d ON d.particle_id = f.device_id "
        "WHERE NOT d.gone) t ON t.product_id = v.product_id AND t.targeted_version = v.version "
        "WHERE $1::text IS NULL OR v.product_id::text = $1 "
        "OR v.product_id IN (SELECT product_id FROM products WHERE slug = $1) "
        "GROUP BY v.product_id, v.version, pf.title, pf.product_default, pf.released_groups "
        "ORDER BY v.product_id, v.version",
    [BRIDGE_STMT_SETTING_UPSERT] =
        "INSERT INTO bridge_settings (name, value, updated_ms) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms",
    [BRIDGE_STMT_SETTING_SELECT] = "SELECT value FROM bridge_settings WHERE name = $1",
    [BRIDGE_STMT_SETTING_DELETE] = "DELETE FROM bridge_settings WHERE name = $1",
/* Keyset pages: the (time, id) comparison starts each page at the previous page's last
 * row through the (time, id) index of migration 0010, whatever page it is (no OFFSET). The
 * caller folds the key's time into from (to, newest first), so the index range starts at
 * the key: with two lower bounds the planner may take the smaller and scan from there. */
#define MEAS_PAGE(cmp, order)                                                                      \
    "SELECT device_id, name, value, ts_ms, source, id FROM measurements "                          \
    "WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR name = $2) "              \
    "AND ($3::text IS NULL OR source = $3) AND ts_ms >= $4 AND ts_ms <= $5 "                       \
    "AND (ts_ms, id) " cmp " ($6::bigint, $7::bigint) "                                            \
    "ORDER BY ts_ms " order ", id " order " LIMIT $8"
    [BRIDGE_STMT_MEAS_PAGE_ASC] = MEAS_PAGE(">", "ASC"),
    [BRIDGE_STMT_MEAS_PAGE_DESC] = MEAS_PAGE("<", "DESC"),
#define POST_PAGE(cmp, order)                                                                      \
    "SELECT device_id, kind, name, message, ts_ms, id FROM status_posts "                          \
    "WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR name = $2) "              \
    "AND ($3::text IS NULL OR kind = $3) AND ts_ms >= $4 AND ts_ms <= $5 "                         \
    "AND (ts_ms, id) " cmp " ($6::bigint, $7::bigint) "                                            \
    "ORDER BY ts_ms " order ", id " order " LIMIT $8"
    [BRIDGE_STMT_POST_PAGE_ASC] = POST_PAGE(">", "ASC"),
    [BRIDGE_STMT_POST_PAGE_DESC] = POST_PAGE("<", "DESC"),
#define EVENT_PAGE(cmp, order)                                                                     \
    "SELECT id, device_id, name, data, published_at_ms, source, received_at_ms FROM events "       \
    "WHERE ($1::text IS NULL OR device_id = $1) "                                                  \
    "AND ($2::text IS NULL OR substr(name, 1, length($2)) = $2) "                                  \
    "AND published_at_ms >= $3 AND published_at_ms <= $4 "                                         \
    "AND (published_at_ms, id) " cmp " ($5::bigint, $6::bigint) ORDER BY published_at_ms " order   \
    ", id " order " LIMIT $7"
    [BRIDGE_STMT_EVENT_PAGE_ASC] = EVENT_PAGE(">", "ASC"),
    [BRIDGE_STMT_EVENT_PAGE_DESC] = EVENT_PAGE("<", "DESC"),
#define CONN_PAGE(cmp, order)                                                                      \
    "SELECT device_id, ts_ms, online, source FROM connectivity "                                   \
    "WHERE ($1::text IS NULL OR device_id = $1) AND ts_ms >= $2 AND ts_ms <= $3 "                  \
    "AND (ts_ms, device_id, online) " cmp " ($4::bigint, $5::text, $6::int::boolean) "             \
    "ORDER BY ts_ms " order ", device_id " order ", online " order " LIMIT $7"
    [BRIDGE_STMT_CONN_PAGE_ASC] = CONN_PAGE(">", "ASC"),
    [BRIDGE_STMT_CONN_PAGE_DESC] = CONN_PAGE("<", "DESC"),
#define DEV_PAGE_WHERE                                                                             \
    "WHERE ($1::text IS NULL OR product_id::text = $1 "                                            \
    "OR product_id IN (SELECT product_id FROM products WHERE slug = $1)) "                         \
    "AND ($2::text IS NULL OR particle_id IN (SELECT device_id FROM device_groups "                \
    "WHERE group_name = $2)) "                                                                     \
    "AND ($3::boolean IS NULL OR connected = $3) AND ($4::boolean IS NULL OR faulted = $4) "       \
    "AND ($5::boolean IS NULL OR gone = $5) AND ($6::bigint IS NULL OR platform_id = $6) "         \
    "AND ($7::text IS NULL OR substr(name, 1, length($7)) = $7) "
    [BRIDGE_STMT_DEV_PAGE_NAME] = "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices " DEV_PAGE_WHERE
                                  "AND (name, particle_id) > ($8::text, $9::text) "
                                  "ORDER BY name, particle_id LIMIT $10",
    [BRIDGE_STMT_DEV_PAGE_HEARD] = "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices " DEV_PAGE_WHERE
                                   "AND (last_heard_ms, particle_id) < ($8::bigint, $9::text) "
                                   "ORDER BY last_heard_ms DESC, particle_id DESC LIMIT $10",
    [BRIDGE_STMT_OBJ_UPSERT] =
        "INSERT INTO cloud_objects (kind, object_key, product_id, object, synced_ms) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, object_key) DO UPDATE SET "
        "product_id = excluded.product_id, object = excluded.object, synced_ms = "
        "excluded.synced_ms",
    [BRIDGE_STMT_OBJ_DELETE_STALE] =
        "DELETE FROM cloud_objects WHERE kind = $1 AND product_id = $2 AND synced_ms < $3",
    [BRIDGE_STMT_OBJ_SELECT] =
        "SELECT object_key, product_id, object, synced_ms FROM cloud_objects "
        "WHERE kind = $1 AND ($2::bigint IS NULL OR product_id = $2::bigint) "
        "ORDER BY product_id, object_key",
    [BRIDGE_STMT_RETAIN_EVENTS] = "DELETE FROM events WHERE (published_at_ms, key) IN (SELECT "
                                  "published_at_ms, key FROM events "
                                  "WHERE published_at_ms < $1 LIMIT $2)",
    [BRIDGE_STMT_RETAIN_MEASUREMENTS] =
        "DELETE FROM measurements WHERE (ts_ms, key) IN (SELECT ts_ms, key FROM measurements "
        "WHERE ts_ms < $1 LIMIT $2)",
    [BRIDGE_STMT_RETAIN_POSTS] =
        "DELETE FROM status_posts WHERE (ts_ms, key) IN (SELECT ts_ms, key FROM status_posts "
        "WHERE ts_ms < $1 LIMIT $2)",
    [BRIDGE_STMT_SNAPSHOT_DELETE] = "DELETE FROM report_snapshots WHERE export_name = $1",
    [BRIDGE_STMT_SNAPSHOT_INSERT] = "INSERT INTO report_snapshots (export_name, row_number, "
                                    "row_json, taken_ms) VALUES ($1, $2, $3, $4)",
    /* The fleet page's counts: online and offline leave out gone devices; faulted overlaps. */
    [BRIDGE_STMT_FLEET_COUNTS] =
        "SELECT d.product_id, min(p.name), "
        "count(*) FILTER (WHERE d.connected AND NOT d.gone), "
        "count(*) FILTER (WHERE NOT d.connected AND NOT d.gone), "
        "count(*) FILTER (WHERE d.faulted), count(*) FILTER (WHERE d.gone), count(*) "
        "FROM devices d LEFT JOIN products p ON p.product_id = d.product_id "
        "GROUP BY d.product_id ORDER BY d.product_id",
    /* A series' buckets, through the (device_id, name, ts_ms) index of migration 0014: the
     * bucket of a row starts at ts_ms rounded down to a multiple of the width (UTC-aligned). */
    [BRIDGE_STMT_MEAS_SPAN] =
        "SELECT min(ts_ms), max(ts_ms) FROM measurements "
        "WHERE device_id = $1 AND name = $2 AND ($3::text IS NULL OR source = $3) "
        "AND ts_ms >= $4::bigint AND ts_ms <= $5::bigint",
    [BRIDGE_STMT_MEAS_BUCKETS] =
        "SELECT (ts_ms / $6::bigint) * $6::bigint AS bucket, min(value), max(value), "
        "avg(value), count(*) FROM measurements "
        "WHERE device_id = $1 AND name = $2 AND ($3::text IS NULL OR source = $3) "
        "AND ts_ms >= $4::bigint AND ts_ms <= $5::bigint GROUP BY bucket ORDER BY bucket",
};

/* ---- errors and the connection ---- */

/* libpq's messages end in a newline and may span lines: one line for the error record. */
static void copy_message(char *out, size_t size, const char *msg)
{
    pu_strlcpy(out, msg != NULL && msg[0] != '\0' ? msg : "unknown error", size);
    for (char *c = out; *c; c++) {
        if (*c == '\n' || *c == '\r' || *c == '\t') {
            *c = ' ';
        }
    }
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == ' ') {
        out[--n] = '\0';
    }
}

/* Copies the failure of @p what (the result's message, else the connection's) into the
 * error record, saying so when the connection is gone. */
int bridge_pg_fail(pg_conn *c, const char *what, const PGresult *r)
{
    char msg[300];
    const char *text = r != NULL ? PQresultErrorMessage(r) : "";
    copy_message(msg, sizeof msg, text[0] != '\0' ? text : PQerrorMessage(c->pg));
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        snprintf(c->base.err, sizeof c->base.err,
                 "%.60s: connection to PostgreSQL lost (%s); reconnecting at the next call", what,
                 msg);
    } else {
        snprintf(c->base.err, sizeof c->base.err, "%.100s: %s", what, msg);
    }
    return BRIDGE_STORE_ERROR;
}

static int pg_exec(bridge_conn *bc, const char *sql)
{
    pg_conn *c = (pg_conn *)bc;
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType rs = PQresultStatus(r);
    int error = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || rs == PGRES_EMPTY_QUERY
                    ? 0
                    : bridge_pg_fail(c, sql, r);
    PQclear(r);
    return error;
}

/* Byte-exact text, shortest exact doubles, and no NOTICE chatter on stderr (the migration's
 * CREATE TABLE IF NOT EXISTS sends one). */
static int session_setup(pg_conn *c)
{
    if (PQsetClientEncoding(c->pg, "UTF8") != 0) {
        return bridge_pg_fail(c, "client encoding", NULL);
    }
    return pg_exec(&c->base, "SET extra_float_digits = 3; SET client_min_messages = warning");
}

/* Reconnects a connection found broken by an earlier call (or left in pipeline mode), and
 * ends a transaction an earlier failure left open. */
static int pg_ready(bridge_conn *bc)
{
    pg_conn *c = (pg_conn *)bc;
    /* A batch that broke off mid-pipeline left answers unread: start afresh (the server
     * rolls back what that connection had open). */
    if (PQstatus(c->pg) != CONNECTION_OK || PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF) {
        PQreset(c->pg);
        memset(c->prepared, 0, sizeof c->prepared);
        memset(c->bulk_prepared, 0, sizeof c->bulk_prepared);
        if (PQstatus(c->pg) != CONNECTION_OK) {
            char msg[400];
            copy_message(msg, sizeof msg, PQerrorMessage(c->pg));
            snprintf(c->base.err, sizeof c->base.err,
                     "connection to PostgreSQL lost and reconnecting failed: %s", msg);
            return BRIDGE_STORE_ERROR;
        }
        return session_setup(c);
    }
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        return pg_exec(bc, "ROLLBACK");
    }
    return 0;
}

/* ---- statements ---- */

int bridge_pg_prepare_named(pg_conn *c, const char *name, const char *sql)
{
    PGresult *r = PQprepare(c->pg, name, sql, 0, NULL);
    int error = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : bridge_pg_fail(c, "prepare", r);
    PQclear(r);
    return error;
}

void bridge_pg_stmt_name(char *out, size_t size, bridge_stmt_id id)
{
    snprintf(out, size, "bridge_%d", (int)id);
}

int bridge_pg_ensure_prepared(pg_conn *c, bridge_stmt_id id)
{
    if (!c->prepared[id]) {
        char name[32];
        bridge_pg_stmt_name(name, sizeof name, id);
        c->prepared[id] = bridge_pg_prepare_named(c, name, pg_sql[id]) == 0;
    }
    return c->prepared[id] ? 0 : BRIDGE_STORE_ERROR;
}

static void pg_reset(bridge_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->n = 0;
    memset(s->v, 0, sizeof s->v);
}

static bridge_stmt *pg_prepare(bridge_conn *bc, bridge_stmt_id id)
{
    pg_conn *c = (pg_conn *)bc;
    if (bridge_pg_ensure_prepared(c, id) != 0) {
        return NULL;
    }
    pg_reset(&c->stmts[id]);
    return &c->stmts[id];
}

/* @p v as the text PostgreSQL reads; numbers are formatted into @p buf. %.17g gives back the
 * same double. */
const char *bridge_pg_value_text(bridge_value v, char buf[TEXT_SIZE])
{
    switch (v.type) {
    case BRIDGE_VALUE_INT:
        snprintf(buf, TEXT_SIZE, "%" PRId64, v.i);
        return buf;
    case BRIDGE_VALUE_REAL:
        snprintf(buf, TEXT_SIZE, "%.17g", v.d);
        return buf;
    case BRIDGE_VALUE_TEXT:
        return v.s;
    case BRIDGE_VALUE_BOOL:
        return v.b ? "t" : "f";
    case BRIDGE_VALUE_NULL:
        break;
    }
    return NULL;
}

static void pg_bind(bridge_stmt *s, int i, bridge_value v)
{
    if (i >= 1 && i <= MAX_PARAMS) {
        s->v[i - 1] = bridge_pg_value_text(v, s->buf[i - 1]);
        s->n = i > s->n ? i : s->n;
    }
}

static int pg_step(bridge_stmt *s)
{
    if (s->res == NULL) {
        char name[32];
        bridge_pg_stmt_name(name, sizeof name, s->id);
        s->res = PQexecPrepared(s->conn->pg, name, s->n, s->v, NULL, NULL, 0);
        ExecStatusType rs = PQresultStatus(s->res);
        if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
            int error = bridge_pg_fail(s->conn, bridge_stmt_what(s->id), s->res);
            pg_reset(s);
            return error;
        }
    }
    return ++s->row < PQntuples(s->res) ? BRIDGE_ROW : BRIDGE_DONE;
}

uint64_t bridge_pg_affected(const PGresult *r)
{
    const char *s = PQcmdTuples((PGresult *)r);
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    return end != s && *end == '\0' ? (uint64_t)v : 0;
}

static uint64_t pg_changes(bridge_stmt *s)
{
    return s->res != NULL ? bridge_pg_affected(s->res) : 0;
}

static bool pg_column_null(bridge_stmt *s, int col)
{
    return PQgetisnull(s->res, s->row, col);
}

static const char *pg_column_text(bridge_stmt *s, int col)
{
    return PQgetvalue(s->res, s->row, col); /* "" for NULL */
}

int64_t bridge_pg_text_int(const char *s)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    return end != s && *end == '\0' ? (int64_t)v : 0;
}

static int64_t pg_column_int(bridge_stmt *s, int col)
{
    return bridge_pg_text_int(pg_column_text(s, col));
}

static double pg_column_real(bridge_stmt *s, int col)
{
    const char *t = pg_column_text(s, col);
    char *end = NULL;
    double v = strtod(t, &end);
    return end != t && *end == '\0' ? v : 0;
}

static bool pg_column_bool(bridge_stmt *s, int col)
{
    return pg_column_text(s, col)[0] == 't';
}

/* ---- the connection ---- */

static void pg_close(bridge_conn *bc)
{
    pg_conn *c = (pg_conn *)bc;
    for (int i = 0; i < BRIDGE_STMT_COUNT; i++) {
        PQclear(c->stmts[i].res);
    }
    PQfinish(c->pg);
    free(c);
}

static const bridge_driver pg_driver = {
    .name = "postgresql",
    .sql = pg_sql,
    .migrations = bridge_pg_migrations,
    .migration_count = &bridge_pg_migration_count,
    .close = pg_close,
    .ready = pg_ready,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind = pg_bind,
    .step = pg_step,
    .changes = pg_changes,
    .reset = pg_reset,
    .column_null = pg_column_null,
    .column_int = pg_column_int,
    .column_real = pg_column_real,
    .column_bool = pg_column_bool,
    .column_text = pg_column_text,
    .write_rows = bridge_pg_write_rows,
    .partitions = bridge_pg_partitions,
};

bridge_conn *bridge_pg_connect(const char *uri, char *err, size_t err_size)
{
    char shown[256];
    bridge_store_uri_redact(uri, shown, sizeof shown);
    pg_conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    c->base.drv = &pg_driver;
    for (int i = 0; i < BRIDGE_STMT_COUNT; i++) {
        c->stmts[i] = (struct bridge_stmt){.id = (bridge_stmt_id)i, .conn = c, .row = -1};
    }
    /* libpq's URI errors quote the text they choke on, which may be the password (a bad
     * percent escape in it) or the whole URI: parse first and keep only the words before
     * the quote. */
    char *parse_err = NULL;
    PQconninfoOption *parsed = PQconninfoParse(uri, &parse_err);
    if (parsed == NULL) {
        char msg[400];
        copy_message(msg, sizeof msg, parse_err != NULL ? parse_err : "out of memory");
        size_t n = strcspn(msg, "\"");
        while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == ':')) {
            n--;
        }
        msg[n] = '\0';
        snprintf(err, err_size, "invalid PostgreSQL URI %s: %s", shown, msg);
        PQfreemem(parse_err);
        pg_close(&c->base);
        return NULL;
    }
    PQconninfoFree(parsed);
    /* The URI is expanded in place of dbname: what it sets wins over the keywords before it
     * (connect_timeout), and the application name is only a fallback. */
    const char *const keys[] = {"connect_timeout", "dbname", "fallback_application_name", NULL};
    const char *const values[] = {"10", uri, "particle-bridge", NULL};
    c->pg = PQconnectdbParams(keys, values, 1);
    if (c->pg == NULL) {
        snprintf(err, err_size, "out of memory");
        pg_close(&c->base);
        return NULL;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char msg[400];
        copy_message(msg, sizeof msg, PQerrorMessage(c->pg));
        snprintf(err, err_size, "cannot connect to PostgreSQL %s: %s", shown, msg);
        pg_close(&c->base);
        return NULL;
    }
    if (session_setup(c) != 0) {
        snprintf(err, err_size, "database %s: %s", shown, c->base.err);
        pg_close(&c->base);
        return NULL;
    }
    return &c->base;
}
