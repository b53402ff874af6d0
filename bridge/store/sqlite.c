/*
 * The SQLite backend of bridge_store.
 *
 * One connection per handle, in WAL mode with synchronous=NORMAL (a crash loses at most the
 * last transactions, never consistency; a killed process loses nothing committed), an 8 MB
 * page cache (the (time, key) indexes are written near their end, so they need little) and
 * a WAL that is checkpointed every 8192 pages rather than 1000 (fewer fsyncs while
 * ingesting). Every statement is
 * prepared once per connection (SQLITE_PREPARE_PERSISTENT) and cached in stmts[]; only the embedded
 * migration scripts run through sqlite3_exec. A mutex serialises calls on one handle.
 */
#include "store/key.h"
#include "store/migrations.h"
#include "store/store.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"
#include "pu_time.h"

#define DEVICE_COLUMNS                                                                             \
    "particle_id, name, product_id, platform_id, check_interval_ms, date_added_ms, connected, "    \
    "enabled, last_app, last_heard_ms, publish_unknown_as_measurements, "                          \
    "publish_unknown_as_status_posts, online_post, online_message, offline_post, "                 \
    "offline_message, fault_count, faulted, breaker_reset_at_ms, breaker_trips, ignore_rename, "   \
    "iccid, gone, owner"

#define VITALS_COLUMNS                                                                             \
    "device_id, updated_at_ms, source, payload, signal_strength_pct, signal_quality_pct, "         \
    "battery_charge_pct, memory_used_bytes, memory_total_bytes, uptime_s, cloud_disconnects"

