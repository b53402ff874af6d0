/*
 * Test helpers for the PostgreSQL store: a fresh database per test on the scratch server
 * that tests/support/pg_scratch.sh started (its URI in BRIDGE_TEST_PG), and one-value
 * queries to look into what a test stored.
 *
 * Header-only: only tests that link libpq (through bridge_core) include it, and
 * test_support itself stays free of libpq.
 */
#ifndef PARTICLE_TEST_PG_SCRATCH_H
#define PARTICLE_TEST_PG_SCRATCH_H

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BT_PG_ENV "BRIDGE_TEST_PG"

/* The scratch server's URI, or NULL when the tests run against SQLite. */
static inline const char *bt_pg_uri(void)
{
    const char *uri = getenv(BT_PG_ENV);
    return uri != NULL && uri[0] != '\0' ? uri : NULL;
}

/* Connects to @p uri; prints the reason and returns NULL on failure. */
static inline PGconn *bt_pg_connect(const char *uri)
{
    PGconn *c = PQconnectdb(uri);
    if (c == NULL || PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "pg_scratch: cannot connect to %s: %s", uri,
                c != NULL ? PQerrorMessage(c) : "out of memory\n");
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* Runs one command on @p uri; 0 or -1 (the reason printed). */
static inline int bt_pg_exec(const char *uri, const char *sql)
{
    PGconn *c = bt_pg_connect(uri);
    if (c == NULL) {
        return -1;
    }
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
    if (rc != 0) {
        fprintf(stderr, "pg_scratch: %s: %s", sql, PQresultErrorMessage(r));
    }
    PQclear(r);
    PQfinish(c);
    return rc;
}

/* The integer in the first column of the first row @p sql returns on @p uri; -1 if none
 * (and the reason printed). Booleans count as 1/0. */
static inline int64_t bt_pg_scalar(const char *uri, const char *sql)
{
    PGconn *c = bt_pg_connect(uri);
    if (c == NULL) {
        return -1;
    }
    int64_t v = -1;
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
        const char *s = PQgetvalue(r, 0, 0);
        char *end = NULL;
        if (strcmp(s, "t") == 0 || strcmp(s, "f") == 0) {
            v = s[0] == 't';
        } else {
            long long n = strtoll(s, &end, 10);
            v = end != s && *end == '\0' ? (int64_t)n : -1;
        }
    } else {
        fprintf(stderr, "pg_scratch: %s: %s", sql, PQresultErrorMessage(r));
    }
    PQclear(r);
    PQfinish(c);
    return v;
}

/*
 * Creates a fresh, empty database on the scratch server: its name goes into @p name and a
 * URI for it into @p uri. Returns 0 or -1. Drop it with bt_pg_db_drop().
 */
static inline int bt_pg_db_create(char *uri, size_t uri_size, char *name, size_t name_size)
{
    static unsigned int counter;
    const char *base = bt_pg_uri();
    if (base == NULL) {
        return -1;
    }
    int n = snprintf(name, name_size, "bt_%ld_%u", (long)getpid(), counter++);
    if (n < 0 || (size_t)n >= name_size) {
        return -1;
    }
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name); /* [a-z0-9_] only */
    if (bt_pg_exec(base, sql) != 0) {
        return -1;
    }
    /* The same server and user, another database. */
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(base, &errmsg);
    if (opts == NULL) {
        fprintf(stderr, "pg_scratch: %s: %s", base, errmsg ? errmsg : "out of memory\n");
        PQfreemem(errmsg);
        return -1;
    }
    const char *host = "", *port = "", *user = "";
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
        if (o->val == NULL) {
            continue;
        }
        if (strcmp(o->keyword, "host") == 0) {
            host = o->val;
        } else if (strcmp(o->keyword, "port") == 0) {
            port = o->val;
        } else if (strcmp(o->keyword, "user") == 0) {
            user = o->val;
        }
    }
    n = snprintf(uri, uri_size, "postgresql://%s@/%s?host=%s&port=%s", user, name, host, port);
    PQconninfoFree(opts);
    return n > 0 && (size_t)n < uri_size ? 0 : -1;
}

/* Drops a database bt_pg_db_create made, ending the sessions still on it. */
static inline void bt_pg_db_drop(const char *name)
{
    const char *base = bt_pg_uri();
    char sql[160];
    if (base != NULL && strncmp(name, "bt_", 3) == 0) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
        bt_pg_exec(base, sql);
    }
}

#endif
