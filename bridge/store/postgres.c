/*
 * The PostgreSQL backend of bridge_store, on libpq.
 *
 * Same semantics as the SQLite backend (store/sqlite.c), so several bridge instances can
 * share one database: every ingest row carries the 64-bit hash of its natural key
 * (store/key.h) under a UNIQUE (time, key) index and is written with ON CONFLICT DO
 * NOTHING, so two instances (or a replay) storing the same event store it once; rows
 * derived from an event are written only when the event was new; a batch is one
 * transaction, with its stream cursors inside it.
 *
 * One connection per handle, serialised by the handle's mutex. Every statement is a
 * server-side prepared statement (PQprepare once per connection, then PQexecPrepared with
 * text parameters); no SQL is ever built from data. Only the embedded migration scripts and
 * constant transaction commands go through PQexec.
 *
 * A lost connection fails the call that met it with a message saying so; the next call
 * resets the connection (PQreset) and prepares its statements again.
 */
#include "store/postgres.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pu_str.h"
#include "pu_time.h"
#include "store/key.h"
#include "store/migrations.h"

#define DEVICE_COLUMNS                                                                             \
    "particle_id, name, product_id, platform_id, check_interval_ms, date_added_ms, connected, "    \
    "enabled, last_app, last_heard_ms, publish_unknown_as_measurements, "                          \
    "publish_unknown_as_status_posts, online_post, online_message, offline_post, "                 \
    "offline_message, fault_count, faulted, breaker_reset_at_ms, breaker_trips, ignore_rename, "   \
    "iccid, gone, owner"

#define SIM_COLUMNS                                                                                \
    "iccid, device_id, base_country_code, base_monthly_rate, overage_monthly_rate, "               \
    "first_activated_on_ms, last_activated_on_ms, imsi, limit_mb, status, carrier, "               \
    "last_status_change_action, last_status_change_action_error, last_updated_ms, date_added_ms, " \
    "network_connected, gsm_connection, data_connection, network_checked_ms"

#define VITALS_COLUMNS                                                                             \
    "device_id, updated_at_ms, source, payload, signal_strength_pct, signal_quality_pct, "         \
    "battery_charge_pct, memory_used_bytes, memory_total_bytes, uptime_s, cloud_disconnects"

/* The statement table: an enum index and its SQL, kept side by side. Parameters whose type
 * the context does not fix are cast, so preparing needs no type array. */
#define STMT_MAP(X)                                                                                \
    X(DEV_SELECT_ONE, "SELECT " DEVICE_COLUMNS " FROM devices WHERE particle_id = $1")             \
    X(DEV_SELECT_ALL, "SELECT " DEVICE_COLUMNS " FROM devices ORDER BY particle_id")               \
    X(VAR_SELECT_DEV, "SELECT name, type, enabled, check_interval_ms FROM variables "              \
                      "WHERE device_id = $1 ORDER BY name")                                        \
    X(FN_SELECT_DEV, "SELECT name FROM functions WHERE device_id = $1 ORDER BY name")              \
    X(DEV_INSERT,                                                                                  \
      "INSERT INTO devices (particle_id, name, product_id, platform_id, "                          \
      "check_interval_ms, date_added_ms, connected, enabled, last_app, last_heard_ms, "            \
      "publish_unknown_as_measurements, publish_unknown_as_status_posts, online_post, "            \
      "online_message, offline_post, offline_message, iccid, owner, last_synced_ms) "              \
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "  \
      "$6) "                                                                                       \
      "ON CONFLICT (particle_id) DO NOTHING")                                                      \
    X(DEV_UPDATE_SYNC, "UPDATE devices SET "                                                       \
                       "name = CASE WHEN NOT ignore_rename AND $2::text <> '' THEN $2 "            \
                       "ELSE name END, product_id = $3, platform_id = $4, "                        \
                       "last_app = coalesce($5::text, last_app), "                                 \
                       "last_heard_ms = greatest(last_heard_ms, $6::bigint), "                     \
                       "iccid = coalesce($7::text, iccid), owner = $9, gone = false, "             \
                       "last_synced_ms = $8 "                                                      \
                       "WHERE particle_id = $1")                                                   \
    X(VAR_UPSERT, "INSERT INTO variables (device_id, name, type) VALUES ($1, $2, $3) "             \
                  "ON CONFLICT (device_id, name) DO UPDATE SET type = excluded.type")              \
    X(VAR_DELETE, "DELETE FROM variables WHERE device_id = $1 AND name = $2")                      \
    X(FN_DELETE_DEV, "DELETE FROM functions WHERE device_id = $1")                                 \
    X(FN_INSERT, "INSERT INTO functions (device_id, name) VALUES ($1, $2) "                        \
                 "ON CONFLICT (device_id, name) DO NOTHING")                                       \
    X(DEV_MARK_GONE, "UPDATE devices SET gone = true WHERE ($1::integer < 0 OR product_id = $1) "  \
                     "AND ($3::text IS NULL OR owner IN ($3, '')) "                                \
                     "AND last_synced_ms < $2 AND NOT gone")                                       \
    X(DEV_UPDATE_SETTINGS,                                                                         \
      "UPDATE devices SET "                                                                        \
      "check_interval_ms = CASE WHEN $2::boolean THEN $3::bigint ELSE check_interval_ms END, "     \
      "enabled = CASE WHEN $4::boolean THEN $5::boolean ELSE enabled END, "                        \
      "publish_unknown_as_measurements = CASE WHEN $6::boolean THEN $7::boolean "                  \
      "ELSE publish_unknown_as_measurements END, "                                                 \
      "publish_unknown_as_status_posts = CASE WHEN $8::boolean THEN $9::boolean "                  \
      "ELSE publish_unknown_as_status_posts END, "                                                 \
      "online_post = CASE WHEN $10::boolean THEN $11::boolean ELSE online_post END, "              \
      "online_message = CASE WHEN $10::boolean THEN $12::text ELSE online_message END, "           \
      "offline_post = CASE WHEN $13::boolean THEN $14::boolean ELSE offline_post END, "            \
      "offline_message = CASE WHEN $13::boolean THEN $15::text ELSE offline_message END, "         \
      "ignore_rename = CASE WHEN $16::boolean THEN $17::boolean ELSE ignore_rename END "           \
      "WHERE particle_id = $1")                                                                    \
    X(VAR_UPDATE_SETTINGS,                                                                         \
      "UPDATE variables SET enabled = CASE WHEN $3::boolean THEN $4::boolean ELSE enabled END, "   \
      "check_interval_ms = CASE WHEN $5::boolean THEN $6::bigint ELSE check_interval_ms END "      \
      "WHERE device_id = $1 AND name = $2")                                                        \
    X(DEV_SET_BREAKER, "UPDATE devices SET fault_count = $2, faulted = $3, "                       \
                       "breaker_reset_at_ms = $4, breaker_trips = $5 WHERE particle_id = $1")      \
    X(DEV_SET_CONNECTED, "UPDATE devices SET connected = $2::boolean "                             \
                         "WHERE particle_id = $1 AND connected <> $2::boolean")                    \
    X(CONN_INSERT, "INSERT INTO connectivity (device_id, ts_ms, online, source) "                  \
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (device_id, ts_ms, online) DO NOTHING")    \
    X(SIM_UPSERT, "INSERT INTO sims (" SIM_COLUMNS ") "                                            \
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "     \
                  "$16, $17, $18, $19) "                                                           \
                  "ON CONFLICT (iccid) DO UPDATE SET device_id = excluded.device_id, "             \
                  "base_country_code = excluded.base_country_code, "                               \
                  "base_monthly_rate = excluded.base_monthly_rate, "                               \
                  "overage_monthly_rate = excluded.overage_monthly_rate, "                         \
                  "first_activated_on_ms = excluded.first_activated_on_ms, "                       \
                  "last_activated_on_ms = excluded.last_activated_on_ms, imsi = excluded.imsi, "   \
                  "limit_mb = excluded.limit_mb, status = excluded.status, "                       \
                  "carrier = excluded.carrier, "                                                   \
                  "last_status_change_action = excluded.last_status_change_action, "               \
                  "last_status_change_action_error = excluded.last_status_change_action_error, "   \
                  "last_updated_ms = excluded.last_updated_ms, "                                   \
                  "network_connected = excluded.network_connected, "                               \
                  "gsm_connection = excluded.gsm_connection, "                                     \
                  "data_connection = excluded.data_connection, "                                   \
                  "network_checked_ms = excluded.network_checked_ms")                              \
    X(SIM_USAGE_UPSERT, "INSERT INTO sim_usage (iccid, date_ms, used_mb, cumulative_mb) "          \
                        "VALUES ($1, $2, $3, $4) ON CONFLICT (iccid, date_ms) DO UPDATE SET "      \
                        "used_mb = excluded.used_mb, cumulative_mb = excluded.cumulative_mb")      \
    X(SIM_SELECT, "SELECT " SIM_COLUMNS " FROM sims WHERE iccid = $1")                             \
    X(SIM_USAGE_SELECT, "SELECT date_ms, used_mb, cumulative_mb FROM sim_usage "                   \
                        "WHERE iccid = $1 ORDER BY date_ms")                                       \
    X(CURSOR_UPSERT, "INSERT INTO stream_cursors (stream, last_event_id, updated_ms) "             \
                     "VALUES ($1, $2, $3) ON CONFLICT (stream) DO UPDATE SET "                     \
                     "last_event_id = excluded.last_event_id, updated_ms = excluded.updated_ms")   \
    X(CURSOR_SELECT, "SELECT last_event_id FROM stream_cursors WHERE stream = $1")                 \
    X(MEAS_QUERY, "SELECT device_id, name, value, ts_ms, source FROM ("                            \
                  "SELECT id, device_id, name, value, ts_ms, source FROM measurements "            \
                  "WHERE ($1::text IS NULL OR device_id = $1) "                                    \
                  "AND ($2::text IS NULL OR name = $2) AND ts_ms >= $3 AND ts_ms <= $4 "           \
                  "ORDER BY ts_ms DESC, id DESC LIMIT $5) AS newest ORDER BY ts_ms, id")           \
    X(MEAS_LATEST, "SELECT device_id, name, value, ts_ms, source FROM measurements_latest "        \
                   "WHERE device_id = $1 ORDER BY name")                                           \
    X(POST_QUERY, "SELECT device_id, kind, name, message, ts_ms FROM ("                            \
                  "SELECT id, device_id, kind, name, message, ts_ms FROM status_posts "            \
                  "WHERE ($1::text IS NULL OR device_id = $1) "                                    \
                  "AND ($2::text IS NULL OR name = $2) AND ts_ms >= $3 AND ts_ms <= $4 "           \
                  "ORDER BY ts_ms DESC, id DESC LIMIT $5) AS newest ORDER BY ts_ms, id")           \
    X(VITALS_INSERT, "INSERT INTO vitals (" VITALS_COLUMNS ") "                                    \
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "                      \
                     "ON CONFLICT (device_id, updated_at_ms) DO NOTHING")                          \
    X(VITALS_LAST_ONE, "SELECT " VITALS_COLUMNS " FROM vitals WHERE device_id = $1 "               \
                       "ORDER BY updated_at_ms DESC LIMIT 1")                                      \
    X(VITALS_LAST_ALL, "SELECT DISTINCT ON (device_id) " VITALS_COLUMNS " FROM vitals "            \
                       "ORDER BY device_id, updated_at_ms DESC")                                   \
    X(VITALS_QUERY, "SELECT " VITALS_COLUMNS " FROM (SELECT id, " VITALS_COLUMNS " FROM vitals "   \
                    "WHERE ($1::text IS NULL OR device_id = $1) AND updated_at_ms >= $2 "          \
                    "AND updated_at_ms <= $3 ORDER BY updated_at_ms DESC, id DESC LIMIT $4) "      \
                    "AS newest ORDER BY updated_at_ms, id")                                        \
    /* Exact counts: identity columns skip the values of rows ON CONFLICT dropped, so the          \
     * SQLite backend's max(id) would overcount here. */                                           \
    X(STATS, "SELECT (SELECT count(*) FROM devices), "                                             \
             "(SELECT count(*) FROM devices WHERE faulted), "                                      \
             "(SELECT count(*) FROM devices WHERE gone), "                                         \
             "(SELECT count(*) FROM events), (SELECT count(*) FROM measurements), "                \
             "(SELECT count(*) FROM status_posts)")

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