/* The statement table: an enum index and its SQL, kept side by side. */
#define STMT_MAP(X)                                                                                \
    X(BEGIN, "BEGIN IMMEDIATE")                                                                    \
    X(COMMIT, "COMMIT")                                                                            \
    X(ROLLBACK, "ROLLBACK")                                                                        \
    X(DEV_SELECT_ONE, "SELECT " DEVICE_COLUMNS " FROM devices WHERE particle_id = ?1")             \
    X(DEV_SELECT_ALL, "SELECT " DEVICE_COLUMNS " FROM devices ORDER BY particle_id")               \
    X(VAR_SELECT_DEV, "SELECT name, type, enabled, check_interval_ms FROM variables "              \
                      "WHERE device_id = ?1 ORDER BY name")                                        \
    X(FN_SELECT_DEV, "SELECT name FROM functions WHERE device_id = ?1 ORDER BY name")              \
    X(DEV_INSERT,                                                                                  \
      "INSERT INTO devices (particle_id, name, product_id, platform_id, "                          \
      "check_interval_ms, date_added_ms, connected, enabled, last_app, last_heard_ms, "            \
      "publish_unknown_as_measurements, publish_unknown_as_status_posts, online_post, "            \
      "online_message, offline_post, offline_message, iccid, owner, last_synced_ms) "              \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "            \
      "?17, ?18, ?6) ON CONFLICT (particle_id) DO NOTHING")                                        \
    X(DEV_UPDATE_SYNC, "UPDATE devices SET "                                                       \
                       "name = iif(ignore_rename = 0 AND ?2 <> '', ?2, name), product_id = ?3, "   \
                       "platform_id = ?4, last_app = coalesce(?5, last_app), "                     \
                       "last_heard_ms = max(last_heard_ms, ?6), iccid = coalesce(?7, iccid), "     \
                       "owner = ?9, gone = 0, last_synced_ms = ?8 WHERE particle_id = ?1")         \
    X(VAR_UPSERT, "INSERT INTO variables (device_id, name, type) VALUES (?1, ?2, ?3) "             \
                  "ON CONFLICT (device_id, name) DO UPDATE SET type = excluded.type")              \
    X(VAR_DELETE, "DELETE FROM variables WHERE device_id = ?1 AND name = ?2")                      \
    X(FN_DELETE_DEV, "DELETE FROM functions WHERE device_id = ?1")                                 \
    X(FN_INSERT, "INSERT OR IGNORE INTO functions (device_id, name) VALUES (?1, ?2)")              \
    X(DEV_MARK_GONE, "UPDATE devices SET gone = 1 "                                                \
                     "WHERE (?1 < 0 OR product_id = ?1) AND (?3 IS NULL OR owner IN (?3, '')) "    \
                     "AND last_synced_ms < ?2 AND gone = 0")                                       \
    X(DEV_UPDATE_SETTINGS,                                                                         \
      "UPDATE devices SET check_interval_ms = iif(?2, ?3, check_interval_ms), "                    \
      "enabled = iif(?4, ?5, enabled), "                                                           \
      "publish_unknown_as_measurements = iif(?6, ?7, publish_unknown_as_measurements), "           \
      "publish_unknown_as_status_posts = iif(?8, ?9, publish_unknown_as_status_posts), "           \
      "online_post = iif(?10, ?11, online_post), online_message = iif(?10, ?12, online_message), " \
      "offline_post = iif(?13, ?14, offline_post), "                                               \
      "offline_message = iif(?13, ?15, offline_message), "                                         \
      "ignore_rename = iif(?16, ?17, ignore_rename) WHERE particle_id = ?1")                       \
    X(VAR_UPDATE_SETTINGS, "UPDATE variables SET enabled = iif(?3, ?4, enabled), "                 \
                           "check_interval_ms = iif(?5, ?6, check_interval_ms) "                   \
                           "WHERE device_id = ?1 AND name = ?2")                                   \
    X(DEV_SET_BREAKER, "UPDATE devices SET fault_count = ?2, faulted = ?3, "                       \
                       "breaker_reset_at_ms = ?4, breaker_trips = ?5 WHERE particle_id = ?1")      \
    X(DEV_SET_CONNECTED, "UPDATE devices SET connected = ?2 "                                      \
                         "WHERE particle_id = ?1 AND connected <> ?2")                             \
    X(CONN_INSERT, "INSERT OR IGNORE INTO connectivity (device_id, ts_ms, online, source) "        \
                   "VALUES (?1, ?2, ?3, ?4)")                                                      \
    X(SIM_UPSERT,                                                                                  \
      "INSERT INTO sims (iccid, device_id, base_country_code, base_monthly_rate, "                 \
      "overage_monthly_rate, first_activated_on_ms, last_activated_on_ms, imsi, "                  \
      "limit_mb, status, carrier, last_status_change_action, "                                     \
      "last_status_change_action_error, last_updated_ms, date_added_ms, "                          \
      "network_connected, gsm_connection, data_connection, network_checked_ms) "                   \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "            \
      "?17, ?18, ?19) "                                                                            \
      "ON CONFLICT (iccid) DO UPDATE SET device_id = excluded.device_id, "                         \
      "base_country_code = excluded.base_country_code, "                                           \
      "base_monthly_rate = excluded.base_monthly_rate, "                                           \
      "overage_monthly_rate = excluded.overage_monthly_rate, "                                     \
      "first_activated_on_ms = excluded.first_activated_on_ms, "                                   \
      "last_activated_on_ms = excluded.last_activated_on_ms, imsi = excluded.imsi, "               \
      "limit_mb = excluded.limit_mb, status = excluded.status, "                                   \
      "carrier = excluded.carrier, "                                                               \
      "last_status_change_action = excluded.last_status_change_action, "                           \
      "last_status_change_action_error = excluded.last_status_change_action_error, "               \
      "last_updated_ms = excluded.last_updated_ms, "                                               \
      "network_connected = excluded.network_connected, "                                           \
      "gsm_connection = excluded.gsm_connection, "                                                 \
      "data_connection = excluded.data_connection, "                                               \
      "network_checked_ms = excluded.network_checked_ms")                                          \
    X(SIM_USAGE_UPSERT, "INSERT INTO sim_usage (iccid, date_ms, used_mb, cumulative_mb) "          \
                        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (iccid, date_ms) DO UPDATE SET "      \
                        "used_mb = excluded.used_mb, cumulative_mb = excluded.cumulative_mb")      \
    X(SIM_SELECT, "SELECT iccid, device_id, base_country_code, base_monthly_rate, "                \
                  "overage_monthly_rate, first_activated_on_ms, last_activated_on_ms, imsi, "      \
                  "limit_mb, status, carrier, last_status_change_action, "                         \
                  "last_status_change_action_error, last_updated_ms, date_added_ms, "              \
                  "network_connected, gsm_connection, data_connection, network_checked_ms "        \
                  "FROM sims WHERE iccid = ?1")                                                    \
    X(SIM_USAGE_SELECT, "SELECT date_ms, used_mb, cumulative_mb FROM sim_usage "                   \
                        "WHERE iccid = ?1 ORDER BY date_ms")                                       \
    X(EVENT_INSERT, "INSERT OR IGNORE INTO events (device_id, name, data, published_at_ms, "       \
                    "key, source, received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")            \
    X(MEAS_INSERT, "INSERT OR IGNORE INTO measurements (device_id, name, value, ts_ms, source, "   \
                   "key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                         \
    X(MEAS_LATEST_UPSERT, "INSERT INTO measurements_latest (device_id, name, value, ts_ms, "       \
                          "source) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device_id, name) "     \
                          "DO UPDATE SET value = excluded.value, ts_ms = excluded.ts_ms, "         \
                          "source = excluded.source WHERE excluded.ts_ms >= ts_ms")                \
    X(POST_INSERT, "INSERT OR IGNORE INTO status_posts (device_id, kind, name, message, ts_ms, "   \
                   "key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                         \
    X(CURSOR_UPSERT, "INSERT INTO stream_cursors (stream, last_event_id, updated_ms) "             \
                     "VALUES (?1, ?2, ?3) ON CONFLICT (stream) DO UPDATE SET "                     \
                     "last_event_id = excluded.last_event_id, updated_ms = excluded.updated_ms")   \
    X(CURSOR_SELECT, "SELECT last_event_id FROM stream_cursors WHERE stream = ?1")                 \
    X(MEAS_QUERY, "SELECT device_id, name, value, ts_ms, source FROM ("                            \
                  "SELECT id, device_id, name, value, ts_ms, source FROM measurements "            \
                  "WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR name = ?2) "            \
                  "AND ts_ms >= ?3 AND ts_ms <= ?4 ORDER BY ts_ms DESC, id DESC LIMIT ?5) "        \
                  "ORDER BY ts_ms, id")                                                            \
    X(MEAS_LATEST, "SELECT device_id, name, value, ts_ms, source FROM measurements_latest "        \
                   "WHERE device_id = ?1 ORDER BY name")                                           \
    X(POST_QUERY, "SELECT device_id, kind, name, message, ts_ms FROM ("                            \
                  "SELECT id, device_id, kind, name, message, ts_ms FROM status_posts "            \
                  "WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR name = ?2) "            \
                  "AND ts_ms >= ?3 AND ts_ms <= ?4 ORDER BY ts_ms DESC, id DESC LIMIT ?5) "        \
                  "ORDER BY ts_ms, id")                                                            \
    X(VITALS_INSERT, "INSERT OR IGNORE INTO vitals (" VITALS_COLUMNS ") "                          \
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")                      \
    X(VITALS_LAST_ONE, "SELECT " VITALS_COLUMNS " FROM vitals WHERE device_id = ?1 "               \
                       "ORDER BY updated_at_ms DESC LIMIT 1")                                      \
    X(VITALS_LAST_ALL, "SELECT " VITALS_COLUMNS " FROM vitals JOIN ("                              \
                       "SELECT device_id AS d, max(updated_at_ms) AS t FROM vitals "               \
                       "GROUP BY device_id) ON device_id = d AND updated_at_ms = t "               \
                       "ORDER BY device_id")                                                       \
    X(VITALS_QUERY, "SELECT " VITALS_COLUMNS " FROM (SELECT id, " VITALS_COLUMNS " FROM vitals "   \
                    "WHERE (?1 IS NULL OR device_id = ?1) AND updated_at_ms >= ?3 "                \
                    "AND updated_at_ms <= ?4 ORDER BY updated_at_ms DESC, id DESC LIMIT ?5) "      \
                    "ORDER BY updated_at_ms, id")                                                  \
    X(STATS, "SELECT (SELECT count(*) FROM devices), "                                             \
             "(SELECT count(*) FROM devices WHERE faulted), "                                      \
             "(SELECT count(*) FROM devices WHERE gone), "                                         \
             "(SELECT coalesce(max(id), 0) FROM events), "                                         \
             "(SELECT coalesce(max(id), 0) FROM measurements), "                                   \
             "(SELECT coalesce(max(id), 0) FROM status_posts)")

enum stmt_id {
#define STMT_ENUM_(name, sql) S_##name,
    STMT_MAP(STMT_ENUM_)
#undef STMT_ENUM_
        S_COUNT_
};

static const char *const stmt_sql[S_COUNT_] = {
#define STMT_SQL_(name, sql) sql,
    STMT_MAP(STMT_SQL_)
#undef STMT_SQL_
};

#define DEFAULT_QUERY_LIMIT 1000u

/* The newest measurement of one (device, name) within the batch being written; the strings
 * are borrowed from the batch's records. */
typedef struct latest_slot {
    const char *device_id, *name, *source;
    double value;
    int64_t ts_ms;
    uint64_t hash; /* 0 = empty slot */
} latest_slot;

typedef struct sqlite_impl {
    sqlite3 *db;
    sqlite3_stmt *stmts[S_COUNT_]; /* prepared on first use, finalised on close */
    pthread_mutex_t lock;
    char err[256];
    /* measurements_latest is updated once per (device, name) and batch, not once per row:
     * an open-addressing table of the batch's newest values, reused across batches. */
    latest_slot *latest;
    size_t latest_cap; /* a power of two, at least twice the batch's measurements */
} sqlite_impl;

static sqlite_impl *impl_of(const bridge_store *st)
{
    return (sqlite_impl *)st->impl;
}

/* Copies the connection's message into the handle's error record at the failing call. */
static int fail(sqlite_impl *im, const char *what)
{
    snprintf(im->err, sizeof im->err, "%s: %s", what, sqlite3_errmsg(im->db));
    return BRIDGE_STORE_ERROR;
}

/* The cached statement @p id, reset and with bindings cleared; NULL on error. */
static sqlite3_stmt *stmt(sqlite_impl *im, enum stmt_id id)
{
    sqlite3_stmt *s = im->stmts[id];
    if (s == NULL) {
        if (sqlite3_prepare_v3(im->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
            SQLITE_OK) {
            fail(im, "prepare");
            return NULL;
        }
        im->stmts[id] = s;
        return s;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

/* Runs a statement that returns no rows. */
static int run(sqlite_impl *im, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return fail(im, what);
    }
    return 0;
}

static int exec_simple(sqlite_impl *im, enum stmt_id id)
{
    sqlite3_stmt *s = stmt(im, id);
    return s ? run(im, s, stmt_sql[id]) : BRIDGE_STORE_ERROR;
}

static void bind_text(sqlite3_stmt *s, int i, const char *text)
{
    if (text == NULL) {
        sqlite3_bind_null(s, i);
    } else {
        sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
    }
}

static void column_text(sqlite3_stmt *s, int col, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    pu_strlcpy(out, t ? (const char *)t : "", size);
}

static const char *column_str(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    return t ? (const char *)t : "";
}

/* ---- open, migrate, close ---- */

/* bridge_key(...) in SQL: the same key as store/key.h, for the migrations that add keys to
 * rows stored before. */
static void sql_bridge_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    bridge_key k;
    bridge_key_init(&k);
    for (int i = 0; i < argc; i++) {
        switch (sqlite3_value_type(argv[i])) {
        case SQLITE_NULL:
            bridge_key_text(&k, NULL, 0);
            break;
        case SQLITE_INTEGER:
            bridge_key_int(&k, sqlite3_value_int64(argv[i]));
            break;
        case SQLITE_FLOAT:
            bridge_key_double(&k, sqlite3_value_double(argv[i]));
            break;
        default: {
            const unsigned char *t = sqlite3_value_text(argv[i]);
            bridge_key_text(&k, t ? (const char *)t : "", (size_t)sqlite3_value_bytes(argv[i]));
        }
        }
    }
    sqlite3_result_int64(ctx, bridge_key_final(&k));
}

static int apply_migrations(sqlite_impl *im)
{
    if (sqlite3_create_function(im->db, "bridge_key", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_bridge_key, NULL, NULL) != SQLITE_OK) {
        return fail(im, "bridge_key function");
    }
    char *msg = NULL;
    if (sqlite3_exec(im->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_ms INTEGER NOT NULL)",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(im->err, sizeof im->err, "schema_migrations: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return BRIDGE_STORE_ERROR;
    }
    for (size_t i = 0; i < bridge_migration_count; i++) {
        const bridge_migration *m = &bridge_migrations[i];
        sqlite3_stmt *check = NULL;
        int applied = 0;
        if (sqlite3_exec(im->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            return fail(im, "migration begin");
        }
        if (sqlite3_prepare_v2(im->db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1,
                               &check, NULL) != SQLITE_OK) {
            sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
            return fail(im, "migration check");
        }
        sqlite3_bind_int(check, 1, m->version);
        applied = sqlite3_step(check) == SQLITE_ROW;
        sqlite3_finalize(check);
        if (!applied) {
            if (sqlite3_exec(im->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
                snprintf(im->err, sizeof im->err, "migration %s: %s", m->name, msg ? msg : "?");
                sqlite3_free(msg);
                sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
                return BRIDGE_STORE_ERROR;
            }
            sqlite3_stmt *ins = NULL;
            if (sqlite3_prepare_v2(im->db,
                                   "INSERT INTO schema_migrations (version, name, applied_ms) "
                                   "VALUES (?1, ?2, ?3)",
                                   -1, &ins, NULL) != SQLITE_OK) {
                sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
                return fail(im, "migration record");
            }
            sqlite3_bind_int(ins, 1, m->version);
            sqlite3_bind_text(ins, 2, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 3, pu_time_now_ms());
            int rc = sqlite3_step(ins);
            sqlite3_finalize(ins);
            if (rc != SQLITE_DONE) {
                sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
                return fail(im, "migration record");
            }
        }
        if (sqlite3_exec(im->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
            return fail(im, "migration commit");
        }
    }
    return 0;
}

static const bridge_store_ops sqlite_ops;

static void sqlite_close(bridge_store *st)
{
    sqlite_impl *im = impl_of(st);
    for (int i = 0; i < S_COUNT_; i++) {
        sqlite3_finalize(im->stmts[i]);
    }
    sqlite3_close(im->db);
    pthread_mutex_destroy(&im->lock);
    free(im->latest);
    free(im);
    free(st);
}

bridge_store *bridge_store_open_sqlite(const char *path, char *err, size_t err_size)
{
    bridge_store *st = calloc(1, sizeof *st);
    sqlite_impl *im = calloc(1, sizeof *im);
    if (st == NULL || im == NULL) {
        free(st);
        free(im);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&im->lock, NULL);
    st->backend = "sqlite";
    st->impl = im;
    st->ops = &sqlite_ops;
    /* NOMUTEX: the handle's own lock serialises calls. */
    int rc = sqlite3_open_v2(
        path, &im->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "cannot open database %s: %s", path,
                 im->db ? sqlite3_errmsg(im->db) : sqlite3_errstr(rc));
        sqlite_close(st);
        return NULL;
    }
    sqlite3_busy_timeout(im->db, 10000);
    char *msg = NULL;
    if (sqlite3_exec(im->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                     "PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192; "
                     "PRAGMA wal_autocheckpoint = 8192;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_size, "database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite_close(st);
        return NULL;
    }
    if (apply_migrations(im) != 0) {
        snprintf(err, err_size, "database %s: %s", path, im->err);
        sqlite_close(st);
        return NULL;
    }
    return st;
}

static const char *sqlite_errmsg(const bridge_store *st)
{
    return impl_of(st)->err;
}

/* ---- devices ---- */

static void read_device_row(sqlite3_stmt *s, bridge_device *d)
{
    memset(d, 0, sizeof *d);
    column_text(s, 0, d->particle_id, sizeof d->particle_id);
    column_text(s, 1, d->name, sizeof d->name);
    d->product_id = sqlite3_column_int(s, 2);
    d->platform_id = sqlite3_column_int(s, 3);
    d->check_interval_ms = sqlite3_column_int64(s, 4);
    d->date_added_ms = sqlite3_column_int64(s, 5);
    d->connected = sqlite3_column_int(s, 6) != 0;
    d->enabled = sqlite3_column_int(s, 7) != 0;
    column_text(s, 8, d->last_app, sizeof d->last_app);
    d->last_heard_ms = sqlite3_column_int64(s, 9);
    d->publish_unknown_as_measurements = sqlite3_column_int(s, 10) != 0;
    d->publish_unknown_as_status_posts = sqlite3_column_int(s, 11) != 0;
    d->online_notify.post_status_message = sqlite3_column_int(s, 12) != 0;
    column_text(s, 13, d->online_notify.message, sizeof d->online_notify.message);
    d->offline_notify.post_status_message = sqlite3_column_int(s, 14) != 0;
    column_text(s, 15, d->offline_notify.message, sizeof d->offline_notify.message);
    d->fault_count = sqlite3_column_int(s, 16);
    d->faulted = sqlite3_column_int(s, 17) != 0;
    d->breaker_reset_at_ms = sqlite3_column_int64(s, 18);
    d->breaker_trips = sqlite3_column_int(s, 19);
    d->ignore_rename = sqlite3_column_int(s, 20) != 0;
    column_text(s, 21, d->iccid, sizeof d->iccid);
    d->gone = sqlite3_column_int(s, 22) != 0;
    column_text(s, 23, d->owner, sizeof d->owner);
}

/* Grows *arr (of elem_size elements) to hold one more than *count; false on overflow/OOM. */
static bool grow(void **arr, size_t *cap, size_t count, size_t elem_size)
{
    if (count < *cap) {
        return true;
    }
    size_t new_cap = *cap ? *cap * 2 : 8;
    size_t bytes;
    if (__builtin_mul_overflow(new_cap, elem_size, &bytes)) {
        return false;
    }
    void *p = realloc(*arr, bytes);
    if (p == NULL) {
        return false;
    }
    *arr = p;
    *cap = new_cap;
    return true;
}

static int load_device_children(sqlite_impl *im, bridge_device *d)
{
    sqlite3_stmt *s = stmt(im, S_VAR_SELECT_DEV);
    size_t cap = 0;
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    bind_text(s, 1, d->particle_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!grow((void **)&d->variables, &cap, d->variable_count, sizeof *d->variables)) {
            sqlite3_reset(s);
            snprintf(im->err, sizeof im->err, "out of memory");
            return BRIDGE_STORE_ERROR;
        }
        bridge_variable *v = &d->variables[d->variable_count++];
        memset(v, 0, sizeof *v);
        column_text(s, 0, v->name, sizeof v->name);
        column_text(s, 1, v->type, sizeof v->type);
        v->enabled = sqlite3_column_int(s, 2) != 0;
        v->check_interval_ms = sqlite3_column_int64(s, 3);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        return fail(im, "variables");
    }
    s = stmt(im, S_FN_SELECT_DEV);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    cap = 0;
    bind_text(s, 1, d->particle_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!grow((void **)&d->functions, &cap, d->function_count, sizeof *d->functions)) {
            sqlite3_reset(s);
            snprintf(im->err, sizeof im->err, "out of memory");
            return BRIDGE_STORE_ERROR;
        }
        column_text(s, 0, d->functions[d->function_count++], BRIDGE_NAME_SIZE);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(im, "functions");
}

static int device_get_locked(sqlite_impl *im, const char *id, bridge_device *out)
{
    sqlite3_stmt *s = stmt(im, S_DEV_SELECT_ONE);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    bind_text(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        snprintf(im->err, sizeof im->err, "device %s not found", id);
        return BRIDGE_STORE_NOTFOUND;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return fail(im, "device");
    }
    read_device_row(s, out);
    sqlite3_reset(s);
    int error = load_device_children(im, out);
    if (error != 0) {
        bridge_device_dispose(out);
    }
    return error;
}

static int sqlite_device_get(bridge_store *st, const char *particle_id, bridge_device *out)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    int error = device_get_locked(im, particle_id, out);
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_device_list(bridge_store *st, bridge_device **out, size_t *count_out)
{
    sqlite_impl *im = impl_of(st);
    bridge_device *devs = NULL;
    size_t count = 0, cap = 0;
    int error = BRIDGE_STORE_ERROR;
    *out = NULL;
    *count_out = 0;
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_DEV_SELECT_ALL);
    if (s == NULL) {
        goto done;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!grow((void **)&devs, &cap, count, sizeof *devs)) {
            sqlite3_reset(s);
            snprintf(im->err, sizeof im->err, "out of memory");
            goto done;
        }
        read_device_row(s, &devs[count++]);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        fail(im, "devices");
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        if (load_device_children(im, &devs[i]) != 0) {
            goto done;
        }
    }
    *out = devs;
    *count_out = count;
    devs = NULL;
    error = 0;
done:
    pthread_mutex_unlock(&im->lock);
    bridge_device_list_free(devs, count);
    return error;
}

static int begin(sqlite_impl *im)
{
    return exec_simple(im, S_BEGIN);
}

/* Commits, or rolls back when @p error is set; returns @p error or the commit's failure. */
static int finish(sqlite_impl *im, int error)
{
    if (error == 0) {
        error = exec_simple(im, S_COMMIT);
        if (error == 0) {
            return 0;
        }
    }
    char saved[sizeof im->err];
    memcpy(saved, im->err, sizeof saved);
    exec_simple(im, S_ROLLBACK);
    memcpy(im->err, saved, sizeof saved);
    return error;
}

static int sync_variables(sqlite_impl *im, const bridge_cloud_device *cd)
{
    /* Remove the variables the cloud no longer lists, keep the settings of the others. */
    bridge_device current = {0};
    pu_strlcpy(current.particle_id, cd->particle_id, sizeof current.particle_id);
    int error = load_device_children(im, &current);
    for (size_t i = 0; error == 0 && i < current.variable_count; i++) {
        bool listed = false;
        for (size_t j = 0; j < cd->variable_count && !listed; j++) {
            listed = strcmp(current.variables[i].name, cd->variables[j].name) == 0;
        }
        if (!listed) {
            sqlite3_stmt *s = stmt(im, S_VAR_DELETE);
            if (s == NULL) {
                error = BRIDGE_STORE_ERROR;
                break;
            }
            bind_text(s, 1, cd->particle_id);
            bind_text(s, 2, current.variables[i].name);
            error = run(im, s, "variable delete");
        }
    }
    bridge_device_dispose(&current);
    for (size_t j = 0; error == 0 && j < cd->variable_count; j++) {
        sqlite3_stmt *s = stmt(im, S_VAR_UPSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, cd->particle_id);
        bind_text(s, 2, cd->variables[j].name);
        bind_text(s, 3, cd->variables[j].type);
        error = run(im, s, "variable upsert");
    }
    return error;
}

static int sync_functions(sqlite_impl *im, const bridge_cloud_device *cd)
{
    sqlite3_stmt *s = stmt(im, S_FN_DELETE_DEV);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    bind_text(s, 1, cd->particle_id);
    int error = run(im, s, "functions delete");
    for (size_t i = 0; error == 0 && i < cd->function_count; i++) {
        s = stmt(im, S_FN_INSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, cd->particle_id);
        bind_text(s, 2, cd->functions[i]);
        error = run(im, s, "function insert");
    }
    return error;
}

static int sqlite_device_sync(bridge_store *st, const bridge_cloud_device *cd,
                              const bridge_device_defaults *df, int64_t now_ms, bool *created_out)
{
    sqlite_impl *im = impl_of(st);
    if (cd->particle_id == NULL || cd->particle_id[0] == '\0') {
        snprintf(im->err, sizeof im->err, "device without id");
        return BRIDGE_STORE_ERROR;
    }
    pthread_mutex_lock(&im->lock);
    int error = begin(im);
    if (error != 0) {
        pthread_mutex_unlock(&im->lock);
        return error;
    }
    sqlite3_stmt *s = stmt(im, S_DEV_INSERT);
    if (s == NULL) {
        error = BRIDGE_STORE_ERROR;
        goto done;
    }
    bind_text(s, 1, cd->particle_id);
    bind_text(s, 2, cd->name ? cd->name : "");
    sqlite3_bind_int(s, 3, cd->product_id);
    sqlite3_bind_int(s, 4, cd->platform_id);
    sqlite3_bind_int64(s, 5, df->check_interval_ms);
    sqlite3_bind_int64(s, 6, now_ms);
    sqlite3_bind_int(s, 7, cd->connected);
    sqlite3_bind_int(s, 8, df->enabled);
    bind_text(s, 9, cd->last_app ? cd->last_app : "");
    sqlite3_bind_int64(s, 10, cd->last_heard_ms);
    sqlite3_bind_int(s, 11, df->publish_unknown_as_measurements);
    sqlite3_bind_int(s, 12, df->publish_unknown_as_status_posts);
    sqlite3_bind_int(s, 13, df->online_notify.post_status_message);
    bind_text(s, 14, df->online_notify.message);
    sqlite3_bind_int(s, 15, df->offline_notify.post_status_message);
    bind_text(s, 16, df->offline_notify.message);
    bind_text(s, 17, cd->iccid ? cd->iccid : "");
    bind_text(s, 18, cd->owner ? cd->owner : "");
    if ((error = run(im, s, "device insert")) != 0) {
        goto done;
    }
    bool created = sqlite3_changes(im->db) > 0;
    if (!created) {
        s = stmt(im, S_DEV_UPDATE_SYNC);
        if (s == NULL) {
            error = BRIDGE_STORE_ERROR;
            goto done;
        }
        bind_text(s, 1, cd->particle_id);
        bind_text(s, 2, cd->name ? cd->name : "");
        sqlite3_bind_int(s, 3, cd->product_id);
        sqlite3_bind_int(s, 4, cd->platform_id);
        bind_text(s, 5, cd->last_app);
        sqlite3_bind_int64(s, 6, cd->last_heard_ms);
        bind_text(s, 7, cd->iccid);
        sqlite3_bind_int64(s, 8, now_ms);
        bind_text(s, 9, cd->owner ? cd->owner : "");
        if ((error = run(im, s, "device update")) != 0) {
            goto done;
        }
    }
    if (cd->has_variables && (error = sync_variables(im, cd)) != 0) {
        goto done;
    }
    if (cd->has_functions && (error = sync_functions(im, cd)) != 0) {
        goto done;
    }
    if (created_out != NULL) {
        *created_out = created;
    }
done:
    error = finish(im, error);
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_devices_mark_gone(bridge_store *st, int product_id, const char *owner,
                                    int64_t before_ms, size_t *marked_out)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_DEV_MARK_GONE);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        sqlite3_bind_int(s, 1, product_id);
        sqlite3_bind_int64(s, 2, before_ms);
        bind_text(s, 3, owner); /* NULL binds NULL: any owner */
        error = run(im, s, "mark gone");
        if (error == 0 && marked_out != NULL) {
            *marked_out = (size_t)sqlite3_changes(im->db);
        }
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_device_update_settings(bridge_store *st, const char *id,
                                         const bridge_settings_patch *p)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    int error = begin(im);
    if (error != 0) {
        pthread_mutex_unlock(&im->lock);
        return error;
    }
    sqlite3_stmt *s = stmt(im, S_DEV_UPDATE_SETTINGS);
    if (s == NULL) {
        error = BRIDGE_STORE_ERROR;
        goto done;
    }
    bind_text(s, 1, id);
    sqlite3_bind_int(s, 2, p->has_check_interval);
    sqlite3_bind_int64(s, 3, p->check_interval_ms);
    sqlite3_bind_int(s, 4, p->has_enabled);
    sqlite3_bind_int(s, 5, p->enabled);
    sqlite3_bind_int(s, 6, p->has_publish_measurements);
    sqlite3_bind_int(s, 7, p->publish_unknown_as_measurements);
    sqlite3_bind_int(s, 8, p->has_publish_status_posts);
    sqlite3_bind_int(s, 9, p->publish_unknown_as_status_posts);
    sqlite3_bind_int(s, 10, p->has_online_notify);
    sqlite3_bind_int(s, 11, p->online_notify.post_status_message);
    bind_text(s, 12, p->online_notify.message);
    sqlite3_bind_int(s, 13, p->has_offline_notify);
    sqlite3_bind_int(s, 14, p->offline_notify.post_status_message);
    bind_text(s, 15, p->offline_notify.message);
    sqlite3_bind_int(s, 16, p->has_ignore_rename);
    sqlite3_bind_int(s, 17, p->ignore_rename);
    if ((error = run(im, s, "settings")) != 0) {
        goto done;
    }
    if (sqlite3_changes(im->db) == 0) {
        snprintf(im->err, sizeof im->err, "device %s not found", id);
        error = BRIDGE_STORE_NOTFOUND;
        goto done;
    }
    for (size_t i = 0; i < p->variable_count; i++) {
        const bridge_variable_patch *v = &p->variables[i];
        s = stmt(im, S_VAR_UPDATE_SETTINGS);
        if (s == NULL) {
            error = BRIDGE_STORE_ERROR;
            goto done;
        }
        bind_text(s, 1, id);
        bind_text(s, 2, v->name);
        sqlite3_bind_int(s, 3, v->has_enabled);
        sqlite3_bind_int(s, 4, v->enabled);
        sqlite3_bind_int(s, 5, v->has_check_interval);
        sqlite3_bind_int64(s, 6, v->check_interval_ms);
        if ((error = run(im, s, "variable settings")) != 0) {
            goto done;
        }
        if (sqlite3_changes(im->db) == 0) {
            snprintf(im->err, sizeof im->err, "device %s has no variable %s", id, v->name);
            error = BRIDGE_STORE_NOTFOUND;
            goto done;
        }
    }
done:
    error = finish(im, error);
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_device_set_breaker(bridge_store *st, const char *id,
                                     const bridge_breaker_state *b)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_DEV_SET_BREAKER);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        bind_text(s, 1, id);
        sqlite3_bind_int(s, 2, b->fault_count);
        sqlite3_bind_int(s, 3, b->faulted);
        sqlite3_bind_int64(s, 4, b->reset_at_ms);
        sqlite3_bind_int(s, 5, b->trips);
        error = run(im, s, "breaker");
        if (error == 0 && sqlite3_changes(im->db) == 0) {
            snprintf(im->err, sizeof im->err, "device %s not found", id);
            error = BRIDGE_STORE_NOTFOUND;
        }
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

/* Sets the flag and, when it changed, adds a row to the online/offline history. */
static int set_connected_locked(sqlite_impl *im, const char *id, bool connected, int64_t ts_ms,
                                const char *source, bool *changed_out)
{
    sqlite3_stmt *s = stmt(im, S_DEV_SET_CONNECTED);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    bind_text(s, 1, id);
    sqlite3_bind_int(s, 2, connected);
    int error = run(im, s, "connected");
    bool changed = error == 0 && sqlite3_changes(im->db) > 0;
    /* Events may arrive for a device not synced yet: their history still counts. */
    if (error == 0 && (changed || strcmp(source, "event") == 0)) {
        s = stmt(im, S_CONN_INSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, id);
        sqlite3_bind_int64(s, 2, ts_ms);
        sqlite3_bind_int(s, 3, connected);
        bind_text(s, 4, source);
        error = run(im, s, "connectivity");
    }
    if (changed_out != NULL) {
        *changed_out = changed;
    }
    return error;
}

static int sqlite_device_set_connected(bridge_store *st, const char *id, bool connected,
                                       int64_t ts_ms, bool *changed_out)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    int error = begin(im);
    if (error == 0) {
        error = finish(im, set_connected_locked(im, id, connected, ts_ms, "sync", changed_out));
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

/* ---- SIMs ---- */

static int sqlite_sim_upsert(bridge_store *st, const bridge_sim *sim)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    int error = begin(im);
    if (error != 0) {
        pthread_mutex_unlock(&im->lock);
        return error;
    }
    sqlite3_stmt *s = stmt(im, S_SIM_UPSERT);
    if (s == NULL) {
        error = BRIDGE_STORE_ERROR;
        goto done;
    }
    bind_text(s, 1, sim->iccid);
    bind_text(s, 2, sim->device_id);
    bind_text(s, 3, sim->base_country_code);
    sqlite3_bind_double(s, 4, sim->base_monthly_rate);
    sqlite3_bind_double(s, 5, sim->overage_monthly_rate);
    sqlite3_bind_int64(s, 6, sim->first_activated_on_ms);
    sqlite3_bind_int64(s, 7, sim->last_activated_on_ms);
    bind_text(s, 8, sim->imsi);
    sqlite3_bind_double(s, 9, sim->limit_mb);
    bind_text(s, 10, sim->status);
    bind_text(s, 11, sim->carrier);
    bind_text(s, 12, sim->last_status_change_action);
    bind_text(s, 13, sim->last_status_change_action_error);
    sqlite3_bind_int64(s, 14, sim->last_updated_ms);
    sqlite3_bind_int64(s, 15, sim->date_added_ms);
    sqlite3_bind_int(s, 16, sim->network.connected);
    sqlite3_bind_int(s, 17, sim->network.gsm);
    sqlite3_bind_int(s, 18, sim->network.data);
    sqlite3_bind_int64(s, 19, sim->network.checked_ms);
    if ((error = run(im, s, "sim")) != 0) {
        goto done;
    }
    for (size_t i = 0; i < sim->usage_count; i++) {
        s = stmt(im, S_SIM_USAGE_UPSERT);
        if (s == NULL) {
            error = BRIDGE_STORE_ERROR;
            goto done;
        }
        bind_text(s, 1, sim->iccid);
        sqlite3_bind_int64(s, 2, sim->usage[i].date_ms);
        sqlite3_bind_double(s, 3, sim->usage[i].used_mb);
        sqlite3_bind_double(s, 4, sim->usage[i].cumulative_mb);
        if ((error = run(im, s, "sim usage")) != 0) {
            goto done;
        }
    }
done:
    error = finish(im, error);
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_sim_get(bridge_store *st, const char *iccid, bridge_sim *out)
{
    sqlite_impl *im = impl_of(st);
    int error = BRIDGE_STORE_ERROR;
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_SIM_SELECT);
    if (s == NULL) {
        goto done;
    }
    bind_text(s, 1, iccid);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        if (rc == SQLITE_DONE) {
            snprintf(im->err, sizeof im->err, "sim %s not found", iccid);
            error = BRIDGE_STORE_NOTFOUND;
        } else {
            fail(im, "sim");
        }
        goto done;
    }
    column_text(s, 0, out->iccid, sizeof out->iccid);
    column_text(s, 1, out->device_id, sizeof out->device_id);
    column_text(s, 2, out->base_country_code, sizeof out->base_country_code);
    out->base_monthly_rate = sqlite3_column_double(s, 3);
    out->overage_monthly_rate = sqlite3_column_double(s, 4);
    out->first_activated_on_ms = sqlite3_column_int64(s, 5);
    out->last_activated_on_ms = sqlite3_column_int64(s, 6);
    column_text(s, 7, out->imsi, sizeof out->imsi);
    out->limit_mb = sqlite3_column_double(s, 8);
    column_text(s, 9, out->status, sizeof out->status);
    column_text(s, 10, out->carrier, sizeof out->carrier);
    column_text(s, 11, out->last_status_change_action, sizeof out->last_status_change_action);
    column_text(s, 12, out->last_status_change_action_error,
                sizeof out->last_status_change_action_error);
    out->last_updated_ms = sqlite3_column_int64(s, 13);
    out->date_added_ms = sqlite3_column_int64(s, 14);
    out->network.connected = sqlite3_column_int(s, 15);
    out->network.gsm = sqlite3_column_int(s, 16);
    out->network.data = sqlite3_column_int(s, 17);
    out->network.checked_ms = sqlite3_column_int64(s, 18);
    sqlite3_reset(s);
    s = stmt(im, S_SIM_USAGE_SELECT);
    if (s == NULL) {
        goto done;
    }
    bind_text(s, 1, iccid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!grow((void **)&out->usage, &cap, out->usage_count, sizeof *out->usage)) {
            sqlite3_reset(s);
            snprintf(im->err, sizeof im->err, "out of memory");
            goto done;
        }
        bridge_sim_usage *u = &out->usage[out->usage_count++];
        u->date_ms = sqlite3_column_int64(s, 0);
        u->used_mb = sqlite3_column_double(s, 1);
        u->cumulative_mb = sqlite3_column_double(s, 2);
    }
    sqlite3_reset(s);
    error = rc == SQLITE_DONE ? 0 : fail(im, "sim usage");
