/*
 * bridge_driver: the SQL dialect under the store's domain layer.
 *
 * The store has two layers. The domain layer (store.c, store_devices.c, store_ingest.c,
 * store_read.c, store_fleet.c, store_migrate.c) holds every rule once: what a device sync changes,
 * the exactly-once keys, the rows an event brings, how readers page, how migrations are applied.
 * Under it, one small driver per dialect (store/sqlite.c, store/postgres.c) gives it a
 * connection, transactions, statements by id, bind/step/column, and optionally a fast path
 * for the rows of a batch. Each driver keeps all of its SQL in one table indexed by the
 * statement ids below, so the two dialects say the same things in the same places.
 *
 * A statement is prepared once per connection and cached by id: prepare() hands it back
 * reset, with every parameter NULL. Parameters are numbered from 1 (?N in SQLite, $N in
 * PostgreSQL). step() returns BRIDGE_ROW while there are rows, then BRIDGE_DONE; column
 * values are borrowed until the next step() or reset(). The same id is never used by two
 * callers at once (the domain finishes one before it prepares it again).
 *
 * Errors: a failing driver call returns BRIDGE_STORE_ERROR (or NULL) with the dialect's text
 * in conn->err. The domain writes its own messages (not found, bad input) there too.
 *
 * Threads: a connection is used by one thread at a time; the domain's handle lock ensures it.
 */
#ifndef BRIDGE_STORE_DRIVER_H
#define BRIDGE_STORE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/migrations.h"

/* The statements every dialect provides: X(id, what it is, for error messages). The SQL
 * lives in each driver's table. */