/* The server-side names of the prepared statements. */
static const char *const stmt_name[S_COUNT_] = {
#define STMT_NAME_(name, sql) "bridge_" #name,
    STMT_MAP(STMT_NAME_)
#undef STMT_NAME_
};

#define DEFAULT_QUERY_LIMIT 1000u
#define MAX_PARAMS 20

/* The tables a batch writes with multi-row INSERTs (see "ingest" below), and the row counts
 * of those statements: BULK_MAX, BULK_MAX / 2, ..., 1. */
typedef enum bulk_kind { B_EVENT, B_MEAS, B_POST, B_COUNT_ } bulk_kind;
#define BULK_MAX 64
#define BULK_SIZES 7 /* log2(BULK_MAX) + 1 */
#define BULK_MAX_COLS 7
/* Serialises migrations of every bridge sharing a database (pg_advisory_xact_lock key). */
#define MIGRATION_LOCK_KEY "7081934012"

typedef struct pg_impl {
    PGconn *conn;
    bool prepared[S_COUNT_]; /* prepared on this connection; cleared by a reconnect */
    bool bulk_prepared[B_COUNT_][BULK_SIZES]; /* the same for the multi-row INSERTs */
    pthread_mutex_t lock;
    char err[512];
} pg_impl;

/* Text parameters of one statement; numbers are formatted into the handle's own buffers. */
typedef struct params {
    const char *v[MAX_PARAMS];
    char buf[MAX_PARAMS][32];
    int n;
} params;

static pg_impl *impl_of(const bridge_store *st)
{
    return (pg_impl *)st->impl;
}

/* ---- parameters and results ---- */

static void p_text(params *p, const char *s)
{
    if (p->n < MAX_PARAMS) {
        p->v[p->n++] = s; /* NULL is SQL NULL */
    }
}

static void p_int(params *p, int64_t v)
{
    if (p->n < MAX_PARAMS) {
        snprintf(p->buf[p->n], sizeof p->buf[0], "%" PRId64, v);
        p->v[p->n] = p->buf[p->n];
        p->n++;
    }
}

static void p_bool(params *p, bool v)
{
    p_text(p, v ? "t" : "f");
}

/* %.17g gives back the same double; PostgreSQL reads inf and nan too. */
static void p_double(params *p, double v)
{
    if (p->n < MAX_PARAMS) {
        snprintf(p->buf[p->n], sizeof p->buf[0], "%.17g", v);
        p->v[p->n] = p->buf[p->n];
        p->n++;
    }
}

/* The record's "absent" (NAN, a negative count) is SQL NULL. */
static void p_double_or_null(params *p, double v)
{
    if (isnan(v)) {
        p_text(p, NULL);
    } else {
        p_double(p, v);
    }
}

static void p_count_or_null(params *p, int64_t v)
{
    if (v < 0) {
        p_text(p, NULL);
    } else {
        p_int(p, v);
    }
}

/* The parameters of S_VITALS_INSERT, in VITALS_COLUMNS order. */
static void vitals_params(params *p, const bridge_vitals *v)
{
    p_text(p, v->device_id);
    p_int(p, v->updated_at_ms);
    p_text(p, v->source != NULL ? v->source : "");
    p_text(p, v->payload != NULL ? v->payload : "{}");
    p_double_or_null(p, v->signal_strength_pct);
    p_double_or_null(p, v->signal_quality_pct);
    p_double_or_null(p, v->battery_charge_pct);
    p_count_or_null(p, v->memory_used_bytes);
    p_count_or_null(p, v->memory_total_bytes);
    p_count_or_null(p, v->uptime_s);
    p_count_or_null(p, v->cloud_disconnects);
}

static const char *col_str(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col); /* "" for NULL */
}

static void col_text(const PGresult *r, int row, int col, char *out, size_t size)
{
    pu_strlcpy(out, PQgetvalue(r, row, col), size);
}

static int64_t col_int(const PGresult *r, int row, int col)
{
    const char *s = PQgetvalue(r, row, col);
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    return end != s && *end == '\0' ? (int64_t)v : 0;
}

static double col_double(const PGresult *r, int row, int col)
{
    const char *s = PQgetvalue(r, row, col);
    char *end = NULL;
    double v = strtod(s, &end);
    return end != s && *end == '\0' ? v : 0;
}

static bool col_bool(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col)[0] == 't';
}

/* Rows an INSERT/UPDATE/DELETE touched. */
static uint64_t affected(PGresult *r)
{
    const char *s = PQcmdTuples(r);
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    return end != s && *end == '\0' ? (uint64_t)v : 0;
}

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
 * handle's error record, saying so when the connection is gone. */
static int fail(pg_impl *im, const char *what, const PGresult *r)
{
    char msg[400];
    const char *text = r != NULL ? PQresultErrorMessage(r) : "";
    copy_message(msg, sizeof msg, text[0] != '\0' ? text : PQerrorMessage(im->conn));
    if (PQstatus(im->conn) == CONNECTION_BAD) {
        snprintf(im->err, sizeof im->err,
                 "%s: connection to PostgreSQL lost (%s); reconnecting at the next call", what,
                 msg);
    } else {
        snprintf(im->err, sizeof im->err, "%s: %s", what, msg);
    }
    return BRIDGE_STORE_ERROR;
}

/* Runs a constant command that returns no rows (transaction control, SET). */
static int exec_simple(pg_impl *im, const char *sql)
{
    PGresult *r = PQexec(im->conn, sql);
    ExecStatusType rs = PQresultStatus(r);
    int error = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK ? 0 : fail(im, sql, r);
    PQclear(r);
    return error;
}