done:
    pthread_mutex_unlock(&im->lock);
    if (error != 0) {
        bridge_sim_dispose(out);
    }
    return error;
}

/* ---- ingest ---- */

/* Keeps @p m if it is the batch's newest value of its (device, name). */
static void remember_latest(sqlite_impl *im, const bridge_measurement *m, const char *source)
{
    bridge_key k;
    bridge_key_init(&k);
    bridge_key_cstr(&k, m->device_id);
    bridge_key_cstr(&k, m->name);
    uint64_t h = (uint64_t)bridge_key_final(&k) | 1u; /* never 0, the empty mark */
    size_t mask = im->latest_cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        latest_slot *sl = &im->latest[i];
        if (sl->hash == 0) {
            *sl = (latest_slot){m->device_id, m->name, source, m->value, m->ts_ms, h};
            return;
        }
        if (sl->hash == h && strcmp(sl->device_id, m->device_id) == 0 &&
            strcmp(sl->name, m->name) == 0) {
            if (m->ts_ms >= sl->ts_ms) {
                *sl = (latest_slot){m->device_id, m->name, source, m->value, m->ts_ms, h};
            }
            return;
        }
    }
}

/* Sizes the latest-value table for a batch of @p recs and empties it. */
static int prepare_latest(sqlite_impl *im, const bridge_record *recs, size_t count)
{
    size_t need = 16;
    for (size_t i = 0; i < count; i++) {
        if (__builtin_add_overflow(need, recs[i].measurement_count, &need)) {
            goto oom;
        }
    }
    size_t cap = 32;
    while (cap < need * 2) {
        if (__builtin_mul_overflow(cap, (size_t)2, &cap)) {
            goto oom;
        }
    }
    if (cap > im->latest_cap) {
        latest_slot *grown = realloc(im->latest, cap * sizeof *grown);
        if (grown == NULL) {
            goto oom;
        }
        im->latest = grown;
        im->latest_cap = cap;
    }
    memset(im->latest, 0, im->latest_cap * sizeof *im->latest);
    return 0;
oom:
    snprintf(im->err, sizeof im->err, "out of memory");
    return BRIDGE_STORE_ERROR;
}

