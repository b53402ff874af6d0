/*
 * What the bridge API benchmarks share (bench_bridge_page.c, bench_bridge_buckets.c): their
 * BENCH_* counts from the environment, a store in a scratch folder, the API served on
 * loopback port 0 in the process, a timed GET, and the median of the times.
 *
 * Every function exits the process with a message on stderr when something fails: a
 * benchmark has nothing to report then. Not thread-safe (one benchmark, one thread).
 */
#ifndef BRIDGE_BENCH_API_H
#define BRIDGE_BENCH_API_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdint.h>

#include "api/api.h"
#include "store/store.h"

/* The API key the benchmarks serve with and send. */
#define BRIDGE_BENCH_KEY "bench-api-key-0123456789"

/* @p rows_var and @p repeat_var (environment variable names) into @p rows and @p repeat when
 * they are set (1..100,000,000 and 1..10,000); the defaults stay otherwise. */
void bridge_bench_counts(const char *rows_var, int64_t *rows, const char *repeat_var,
                         int64_t *repeat);

/* A scratch folder /tmp/bench-<name>-XXXXXX with the SQLite file <name>.db in it. */
typedef struct bridge_bench_db {
    char dir[64];
    char path[96];
} bridge_bench_db;

/* Creates @p db's folder for @p name (a short word) and opens @p uri, or its SQLite file
 * when @p uri is NULL. */
bridge_store *bridge_bench_store(bridge_bench_db *db, const char *name, const char *uri);

/* Removes @p db's SQLite file (with its -wal and -shm) and its folder. */
void bridge_bench_db_remove(const bridge_bench_db *db);

/* The API over a store, served on 127.0.0.1 port 0 (two threads), and the client's handle. */
typedef struct bridge_bench_server {
    bridge_metrics metrics;
    bridge_api api; /* its key: BRIDGE_BENCH_KEY */
    httpd_server *srv;
    unsigned short port;
    CURL *curl;
} bridge_bench_server;

/* Serves @p st through @p b (zeroed; it must stay where it is until bridge_bench_stop). */
void bridge_bench_serve(bridge_bench_server *b, bridge_store *st);

/* Stops the server, frees the client and closes the store it served. */
void bridge_bench_stop(bridge_bench_server *b);

/* The CPU time of the whole process (the server's threads and the client), in ms. */
double bridge_bench_cpu_ms(void);

/* GETs @p path from @p b with the key; the page's JSON (caller decrefs) and the wall time it
 * took into @p ms and the process's CPU time into @p cpu (may be NULL). Anything but a 200
 * exits. */
json_t *bridge_bench_get(bridge_bench_server *b, const char *path, double *ms, double *cpu);

/* Sorts @p values (@p count > 0) and answers their median. */
double bridge_bench_median(double *values, int64_t count);

#endif