/* Byte-exact text, shortest exact doubles, and no NOTICE chatter on stderr (the migration's
 * CREATE TABLE IF NOT EXISTS sends one). */
static int session_setup(pg_impl *im)
{
    if (PQsetClientEncoding(im->conn, "UTF8") != 0) {
        return fail(im, "client encoding", NULL);
    }
    return exec_simple(im, "SET extra_float_digits = 3; SET client_min_messages = warning");
}

/* Called with the lock held at the start of every operation: reconnects a connection found
 * broken by an earlier call (or left in pipeline mode), and ends a transaction an earlier
 * failure left open. */
static int ensure_connected(pg_impl *im)
{
    /* A batch that broke off mid-pipeline left answers unread: start afresh (the server
     * rolls back what that connection had open). */
    if (PQstatus(im->conn) != CONNECTION_OK || PQpipelineStatus(im->conn) != PQ_PIPELINE_OFF) {
        PQreset(im->conn);
        memset(im->prepared, 0, sizeof im->prepared);
        memset(im->bulk_prepared, 0, sizeof im->bulk_prepared);
        if (PQstatus(im->conn) != CONNECTION_OK) {
            char msg[400];
            copy_message(msg, sizeof msg, PQerrorMessage(im->conn));
            snprintf(im->err, sizeof im->err,
                     "connection to PostgreSQL lost and reconnecting failed: %s", msg);
            return BRIDGE_STORE_ERROR;
        }
        return session_setup(im);
    }
    if (PQtransactionStatus(im->conn) != PQTRANS_IDLE) {
        return exec_simple(im, "ROLLBACK");
    }
    return 0;
}

/* Takes the handle's lock and makes sure the connection works; on failure the lock is
 * released again and the error is set. */
static int enter(pg_impl *im)
{
    pthread_mutex_lock(&im->lock);
    int error = ensure_connected(im);
    if (error != 0) {
        pthread_mutex_unlock(&im->lock);
    }
    return error;
}

static void leave(pg_impl *im)
{
    pthread_mutex_unlock(&im->lock);
}

/* Prepares statement @p id on this connection unless it is already. */
static int prepare(pg_impl *im, enum stmt_id id)
{
    if (im->prepared[id]) {
        return 0;
    }
    PGresult *r = PQprepare(im->conn, stmt_name[id], stmt_sql[id], 0, NULL);
    int error = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(im, "prepare", r);
    PQclear(r);
    im->prepared[id] = error == 0;
    return error;
}

/* Runs the cached statement @p id with @p p. Returns its result (PQclear it), or NULL with
 * the error record set. */
static PGresult *run(pg_impl *im, enum stmt_id id, const params *p, const char *what)
{
    if (prepare(im, id) != 0) {
        return NULL;
    }
    PGresult *r = PQexecPrepared(im->conn, stmt_name[id], p->n, p->v, NULL, NULL, 0);
    ExecStatusType rs = PQresultStatus(r);
    if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
        fail(im, what, r);
        PQclear(r);
        return NULL;
    }
    return r;
}

/* Runs a statement whose result is only its row count; @p affected_out may be NULL. */
static int run_count(pg_impl *im, enum stmt_id id, const params *p, const char *what,
                     uint64_t *affected_out)
{
    PGresult *r = run(im, id, p, what);
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    if (affected_out != NULL) {
        *affected_out = affected(r);
    }
    PQclear(r);
    return 0;
}

static int begin(pg_impl *im)
{
    return exec_simple(im, "BEGIN");
}

/* Commits, or rolls back when @p error is set; returns @p error or the commit's failure. */
static int finish(pg_impl *im, int error)
{
    if (error == 0) {
        error = exec_simple(im, "COMMIT");
        if (error == 0) {
            return 0;
        }
    }
    char saved[sizeof im->err];
    memcpy(saved, im->err, sizeof saved);
    if (PQstatus(im->conn) == CONNECTION_OK) {
        exec_simple(im, "ROLLBACK");
    }
    memcpy(im->err, saved, sizeof saved);
    return error;
}

/* ---- open, migrate, close ---- */

static int apply_migrations(pg_impl *im)
{
    int error = begin(im);
    if (error != 0) {
        return error;
    }
    /* Held to the end of the transaction: a second bridge starting now waits here, then
     * finds every migration applied. */
    error = exec_simple(im, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")");
    if (error == 0) {
        error = exec_simple(im, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "version integer PRIMARY KEY, name text NOT NULL, "
                                "applied_ms bigint NOT NULL)");
    }
    for (size_t i = 0; error == 0 && i < bridge_pg_migration_count; i++) {
        const bridge_migration *m = &bridge_pg_migrations[i];
        char version[16];
        snprintf(version, sizeof version, "%d", m->version);
        const char *check_params[1] = {version};
        PGresult *r = PQexecParams(im->conn, "SELECT 1 FROM schema_migrations WHERE version = $1",
                                   1, NULL, check_params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            error = fail(im, "migration check", r);
            PQclear(r);
            break;
        }
        bool applied = PQntuples(r) > 0;
        PQclear(r);
        if (applied) {
            continue;
        }
        r = PQexec(im->conn, m->sql); /* an embedded script, never data */
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            char what[128];
            snprintf(what, sizeof what, "migration %s", m->name);
            error = fail(im, what, r);
            PQclear(r);
            break;
        }
        PQclear(r);
        char now[32];
        snprintf(now, sizeof now, "%" PRId64, pu_time_now_ms());
        const char *record_params[3] = {version, m->name, now};
        r = PQexecParams(im->conn,
                         "INSERT INTO schema_migrations (version, name, applied_ms) "
                         "VALUES ($1, $2, $3)",
                         3, NULL, record_params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            error = fail(im, "migration record", r);
        }
        PQclear(r);
    }
    return finish(im, error);
}

static const bridge_store_ops pg_ops;

static void pg_close(bridge_store *st)
{
    pg_impl *im = impl_of(st);
    PQfinish(im->conn);
    pthread_mutex_destroy(&im->lock);
    free(im);
    free(st);
}

bool bridge_store_is_postgres_uri(const char *database)
{
    return database != NULL && (strncasecmp(database, "postgresql://", 13) == 0 ||
                                strncasecmp(database, "postgres://", 11) == 0);
}

bridge_store *bridge_store_open_postgres(const char *uri, char *err, size_t err_size)
{
    char shown[256];
    bridge_store_uri_redact(uri, shown, sizeof shown);
    bridge_store *st = calloc(1, sizeof *st);
    pg_impl *im = calloc(1, sizeof *im);
    if (st == NULL || im == NULL) {
        free(st);
        free(im);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&im->lock, NULL);
    st->backend = "postgresql";
    st->impl = im;
    st->ops = &pg_ops;
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
        pg_close(st);
        return NULL;
    }
    PQconninfoFree(parsed);
    /* The URI is expanded in place of dbname: what it sets wins over the keywords before it
     * (connect_timeout), and the application name is only a fallback. */
    const char *const keys[] = {"connect_timeout", "dbname", "fallback_application_name", NULL};
    const char *const values[] = {"10", uri, "particle-bridge", NULL};
    im->conn = PQconnectdbParams(keys, values, 1);
    if (im->conn == NULL) {
        snprintf(err, err_size, "out of memory");
        pg_close(st);
        return NULL;
    }
    if (PQstatus(im->conn) != CONNECTION_OK) {
        char msg[400];
        copy_message(msg, sizeof msg, PQerrorMessage(im->conn));
        snprintf(err, err_size, "cannot connect to PostgreSQL %s: %s", shown, msg);
        pg_close(st);
        return NULL;
    }
    if (session_setup(im) != 0 || apply_migrations(im) != 0) {
        snprintf(err, err_size, "database %s: %s", shown, im->err);
        pg_close(st);
        return NULL;
    }
    return st;
}

const char *bridge_store_uri_redact(const char *database, char *out, size_t out_size)
{
    if (out_size == 0) {
        return out;
    }
    out[0] = '\0';
    if (database == NULL) {
        return out;
    }
    if (!bridge_store_is_postgres_uri(database)) {
        pu_strlcpy(out, database, out_size);
        return out;
    }
    size_t len = 0;
#define PUT(ptr, n)                                                                                \
    do {                                                                                           \
        size_t n_ = (n);                                                                           \
        if (n_ > out_size - 1 - len) {                                                             \
            n_ = out_size - 1 - len;                                                               \
        }                                                                                          \
        memcpy(out + len, (ptr), n_);                                                              \
        len += n_;                                                                                 \
    } while (0)
    const char *rest = strstr(database, "://") + 3;
    PUT(database, (size_t)(rest - database));
    /* Authority: up to the path, the query or the end; user info before its last '@'. */
    size_t auth_len = strcspn(rest, "/?");
    const char *at = NULL;
    for (size_t i = 0; i < auth_len; i++) {
        if (rest[i] == '@') {
            at = rest + i;
        }
    }
    if (at != NULL) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        PUT(rest, (size_t)((colon != NULL ? colon : at) - rest));
        rest = at; /* '@' and what follows */
    }
    size_t path_len = strcspn(rest, "?");
    PUT(rest, path_len);
    rest += path_len;
    /* The query: every parameter but password=... */
    if (*rest == '?') {
        rest++;
        bool first = true;
        while (*rest != '\0') {
            size_t item = strcspn(rest, "&");
            bool secret = strncasecmp(rest, "password=", 9) == 0 && item >= 9;
            if (!secret) {
                PUT(first ? "?" : "&", 1);
                PUT(rest, item);
                first = false;
            }
            rest += item;
            if (*rest == '&') {
                rest++;
            }
        }
    }