/* Writes the batch's newest value of each (device, name) into measurements_latest. */
static int flush_latest(sqlite_impl *im)
{
    for (size_t i = 0; i < im->latest_cap; i++) {
        const latest_slot *sl = &im->latest[i];
        if (sl->hash == 0) {
            continue;
        }
        sqlite3_stmt *s = stmt(im, S_MEAS_LATEST_UPSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, sl->device_id);
        bind_text(s, 2, sl->name);
        sqlite3_bind_double(s, 3, sl->value);
        sqlite3_bind_int64(s, 4, sl->ts_ms);
        bind_text(s, 5, sl->source);
        if (run(im, s, "latest measurement") != 0) {
            return BRIDGE_STORE_ERROR;
        }
    }
    return 0;
}

static int insert_measurements(sqlite_impl *im, const bridge_record *r, bridge_write_result *res)
{
    for (size_t i = 0; i < r->measurement_count; i++) {
        const bridge_measurement *m = &r->measurements[i];
        sqlite3_stmt *s = stmt(im, S_MEAS_INSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, m->device_id);
        bind_text(s, 2, m->name);
        sqlite3_bind_double(s, 3, m->value);
        sqlite3_bind_int64(s, 4, m->ts_ms);
        const char *source = m->source ? m->source : r->source;
        bind_text(s, 5, source);
        bridge_key k;
        bridge_key_init(&k);
        bridge_key_cstr(&k, m->device_id);
        bridge_key_cstr(&k, m->name);
        bridge_key_int(&k, m->ts_ms);
        bridge_key_cstr(&k, source);
        sqlite3_bind_int64(s, 6, bridge_key_final(&k));
        if (run(im, s, "measurement") != 0) {
            return BRIDGE_STORE_ERROR;
        }
        if (sqlite3_changes(im->db) == 0) {
            res->duplicates++;
            continue;
        }
        res->measurements_stored++;
        remember_latest(im, m, source);
    }
    for (size_t i = 0; i < r->post_count; i++) {
        const bridge_status_post *p = &r->posts[i];
        sqlite3_stmt *s = stmt(im, S_POST_INSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, p->device_id);
        bind_text(s, 2, p->kind);
        bind_text(s, 3, p->name ? p->name : "");
        bind_text(s, 4, p->message ? p->message : "");
        sqlite3_bind_int64(s, 5, p->ts_ms);
        bridge_key k;
        bridge_key_init(&k);
        bridge_key_cstr(&k, p->device_id);
        bridge_key_cstr(&k, p->kind);
        bridge_key_cstr(&k, p->name ? p->name : "");
        bridge_key_int(&k, p->ts_ms);
        bridge_key_cstr(&k, p->message ? p->message : "");
        sqlite3_bind_int64(s, 6, bridge_key_final(&k));
        if (run(im, s, "status post") != 0) {
            return BRIDGE_STORE_ERROR;
        }
        if (sqlite3_changes(im->db) > 0) {
            res->status_posts_stored++;
        } else {
            res->duplicates++;
        }
    }
    return 0;
}