#define BRIDGE_STMT_MAP(X)                                                                               \
    /* Transaction control and migrations: run through exec(), no parameters. */                         \
    X(BEGIN, "begin") /* a write transaction */                                                          \
    X(COMMIT, "commit")                                                                                  \
    X(ROLLBACK, "rollback")                                                                              \
    X(MIG_TABLE, "migrations table") /* CREATE TABLE IF NOT EXISTS schema_migrations */                  \
    X(MIG_LOCK, "migration lock")    /* serialises bridges migrating one database; may be NULL */        \
    X(MIG_LEGACY,                                                                                        \
      "migration history") /* brings an older history's numbering to today's; may be NULL */             \
    /* Prepared statements. */                                                                           \
    X(MIG_APPLIED, "migration check") /* (version) -> a row if applied */                                \
    X(MIG_RECORD, "migration record") /* (version, name, applied_ms) */                                  \
    X(DEV_SELECT_ONE, "device")       /* (id) -> DEVICE_COLUMNS */                                       \
    X(DEV_SELECT_ALL, "devices")      /* () -> DEVICE_COLUMNS by id */                                   \
    X(VAR_SELECT_DEV, "variables")    /* (id) -> name, type, enabled, check_interval_ms by name */       \
    X(FN_SELECT_DEV, "functions")     /* (id) -> name by name */                                         \
    X(DEV_INSERT, "device insert")    /* (id .. owner, 18 values); changes 0 when it exists */           \
    X(DEV_UPDATE_SYNC,                                                                                   \
      "device update") /* (id, name, product, platform, last_app, heard, iccid, now, owner) */           \
    X(VAR_UPSERT, "variable upsert")     /* (device, name, type) */                                      \
    X(VAR_DELETE, "variable delete")     /* (device, name) */                                            \
    X(FN_DELETE_DEV, "functions delete") /* (device) */                                                  \
    X(FN_INSERT, "function insert")      /* (device, name) */                                            \
    X(DEV_MARK_GONE, "mark gone")        /* (product or -1, synced_before, owner or NULL) */             \
    X(DEV_UPDATE_SETTINGS, "settings")   /* (id, then has/value pairs; see store_devices.c) */           \
    X(VAR_UPDATE_SETTINGS,                                                                               \
      "variable settings") /* (device, name, has_enabled, enabled, has_interval, interval) */            \
    X(DEV_SET_BREAKER, "breaker")     /* (id, fault_count, faulted, reset_at, trips) */                  \
    X(DEV_SET_CONNECTED, "connected") /* (id, connected); changes 1 when it changed */                   \
    X(CONN_INSERT, "connectivity")    /* (device, ts, online, source); ignores a duplicate */            \
    X(SIM_UPSERT, "sim")              /* SIM_COLUMNS, 19 values */                                       \
    X(SIM_USAGE_UPSERT, "sim usage")  /* (iccid, date, used, cumulative) */                              \
    X(SIM_SELECT, "sim")              /* (iccid) -> SIM_COLUMNS */                                       \
    X(SIM_USAGE_SELECT, "sim usage")  /* (iccid) -> date, used, cumulative by date */                    \
    X(EVENT_INSERT, "event")          /* (device, name, data, published, key, source, received) */       \
    X(MEAS_INSERT, "measurement")     /* (device, name, value, ts, source, key) */                       \
    X(MEAS_LATEST_UPSERT,                                                                                \
      "latest measurement")        /* (device, name, value, ts, source); keeps the newer */              \
    X(POST_INSERT, "status post")  /* (device, kind, name, message, ts, key) */                          \
    X(CURSOR_UPSERT, "cursor")     /* (stream, last_event_id, updated) */                                \
    X(CURSOR_SELECT, "cursor")     /* (stream) -> last_event_id */                                       \
    X(MEAS_LATEST, "measurements") /* (device) -> measurement columns by name */                         \
    X(VITALS_INSERT, "vitals")     /* VITALS_COLUMNS, 11 values; ignores a duplicate */                  \
    X(VITALS_LAST_ONE, "vitals")   /* (device) -> VITALS_COLUMNS */                                      \
    X(VITALS_LAST_ALL, "vitals")   /* () -> VITALS_COLUMNS, newest per device, by device */              \
    X(VITALS_QUERY, "vitals")      /* (device, from, to, limit) -> VITALS_COLUMNS */                     \
    X(STATS, "stats")              /* () -> devices, faulted, gone, events, measurements, posts */       \
    /* The fleet's organisation (store_fleet.c). A product filter is an id or a slug. */                 \
    X(PRODUCT_DELETE_OWNER, "products delete") /* (owner) */                                             \
    X(PRODUCT_UPSERT, "product")  /* (id, slug, name, platform, descr., org, owner) */                   \
    X(PRODUCT_SELECT, "products") /* (product filter) -> id, slug, name, platform, descr., org,          \
                                     devices, groups, customers; by id */                                \
    X(CUSTOMER_DELETE_PRODUCT, "customers delete") /* (product) */                                       \
    X(CUSTOMER_UPSERT,                                                                                   \
      "customer") /* (product, username, id, full name, device ids, device count) */                     \
    X(CUSTOMER_SELECT, "customers") /* (product filter) -> product, username, id, full name,             \
                                       device ids, device count; by product, username */                 \
    X(GROUP_DELETE_PRODUCT, "groups delete") /* (product) */                                             \
    X(GROUP_UPSERT, "group")  /* (product, name, description, color, fw_version or NULL) */              \
    X(GROUP_SELECT, "groups") /* (product filter) -> product, name, description, color,                  \
                                 fw_version, devices in it; by product, name */                          \
    X(DEVGROUP_DELETE_DEV, "device groups delete") /* (device) */                                        \
    X(DEVGROUP_INSERT, "device group")             /* (device, group); ignores a duplicate */            \
    X(PRODUCT_DEVICE_SELECT,                                                                             \
      "product devices") /* (product filter, group or NULL) -> product, id, name, platform,              \
                            connected, enabled, last_heard, iccid, gone, groups; by product, id */       \
    /* Firmware (store_firmware.c): product firmware and each device's firmware. */                      \
    X(FIRMWARE_DELETE_PRODUCT, "product firmware delete") /* (product) */                                \
    X(FIRMWARE_UPSERT, "product firmware") /* (product, FIRMWARE_COLUMNS after product_id) */            \
    X(FIRMWARE_SELECT, "product firmware") /* (product filter) -> FIRMWARE_COLUMNS; by product,          \
                                              version */                                                 \
    X(DEVFW_SYNC, "device firmware")      /* (device, version, targeted, desired, enabled, forced,       \
                                             synced); NULL = not said */                                 \
    X(DEVFW_FLASH, "flash status")        /* (device, status, published); keeps a newer one */           \
    X(DEVFW_SELECT, "device firmware")    /* (product filter) -> DEVICE_FIRMWARE_COLUMNS of the          \
                                             stored products' devices; by product, device */             \
    X(ROLLOUT_SELECT, "firmware rollout") /* (product filter) -> product, version, title,                \
                                             default, groups, targeted, updated, failed, running;        \
                                             by product, version */                                      \
    /* The bridge's own settings (store_settings.c). */                                                  \
    X(SETTING_UPSERT, "setting") /* (name, value, updated) */                                            \
    X(SETTING_SELECT, "setting") /* (name) -> value */                                                   \
    X(SETTING_DELETE, "setting") /* (name) */                                                            \
    /* Keyset pages of the API's lists (store_read.c); the key is the last row's. */                     \
    X(MEAS_PAGE_ASC, "measurements page")  /* (device, name, source, from, to, ts, id, limit) */         \
    X(MEAS_PAGE_DESC, "measurements page") /* the same, newest first */                                  \
    X(POST_PAGE_ASC, "status posts page")  /* (device, name, kind, from, to, ts, id, limit) */           \
    X(POST_PAGE_DESC, "status posts page") /* the same, newest first */                                  \
    X(EVENT_PAGE_ASC, "events page")       /* (device, name prefix, from, to, ts, id, limit) */          \
    X(EVENT_PAGE_DESC, "events page")      /* the same, newest first */                                  \
    X(CONN_PAGE_ASC, "connectivity page")  /* (device, from, to, ts, key device, online, limit) */       \
    X(CONN_PAGE_DESC, "connectivity page") /* the same, newest first */                                  \
    X(DEV_PAGE_NAME, "devices page")       /* (product, group, connected, faulted, gone, platform,       \
                                              name prefix, key name, key id, limit) -> DEVICE_COLUMNS */ \
    X(DEV_PAGE_HEARD, "devices page")      /* the same with key last heard; newest first */              \
    /* The cloud's objects kept whole (store_objects.c). */                                              \
    X(OBJ_UPSERT, "cloud object")        /* (kind, key, product, object, synced) */                      \
    X(OBJ_DELETE_STALE, "cloud objects") /* (kind, product, synced_before) */                            \
    X(OBJ_SELECT, "cloud objects") /* (kind, product or NULL) -> key, product, object, synced;           \
                                      by product, key */                                                 \
    /* Retention (store_retention.c): at most N rows older than a time, per call. */                     \
    X(RETAIN_EVENTS, "event retention")         /* (before_ms, max rows) */                              \
    X(RETAIN_MEASUREMENTS, "reading retention") /* (before_ms, max rows) */                              \
    X(RETAIN_POSTS, "status post retention")    /* (before_ms, max rows) */                              \
    /* Report snapshots (store_snapshots.c): an export copied into report_snapshots. */                  \
    X(SNAPSHOT_DELETE, "report snapshot") /* (export name) */                                            \
    X(SNAPSHOT_INSERT, "report snapshot") /* (export name, row number, row json, taken) */               \
    /* The dashboard's summaries (store_dashboard.c), computed in SQL. */                                \
    X(FLEET_COUNTS, "fleet counts")  /* () -> product, product name or NULL, online, offline,            \
                                        faulted, gone, total; by product */                              \
    X(MEAS_SPAN, "measurement span") /* (device, name, source, from, to) -> first ts, last ts            \
                                        (NULL when no row) */                                            \
    X(MEAS_BUCKETS, "measurement buckets") /* (device, name, source, from, to, width) ->                 \
                                              bucket start, min, max, avg, count; by start */