#undef PUT
    out[len] = '\0';
    return out;
}

static const char *pg_errmsg(const bridge_store *st)
{
    return impl_of(st)->err;
}

/* ---- devices ---- */

static void read_device_row(const PGresult *r, int row, bridge_device *d)
{
    memset(d, 0, sizeof *d);
    col_text(r, row, 0, d->particle_id, sizeof d->particle_id);
    col_text(r, row, 1, d->name, sizeof d->name);
    d->product_id = (int)col_int(r, row, 2);
    d->platform_id = (int)col_int(r, row, 3);
    d->check_interval_ms = col_int(r, row, 4);
    d->date_added_ms = col_int(r, row, 5);
    d->connected = col_bool(r, row, 6);
    d->enabled = col_bool(r, row, 7);
    col_text(r, row, 8, d->last_app, sizeof d->last_app);
    d->last_heard_ms = col_int(r, row, 9);
    d->publish_unknown_as_measurements = col_bool(r, row, 10);
    d->publish_unknown_as_status_posts = col_bool(r, row, 11);
    d->online_notify.post_status_message = col_bool(r, row, 12);
    col_text(r, row, 13, d->online_notify.message, sizeof d->online_notify.message);
    d->offline_notify.post_status_message = col_bool(r, row, 14);
    col_text(r, row, 15, d->offline_notify.message, sizeof d->offline_notify.message);
    d->fault_count = (int)col_int(r, row, 16);
    d->faulted = col_bool(r, row, 17);
    d->breaker_reset_at_ms = col_int(r, row, 18);
    d->breaker_trips = (int)col_int(r, row, 19);
    d->ignore_rename = col_bool(r, row, 20);
    col_text(r, row, 21, d->iccid, sizeof d->iccid);
    d->gone = col_bool(r, row, 22);
    col_text(r, row, 23, d->owner, sizeof d->owner);
}

/* calloc of @p count elements, with one spare so an empty result is not a NULL "failure". */
static void *alloc_rows(size_t count, size_t elem_size)
{
    return calloc(count + 1, elem_size);
}

static int load_device_children(pg_impl *im, bridge_device *d)
{
    params p = {0};
    p_text(&p, d->particle_id);
    PGresult *r = run(im, S_VAR_SELECT_DEV, &p, "variables");
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    size_t n = (size_t)PQntuples(r);
    d->variables = alloc_rows(n, sizeof *d->variables);
    if (d->variables == NULL) {
        PQclear(r);
        snprintf(im->err, sizeof im->err, "out of memory");
        return BRIDGE_STORE_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        bridge_variable *v = &d->variables[i];
        col_text(r, (int)i, 0, v->name, sizeof v->name);
        col_text(r, (int)i, 1, v->type, sizeof v->type);
        v->enabled = col_bool(r, (int)i, 2);
        v->check_interval_ms = col_int(r, (int)i, 3);
    }
    d->variable_count = n;
    PQclear(r);
    r = run(im, S_FN_SELECT_DEV, &p, "functions");
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    n = (size_t)PQntuples(r);
    d->functions = alloc_rows(n, sizeof *d->functions);
    if (d->functions == NULL) {
        PQclear(r);
        snprintf(im->err, sizeof im->err, "out of memory");
        return BRIDGE_STORE_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        col_text(r, (int)i, 0, d->functions[i], BRIDGE_NAME_SIZE);
    }
    d->function_count = n;
    PQclear(r);
    return 0;
}

static int pg_device_get(bridge_store *st, const char *particle_id, bridge_device *out)
{
    pg_impl *im = impl_of(st);
    memset(out, 0, sizeof *out);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    p_text(&p, particle_id);
    int error = BRIDGE_STORE_ERROR;
    PGresult *r = run(im, S_DEV_SELECT_ONE, &p, "device");
    if (r != NULL) {
        if (PQntuples(r) == 0) {
            snprintf(im->err, sizeof im->err, "device %s not found", particle_id);
            error = BRIDGE_STORE_NOTFOUND;
        } else {
            read_device_row(r, 0, out);
            error = load_device_children(im, out);
        }
        PQclear(r);
    }
    leave(im);
    if (error != 0) {
        bridge_device_dispose(out);
    }
    return error;
}

static int pg_device_list(bridge_store *st, bridge_device **out, size_t *count_out)
{
    pg_impl *im = impl_of(st);
    bridge_device *devs = NULL;
    size_t count = 0;
    int error = BRIDGE_STORE_ERROR;
    *out = NULL;
    *count_out = 0;
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    PGresult *r = run(im, S_DEV_SELECT_ALL, &p, "devices");
    if (r == NULL) {
        goto done;
    }
    count = (size_t)PQntuples(r);
    devs = alloc_rows(count, sizeof *devs);
    if (devs == NULL) {
        PQclear(r);
        count = 0;
        snprintf(im->err, sizeof im->err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        read_device_row(r, (int)i, &devs[i]);
    }
    PQclear(r);
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
    leave(im);
    bridge_device_list_free(devs, count);
    return error;
}

static int sync_variables(pg_impl *im, const bridge_cloud_device *cd)
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
            params p = {0};
            p_text(&p, cd->particle_id);
            p_text(&p, current.variables[i].name);
            error = run_count(im, S_VAR_DELETE, &p, "variable delete", NULL);
        }
    }
    bridge_device_dispose(&current);
    for (size_t j = 0; error == 0 && j < cd->variable_count; j++) {
        params p = {0};
        p_text(&p, cd->particle_id);
        p_text(&p, cd->variables[j].name);
        p_text(&p, cd->variables[j].type);
        error = run_count(im, S_VAR_UPSERT, &p, "variable upsert", NULL);
    }
    return error;
}

static int sync_functions(pg_impl *im, const bridge_cloud_device *cd)
{
    params p = {0};
    p_text(&p, cd->particle_id);
    int error = run_count(im, S_FN_DELETE_DEV, &p, "functions delete", NULL);
    for (size_t i = 0; error == 0 && i < cd->function_count; i++) {
        params f = {0};
        p_text(&f, cd->particle_id);
        p_text(&f, cd->functions[i]);
        error = run_count(im, S_FN_INSERT, &f, "function insert", NULL);
    }
    return error;
}

