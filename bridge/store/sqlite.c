/*
 * The SQLite driver of the store (store/driver.h): a connection, its statements by id, and
 * the dialect's SQL.
 *
 * One connection per handle, in WAL mode with synchronous=NORMAL (a crash loses at most the
 * last transactions, never consistency; a killed process loses nothing committed), an 8 MB
 * page cache (the (time, key) indexes are written near their end, so they need little) and a
 * WAL checkpointed every 8192 pages rather than 1000 (fewer fsyncs while ingesting). Each
 * statement is prepared once per connection (SQLITE_PREPARE_PERSISTENT) and cached by id;
 * only constant SQL (transactions, the embedded migration scripts) runs through sqlite3_exec.
 * The connection is opened NOMUTEX: the store's handle lock serialises its use.
 *
 * The fault hook of sqlite_fault.h lives here.
 */
#include "store/domain.h"
#include "store/driver.h"
#include "store/file_mode.h"
#include "store/sqlite_fault.h"
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_hash.h"
#include "store/key.h"

/* The dialect's SQL, by statement id (store/driver.h says what each one takes). */
static const char *const sqlite_sql[BRIDGE_STMT_COUNT] = {
    [BRIDGE_STMT_BEGIN] = "BEGIN IMMEDIATE",
    [BRIDGE_STMT_COMMIT] = "COMMIT",
    [BRIDGE_STMT_ROLLBACK] = "ROLLBACK",
    [BRIDGE_STMT_MIG_TABLE] = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                              "PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)",
    [BRIDGE_STMT_MIG_APPLIED] = "SELECT 1 FROM schema_migrations WHERE version = ?1",
    [BRIDGE_STMT_MIG_RECORD] =
        "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?1, ?2, ?3)",
    [BRIDGE_STMT_DEV_SELECT_ONE] =
        "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices WHERE particle_id = ?1",
    [BRIDGE_STMT_DEV_SELECT_ALL] =
        "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices ORDER BY particle_id",
    [BRIDGE_STMT_VAR_SELECT_DEV] = "SELECT name, type, enabled, check_interval_ms, unit "
                                   "FROM variables WHERE device_id = ?1 ORDER BY name",
    [BRIDGE_STMT_FN_SELECT_DEV] = "SELECT name FROM functions WHERE device_id = ?1 ORDER BY name",
    [BRIDGE_STMT_DEV_INSERT] =
        "INSERT INTO devices (particle_id, name, product_id, platform_id, "
        "check_interval_ms, date_added_ms, connected, enabled, last_app, last_heard_ms, "
        "publish_unknown_as_measurements, publish_unknown_as_status_posts, online_post, "
        "online_message, offline_post, offline_message, iccid, owner, last_synced_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
        "?17, ?18, ?6) ON CONFLICT (particle_id) DO NOTHING",
    [BRIDGE_STMT_DEV_UPDATE_SYNC] =
        "UPDATE devices SET name = iif(ignore_rename = 0 AND ?2 <> '', ?2, name), "
        "product_id = ?3, platform_id = ?4, last_app = coalesce(?5, last_app), "
        "last_heard_ms = max(last_heard_ms, ?6), iccid = coalesce(?7, iccid), "
        "owner = ?9, gone = 0, last_synced_ms = ?8 WHERE particle_id = ?1",
    [BRIDGE_STMT_VAR_UPSERT] = "INSERT INTO variables (device_id, name, type) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (device_id, name) DO UPDATE SET type = excluded.type",
    [BRIDGE_STMT_VAR_DELETE] = "DELETE FROM variables WHERE device_id = ?1 AND name = ?2",
    [BRIDGE_STMT_FN_DELETE_DEV] = "DELETE FROM functions WHERE device_id = ?1",
    [BRIDGE_STMT_FN_INSERT] = "INSERT OR IGNORE INTO functions (device_id, name) VALUES (?1, ?2)",
    [BRIDGE_STMT_DEV_MARK_GONE] =
        "UPDATE devices SET gone = 1 WHERE (?1 < 0 OR product_id = ?1) "
        "AND (?3 IS NULL OR owner IN (?3, '')) AND last_synced_ms < ?2 AND gone = 0",
    [BRIDGE_STMT_DEV_UPDATE_SETTINGS] =
        "UPDATE devices SET check_interval_ms = iif(?2, ?3, check_interval_ms), "
        "enabled = iif(?4, ?5, enabled), "
        "publish_unknown_as_measurements = iif(?6, ?7, publish_unknown_as_measurements), "
        "publish_unknown_as_status_posts = iif(?8, ?9, publish_unknown_as_status_posts), "
        "online_post = iif(?10, ?11, online_post), online_message = iif(?10, ?12, online_message), "
        "offline_post = iif(?13, ?14, offline_post), "
        "offline_message = iif(?13, ?15, offline_message), "
        "ignore_rename = iif(?16, ?17, ignore_rename) WHERE particle_id = ?1",
    [BRIDGE_STMT_VAR_UPDATE_SETTINGS] = "UPDATE variables SET enabled = iif(?3, ?4, enabled), "
                                        "check_interval_ms = iif(?5, ?6, check_interval_ms), "
                                        "unit = iif(?7, ?8, unit) "
                                        "WHERE device_id = ?1 AND name = ?2",
    [BRIDGE_STMT_DEV_SET_BREAKER] = "UPDATE devices SET fault_count = ?2, faulted = ?3, "
                                    "breaker_reset_at_ms = ?4, breaker_trips = ?5 "
                                    "WHERE particle_id = ?1",
    [BRIDGE_STMT_DEV_SET_CONNECTED] =
        "UPDATE devices SET connected = ?2 WHERE particle_id = ?1 AND connected <> ?2",
    [BRIDGE_STMT_CONN_INSERT] = "INSERT OR IGNORE INTO connectivity (device_id, ts_ms, online, "
                                "source) VALUES (?1, ?2, ?3, ?4)",
    [BRIDGE_STMT_SIM_UPSERT] =
        "INSERT INTO sims (" BRIDGE_SIM_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
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
        "INSERT INTO sim_usage (iccid, date_ms, used_mb, cumulative_mb) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (iccid, date_ms) DO UPDATE SET used_mb = excluded.used_mb, "
        "cumulative_mb = excluded.cumulative_mb",
    [BRIDGE_STMT_SIM_SELECT] = "SELECT " BRIDGE_SIM_COLUMNS " FROM sims WHERE iccid = ?1",
    [BRIDGE_STMT_SIM_USAGE_SELECT] = "SELECT date_ms, used_mb, cumulative_mb FROM sim_usage "
                                     "WHERE iccid = ?1 ORDER BY date_ms",
    [BRIDGE_STMT_EVENT_INSERT] =
        "INSERT OR IGNORE INTO events (device_id, name, data, published_at_ms, key, source, "
        "received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [BRIDGE_STMT_MEAS_INSERT] = "INSERT OR IGNORE INTO measurements (device_id, name, value, "
                                "ts_ms, source, key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [BRIDGE_STMT_MEAS_LATEST_UPSERT] =
        "INSERT INTO measurements_latest (device_id, name, value, ts_ms, source) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device_id, name) DO UPDATE SET "
        "value = excluded.value, ts_ms = excluded.ts_ms, source = excluded.source "
        "WHERE excluded.ts_ms >= ts_ms",
    [BRIDGE_STMT_POST_INSERT] = "INSERT OR IGNORE INTO status_posts (device_id, kind, name, "
                                "message, ts_ms, key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [BRIDGE_STMT_CURSOR_UPSERT] =
        "INSERT INTO stream_cursors (stream, last_event_id, updated_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (stream) DO UPDATE SET last_event_id = excluded.last_event_id, "
        "updated_ms = excluded.updated_ms",
    [BRIDGE_STMT_CURSOR_SELECT] = "SELECT last_event_id FROM stream_cursors WHERE stream = ?1",
    [BRIDGE_STMT_MEAS_LATEST] = "SELECT device_id, name, value, ts_ms, source FROM "
                                "measurements_latest WHERE device_id = ?1 ORDER BY name",
    [BRIDGE_STMT_VITALS_INSERT] = "INSERT OR IGNORE INTO vitals (" BRIDGE_VITALS_COLUMNS ") "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [BRIDGE_STMT_VITALS_LAST_ONE] = "SELECT " BRIDGE_VITALS_COLUMNS " FROM vitals WHERE "
                                    "device_id = ?1 ORDER BY updated_at_ms DESC LIMIT 1",
    [BRIDGE_STMT_VITALS_LAST_ALL] =
        "SELECT " BRIDGE_VITALS_COLUMNS " FROM vitals JOIN (SELECT device_id AS d, "
        "max(updated_at_ms) AS t FROM vitals GROUP BY device_id) "
        "ON device_id = d AND updated_at_ms = t ORDER BY device_id",
    [BRIDGE_STMT_VITALS_QUERY] =
        "SELECT " BRIDGE_VITALS_COLUMNS " FROM (SELECT id, " BRIDGE_VITALS_COLUMNS " FROM vitals "
        "WHERE (?1 IS NULL OR device_id = ?1) AND updated_at_ms >= ?2 AND updated_at_ms <= ?3 "
        "ORDER BY updated_at_ms DESC, id DESC LIMIT ?4) ORDER BY updated_at_ms, id",
    /* Rows are never deleted, so the largest id is the count without a table scan. */
    [BRIDGE_STMT_STATS] = "SELECT (SELECT count(*) FROM devices), "
                          "(SELECT count(*) FROM devices WHERE faulted), "
                          "(SELECT count(*) FROM devices WHERE gone), "
                          "(SELECT coalesce(max(id), 0) FROM events), "
                          "(SELECT coalesce(max(id), 0) FROM measurements), "
                          "(SELECT coalesce(max(id), 0) FROM status_posts)",
    /* A product filter (?1 in the readers) is a product id or a slug. */
    [BRIDGE_STMT_PRODUCT_DELETE_OWNER] = "DELETE FROM products WHERE owner = ?1",
    [BRIDGE_STMT_PRODUCT_UPSERT] =
        "INSERT INTO products (product_id, slug, name, platform_id, description, organization, "
        "owner) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (product_id) DO UPDATE SET "
        "slug = excluded.slug, name = excluded.name, platform_id = excluded.platform_id, "
        "description = excluded.description, organization = excluded.organization, "
        "owner = excluded.owner",
    [BRIDGE_STMT_PRODUCT_SELECT] =
        "SELECT p.product_id, p.slug, p.name, p.platform_id, p.description, p.organization, "
        "(SELECT count(*) FROM devices d WHERE d.product_id = p.product_id AND NOT d.gone), "
        "(SELECT count(*) FROM product_groups g WHERE g.product_id = p.product_id), "
        "(SELECT count(*) FROM customers c WHERE c.product_id = p.product_id) "
        "FROM products p WHERE ?1 IS NULL OR CAST(p.product_id AS TEXT) = ?1 OR p.slug = ?1 "
        "ORDER BY p.product_id",
    [BRIDGE_STMT_CUSTOMER_DELETE_PRODUCT] = "DELETE FROM customers WHERE product_id = ?1",
    [BRIDGE_STMT_CUSTOMER_UPSERT] =
        "INSERT INTO customers (product_id, username, customer_id, full_name, device_ids, "
        "device_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (product_id, username) "
        "DO UPDATE SET customer_id = excluded.customer_id, full_name = excluded.full_name, "
        "device_ids = excluded.device_ids, device_count = excluded.device_count",
    [BRIDGE_STMT_CUSTOMER_SELECT] =
        "SELECT product_id, username, customer_id, full_name, device_ids, device_count "
        "FROM customers WHERE ?1 IS NULL OR CAST(product_id AS TEXT) = ?1 "
        "OR product_id IN (SELECT product_id FROM products WHERE slug = ?1) "
        "ORDER BY product_id, username",
    [BRIDGE_STMT_GROUP_DELETE_PRODUCT] = "DELETE FROM product_groups WHERE product_id = ?1",
    [BRIDGE_STMT_GROUP_UPSERT] =
        "INSERT INTO product_groups (product_id, name, description, color, fw_version) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (product_id, name) DO UPDATE SET "
        "description = excluded.description, color = excluded.color, "
        "fw_version = excluded.fw_version",
    [BRIDGE_STMT_GROUP_SELECT] =
        "SELECT g.product_id, g.name, g.description, g.color, g.fw_version, "
        "(SELECT count(*) FROM device_groups dg JOIN devices d ON d.particle_id = dg.device_id "
        "WHERE dg.group_name = g.name AND d.product_id = g.product_id AND NOT d.gone) "
        "FROM product_groups g WHERE ?1 IS NULL OR CAST(g.product_id AS TEXT) = ?1 "
        "OR g.product_id IN (SELECT product_id FROM products WHERE slug = ?1) "
        "ORDER BY g.product_id, g.name",
    [BRIDGE_STMT_DEVGROUP_DELETE_DEV] = "DELETE FROM device_groups WHERE device_id = ?1",
    [BRIDGE_STMT_DEVGROUP_INSERT] =
        "INSERT OR IGNORE INTO device_groups (device_id, group_name) VALUES (?1, ?2)",
    /* group_concat keeps the order of the rows it is given: the subquery sorts them */
    [BRIDGE_STMT_PRODUCT_DEVICE_SELECT] =
        "SELECT d.product_id, d.particle_id, d.name, d.platform_id, d.connected, d.enabled, "
        "d.last_heard_ms, d.iccid, d.gone, (SELECT group_concat(group_name, ',') FROM "
        "(SELECT group_name FROM device_groups WHERE device_id = d.particle_id "
        "ORDER BY group_name)) FROM devices d JOIN products p ON p.product_id = d.product_id "
        "WHERE (?1 IS NULL OR CAST(p.product_id AS TEXT) = ?1 OR p.slug = ?1) "
        "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM device_groups WHERE device_id = d.particle_id "
        "AND group_name = ?2)) ORDER BY d.product_id, d.particle_id",
    /* Firmware (migration 0007). A device's firmware fields are the cloud's as last synced
     * (NULL: not said); a flash status keeps the newest by published_at. */
    [BRIDGE_STMT_FIRMWARE_DELETE_PRODUCT] = "DELETE FROM product_firmware WHERE product_id = ?1",
    [BRIDGE_STMT_FIRMWARE_UPSERT] =
        "INSERT INTO product_firmware (" BRIDGE_FIRMWARE_COLUMNS
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
        "ON CONFLICT (product_id, version) DO UPDATE SET firmware_id = excluded.firmware_id, "
        "title = excluded.title, description = excluded.description, "
        "file_name = excluded.file_name, size_bytes = excluded.size_bytes, "
        "uploaded_at_ms = excluded.uploaded_at_ms, uploaded_by = excluded.uploaded_by, "
        "product_default = excluded.product_default, mandatory = excluded.mandatory, "
        "released_groups = excluded.released_groups, device_count = excluded.device_count",
    [BRIDGE_STMT_FIRMWARE_SELECT] =
        "SELECT " BRIDGE_FIRMWARE_COLUMNS " FROM product_firmware WHERE ?1 IS NULL "
        "OR CAST(product_id AS TEXT) = ?1 "
        "OR product_id IN (SELECT product_id FROM products WHERE slug = ?1) "
        "ORDER BY product_id, version",
    [BRIDGE_STMT_DEVFW_SYNC] =
        "INSERT INTO device_firmware (device_id, firmware_version, targeted_version, "
        "desired_version, updates_enabled, updates_forced, synced_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (device_id) DO UPDATE SET "
        "firmware_version = excluded.firmware_version, "
        "targeted_version = excluded.targeted_version, desired_version = excluded.desired_version, "
        "updates_enabled = excluded.updates_enabled, updates_forced = excluded.updates_forced, "
        "synced_ms = excluded.synced_ms",
    [BRIDGE_STMT_DEVFW_FLASH] =
        "INSERT INTO device_firmware (device_id, flash_status, flash_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (device_id) DO UPDATE SET flash_status = excluded.flash_status, "
        "flash_ms = excluded.flash_ms, flash_version = device_firmware.targeted_version "
        "WHERE excluded.flash_ms >= device_firmware.flash_ms",
    [BRIDGE_STMT_DEVFW_SELECT] =
        "SELECT " BRIDGE_DEVICE_FIRMWARE_COLUMNS " FROM device_firmware f "
        "JOIN devices d ON d.particle_id = f.device_id "
        "JOIN products p ON p.product_id = d.product_id "
        "WHERE ?1 IS NULL OR CAST(p.product_id AS TEXT) = ?1 OR p.slug = ?1 "
        "ORDER BY d.product_id, d.particle_id",
    /* A targeted device is updated when it runs the version, or its last flash, made while
     * targeted at it, succeeded; failed when that flash failed; pending otherwise. */
    [BRIDGE_STMT_ROLLOUT_SELECT] =
        "SELECT v.product_id, v.version, coalesce(pf.title, ''), "
        "coalesce(pf.product_default, 0), coalesce(pf.released_groups, ''), "
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
        "WHERE ?1 IS NULL OR CAST(v.product_id AS TEXT) = ?1 "
        "OR v.product_id IN (SELECT product_id FROM products WHERE slug = ?1) "
        "GROUP BY v.product_id, v.version, pf.title, pf.product_default, pf.released_groups "
        "ORDER BY v.product_id, v.version",
    [BRIDGE_STMT_SETTING_UPSERT] =
        "INSERT INTO bridge_settings (name, value, updated_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms",
    [BRIDGE_STMT_SETTING_SELECT] = "SELECT value FROM bridge_settings WHERE name = ?1",
    [BRIDGE_STMT_SETTING_DELETE] = "DELETE FROM bridge_settings WHERE name = ?1",
/* Keyset pages: the (time, id) comparison starts each page at the previous page's last
 * row through the (time, id) index of migration 0010, whatever page it is (no OFFSET). The
 * caller folds the key's time into from (to, newest first), so the index range starts at
 * the key: with two lower bounds the planner may take the smaller and scan from there. */
#define MEAS_PAGE(cmp, order)                                                                      \
    "SELECT device_id, name, value, ts_ms, source, id FROM measurements "                          \
    "WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR name = ?2) "                          \
    "AND (?3 IS NULL OR source = ?3) AND ts_ms >= ?4 AND ts_ms <= ?5 "                             \
    "AND (ts_ms, id) " cmp " (?6, ?7) ORDER BY ts_ms " order ", id " order " LIMIT ?8"
    [BRIDGE_STMT_MEAS_PAGE_ASC] = MEAS_PAGE(">", "ASC"),
    [BRIDGE_STMT_MEAS_PAGE_DESC] = MEAS_PAGE("<", "DESC"),
#define POST_PAGE(cmp, order)                                                                      \
    "SELECT device_id, kind, name, message, ts_ms, id FROM status_posts "                          \
    "WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR name = ?2) "                          \
    "AND (?3 IS NULL OR kind = ?3) AND ts_ms >= ?4 AND ts_ms <= ?5 "                               \
    "AND (ts_ms, id) " cmp " (?6, ?7) ORDER BY ts_ms " order ", id " order " LIMIT ?8"
    [BRIDGE_STMT_POST_PAGE_ASC] = POST_PAGE(">", "ASC"),
    [BRIDGE_STMT_POST_PAGE_DESC] = POST_PAGE("<", "DESC"),
#define EVENT_PAGE(cmp, order)                                                                     \
    "SELECT id, device_id, name, data, published_at_ms, source, received_at_ms FROM events "       \
    "WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR substr(name, 1, length(?2)) = ?2) "   \
    "AND published_at_ms >= ?3 AND published_at_ms <= ?4 "                                         \
    "AND (published_at_ms, id) " cmp " (?5, ?6) "                                                  \
    "ORDER BY published_at_ms " order ", id " order " LIMIT ?7"
    [BRIDGE_STMT_EVENT_PAGE_ASC] = EVENT_PAGE(">", "ASC"),
    [BRIDGE_STMT_EVENT_PAGE_DESC] = EVENT_PAGE("<", "DESC"),
#define CONN_PAGE(cmp, order)                                                                      \
    "SELECT device_id, ts_ms, online, source FROM connectivity "                                   \
    "WHERE (?1 IS NULL OR device_id = ?1) AND ts_ms >= ?2 AND ts_ms <= ?3 "                        \
    "AND (ts_ms, device_id, online) " cmp " (?4, ?5, ?6) "                                         \
    "ORDER BY ts_ms " order ", device_id " order ", online " order " LIMIT ?7"
    [BRIDGE_STMT_CONN_PAGE_ASC] = CONN_PAGE(">", "ASC"),
    [BRIDGE_STMT_CONN_PAGE_DESC] = CONN_PAGE("<", "DESC"),
#define DEV_PAGE_WHERE                                                                             \
    "WHERE (?1 IS NULL OR CAST(product_id AS TEXT) = ?1 "                                          \
    "OR product_id IN (SELECT product_id FROM products WHERE slug = ?1)) "                         \
    "AND (?2 IS NULL OR particle_id IN (SELECT device_id FROM device_groups "                      \
    "WHERE group_name = ?2)) "                                                                     \
    "AND (?3 IS NULL OR connected = ?3) AND (?4 IS NULL OR faulted = ?4) "                         \
    "AND (?5 IS NULL OR gone = ?5) AND (?6 IS NULL OR platform_id = ?6) "                          \
    "AND (?7 IS NULL OR substr(name, 1, length(?7)) = ?7) "
    [BRIDGE_STMT_DEV_PAGE_NAME] = "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices " DEV_PAGE_WHERE
                                  "AND (name, particle_id) > (?8, ?9) "
                                  "ORDER BY name, particle_id LIMIT ?10",
    [BRIDGE_STMT_DEV_PAGE_HEARD] = "SELECT " BRIDGE_DEVICE_COLUMNS " FROM devices " DEV_PAGE_WHERE
                                   "AND (last_heard_ms, particle_id) < (?8, ?9) "
                                   "ORDER BY last_heard_ms DESC, particle_id DESC LIMIT ?10",
    [BRIDGE_STMT_OBJ_UPSERT] =
        "INSERT INTO cloud_objects (kind, object_key, product_id, object, synced_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (kind, object_key) DO UPDATE SET "
        "product_id = excluded.product_id, object = excluded.object, synced_ms = "
        "excluded.synced_ms",
    [BRIDGE_STMT_OBJ_DELETE_STALE] =
        "DELETE FROM cloud_objects WHERE kind = ?1 AND product_id = ?2 AND synced_ms < ?3",
    [BRIDGE_STMT_OBJ_SELECT] =
        "SELECT object_key, product_id, object, synced_ms FROM cloud_objects "
        "WHERE kind = ?1 AND (?2 IS NULL OR product_id = ?2) "
        "ORDER BY product_id, object_key",
    [BRIDGE_STMT_RETAIN_EVENTS] = "DELETE FROM events WHERE (published_at_ms, key) IN (SELECT "
                                  "published_at_ms, key FROM events "
                                  "WHERE published_at_ms < ?1 LIMIT ?2)",
    [BRIDGE_STMT_RETAIN_MEASUREMENTS] =
        "DELETE FROM measurements WHERE (ts_ms, key) IN (SELECT ts_ms, key FROM measurements "
        "WHERE ts_ms < ?1 LIMIT ?2)",
    [BRIDGE_STMT_RETAIN_POSTS] =
        "DELETE FROM status_posts WHERE (ts_ms, key) IN (SELECT ts_ms, key FROM status_posts "
        "WHERE ts_ms < ?1 LIMIT ?2)",
    [BRIDGE_STMT_SNAPSHOT_DELETE] = "DELETE FROM report_snapshots WHERE export_name = ?1",
    [BRIDGE_STMT_SNAPSHOT_INSERT] = "INSERT INTO report_snapshots (export_name, row_number, "
                                    "row_json, taken_ms) VALUES (?1, ?2, ?3, ?4)",
    /* The fleet page's counts: online and offline leave out gone devices; faulted overlaps. */
    [BRIDGE_STMT_FLEET_COUNTS] =
        "SELECT d.product_id, p.name, "
        "sum(CASE WHEN d.connected AND NOT d.gone THEN 1 ELSE 0 END), "
        "sum(CASE WHEN NOT d.connected AND NOT d.gone THEN 1 ELSE 0 END), "
        "sum(CASE WHEN d.faulted THEN 1 ELSE 0 END), sum(CASE WHEN d.gone THEN 1 ELSE 0 END), "
        "count(*) FROM devices d LEFT JOIN products p ON p.product_id = d.product_id "
        "GROUP BY d.product_id ORDER BY d.product_id",
    /* A series' buckets, through the (device_id, name, ts_ms) index of migration 0014: the
     * bucket of a row starts at ts_ms rounded down to a multiple of the width (UTC-aligned). */
    [BRIDGE_STMT_MEAS_SPAN] = "SELECT min(ts_ms), max(ts_ms) FROM measurements "
                              "WHERE device_id = ?1 AND name = ?2 AND (?3 IS NULL OR source = ?3) "
                              "AND ts_ms >= ?4 AND ts_ms <= ?5",
    [BRIDGE_STMT_MEAS_BUCKETS] =
        "SELECT (ts_ms / ?6) * ?6 AS bucket, min(value), max(value), avg(value), count(*) "
        "FROM measurements WHERE device_id = ?1 AND name = ?2 AND (?3 IS NULL OR source = ?3) "
        "AND ts_ms >= ?4 AND ts_ms <= ?5 GROUP BY bucket ORDER BY bucket",
};

typedef struct sqlite_conn sqlite_conn;

struct bridge_stmt {
    sqlite3_stmt *s; /* prepared on first use, finalised on close */
    sqlite_conn *conn;
    bridge_stmt_id id;
};

struct sqlite_conn {
    bridge_conn base;
    sqlite3 *db;
    struct bridge_stmt stmts[BRIDGE_STMT_COUNT];
};

/* ---- the fault hook (sqlite_fault.h) ---- */

static atomic_uint fault_armed; /* failures still to come; 0 = off */
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned fault_skip;
static int fault_rc;
static const bridge_conn *fault_target; /* NULL = every handle */

void bridge_sqlite_fault_inject(int sqlite_rc, unsigned after, unsigned count)
{
    bridge_sqlite_fault_inject_on(NULL, sqlite_rc, after, count);
}

void bridge_sqlite_fault_inject_on(const bridge_store *st, int sqlite_rc, unsigned after,
                                   unsigned count)
{
    pthread_mutex_lock(&fault_lock);
    fault_target = st != NULL ? st->conn : NULL;
    fault_rc = sqlite_rc;
    fault_skip = after;
    atomic_store(&fault_armed, count);
    pthread_mutex_unlock(&fault_lock);
}

unsigned bridge_sqlite_fault_pending(void)
{
    return atomic_load(&fault_armed);
}

/* The injected result code for the operation about to run on @p c, or SQLITE_OK. */
static int fault_take(const sqlite_conn *c)
{
    if (atomic_load(&fault_armed) == 0) {
        return SQLITE_OK;
    }
    int rc = SQLITE_OK;
    pthread_mutex_lock(&fault_lock);
    if (fault_target != NULL && fault_target != &c->base) {
        /* another handle: untouched */
    } else if (fault_skip > 0) {
        fault_skip--;
    } else if (atomic_load(&fault_armed) > 0) {
        atomic_fetch_sub(&fault_armed, 1);
        rc = fault_rc;
    }
    pthread_mutex_unlock(&fault_lock);
    return rc;
}

static int fail_injected(sqlite_conn *c, int rc, const char *what)
{
    snprintf(c->base.err, sizeof c->base.err, "%.200s: %s (injected fault)", what,
             sqlite3_errstr(rc));
    return BRIDGE_STORE_ERROR;
}

/* ---- the driver ---- */

static int fail(sqlite_conn *c, const char *what)
{
    snprintf(c->base.err, sizeof c->base.err, "%.200s: %s", what, sqlite3_errmsg(c->db));
    return BRIDGE_STORE_ERROR;
}

static int sq_exec(bridge_conn *bc, const char *sql)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    int injected = strcmp(sql, "ROLLBACK") != 0 ? fault_take(c) : SQLITE_OK;
    if (injected != SQLITE_OK) {
        return fail_injected(c, injected, sql);
    }
    char *msg = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(c->base.err, sizeof c->base.err, "%s", msg != NULL ? msg : sqlite3_errmsg(c->db));
        sqlite3_free(msg);
        return BRIDGE_STORE_ERROR;
    }
    return 0;
}

