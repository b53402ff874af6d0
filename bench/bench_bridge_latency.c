/*
 * bridge_latency_p99_ms: publish-to-stored latency at 1,000 events per second.
 *
 * particle-sim (default fleet) and particle-bridge (default ingest settings: batches of up
 * to 1,000, flushed 50 ms after the first event of a batch arrived) run in this process on
 * loopback, the bridge storing into a SQLite file. Publisher threads publish numbered events
 * as one device through the simulator's API (POST /sim/devices/:d/events) on a fixed
 * schedule, 1,000 per second in total, for BENCH_LATENCY_SECONDS (default 10) seconds,
 * noting when each publish request started. An observer reads the new rows of the events
 * table every millisecond and notes when each number first appears. Latency = seen - sent.
 * Prints `BENCH bridge_latency_p50_ms`, `_p99_ms` and `_max_ms`.
 */
#include <curl/curl.h>
#include <particle/particle.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "pu_time.h"
#include "server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define DEVICE "demo-argon-1"
#define EVENT_NAME "latency"
#define RATE 1000    /* events per second, all publishers together */
#define PUBLISHERS 4 /* each publishes every PUBLISHERS ms */

typedef struct shared {
    unsigned short sim_port;
    long total;       /* events to publish */
    int64_t start_ms; /* the schedule's time zero (monotonic) */
    int64_t *sent_ms; /* [total]: when publish i started */
    int64_t *seen_ms; /* [total]: when row i was first seen; 0 = not yet */
    atomic_long failures;
} shared;

typedef struct publisher {
    shared *sh;
    int index;
    pthread_t thread;
} publisher;

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