/* NAN and negative integers are the record's "absent": stored as NULL. */
static void bind_real_or_null(sqlite3_stmt *s, int i, double v)
{
    if (isnan(v)) {
        sqlite3_bind_null(s, i);
    } else {
        sqlite3_bind_double(s, i, v);
    }
}

static void bind_count_or_null(sqlite3_stmt *s, int i, int64_t v)
{
    if (v < 0) {
        sqlite3_bind_null(s, i);
    } else {
        sqlite3_bind_int64(s, i, v);
    }
}

static int vitals_insert_locked(sqlite_impl *im, const bridge_vitals *v, bool *stored_out)
{
    sqlite3_stmt *s = stmt(im, S_VITALS_INSERT);
    if (s == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    bind_text(s, 1, v->device_id);
    sqlite3_bind_int64(s, 2, v->updated_at_ms);
    bind_text(s, 3, v->source != NULL ? v->source : "");
    bind_text(s, 4, v->payload != NULL ? v->payload : "{}");
    bind_real_or_null(s, 5, v->signal_strength_pct);
    bind_real_or_null(s, 6, v->signal_quality_pct);
    bind_real_or_null(s, 7, v->battery_charge_pct);
    bind_count_or_null(s, 8, v->memory_used_bytes);
    bind_count_or_null(s, 9, v->memory_total_bytes);
    bind_count_or_null(s, 10, v->uptime_s);
    bind_count_or_null(s, 11, v->cloud_disconnects);
    if (run(im, s, "vitals") != 0) {
        return BRIDGE_STORE_ERROR;
    }
    *stored_out = sqlite3_changes(im->db) > 0;
    return 0;
}

static int write_record(sqlite_impl *im, const bridge_record *r, bridge_write_result *res)
{
    sqlite3_stmt *s;
    switch (r->kind) {
    case BRIDGE_RECORD_EVENT:
        s = stmt(im, S_EVENT_INSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, r->device_id);
        bind_text(s, 2, r->event_name);
        bind_text(s, 3, r->event_data);
        sqlite3_bind_int64(s, 4, r->published_at_ms);
        bridge_key k;
        bridge_key_init(&k);
        bridge_key_cstr(&k, r->device_id);
        bridge_key_cstr(&k, r->event_name);
        bridge_key_int(&k, r->published_at_ms);
        bridge_key_cstr(&k, r->event_data);
        sqlite3_bind_int64(s, 5, bridge_key_final(&k));
        bind_text(s, 6, r->source);
        sqlite3_bind_int64(s, 7, r->received_at_ms);
        if (run(im, s, "event") != 0) {
            return BRIDGE_STORE_ERROR;
        }
        if (sqlite3_changes(im->db) == 0) {
            /* Seen before: what was derived from it is stored already. */
            res->events_duplicate++;
            res->duplicates++;
            return 0;
        }
        res->events_stored++;
        if (r->online >= 0 && set_connected_locked(im, r->device_id, r->online == 1,
                                                   r->published_at_ms, "event", NULL) != 0) {
            return BRIDGE_STORE_ERROR;
        }
        if (r->vitals != NULL) {
            bool stored = false;
            if (vitals_insert_locked(im, r->vitals, &stored) != 0) {
                return BRIDGE_STORE_ERROR;
            }
            if (stored) {
                res->vitals_stored++;
            } else {
                res->duplicates++;
            }
        }
        return insert_measurements(im, r, res);
    case BRIDGE_RECORD_READING:
        return insert_measurements(im, r, res);
    case BRIDGE_RECORD_CURSOR:
        s = stmt(im, S_CURSOR_UPSERT);
        if (s == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bind_text(s, 1, r->stream);
        bind_text(s, 2, r->last_event_id);
        sqlite3_bind_int64(s, 3, r->received_at_ms);
        return run(im, s, "cursor");
    }
    snprintf(im->err, sizeof im->err, "unknown record kind %d", (int)r->kind);
    return BRIDGE_STORE_ERROR;
}

static int sqlite_write_batch(bridge_store *st, const bridge_record *recs, size_t count,
                              bridge_write_result *result)
{
    sqlite_impl *im = impl_of(st);
    bridge_write_result res = {0};
    pthread_mutex_lock(&im->lock);
    int error = prepare_latest(im, recs, count);
    if (error == 0) {
        error = begin(im);
    }
    if (error == 0) {
        for (size_t i = 0; error == 0 && i < count; i++) {
            error = write_record(im, &recs[i], &res);
        }
        if (error == 0) {
            error = flush_latest(im);
        }
        error = finish(im, error);
    }
    pthread_mutex_unlock(&im->lock);
    if (result != NULL) {
        if (error == 0) {
            *result = res;
        } else {
            memset(result, 0, sizeof *result);
        }
    }
    return error;
}

/* ---- queries ---- */

static void bind_query(sqlite3_stmt *s, const bridge_query *q)
{
    bind_text(s, 1, q->device_id);
    bind_text(s, 2, q->name);
    sqlite3_bind_int64(s, 3, q->from_ms);
    sqlite3_bind_int64(s, 4, q->to_ms > 0 ? q->to_ms : INT64_MAX);
    sqlite3_bind_int64(s, 5, q->limit > 0 ? q->limit : DEFAULT_QUERY_LIMIT);
}

/* Steps a measurement-shaped statement (device, name, value, ts, source) into @p cb. */
static int each_measurement(sqlite_impl *im, sqlite3_stmt *s, bridge_measurement_fn *cb,
                            void *payload)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bridge_measurement m = {
            .device_id = column_str(s, 0),
            .name = column_str(s, 1),
            .value = sqlite3_column_double(s, 2),
            .ts_ms = sqlite3_column_int64(s, 3),
            .source = column_str(s, 4),
        };
        if (cb(&m, payload) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(im, "measurements");
}

static int sqlite_measurements_query(bridge_store *st, const bridge_query *q,
                                     bridge_measurement_fn *cb, void *payload)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_MEAS_QUERY);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        bind_query(s, q);
        error = each_measurement(im, s, cb, payload);
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_latest_measurements(bridge_store *st, const char *device_id,
                                      bridge_measurement_fn *cb, void *payload)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_MEAS_LATEST);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        bind_text(s, 1, device_id);
        error = each_measurement(im, s, cb, payload);
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_status_posts_query(bridge_store *st, const bridge_query *q,
                                     bridge_status_post_fn *cb, void *payload)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_POST_QUERY);
    int error = BRIDGE_STORE_ERROR;
    if (s == NULL) {
        goto done;
    }
    bind_query(s, q);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bridge_status_post p = {
            .device_id = column_str(s, 0),
            .kind = column_str(s, 1),
            .name = column_str(s, 2),
            .message = column_str(s, 3),
            .ts_ms = sqlite3_column_int64(s, 4),
        };
        if (cb(&p, payload) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    error = rc == SQLITE_DONE ? 0 : fail(im, "status posts");
done:
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_cursor_get(bridge_store *st, const char *stream, char *out, size_t out_size)
{
    sqlite_impl *im = impl_of(st);
    int error = BRIDGE_STORE_ERROR;
    if (out_size > 0) {
        out[0] = '\0';
    }
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_CURSOR_SELECT);
    if (s != NULL) {
        bind_text(s, 1, stream);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            column_text(s, 0, out, out_size);
            error = 0;
        } else if (rc == SQLITE_DONE) {
            error = BRIDGE_STORE_NOTFOUND;
        } else {
            fail(im, "cursor");
        }
        sqlite3_reset(s);
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_stats(bridge_store *st, bridge_store_counts *out)
{
    sqlite_impl *im = impl_of(st);
    int error = BRIDGE_STORE_ERROR;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_STATS);
    if (s != NULL) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            out->devices = (uint64_t)sqlite3_column_int64(s, 0);
            out->devices_faulted = (uint64_t)sqlite3_column_int64(s, 1);
            out->devices_gone = (uint64_t)sqlite3_column_int64(s, 2);
            out->events = (uint64_t)sqlite3_column_int64(s, 3);
            out->measurements = (uint64_t)sqlite3_column_int64(s, 4);
            out->status_posts = (uint64_t)sqlite3_column_int64(s, 5);
            error = 0;
        } else {
            fail(im, "stats");
        }
        sqlite3_reset(s);
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