static bridge_stmt *sq_prepare(bridge_conn *bc, bridge_stmt_id id)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    bridge_stmt *s = &c->stmts[id];
    if (s->s == NULL) {
        if (sqlite3_prepare_v3(c->db, sqlite_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->s, NULL) !=
            SQLITE_OK) {
            fail(c, bridge_stmt_what(id));
            return NULL;
        }
        return s;
    }
    sqlite3_reset(s->s);
    sqlite3_clear_bindings(s->s);
    return s;
}

static void sq_bind(bridge_stmt *s, int i, bridge_value v)
{
    switch (v.type) {
    case BRIDGE_VALUE_NULL:
        sqlite3_bind_null(s->s, i);
        break;
    case BRIDGE_VALUE_INT:
        sqlite3_bind_int64(s->s, i, v.i);
        break;
    case BRIDGE_VALUE_REAL:
        sqlite3_bind_double(s->s, i, v.d);
        break;
    case BRIDGE_VALUE_TEXT:
        sqlite3_bind_text(s->s, i, v.s, -1, SQLITE_STATIC);
        break;
    case BRIDGE_VALUE_BOOL:
        sqlite3_bind_int(s->s, i, v.b);
        break;
    }
}

static int sq_step(bridge_stmt *s)
{
    int rc = fault_take(s->conn);
    if (rc != SQLITE_OK) {
        return fail_injected(s->conn, rc, bridge_stmt_what(s->id));
    }
    rc = sqlite3_step(s->s);
    if (rc == SQLITE_ROW) {
        return BRIDGE_ROW;
    }
    if (rc == SQLITE_DONE) {
        return BRIDGE_DONE;
    }
    return fail(s->conn, bridge_stmt_what(s->id));
}