/* Publisher k sends events k, k + PUBLISHERS, ...; event i is due at start + i ms. */
static void *publisher_main(void *arg)
{
    publisher *p = arg;
    shared *sh = p->sh;
    char url[256], body[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/sim/devices/%s/events", sh->sim_port, DEVICE);
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer " TOKEN);
    h = curl_slist_append(h, "Content-Type: application/json");
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    for (long i = p->index; i < sh->total; i += PUBLISHERS) {
        int64_t due = sh->start_ms + i * 1000 / RATE;
        int64_t now = pu_time_mono_ms();
        if (due > now) {
            pu_time_sleep_ms(due - now);
        }
        snprintf(body, sizeof body, "{\"name\":\"" EVENT_NAME "\",\"data\":\"%ld\"}", i);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        sh->sent_ms[i] = pu_time_mono_ms();
        long status = 0;
        if (curl_easy_perform(c) != CURLE_OK ||
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200) {
            atomic_fetch_add(&sh->failures, 1);
        }
    }
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    return NULL;
}

/* Reads rows newer than the last one seen, every millisecond, until all are seen or the
 * deadline passes. Returns how many were seen. */
static long observe(shared *sh, const char *db_path, int64_t deadline_ms)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT id, data FROM events WHERE id > ?1 AND name = '" EVENT_NAME "'",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_bridge_latency: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_busy_timeout(db, 1000);
    long seen = 0;
    sqlite3_int64 last_id = 0, max_id = 0;
    while (seen < sh->total && pu_time_mono_ms() < deadline_ms) {
        sqlite3_bind_int64(st, 1, last_id);
        int64_t now = pu_time_mono_ms();
        while (sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(st, 0);
            const unsigned char *data = sqlite3_column_text(st, 1);
            char *end = NULL;
            long i = data ? strtol((const char *)data, &end, 10) : -1;
            if (id > max_id) {
                max_id = id;
            }
            if (i >= 0 && i < sh->total && end != NULL && *end == '\0' && sh->seen_ms[i] == 0) {
                sh->seen_ms[i] = now;
                seen++;
            }
        }
        sqlite3_reset(st);
        last_id = max_id;
        pu_time_sleep_ms(1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return seen;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    const char *env = getenv("BENCH_LATENCY_SECONDS");
    long seconds = env ? strtol(env, NULL, 10) : 10;
    if (seconds <= 0 || seconds > 3600) {
        return 2;
    }
    const char *base = getenv("TMPDIR");
    char dir[512], db[600], err[512];
    snprintf(dir, sizeof dir, "%s/bench-latency-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(dir) == NULL || particle_global_init() != 0) {
        return 1;
    }
    snprintf(db, sizeof db, "%s/bridge.db", dir);

    sim_server *sim = NULL;
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    if (sim_server_new(&sim, &so, err, sizeof err) != 0 ||
        sim_server_start(sim, err, sizeof err) != 0) {
        fprintf(stderr, "bench_bridge_latency: sim: %s\n", err);
        return 1;
    }
    bridge_config cfg;
    bridge_config_defaults(&cfg);
    snprintf(cfg.cloud_url, sizeof cfg.cloud_url, "http://127.0.0.1:%u", sim_server_port(sim));
    snprintf(cfg.access_token, sizeof cfg.access_token, "%s", TOKEN);
    snprintf(cfg.api_key, sizeof cfg.api_key, "%s", "latency-bench-api-key");
    snprintf(cfg.database_path, sizeof cfg.database_path, "%s", db);
    cfg.port = 0;
    bridge_app *app = bridge_app_new(&cfg, err, sizeof err);
    if (app == NULL) {
        fprintf(stderr, "bench_bridge_latency: bridge: %s\n", err);
        return 1;
    }
    /* Let the stream connect before the clock starts. */
    int64_t ready = pu_time_mono_ms() + 10000;
    while (atomic_load(&bridge_app_metrics(app)->stream_connected) < 1 &&
           pu_time_mono_ms() < ready) {
        pu_time_sleep_ms(10);
    }
    pu_time_sleep_ms(500);

    shared sh = {.sim_port = sim_server_port(sim), .total = seconds * RATE};
    sh.sent_ms = calloc((size_t)sh.total, sizeof *sh.sent_ms);
    sh.seen_ms = calloc((size_t)sh.total, sizeof *sh.seen_ms);
    atomic_init(&sh.failures, 0);
    if (sh.sent_ms == NULL || sh.seen_ms == NULL) {
        return 1;
    }
    sh.start_ms = pu_time_mono_ms() + 100;
    publisher pubs[PUBLISHERS];
    for (int k = 0; k < PUBLISHERS; k++) {
        pubs[k] = (publisher){.sh = &sh, .index = k};
        pthread_create(&pubs[k].thread, NULL, publisher_main, &pubs[k]);
    }
    long seen = observe(&sh, db, sh.start_ms + seconds * 1000 + 30000);
    for (int k = 0; k < PUBLISHERS; k++) {
        pthread_join(pubs[k].thread, NULL);
    }
    int64_t publish_end = pu_time_mono_ms();

    int64_t *lat = calloc((size_t)sh.total, sizeof *lat);
    long n = 0;
    for (long i = 0; i < sh.total; i++) {
        if (sh.seen_ms[i] != 0) {
            lat[n++] = sh.seen_ms[i] - sh.sent_ms[i];
        }
    }
    qsort(lat, (size_t)n, sizeof *lat, cmp_i64);
    double achieved = (double)sh.total * 1000.0 / (double)(publish_end - sh.start_ms);
    fprintf(stderr, "published %ld (%.0f/s achieved, %ld failed), stored and seen %ld\n", sh.total,
            achieved, atomic_load(&sh.failures), seen);
    if (n == 0 || seen != sh.total) {
        fprintf(stderr, "bench_bridge_latency: not every event was stored\n");
        return 1;
    }
    printf("BENCH bridge_latency_p50_ms %lld ms\n", (long long)lat[n / 2]);
    printf("BENCH bridge_latency_p99_ms %lld ms\n", (long long)lat[(n * 99) / 100]);
    printf("BENCH bridge_latency_max_ms %lld ms\n", (long long)lat[n - 1]);

    free(lat);
    free(sh.sent_ms);
    free(sh.seen_ms);
    bridge_app_free(app);
    sim_server_free(sim);
    bridge_config_dispose(&cfg);
    particle_global_cleanup();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    return 0;
}