/* ---- vitals ---- */

static int sqlite_vitals_put(bridge_store *st, const bridge_vitals *v, bool *stored_out)
{
    sqlite_impl *im = impl_of(st);
    bool stored = false;
    if (v == NULL || v->device_id == NULL || v->device_id[0] == '\0') {
        snprintf(im->err, sizeof im->err, "vitals: no device id");
        return BRIDGE_STORE_ERROR;
    }
    pthread_mutex_lock(&im->lock);
    int error = vitals_insert_locked(im, v, &stored);
    pthread_mutex_unlock(&im->lock);
    if (stored_out != NULL) {
        *stored_out = error == 0 && stored;
    }
    return error;
}

static double column_real_or_nan(sqlite3_stmt *s, int col)
{
    return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

static int64_t column_count_or_absent(sqlite3_stmt *s, int col)
{
    return sqlite3_column_type(s, col) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, col);
}

/* Steps a statement selecting VITALS_COLUMNS into @p cb. */
static int each_vitals(sqlite_impl *im, sqlite3_stmt *s, bridge_vitals_fn *cb, void *payload)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bridge_vitals v = {
            .device_id = column_str(s, 0),
            .updated_at_ms = sqlite3_column_int64(s, 1),
            .source = column_str(s, 2),
            .payload = column_str(s, 3),
            .signal_strength_pct = column_real_or_nan(s, 4),
            .signal_quality_pct = column_real_or_nan(s, 5),
            .battery_charge_pct = column_real_or_nan(s, 6),
            .memory_used_bytes = column_count_or_absent(s, 7),
            .memory_total_bytes = column_count_or_absent(s, 8),
            .uptime_s = column_count_or_absent(s, 9),
            .cloud_disconnects = column_count_or_absent(s, 10),
        };
        if (cb(&v, payload) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(im, "vitals");
}