static int pg_device_sync(bridge_store *st, const bridge_cloud_device *cd,
                          const bridge_device_defaults *df, int64_t now_ms, bool *created_out)
{
    pg_impl *im = impl_of(st);
    if (cd->particle_id == NULL || cd->particle_id[0] == '\0') {
        snprintf(im->err, sizeof im->err, "device without id");
        return BRIDGE_STORE_ERROR;
    }
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = begin(im);
    if (error != 0) {
        leave(im);
        return error;
    }
    params p = {0};
    p_text(&p, cd->particle_id);
    p_text(&p, cd->name ? cd->name : "");
    p_int(&p, cd->product_id);
    p_int(&p, cd->platform_id);
    p_int(&p, df->check_interval_ms);
    p_int(&p, now_ms);
    p_bool(&p, cd->connected);
    p_bool(&p, df->enabled);
    p_text(&p, cd->last_app ? cd->last_app : "");
    p_int(&p, cd->last_heard_ms);
    p_bool(&p, df->publish_unknown_as_measurements);
    p_bool(&p, df->publish_unknown_as_status_posts);
    p_bool(&p, df->online_notify.post_status_message);
    p_text(&p, df->online_notify.message);
    p_bool(&p, df->offline_notify.post_status_message);
    p_text(&p, df->offline_notify.message);
    p_text(&p, cd->iccid ? cd->iccid : "");
    p_text(&p, cd->owner ? cd->owner : "");
    uint64_t inserted = 0;
    if ((error = run_count(im, S_DEV_INSERT, &p, "device insert", &inserted)) != 0) {
        goto done;
    }
    bool created = inserted > 0;
    if (!created) {
        params u = {0};
        p_text(&u, cd->particle_id);
        p_text(&u, cd->name ? cd->name : "");
        p_int(&u, cd->product_id);
        p_int(&u, cd->platform_id);
        p_text(&u, cd->last_app);
        p_int(&u, cd->last_heard_ms);
        p_text(&u, cd->iccid);
        p_int(&u, now_ms);
        p_text(&u, cd->owner ? cd->owner : "");
        if ((error = run_count(im, S_DEV_UPDATE_SYNC, &u, "device update", NULL)) != 0) {
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
    leave(im);
    return error;
}

static int pg_devices_mark_gone(bridge_store *st, int product_id, const char *owner,
                                int64_t before_ms, size_t *marked_out)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    p_int(&p, product_id);
    p_int(&p, before_ms);
    p_text(&p, owner); /* NULL: any owner */
    uint64_t marked = 0;
    int error = run_count(im, S_DEV_MARK_GONE, &p, "mark gone", &marked);
    if (error == 0 && marked_out != NULL) {
        *marked_out = (size_t)marked;
    }
    leave(im);
    return error;
}

static int pg_device_update_settings(bridge_store *st, const char *id,
                                     const bridge_settings_patch *patch)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = begin(im);
    if (error != 0) {
        leave(im);
        return error;
    }
    params p = {0};
    p_text(&p, id);
    p_bool(&p, patch->has_check_interval);
    p_int(&p, patch->check_interval_ms);
    p_bool(&p, patch->has_enabled);
    p_bool(&p, patch->enabled);
    p_bool(&p, patch->has_publish_measurements);
    p_bool(&p, patch->publish_unknown_as_measurements);
    p_bool(&p, patch->has_publish_status_posts);
    p_bool(&p, patch->publish_unknown_as_status_posts);
    p_bool(&p, patch->has_online_notify);
    p_bool(&p, patch->online_notify.post_status_message);
    p_text(&p, patch->online_notify.message);
    p_bool(&p, patch->has_offline_notify);
    p_bool(&p, patch->offline_notify.post_status_message);
    p_text(&p, patch->offline_notify.message);
    p_bool(&p, patch->has_ignore_rename);
    p_bool(&p, patch->ignore_rename);
    uint64_t changed = 0;
    if ((error = run_count(im, S_DEV_UPDATE_SETTINGS, &p, "settings", &changed)) != 0) {
        goto done;
    }
    if (changed == 0) {
        snprintf(im->err, sizeof im->err, "device %s not found", id);
        error = BRIDGE_STORE_NOTFOUND;
        goto done;
    }
    for (size_t i = 0; i < patch->variable_count; i++) {
        const bridge_variable_patch *v = &patch->variables[i];
        params q = {0};
        p_text(&q, id);
        p_text(&q, v->name);
        p_bool(&q, v->has_enabled);
        p_bool(&q, v->enabled);
        p_bool(&q, v->has_check_interval);
        p_int(&q, v->check_interval_ms);
        if ((error = run_count(im, S_VAR_UPDATE_SETTINGS, &q, "variable settings", &changed)) !=
            0) {
            goto done;
        }
        if (changed == 0) {
            snprintf(im->err, sizeof im->err, "device %s has no variable %s", id, v->name);
            error = BRIDGE_STORE_NOTFOUND;
            goto done;
        }
    }
done:
    error = finish(im, error);
    leave(im);
    return error;
}

static int pg_device_set_breaker(bridge_store *st, const char *id, const bridge_breaker_state *b)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    p_text(&p, id);
    p_int(&p, b->fault_count);
    p_bool(&p, b->faulted);
    p_int(&p, b->reset_at_ms);
    p_int(&p, b->trips);
    uint64_t changed = 0;
    int error = run_count(im, S_DEV_SET_BREAKER, &p, "breaker", &changed);
    if (error == 0 && changed == 0) {
        snprintf(im->err, sizeof im->err, "device %s not found", id);
        error = BRIDGE_STORE_NOTFOUND;
    }
    leave(im);
    return error;
}

/* Sets the flag and, when it changed, adds a row to the online/offline history. */
static int set_connected_locked(pg_impl *im, const char *id, bool connected, int64_t ts_ms,
                                const char *source, bool *changed_out)
{
    params p = {0};
    p_text(&p, id);
    p_bool(&p, connected);
    uint64_t n = 0;
    int error = run_count(im, S_DEV_SET_CONNECTED, &p, "connected", &n);
    bool changed = error == 0 && n > 0;
    /* Events may arrive for a device not synced yet: their history still counts. */
    if (error == 0 && (changed || strcmp(source, "event") == 0)) {
        params h = {0};
        p_text(&h, id);
        p_int(&h, ts_ms);
        p_bool(&h, connected);
        p_text(&h, source);
        error = run_count(im, S_CONN_INSERT, &h, "connectivity", NULL);
    }
    if (changed_out != NULL) {
        *changed_out = changed;
    }
    return error;
}

static int pg_device_set_connected(bridge_store *st, const char *id, bool connected, int64_t ts_ms,
                                   bool *changed_out)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = begin(im);
    if (error == 0) {
        error = finish(im, set_connected_locked(im, id, connected, ts_ms, "sync", changed_out));
    }
    leave(im);
    return error;
}

/* ---- SIMs ---- */

static int pg_sim_upsert(bridge_store *st, const bridge_sim *sim)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    int error = begin(im);
    if (error != 0) {
        leave(im);
        return error;
    }
    params p = {0};
    p_text(&p, sim->iccid);
    p_text(&p, sim->device_id);
    p_text(&p, sim->base_country_code);
    p_double(&p, sim->base_monthly_rate);
    p_double(&p, sim->overage_monthly_rate);
    p_int(&p, sim->first_activated_on_ms);
    p_int(&p, sim->last_activated_on_ms);
    p_text(&p, sim->imsi);
    p_double(&p, sim->limit_mb);
    p_text(&p, sim->status);
    p_text(&p, sim->carrier);
    p_text(&p, sim->last_status_change_action);
    p_text(&p, sim->last_status_change_action_error);
    p_int(&p, sim->last_updated_ms);
    p_int(&p, sim->date_added_ms);
    p_int(&p, sim->network.connected);
    p_int(&p, sim->network.gsm);
    p_int(&p, sim->network.data);
    p_int(&p, sim->network.checked_ms);
    error = run_count(im, S_SIM_UPSERT, &p, "sim", NULL);
    for (size_t i = 0; error == 0 && i < sim->usage_count; i++) {
        params u = {0};
        p_text(&u, sim->iccid);
        p_int(&u, sim->usage[i].date_ms);
        p_double(&u, sim->usage[i].used_mb);
        p_double(&u, sim->usage[i].cumulative_mb);
        error = run_count(im, S_SIM_USAGE_UPSERT, &u, "sim usage", NULL);
    }
    error = finish(im, error);
    leave(im);
    return error;
}