static uint64_t sq_changes(bridge_stmt *s)
{
    return (uint64_t)sqlite3_changes(s->conn->db);
}

static void sq_reset(bridge_stmt *s)
{
    sqlite3_reset(s->s);
}

static bool sq_column_null(bridge_stmt *s, int col)
{
    return sqlite3_column_type(s->s, col) == SQLITE_NULL;
}

static int64_t sq_column_int(bridge_stmt *s, int col)
{
    return sqlite3_column_int64(s->s, col);
}

static double sq_column_real(bridge_stmt *s, int col)
{
    return sqlite3_column_double(s->s, col);
}

static bool sq_column_bool(bridge_stmt *s, int col)
{
    return sqlite3_column_int(s->s, col) != 0;
}

static const char *sq_column_text(bridge_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s->s, col);
    return t != NULL ? (const char *)t : "";
}

static void sq_close(bridge_conn *bc)
{
    sqlite_conn *c = (sqlite_conn *)bc;
    for (int i = 0; i < BRIDGE_STMT_COUNT; i++) {
        sqlite3_finalize(c->stmts[i].s);
    }
    sqlite3_close(c->db);
    free(c);
}

static const bridge_driver sqlite_driver = {
    .name = "sqlite",
    .sql = sqlite_sql,
    .migrations = bridge_migrations,
    .migration_count = &bridge_migration_count,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind = sq_bind,
    .step = sq_step,
    .changes = sq_changes,
    .reset = sq_reset,
    .column_null = sq_column_null,
    .column_int = sq_column_int,
    .column_real = sq_column_real,
    .column_bool = sq_column_bool,
    .column_text = sq_column_text,
};