static int sqlite_vitals_last(bridge_store *st, const char *device_id, bridge_vitals_fn *cb,
                              void *payload)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, device_id != NULL ? S_VITALS_LAST_ONE : S_VITALS_LAST_ALL);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        if (device_id != NULL) {
            bind_text(s, 1, device_id);
        }
        error = each_vitals(im, s, cb, payload);
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

static int sqlite_vitals_history(bridge_store *st, const bridge_query *q, bridge_vitals_fn *cb,
                                 void *payload)
{
    sqlite_impl *im = impl_of(st);
    pthread_mutex_lock(&im->lock);
    sqlite3_stmt *s = stmt(im, S_VITALS_QUERY);
    int error = BRIDGE_STORE_ERROR;
    if (s != NULL) {
        bind_query(s, q);
        error = each_vitals(im, s, cb, payload);
    }
    pthread_mutex_unlock(&im->lock);
    return error;
}

static const bridge_store_ops sqlite_ops = {
    .close = sqlite_close,
    .errmsg = sqlite_errmsg,
    .device_sync = sqlite_device_sync,
    .devices_mark_gone = sqlite_devices_mark_gone,
    .device_get = sqlite_device_get,
    .device_list = sqlite_device_list,
    .device_update_settings = sqlite_device_update_settings,
    .device_set_breaker = sqlite_device_set_breaker,
    .device_set_connected = sqlite_device_set_connected,
    .sim_upsert = sqlite_sim_upsert,
    .sim_get = sqlite_sim_get,
    .write_batch = sqlite_write_batch,
    .measurements_query = sqlite_measurements_query,
    .latest_measurements = sqlite_latest_measurements,
    .status_posts_query = sqlite_status_posts_query,
    .cursor_get = sqlite_cursor_get,
    .stats = sqlite_stats,
    .vitals_put = sqlite_vitals_put,
    .vitals_last = sqlite_vitals_last,
    .vitals_history = sqlite_vitals_history,
};