typedef enum bridge_stmt_id {
#define BRIDGE_STMT_ENUM_(name, what) BRIDGE_STMT_##name,
    BRIDGE_STMT_MAP(BRIDGE_STMT_ENUM_)
#undef BRIDGE_STMT_ENUM_
        BRIDGE_STMT_COUNT
} bridge_stmt_id;

/* What statement @p id is, for error messages ("status post", "device update"). */
const char *bridge_stmt_what(bridge_stmt_id id);

/* The column lists the readers expect, in this order, from both dialects. */
#define BRIDGE_DEVICE_COLUMNS                                                                      \
    "particle_id, name, product_id, platform_id, check_interval_ms, date_added_ms, connected, "    \
    "enabled, last_app, last_heard_ms, publish_unknown_as_measurements, "                          \
    "publish_unknown_as_status_posts, online_post, online_message, offline_post, "                 \
    "offline_message, fault_count, faulted, breaker_reset_at_ms, breaker_trips, ignore_rename, "   \
    "iccid, gone, owner"
#define BRIDGE_SIM_COLUMNS                                                                         \
    "iccid, device_id, base_country_code, base_monthly_rate, overage_monthly_rate, "               \
    "first_activated_on_ms, last_activated_on_ms, imsi, limit_mb, status, carrier, "               \
    "last_status_change_action, last_status_change_action_error, last_updated_ms, date_added_ms, " \
    "network_connected, gsm_connection, data_connection, network_checked_ms"