static int pg_sim_get(bridge_store *st, const char *iccid, bridge_sim *out)
{
    pg_impl *im = impl_of(st);
    int error = BRIDGE_STORE_ERROR;
    memset(out, 0, sizeof *out);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    p_text(&p, iccid);
    PGresult *r = run(im, S_SIM_SELECT, &p, "sim");
    if (r == NULL) {
        goto done;
    }
    if (PQntuples(r) == 0) {
        PQclear(r);
        snprintf(im->err, sizeof im->err, "sim %s not found", iccid);
        error = BRIDGE_STORE_NOTFOUND;
        goto done;
    }
    col_text(r, 0, 0, out->iccid, sizeof out->iccid);
    col_text(r, 0, 1, out->device_id, sizeof out->device_id);
    col_text(r, 0, 2, out->base_country_code, sizeof out->base_country_code);
    out->base_monthly_rate = col_double(r, 0, 3);
    out->overage_monthly_rate = col_double(r, 0, 4);
    out->first_activated_on_ms = col_int(r, 0, 5);
    out->last_activated_on_ms = col_int(r, 0, 6);
    col_text(r, 0, 7, out->imsi, sizeof out->imsi);
    out->limit_mb = col_double(r, 0, 8);
    col_text(r, 0, 9, out->status, sizeof out->status);
    col_text(r, 0, 10, out->carrier, sizeof out->carrier);
    col_text(r, 0, 11, out->last_status_change_action, sizeof out->last_status_change_action);
    col_text(r, 0, 12, out->last_status_change_action_error,
             sizeof out->last_status_change_action_error);
    out->last_updated_ms = col_int(r, 0, 13);
    out->date_added_ms = col_int(r, 0, 14);
    out->network.connected = (int)col_int(r, 0, 15);
    out->network.gsm = (int)col_int(r, 0, 16);
    out->network.data = (int)col_int(r, 0, 17);
    out->network.checked_ms = col_int(r, 0, 18);
    PQclear(r);
    r = run(im, S_SIM_USAGE_SELECT, &p, "sim usage");
    if (r == NULL) {
        goto done;
    }
    size_t n = (size_t)PQntuples(r);
    out->usage = alloc_rows(n, sizeof *out->usage);
    if (out->usage == NULL) {
        PQclear(r);
        snprintf(im->err, sizeof im->err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        out->usage[i].date_ms = col_int(r, (int)i, 0);
        out->usage[i].used_mb = col_double(r, (int)i, 1);
        out->usage[i].cumulative_mb = col_double(r, (int)i, 2);
    }
    out->usage_count = n;
    PQclear(r);
    error = 0;
done:
    leave(im);
    if (error != 0) {
        bridge_sim_dispose(out);
    }
    return error;
}

/* ---- ingest ---- */

/*
 * A batch is written in pipeline mode (libpq 14+): statements go out without waiting for
 * each other's answers, so a batch costs a few round trips instead of one per row. It runs
 * in two phases inside the batch's transaction: first every event, whose answers say which
 * events are new; then, in record order, what is derived from the new events, the readings
 * and the cursors. Every PIPE_CHUNK statements the pipeline is synced and its answers read,
 * so neither side's socket buffer can fill up while the other waits.
 *
 * Events, measurements (with their series' latest values) and status posts, the rows every
 * event brings, go in multi-row INSERTs: a statement of BULK_MAX rows for each full chunk,
 * and for the rest at most one statement of each smaller power of two (BULK_MAX / 2, ...,
 * 1), so eight statements per table cover any number of rows and the SQL text depends on
 * the row count only, never on data. ON CONFLICT DO NOTHING skips the rows stored before,
 * in this statement or by another bridge. The event INSERT returns the keys it stored, which
 * say which records were new; the measurement INSERT returns the count it stored.
 */
#define PIPE_CHUNK 256

typedef struct bulk_def {
    const char *name;                 /* in the prepared statements' names */
    const char *head;                 /* the SQL before the rows */
    const char *types[BULK_MAX_COLS]; /* each parameter's cast */
    int cols;
    const char *tail; /* the SQL after the rows */
} bulk_def;

static const bulk_def bulk_defs[B_COUNT_] = {
    [B_EVENT] = {"event",
                 "INSERT INTO events (device_id, name, data, published_at_ms, key, source, "
                 "received_at_ms) VALUES ",
                 {"text", "text", "text", "bigint", "bigint", "text", "bigint"},
                 7,
                 " ON CONFLICT (published_at_ms, key) DO NOTHING RETURNING published_at_ms, key"},
    /* The rows, then each series' latest value from the rows stored: per (device, name) the
     * newest, the last of equal times (as row-by-row updates with >= would leave it), and
     * only when not older than the stored one. */
    [B_MEAS] = {"meas",
                "WITH ins AS (INSERT INTO measurements (device_id, name, value, ts_ms, source, "
                "key) VALUES ",
                {"text", "text", "double precision", "bigint", "text", "bigint"},
                6,
                " ON CONFLICT (ts_ms, key) DO NOTHING "
                "RETURNING id, device_id, name, value, ts_ms, source), "
                "latest AS (INSERT INTO measurements_latest AS l "
                "(device_id, name, value, ts_ms, source) "
                "SELECT DISTINCT ON (device_id, name) device_id, name, value, ts_ms, source "
                "FROM ins ORDER BY device_id, name, ts_ms DESC, id DESC "
                "ON CONFLICT (device_id, name) DO UPDATE SET value = excluded.value, "
                "ts_ms = excluded.ts_ms, source = excluded.source "
                "WHERE excluded.ts_ms >= l.ts_ms) "
                "SELECT count(*) FROM ins"},
    [B_POST] = {"post",
                "INSERT INTO status_posts (device_id, kind, name, message, ts_ms, key) VALUES ",
                {"text", "text", "text", "text", "bigint", "bigint"},
                6,
                " ON CONFLICT (ts_ms, key) DO NOTHING"},
};

/* Appends to @p sql (capacity @p cap, length @p *len); false when it does not fit. */
__attribute__((format(printf, 4, 5))) static bool sql_append(char *sql, size_t cap, size_t *len,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sql + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *len) {
        return false;
    }
    *len += (size_t)n;
    return true;
}

/* The SQL of @p def for @p rows rows, from placeholders only; malloc'd, NULL if out of
 * memory. */
static char *bulk_sql(const bulk_def *def, int rows)
{
    /* ", $448::double precision" and a row's "(", ")" and ", " fit in the estimate. */
    size_t cap =
        strlen(def->head) + strlen(def->tail) + (size_t)rows * ((size_t)def->cols * 28 + 4) + 1;
    char *sql = malloc(cap);
    if (sql == NULL) {
        return NULL;
    }
    size_t len = 0;
    bool ok = sql_append(sql, cap, &len, "%s", def->head);
    int param = 1;
    for (int r = 0; ok && r < rows; r++) {
        ok = sql_append(sql, cap, &len, "%s(", r > 0 ? ", " : "");
        for (int c = 0; ok && c < def->cols; c++) {
            ok = sql_append(sql, cap, &len, "%s$%d::%s", c > 0 ? ", " : "", param++, def->types[c]);
        }
        ok = ok && sql_append(sql, cap, &len, ")");
    }
    if (!ok || !sql_append(sql, cap, &len, "%s", def->tail)) {
        free(sql);
        return NULL;
    }
    return sql;
}

static void bulk_name(char *out, size_t size, bulk_kind kind, int rows)
{
    snprintf(out, size, "bridge_bulk_%s_%d", bulk_defs[kind].name, rows);
}

/* Prepares every row count of every multi-row INSERT on this connection, unless it is. */
static int bulk_prepare_all(pg_impl *im)
{
    for (int kind = 0; kind < B_COUNT_; kind++) {
        for (int size = 0; size < BULK_SIZES; size++) {
            if (im->bulk_prepared[kind][size]) {
                continue;
            }
            int rows = BULK_MAX >> size;
            char *sql = bulk_sql(&bulk_defs[kind], rows);
            if (sql == NULL) {
                snprintf(im->err, sizeof im->err, "out of memory");
                return BRIDGE_STORE_ERROR;
            }
            char name[64];
            bulk_name(name, sizeof name, (bulk_kind)kind, rows);
            PGresult *r = PQprepare(im->conn, name, sql, 0, NULL);
            free(sql);
            int error = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(im, "prepare", r);
            PQclear(r);
            if (error != 0) {
                return error;
            }
            im->bulk_prepared[kind][size] = true;
        }
    }
    return 0;
}

typedef enum pipe_tag { T_EVENT, T_MEAS, T_POST, T_VITALS, T_OTHER } pipe_tag;

static const pipe_tag bulk_tags[B_COUNT_] = {
    [B_EVENT] = T_EVENT, [B_MEAS] = T_MEAS, [B_POST] = T_POST};

/* A statement sent whose answer is not read yet. */
typedef struct pending {
    pipe_tag tag;
    size_t first; /* T_EVENT: its first row in pipeline.ev */
    int rows;     /* the rows it inserts */
} pending;

/* An event sent, to tell from the keys the INSERT returns which record was new. */
typedef struct event_row {
    size_t rec;
    int64_t published_at_ms;
    int64_t key;
} event_row;

/* The rows gathered for one table's next multi-row INSERT. */
typedef struct bulk {
    params row[BULK_MAX];
    int rows;
} bulk;

typedef struct pipeline {
    pg_impl *im;
    bridge_write_result *res;
    bool *fresh;     /* per record: its event was new (phase 1's answers) */
    event_row *ev;   /* the batch's events, in the order they are sent */
    size_t ev_count; /* gathered */
    size_t ev_sent;  /* sent */
    bulk bulk[B_COUNT_];
    pending pend[PIPE_CHUNK];
    int pending;
    int error;
} pipeline;

static const char *tag_name(pipe_tag t)
{
    switch (t) {
    case T_EVENT:
        return "event";
    case T_MEAS:
        return "measurement";
    case T_POST:
        return "status post";
    case T_VITALS:
        return "vitals";
    case T_OTHER:
        break;
    }
    return "batch";
}

/* Marks new the records whose event keys @p r (an event INSERT's answer) returns. Of equal
 * events in one statement the first was stored; the others are its duplicates. */
static void mark_fresh(pipeline *pl, const pending *e, const PGresult *r)
{
    for (int t = 0; t < PQntuples(r); t++) {
        int64_t published_at_ms = col_int(r, t, 0);
        int64_t key = col_int(r, t, 1);
        for (size_t j = e->first; j < e->first + (size_t)e->rows; j++) {
            const event_row *ev = &pl->ev[j];
            if (!pl->fresh[ev->rec] && ev->published_at_ms == published_at_ms && ev->key == key) {
                pl->fresh[ev->rec] = true;
                break;
            }
        }
    }
}

/* Counts one statement's answer into the batch's result: rows it stored, and the rest as
 * duplicates (seen before, here or by another bridge: their rows are stored). */
static void account(pipeline *pl, const pending *e, PGresult *r)
{
    bridge_write_result *res = pl->res;
    uint64_t rows = (uint64_t)e->rows;
    uint64_t stored = 0;
    switch (e->tag) {
    case T_EVENT:
        mark_fresh(pl, e, r);
        stored = (uint64_t)PQntuples(r);
        res->events_stored += stored;
        res->events_duplicate += rows - stored;
        break;
    case T_MEAS:
        stored = (uint64_t)col_int(r, 0, 0);
        res->measurements_stored += stored;
        break;
    case T_POST:
        stored = affected(r);
        res->status_posts_stored += stored;
        break;
    case T_VITALS:
        stored = affected(r);
        res->vitals_stored += stored;
        break;
    case T_OTHER:
        return;
    }
    res->duplicates += stored < rows ? rows - stored : 0;
}

/* Syncs the pipeline and reads the answers of every pending statement, in order. After a
 * failed statement the server skips the rest up to the sync (PGRES_PIPELINE_ABORTED); the
 * first failure is the one reported. */