/* bridge_key(...) in SQL: the tuple hash of store/key.h, for the migration that gave the rows
 * stored before their keys. */
static void sql_bridge_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    pu_tuple_hash t;
    pu_tuple_hash_init(&t);
    for (int i = 0; i < argc; i++) {
        switch (sqlite3_value_type(argv[i])) {
        case SQLITE_NULL:
            pu_tuple_hash_text(&t, NULL, 0);
            break;
        case SQLITE_INTEGER:
            pu_tuple_hash_int(&t, sqlite3_value_int64(argv[i]));
            break;
        case SQLITE_FLOAT:
            pu_tuple_hash_double(&t, sqlite3_value_double(argv[i]));
            break;
        default: {
            const unsigned char *text = sqlite3_value_text(argv[i]);
            pu_tuple_hash_text(&t, text ? (const char *)text : "",
                               (size_t)sqlite3_value_bytes(argv[i]));
        }
        }
    }
    sqlite3_result_int64(ctx, bridge_key_of(t.h));
}

bridge_conn *bridge_sqlite_connect(const char *path, char *err, size_t err_size)
{
    /* SQLite would create it 0644; its -wal and -shm files copy the database's mode */
    if (bridge_db_file_create_private(path, err, err_size) != 0) {
        return NULL;
    }
    sqlite_conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    c->base.drv = &sqlite_driver;
    for (int i = 0; i < BRIDGE_STMT_COUNT; i++) {
        c->stmts[i].conn = c;
        c->stmts[i].id = (bridge_stmt_id)i;
    }
    int rc = sqlite3_open_v2(
        path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "cannot open database %s: %s", path,
                 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        sq_close(&c->base);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, 10000);
    if (sq_exec(&c->base, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                          "PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192; "
                          "PRAGMA wal_autocheckpoint = 8192;") != 0 ||
        (sqlite3_create_function(c->db, "bridge_key", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                 sql_bridge_key, NULL, NULL) != SQLITE_OK &&
         fail(c, "bridge_key function") != 0)) {
        snprintf(err, err_size, "database %s: %s", path, c->base.err);
        sq_close(&c->base);
        return NULL;
    }
    return &c->base;
}
