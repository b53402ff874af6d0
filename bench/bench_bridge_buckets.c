/*
 * bridge_buckets_year_ms: what the dashboard's chart of one measurement over a year costs:
 * GET /api/v1/measurements?device=D&name=N&bucket=9h over a year of one-minute readings
 * (525,600 rows; BENCH_BUCKET_ROWS overrides), 974 buckets of min/max/avg/count computed by
 * SQLite (GROUP BY through the series index of migration 0014). Another device's readings
 * of the same name and times (as many again) share the table, as in a fleet.
 *
 * The rows go into a SQLite file in a temp dir; the API serves it on loopback port 0 in this
 * process. The request is made BENCH_BUCKET_REPEAT times (default 10); the medians of its
 * wall time and of the process's CPU time (server and client: the figure a busy machine does
 * not inflate) are printed as `BENCH bridge_buckets_year_ms` and `..._cpu_ms`, with the number
 * of points answered. BENCH_BUCKET_KEEP=1 keeps the database file (to EXPLAIN by hand);
 * BENCH_BUCKET_DATABASE=<postgresql://...> runs it on an empty PostgreSQL database instead.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "bridge_bench_api.h"

#define MINUTE_MS INT64_C(60000)
#define YEAR_START_MS INT64_C(1704067200000) /* 2024-01-01T00:00:00Z */

/* One device's minute readings of "temp" over @p rows minutes, in one batch. */
static int write_series(bridge_store *st, const char *device, int64_t rows)
{
    bridge_measurement *ms = calloc((size_t)rows, sizeof *ms);
    if (ms == NULL) {
        return -1;
    }
    for (int64_t i = 0; i < rows; i++) {
        ms[i] = (bridge_measurement){device, "temp", 20.0 + (double)(i % 600) / 100.0,
                                     YEAR_START_MS + i * MINUTE_MS, "poll"};
    }
    bridge_record rec = {
        .kind = BRIDGE_RECORD_READING, .measurements = ms, .measurement_count = (size_t)rows};
    int rc = bridge_store_write_batch(st, &rec, 1, NULL);
    free(ms);
    return rc;
}

int main(void)
{
    int64_t rows = 525600, repeat = 10;
    bridge_bench_counts("BENCH_BUCKET_ROWS", &rows, "BENCH_BUCKET_REPEAT", &repeat);
    const char *database = getenv("BENCH_BUCKET_DATABASE"); /* a PostgreSQL URI instead */
    bridge_bench_db db;
    bridge_store *st = bridge_bench_store(&db, "buckets", database);
    if (write_series(st, "bench-device", rows) != 0 || write_series(st, "other-device", rows)) {
        fprintf(stderr, "insert: %s\n", bridge_store_errmsg(st));
        return 1;
    }
    bridge_bench_server b = {0};
    bridge_bench_serve(&b, st);
    const char *path = "/api/v1/measurements?device=bench-device&name=temp&bucket=9h";
    double *t = calloc((size_t)repeat, sizeof *t), *cpu = calloc((size_t)repeat, sizeof *cpu);
    size_t points = 0;
    for (int64_t i = 0; i < repeat; i++) {
        json_t *page = bridge_bench_get(&b, path, &t[i], &cpu[i]);
        points = json_array_size(json_object_get(page, "items"));
        json_decref(page);
    }
    const char *suffix = database != NULL ? "_pg" : "";
    printf("BENCH bridge_buckets_year%s_ms %.1f ms\n", suffix, bridge_bench_median(t, repeat));
    printf("BENCH bridge_buckets_year%s_cpu_ms %.1f ms\n", suffix,
           bridge_bench_median(cpu, repeat));
    printf("BENCH bridge_buckets_year_points %zu points from %lld rows\n", points, (long long)rows);
    free(t);
    free(cpu);
    bridge_bench_stop(&b);
    if (getenv("BENCH_BUCKET_KEEP") != NULL) { /* for EXPLAIN QUERY PLAN by hand */
        printf("kept %s\n", db.path);
        return 0;
    }
    bridge_bench_db_remove(&db);
    return 0;
}