static void pipe_drain(pipeline *pl)
{
    pg_impl *im = pl->im;
    if (pl->pending == 0) {
        return;
    }
    int n = pl->pending;
    pl->pending = 0;
    if (!PQpipelineSync(im->conn)) {
        pl->error = fail(im, "pipeline sync", NULL);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *what = tag_name(pl->pend[i].tag);
        PGresult *r = PQgetResult(im->conn);
        if (r == NULL) {
            pl->error = fail(im, what, NULL);
            return;
        }
        ExecStatusType rs = PQresultStatus(r);
        if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
            account(pl, &pl->pend[i], r);
        } else if (pl->error == 0) {
            pl->error = fail(im, what, r);
        }
        PQclear(r);
        if (PQstatus(im->conn) == CONNECTION_BAD) {
            pl->error = pl->error ? pl->error : fail(im, what, NULL);
            return;
        }
        r = PQgetResult(im->conn); /* NULL ends each statement's answers */
        PQclear(r);
    }
    PGresult *r = PQgetResult(im->conn);
    if (PQresultStatus(r) != PGRES_PIPELINE_SYNC && pl->error == 0) {
        pl->error = fail(im, "pipeline sync", r);
    }
    PQclear(r);
}

/* Sends prepared statement @p name with @p nvals parameters; @p e says how to read its
 * answer. */
static void pipe_queue(pipeline *pl, const char *name, int nvals, const char *const *vals,
                       pending e)
{
    if (pl->error != 0) {
        return;
    }
    if (!PQsendQueryPrepared(pl->im->conn, name, nvals, vals, NULL, NULL, 0)) {
        pl->error = fail(pl->im, tag_name(e.tag), NULL);
        return;
    }
    pl->pend[pl->pending++] = e;
    if (pl->pending == PIPE_CHUNK) {
        pipe_drain(pl);
    }
}

/* Sends a single-row statement. */
static void pipe_send(pipeline *pl, enum stmt_id id, const params *p, pipe_tag tag)
{
    pipe_queue(pl, stmt_name[id], p->n, p->v, (pending){.tag = tag, .rows = 1});
}

/* Sends the rows gathered for @p kind: whole statements of BULK_MAX, BULK_MAX / 2, ..., 1
 * rows, in their order. */
static void bulk_flush(pipeline *pl, bulk_kind kind)
{
    const bulk_def *def = &bulk_defs[kind];
    bulk *b = &pl->bulk[kind];
    int off = 0;
    for (int size = 0; size < BULK_SIZES; size++) {
        int rows = BULK_MAX >> size;
        while (b->rows - off >= rows) {
            const char *vals[BULK_MAX * BULK_MAX_COLS];
            for (int r = 0; r < rows; r++) {
                memcpy(&vals[r * def->cols], b->row[off + r].v, (size_t)def->cols * sizeof vals[0]);
            }
            char name[64];
            bulk_name(name, sizeof name, kind, rows);
            pending e = {.tag = bulk_tags[kind], .first = pl->ev_sent, .rows = rows};
            if (kind == B_EVENT) {
                pl->ev_sent += (size_t)rows;
            }
            pipe_queue(pl, name, rows * def->cols, vals, e);
            off += rows;
        }
    }
    b->rows = 0;
}

/* The next row of @p kind's multi-row INSERT, empty, to be filled with exactly its
 * columns; sends the rows gathered before when they make a full statement. */
static params *bulk_row(pipeline *pl, bulk_kind kind)
{
    bulk *b = &pl->bulk[kind];
    if (b->rows == BULK_MAX) {
        bulk_flush(pl, kind);
    }
    params *p = &b->row[b->rows++];
    p->n = 0;
    return p;
}

static void send_measurements(pipeline *pl, const bridge_record *r)
{
    for (size_t i = 0; i < r->measurement_count; i++) {
        const bridge_measurement *m = &r->measurements[i];
        const char *source = m->source ? m->source : r->source;
        bridge_key k;
        bridge_key_init(&k);
        bridge_key_cstr(&k, m->device_id);
        bridge_key_cstr(&k, m->name);
        bridge_key_int(&k, m->ts_ms);
        bridge_key_cstr(&k, source);
        params *p = bulk_row(pl, B_MEAS);
        p_text(p, m->device_id);
        p_text(p, m->name);
        p_double(p, m->value);
        p_int(p, m->ts_ms);
        p_text(p, source);
        p_int(p, bridge_key_final(&k));
    }
    for (size_t i = 0; i < r->post_count; i++) {
        const bridge_status_post *post = &r->posts[i];
        const char *name = post->name ? post->name : "";
        const char *message = post->message ? post->message : "";
        bridge_key k;
        bridge_key_init(&k);
        bridge_key_cstr(&k, post->device_id);
        bridge_key_cstr(&k, post->kind);
        bridge_key_cstr(&k, name);
        bridge_key_int(&k, post->ts_ms);
        bridge_key_cstr(&k, message);
        params *p = bulk_row(pl, B_POST);
        p_text(p, post->device_id);
        p_text(p, post->kind);
        p_text(p, name);
        p_text(p, message);
        p_int(p, post->ts_ms);
        p_int(p, bridge_key_final(&k));
    }
}

static void send_event(pipeline *pl, const bridge_record *r, size_t rec)
{
    bridge_key k;
    bridge_key_init(&k);
    bridge_key_cstr(&k, r->device_id);
    bridge_key_cstr(&k, r->event_name);
    bridge_key_int(&k, r->published_at_ms);
    bridge_key_cstr(&k, r->event_data);
    int64_t key = bridge_key_final(&k);
    params *p = bulk_row(pl, B_EVENT); /* may send earlier rows: they are in ev already */
    pl->ev[pl->ev_count++] = (event_row){rec, r->published_at_ms, key};
    p_text(p, r->device_id);
    p_text(p, r->event_name);
    p_text(p, r->event_data);
    p_int(p, r->published_at_ms);
    p_int(p, key);
    p_text(p, r->source);
    p_int(p, r->received_at_ms);
}

/* What a new event brings: its online/offline change (the history row is written for
 * every new spark/status event, as set_connected_locked does for source "event"), its
 * vitals, measurements and status posts. */
static void send_derived(pipeline *pl, const bridge_record *r)
{
    if (r->online >= 0) {
        params c = {0};
        p_text(&c, r->device_id);
        p_bool(&c, r->online == 1);
        pipe_send(pl, S_DEV_SET_CONNECTED, &c, T_OTHER);
        params h = {0};
        p_text(&h, r->device_id);
        p_int(&h, r->published_at_ms);
        p_bool(&h, r->online == 1);
        p_text(&h, "event");
        pipe_send(pl, S_CONN_INSERT, &h, T_OTHER);
    }
    if (r->vitals != NULL) {
        params p = {0};
        vitals_params(&p, r->vitals);
        pipe_send(pl, S_VITALS_INSERT, &p, T_VITALS);
    }
    send_measurements(pl, r);
}

/* The single-row statements a batch sends, prepared (outside the pipeline) before it
 * starts, like the multi-row ones. */
static const enum stmt_id batch_stmts[] = {S_DEV_SET_CONNECTED, S_CONN_INSERT, S_VITALS_INSERT,
                                           S_CURSOR_UPSERT};

