/*
 * The PostgreSQL driver's partitions (driver.h partitions): events, measurements and status
 * posts are partitioned by UTC day (migration 0012). Each run creates the partitions of
 * yesterday to DAYS_AHEAD days ahead that are missing, moving any rows of those days out of
 * the DEFAULT partition first (a partition cannot be made for a range the DEFAULT one holds
 * rows of), and drops the partitions that lie wholly before the retention cut.
 *
 * The SQL names tables built from the fixed list below and digits only, never from data. One
 * transaction per run, under an advisory lock, so bridges sharing the database take turns.
 */
#include "store/postgres_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

#define DAY_MS 86400000LL
#define DAYS_AHEAD 7
/* Serialises the partition work of every bridge on a database (pg_advisory_xact_lock). */
#define PARTITION_LOCK_KEY "7081934013"

static const struct {
    const char *table, *time_col;
} partitioned[] = {
    {"events", "published_at_ms"},
    {"measurements", "ts_ms"},
    {"status_posts", "ts_ms"},
};

static int run(pg_conn *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType rs = PQresultStatus(r);
    int error = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK ? 0 : bridge_pg_fail(c, what, r);
    PQclear(r);
    return error;
}

/* "<table>_pYYYYMMDD" of the UTC day starting at day * DAY_MS. */
static void partition_name(char *out, size_t size, const char *table, int64_t day)
{
    time_t secs = (time_t)(day * (DAY_MS / 1000));
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(out, size, "%s_p%04d%02d%02d", table, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The day (since the epoch) a partition name of @p table stands for, or -1. */
static int64_t partition_day(const char *table, const char *name)
{
    size_t n = strlen(table);
    if (strncmp(name, table, n) != 0 || strncmp(name + n, "_p", 2) != 0 ||
        strlen(name + n + 2) != 8 || strspn(name + n + 2, "0123456789") != 8) {
        return -1;
    }
    const char *d = name + n + 2;
    struct tm tm = {0};
    tm.tm_year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0') - 1900;
    tm.tm_mon = (d[4] - '0') * 10 + (d[5] - '0') - 1;
    tm.tm_mday = (d[6] - '0') * 10 + (d[7] - '0');
    time_t secs = timegm(&tm);
    return secs < 0 ? -1 : (int64_t)secs / (DAY_MS / 1000);
}

static int exists(pg_conn *c, const char *name, bool *out)
{
    const char *params[] = {name};
    PGresult *r =
        PQexecParams(c->pg, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, params, NULL, NULL, 0);
    int error = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : bridge_pg_fail(c, "partitions", r);
    *out = error == 0 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return error;
}

/* Creates @p day's partition of table @p t, moving that day's rows out of the DEFAULT
 * partition (locked meanwhile, so no new row of the day can slip in before the attach). */
static int create_day(pg_conn *c, size_t t, int64_t day)
{
    const char *table = partitioned[t].table, *col = partitioned[t].time_col;
    char name[64], sql[1024];
    partition_name(name, sizeof name, table, day);
    long long lo = (long long)(day * DAY_MS), hi = lo + DAY_MS;
    snprintf(sql, sizeof sql,
             "LOCK TABLE %s_default IN EXCLUSIVE MODE; "
             "CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS); "
             "INSERT INTO %s SELECT * FROM %s_default WHERE %s >= %lld AND %s < %lld; "
             "DELETE FROM %s_default WHERE %s >= %lld AND %s < %lld; "
             "ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%lld) TO (%lld)",
             table, name, table, name, table, col, lo, col, hi, table, col, lo, col, hi, table,
             name, lo, hi);
    return run(c, sql, "partition create");
}

/* Drops the partitions of table @p t that end at or before @p before_ms. */
static int drop_before(pg_conn *c, size_t t, int64_t before_ms, unsigned *dropped)
{
    const char *params[] = {partitioned[t].table};
    PGresult *r = PQexecParams(c->pg,
                               "SELECT c.relname FROM pg_inherits i JOIN pg_class c "
                               "ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass "
                               "ORDER BY c.relname",
                               1, NULL, params, NULL, NULL, 0);
    int error = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : bridge_pg_fail(c, "partitions", r);
    for (int i = 0; error == 0 && i < PQntuples(r); i++) {
        const char *name = PQgetvalue(r, i, 0);
        int64_t day = partition_day(partitioned[t].table, name);
        if (day >= 0 && (day + 1) * DAY_MS <= before_ms) {
            char sql[128];
            snprintf(sql, sizeof sql, "DROP TABLE %s", name);
            error = run(c, sql, "partition drop");
            *dropped += error == 0;
        }
    }
    PQclear(r);
    return error;
}

int bridge_pg_partitions(bridge_conn *bc, int64_t now_ms, int64_t drop_before_ms, unsigned *created,
                         unsigned *dropped)
{
    pg_conn *c = (pg_conn *)bc;
    unsigned made = 0, gone = 0;
    int error = run(c, "BEGIN; SELECT pg_advisory_xact_lock(" PARTITION_LOCK_KEY ")", "partitions");
    int64_t today = now_ms / DAY_MS;
    for (size_t t = 0; error == 0 && t < sizeof partitioned / sizeof *partitioned; t++) {
        for (int64_t day = today - 1; error == 0 && day <= today + DAYS_AHEAD; day++) {
            char name[64];
            bool there = false;
            partition_name(name, sizeof name, partitioned[t].table, day);
            error = exists(c, name, &there);
            if (error == 0 && !there && (day + 1) * DAY_MS > drop_before_ms) {
                error = create_day(c, t, day);
                made += error == 0;
            }
        }
        if (error == 0 && drop_before_ms > 0) {
            error = drop_before(c, t, drop_before_ms, &gone);
        }
    }
    int ended = run(c, error == 0 ? "COMMIT" : "ROLLBACK", "partitions");
    if (error == 0 && ended == 0) {
        *created += made;
        *dropped += gone;
        return 0;
    }
    return BRIDGE_STORE_ERROR;
}