#define BRIDGE_VITALS_COLUMNS                                                                      \
    "device_id, updated_at_ms, source, payload, signal_strength_pct, signal_quality_pct, "         \
    "battery_charge_pct, memory_used_bytes, memory_total_bytes, uptime_s, cloud_disconnects"

/* A product firmware row (migration 0007). */
#define BRIDGE_FIRMWARE_COLUMNS                                                                    \
    "product_id, version, firmware_id, title, description, file_name, size_bytes, "                \
    "uploaded_at_ms, uploaded_by, product_default, mandatory, released_groups, device_count"
/* A device's firmware, with the device's product and name (store_firmware.c). */
#define BRIDGE_DEVICE_FIRMWARE_COLUMNS                                                             \
    "d.product_id, d.particle_id, d.name, f.firmware_version, f.targeted_version, "                \
    "f.desired_version, f.updates_enabled, f.updates_forced, f.flash_status, f.flash_ms, "         \
    "f.flash_version, d.gone"

#define BRIDGE_ROW 1
#define BRIDGE_DONE 0

typedef enum bridge_value_type {
    BRIDGE_VALUE_NULL,
    BRIDGE_VALUE_INT,
    BRIDGE_VALUE_REAL,
    BRIDGE_VALUE_TEXT,
    BRIDGE_VALUE_BOOL
} bridge_value_type;

/* One parameter value; text is borrowed until the statement has run. */
typedef struct bridge_value {
    bridge_value_type type;
    union {
        int64_t i;
        double d;
        const char *s;
        bool b;
    };
} bridge_value;

/* One row to write, as a statement and its parameters; the driver sets changed. */
typedef struct bridge_row {
    bridge_stmt_id stmt;
    const bridge_value *params;
    int nparams;
    uint64_t changed; /* out: rows the statement stored or changed (0 = a duplicate) */
} bridge_row;

typedef struct bridge_conn bridge_conn;
typedef struct bridge_stmt bridge_stmt; /* a driver's own statement type */

typedef struct bridge_driver {
    const char *name;                   /* "sqlite" or "postgresql" */
    const char *const *sql;             /* the dialect's table, indexed by bridge_stmt_id */
    const bridge_migration *migrations; /* the dialect's numbered history */
    const size_t *migration_count;
    void (*close)(bridge_conn *c);
    /* Called before each store call: reconnects a broken connection and ends a transaction
     * an earlier failure left open. NULL when there is nothing to do. */
    int (*ready)(bridge_conn *c);
    /* Runs constant SQL without parameters (transaction control, migration scripts). */
    int (*exec)(bridge_conn *c, const char *sql);
    bridge_stmt *(*prepare)(bridge_conn *c, bridge_stmt_id id);
    void (*bind)(bridge_stmt *s, int index, bridge_value v);
    int (*step)(bridge_stmt *s);         /* BRIDGE_ROW, BRIDGE_DONE or BRIDGE_STORE_ERROR */
    uint64_t (*changes)(bridge_stmt *s); /* rows the finished statement changed */
    void (*reset)(bridge_stmt *s);       /* done with it: drops its rows and parameters */
    bool (*column_null)(bridge_stmt *s, int col);
    int64_t (*column_int)(bridge_stmt *s, int col);
    double (*column_real)(bridge_stmt *s, int col);
    bool (*column_bool)(bridge_stmt *s, int col);
    const char *(*column_text)(bridge_stmt *s, int col); /* "" for NULL, never NULL */
    /* Optional fast path: runs @p n rows in order inside the open transaction and sets each
     * one's changed, as the same rows through prepare/bind/step would. NULL: the domain
     * runs them one by one. */
    int (*write_rows)(bridge_conn *c, bridge_row *rows, size_t n);
    /* Optional: keeps the time-partitioned tables' partitions (PostgreSQL): creates the days
     * around @p now_ms and drops those wholly before @p drop_before_ms (0 = none); counts
     * both. Runs outside any transaction. NULL: the dialect has no partitions. */
    int (*partitions)(bridge_conn *c, int64_t now_ms, int64_t drop_before_ms, unsigned *created,
                      unsigned *dropped);
} bridge_driver;

/* Every driver's connection starts with this. */
struct bridge_conn {
    const bridge_driver *drv;
    char err[512];
};

/* The drivers' constructors: a connection, set up for the store (no migrations yet), or NULL
 * with the reason in @p err. */
bridge_conn *bridge_sqlite_connect(const char *path, char *err, size_t err_size);
bridge_conn *bridge_pg_connect(const char *uri, char *err, size_t err_size);

#endif
