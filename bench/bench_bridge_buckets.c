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
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "pu_buf.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "store/store.h"

#define KEY "bench-api-key-0123456789"
#define MINUTE_MS INT64_C(60000)
#define YEAR_START_MS INT64_C(1704067200000) /* 2024-01-01T00:00:00Z */

static size_t collect(char *p, size_t size, size_t n, void *user)
{
    pu_buf_append(user, p, size * n);
    return size * n;
}

/* The CPU time of the whole process (the server's threads and the client), in ms. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* GETs @p path: the number of items answered, the time taken into @p ms and the process's
 * CPU time into @p cpu. */
static size_t fetch(CURL *curl, unsigned short port, const char *path, double *ms, double *cpu)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
    pu_buf body;
    pu_buf_xinit(&body);
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer " KEY);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    int64_t t0 = pu_time_mono_ms();
    double c0 = cpu_ms();
    CURLcode rc = curl_easy_perform(curl);
    *ms = (double)(pu_time_mono_ms() - t0);
    *cpu = cpu_ms() - c0;
    curl_slist_free_all(h);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "GET %s: %s %ld %s\n", path, curl_easy_strerror(rc), status,
                pu_buf_str(&body));
        exit(1);
    }
    json_t *page = json_loadb(pu_buf_str(&body), body.len, 0, NULL);
    pu_buf_dispose(&body);
    size_t items = json_array_size(json_object_get(page, "items"));
    json_decref(page);
    return items;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

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
    const char *env_rows = getenv("BENCH_BUCKET_ROWS"), *env_repeat = getenv("BENCH_BUCKET_REPEAT");
    if ((env_rows != NULL && pu_parse_int64(env_rows, 1, 100000000, &rows) != 0) ||
        (env_repeat != NULL && pu_parse_int64(env_repeat, 1, 10000, &repeat) != 0)) {
        fprintf(stderr, "BENCH_BUCKET_ROWS and BENCH_BUCKET_REPEAT take whole numbers\n");
        return 1;
    }
    char dir[] = "/tmp/bench-buckets-XXXXXX", db[64], err[256];
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    snprintf(db, sizeof db, "%s/buckets.db", dir);
    const char *database = getenv("BENCH_BUCKET_DATABASE"); /* a PostgreSQL URI instead */
    bridge_store *st = bridge_store_open(database != NULL ? database : db, err, sizeof err);
    if (st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    if (write_series(st, "bench-device", rows) != 0 || write_series(st, "other-device", rows)) {
        fprintf(stderr, "insert: %s\n", bridge_store_errmsg(st));
        return 1;
    }
    bridge_metrics metrics = {0};
    bridge_api api = {.store = st, .metrics = &metrics, .api_key = KEY};
    httpd_options opts = {
        .port = 0, .threads = 2, .before = bridge_api_before, .before_payload = &api};
    httpd_server *srv = httpd_server_new(&opts);
    if (srv == NULL || bridge_api_register(srv, &api) != 0 ||
        httpd_server_start(srv, err, sizeof err) != 0) {
        fprintf(stderr, "serve: %s\n", err);
        return 1;
    }
    unsigned short port = httpd_server_port(srv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    const char *path = "/api/v1/measurements?device=bench-device&name=temp&bucket=9h";
    double *t = calloc((size_t)repeat, sizeof *t), *cpu = calloc((size_t)repeat, sizeof *cpu);
    size_t points = 0;
    for (int64_t i = 0; i < repeat; i++) {
        points = fetch(curl, port, path, &t[i], &cpu[i]);
    }
    qsort(t, (size_t)repeat, sizeof *t, by_value);
    qsort(cpu, (size_t)repeat, sizeof *cpu, by_value);
    const char *suffix = database != NULL ? "_pg" : "";
    printf("BENCH bridge_buckets_year%s_ms %.1f ms\n", suffix, t[repeat / 2]);
    printf("BENCH bridge_buckets_year%s_cpu_ms %.1f ms\n", suffix, cpu[repeat / 2]);
    printf("BENCH bridge_buckets_year_points %zu points from %lld rows\n", points, (long long)rows);
    free(t);
    free(cpu);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    httpd_server_free(srv);
    bridge_store_close(st);
    if (getenv("BENCH_BUCKET_KEEP") != NULL) { /* for EXPLAIN QUERY PLAN by hand */
        printf("kept %s\n", db);
        return 0;
    }
    unlink(db);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", db);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", db);
    unlink(wal);
    rmdir(dir);
    return 0;
}