static int write_records(pg_impl *im, const bridge_record *recs, size_t count, pipeline *pl)
{
    for (size_t i = 0; i < count; i++) {
        if (recs[i].kind != BRIDGE_RECORD_EVENT && recs[i].kind != BRIDGE_RECORD_READING &&
            recs[i].kind != BRIDGE_RECORD_CURSOR) {
            snprintf(im->err, sizeof im->err, "unknown record kind %d", (int)recs[i].kind);
            return BRIDGE_STORE_ERROR;
        }
    }
    for (size_t i = 0; i < sizeof batch_stmts / sizeof batch_stmts[0]; i++) {
        if (prepare(im, batch_stmts[i]) != 0) {
            return BRIDGE_STORE_ERROR;
        }
    }
    if (bulk_prepare_all(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    if (!PQenterPipelineMode(im->conn)) {
        return fail(im, "pipeline mode", NULL);
    }
    for (size_t i = 0; i < count; i++) {
        if (recs[i].kind == BRIDGE_RECORD_EVENT) {
            send_event(pl, &recs[i], i);
        }
    }
    bulk_flush(pl, B_EVENT);
    pipe_drain(pl);
    for (size_t i = 0; i < count && pl->error == 0; i++) {
        const bridge_record *r = &recs[i];
        if (r->kind == BRIDGE_RECORD_EVENT && pl->fresh[i]) {
            send_derived(pl, r);
        } else if (r->kind == BRIDGE_RECORD_READING) {
            send_measurements(pl, r);
        } else if (r->kind == BRIDGE_RECORD_CURSOR) {
            params p = {0};
            p_text(&p, r->stream);
            p_text(&p, r->last_event_id);
            p_int(&p, r->received_at_ms);
            pipe_send(pl, S_CURSOR_UPSERT, &p, T_OTHER);
        }
    }
    bulk_flush(pl, B_MEAS);
    bulk_flush(pl, B_POST);
    pipe_drain(pl);
    if (PQstatus(im->conn) == CONNECTION_OK && !PQexitPipelineMode(im->conn) && pl->error == 0) {
        pl->error = fail(im, "pipeline end", NULL);
    }
    return pl->error;
}

static int pg_write_batch(bridge_store *st, const bridge_record *recs, size_t count,
                          bridge_write_result *result)
{
    pg_impl *im = impl_of(st);
    bridge_write_result res = {0};
    /* The pipeline holds a full multi-row statement of every table: on the heap. */
    pipeline *pl = calloc(1, sizeof *pl);
    bool *fresh = calloc(count + 1, sizeof *fresh);
    event_row *ev = calloc(count + 1, sizeof *ev);
    int error = BRIDGE_STORE_ERROR;
    if (pl == NULL || fresh == NULL || ev == NULL) {
        snprintf(im->err, sizeof im->err, "out of memory");
    } else if ((error = enter(im)) == 0) {
        pl->im = im;
        pl->res = &res;
        pl->fresh = fresh;
        pl->ev = ev;
        error = begin(im);
        if (error == 0) {
            error = finish(im, write_records(im, recs, count, pl));
        }
        leave(im);
    }
    free(ev);
    free(fresh);
    free(pl);
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

static void query_params(params *p, const bridge_query *q, bool with_name)
{
    p_text(p, q->device_id);
    if (with_name) {
        p_text(p, q->name);
    }
    p_int(p, q->from_ms);
    p_int(p, q->to_ms > 0 ? q->to_ms : INT64_MAX);
    p_int(p, q->limit > 0 ? q->limit : DEFAULT_QUERY_LIMIT);
}

/* Feeds a measurement-shaped result (device, name, value, ts, source) to @p cb. */
static void each_measurement(const PGresult *r, bridge_measurement_fn *cb, void *payload)
{
    for (int i = 0; i < PQntuples(r); i++) {
        bridge_measurement m = {
            .device_id = col_str(r, i, 0),
            .name = col_str(r, i, 1),
            .value = col_double(r, i, 2),
            .ts_ms = col_int(r, i, 3),
            .source = col_str(r, i, 4),
        };
        if (cb(&m, payload) != 0) {
            break;
        }
    }
}

static int pg_measurements_query(bridge_store *st, const bridge_query *q, bridge_measurement_fn *cb,
                                 void *payload)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    query_params(&p, q, true);
    PGresult *r = run(im, S_MEAS_QUERY, &p, "measurements");
    leave(im); /* the result is ours: the callback runs without the lock */
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    each_measurement(r, cb, payload);
    PQclear(r);
    return 0;
}

static int pg_latest_measurements(bridge_store *st, const char *device_id,
                                  bridge_measurement_fn *cb, void *payload)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    p_text(&p, device_id);
    PGresult *r = run(im, S_MEAS_LATEST, &p, "measurements");
    leave(im);
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    each_measurement(r, cb, payload);
    PQclear(r);
    return 0;
}

static int pg_status_posts_query(bridge_store *st, const bridge_query *q, bridge_status_post_fn *cb,
                                 void *payload)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    query_params(&p, q, true);
    PGresult *r = run(im, S_POST_QUERY, &p, "status posts");
    leave(im);
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        bridge_status_post post = {
            .device_id = col_str(r, i, 0),
            .kind = col_str(r, i, 1),
            .name = col_str(r, i, 2),
            .message = col_str(r, i, 3),
            .ts_ms = col_int(r, i, 4),
        };
        if (cb(&post, payload) != 0) {
            break;
        }
    }
    PQclear(r);
    return 0;
}

static int pg_cursor_get(bridge_store *st, const char *stream, char *out, size_t out_size)
{
    pg_impl *im = impl_of(st);
    if (out_size > 0) {
        out[0] = '\0';
    }
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    p_text(&p, stream);
    int error = BRIDGE_STORE_ERROR;
    PGresult *r = run(im, S_CURSOR_SELECT, &p, "cursor");
    if (r != NULL) {
        if (PQntuples(r) > 0) {
            col_text(r, 0, 0, out, out_size);
            error = 0;
        } else {
            error = BRIDGE_STORE_NOTFOUND;
        }
        PQclear(r);
    }
    leave(im);
    return error;
}

static int pg_stats(bridge_store *st, bridge_store_counts *out)
{
    pg_impl *im = impl_of(st);
    memset(out, 0, sizeof *out);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    PGresult *r = run(im, S_STATS, &p, "stats");
    leave(im);
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    out->devices = (uint64_t)col_int(r, 0, 0);
    out->devices_faulted = (uint64_t)col_int(r, 0, 1);
    out->devices_gone = (uint64_t)col_int(r, 0, 2);
    out->events = (uint64_t)col_int(r, 0, 3);
    out->measurements = (uint64_t)col_int(r, 0, 4);
    out->status_posts = (uint64_t)col_int(r, 0, 5);
    PQclear(r);
    return 0;
}

/* ---- vitals ---- */

static int vitals_insert_locked(pg_impl *im, const bridge_vitals *v, bool *stored_out)
{
    params p = {0};
    vitals_params(&p, v);
    uint64_t n = 0;
    if (run_count(im, S_VITALS_INSERT, &p, "vitals", &n) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    *stored_out = n > 0;
    return 0;
}

static int pg_vitals_put(bridge_store *st, const bridge_vitals *v, bool *stored_out)
{
    pg_impl *im = impl_of(st);
    bool stored = false;
    if (v == NULL || v->device_id == NULL || v->device_id[0] == '\0') {
        snprintf(im->err, sizeof im->err, "vitals: no device id");
        return BRIDGE_STORE_ERROR;
    }
    int error = enter(im);
    if (error == 0) {
        error = vitals_insert_locked(im, v, &stored);
        leave(im);
    }
    if (stored_out != NULL) {
        *stored_out = error == 0 && stored;
    }
    return error;
}

static double col_double_or_nan(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NAN : col_double(r, row, col);
}

static int64_t col_count_or_absent(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? -1 : col_int(r, row, col);
}

/* Feeds a result of VITALS_COLUMNS to @p cb; clears it. */
static int each_vitals(PGresult *r, bridge_vitals_fn *cb, void *payload)
{
    if (r == NULL) {
        return BRIDGE_STORE_ERROR;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        bridge_vitals v = {
            .device_id = col_str(r, i, 0),
            .updated_at_ms = col_int(r, i, 1),
            .source = col_str(r, i, 2),
            .payload = col_str(r, i, 3),
            .signal_strength_pct = col_double_or_nan(r, i, 4),
            .signal_quality_pct = col_double_or_nan(r, i, 5),
            .battery_charge_pct = col_double_or_nan(r, i, 6),
            .memory_used_bytes = col_count_or_absent(r, i, 7),
            .memory_total_bytes = col_count_or_absent(r, i, 8),
            .uptime_s = col_count_or_absent(r, i, 9),
            .cloud_disconnects = col_count_or_absent(r, i, 10),
        };
        if (cb(&v, payload) != 0) {
            break;
        }
    }
    PQclear(r);
    return 0;
}

static int pg_vitals_last(bridge_store *st, const char *device_id, bridge_vitals_fn *cb,
                          void *payload)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    if (device_id != NULL) {
        p_text(&p, device_id);
    }
    PGresult *r = run(im, device_id != NULL ? S_VITALS_LAST_ONE : S_VITALS_LAST_ALL, &p, "vitals");
    leave(im);
    return each_vitals(r, cb, payload);
}

static int pg_vitals_history(bridge_store *st, const bridge_query *q, bridge_vitals_fn *cb,
                             void *payload)
{
    pg_impl *im = impl_of(st);
    if (enter(im) != 0) {
        return BRIDGE_STORE_ERROR;
    }
    params p = {0};
    query_params(&p, q, false); /* q->name does not apply to vitals */
    PGresult *r = run(im, S_VITALS_QUERY, &p, "vitals");
    leave(im);
    return each_vitals(r, cb, payload);
}

static const bridge_store_ops pg_ops = {
    .close = pg_close,
    .errmsg = pg_errmsg,
    .device_sync = pg_device_sync,
    .devices_mark_gone = pg_devices_mark_gone,
    .device_get = pg_device_get,
    .device_list = pg_device_list,
    .device_update_settings = pg_device_update_settings,
    .device_set_breaker = pg_device_set_breaker,
    .device_set_connected = pg_device_set_connected,
    .sim_upsert = pg_sim_upsert,
    .sim_get = pg_sim_get,
    .write_batch = pg_write_batch,
    .measurements_query = pg_measurements_query,
    .latest_measurements = pg_latest_measurements,
    .status_posts_query = pg_status_posts_query,
    .cursor_get = pg_cursor_get,
    .stats = pg_stats,
    .vitals_put = pg_vitals_put,
    .vitals_last = pg_vitals_last,
    .vitals_history = pg_vitals_history,
};
