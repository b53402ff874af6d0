/*
 * particle-bridge benchmarks:
 *  - bridge_ingest_eps: events per second through the bridge's ingest path (the writer:
 *    copy, normalise with the device's settings, deduplicating batched INSERTs, stream
 *    cursor) into a SQLite file, over 1,000,000 events; the SSE network read is not part of
 *    it (see bench_sse for the parser);
 *  - sqlite_insert_rps: plain batched INSERTs of the same event rows, the ceiling, and
 *    bridge_ingest_ratio = eps / rps;
 *  - bridge_rss_kb_per_device: resident memory the poll scheduler adds per tracked device,
 *    with 100,000 devices of two variables each.
 * Prints `BENCH <name> <value> <unit>`. BENCH_BRIDGE_EVENTS overrides the event count.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/writer.h"
#include "pu_time.h"
#include "scheduler.h"
#include "store/store.h"

static void tmp_path(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void remove_db(const char *path)
{
    char p[1100];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static double bench_writer(const char *db, long events)
{
    char err[256];
    bridge_metrics m;
    memset(&m, 0, sizeof m);
    bridge_writer_options o = {
        .db_path = db, .batch_size = 5000, .max_queue = 200000, .metrics = &m};
    bridge_writer *w = bridge_writer_new(&o, err, sizeof err);
    if (w == NULL) {
        fprintf(stderr, "bench_bridge: %s\n", err);
        exit(1);
    }
    char dev[32], data[32], id[32];
    int64_t start = pu_time_mono_ms();
    for (long i = 0; i < events; i++) {
        snprintf(dev, sizeof dev, "%024lx", i % 1000);
        snprintf(data, sizeof data, "%.2f", (double)(i % 5000) / 100.0);
        snprintf(id, sizeof id, "%ld", i + 1);
        bridge_event_in ev = {dev, "temperature", data, 1700000000000 + i, 0, "sse"};
        bridge_writer_push_event(w, &ev, "user", id);
    }
    bridge_writer_flush(w, 600000);
    int64_t ms = pu_time_mono_ms() - start;
    if (atomic_load(&m.events_stored) != (unsigned long long)events) {
        fprintf(stderr, "bench_bridge: stored %llu of %ld\n", atomic_load(&m.events_stored),
                events);
        exit(1);
    }
    bridge_writer_free(w);
    return (double)events * 1000.0 / (double)(ms > 0 ? ms : 1);
}

static double bench_sqlite(const char *db, long rows)
{
    char err[256];
    bridge_store *st = bridge_store_open_sqlite(db, err, sizeof err); /* same schema */
    bridge_store_close(st);
    sqlite3 *h = NULL;
    sqlite3_open(db, &h);
    sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(h,
                       "INSERT INTO events (device_id, name, data, published_at_ms, data_hash, "
                       "source, received_at_ms) VALUES (?1, 'temperature', ?2, ?3, ?4, 'sse', ?3)",
                       -1, &s, NULL);
    char dev[32], data[32];
    int64_t start = pu_time_mono_ms();
    for (long i = 0; i < rows; i++) {
        if (i % 5000 == 0) {
            sqlite3_exec(h, i ? "COMMIT; BEGIN" : "BEGIN", NULL, NULL, NULL);
        }
        snprintf(dev, sizeof dev, "%024lx", i % 1000);
        snprintf(data, sizeof data, "%.2f", (double)(i % 5000) / 100.0);
        sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, data, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 3, 1700000000000 + i);
        sqlite3_bind_int64(s, 4, bridge_store_data_hash(data));
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    int64_t ms = pu_time_mono_ms() - start;
    sqlite3_finalize(s);
    sqlite3_close(h);
    return (double)rows * 1000.0 / (double)(ms > 0 ? ms : 1);
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    char line[128];
    long resident = 0;
    if (f == NULL) {
        return 0;
    }
    if (fgets(line, sizeof line, f) != NULL) {
        char *end = NULL;
        strtol(line, &end, 10);           /* total pages */
        resident = strtol(end, NULL, 10); /* resident pages */
    }
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double bench_rss(const char *db, int devices)
{
    char err[256], id[32];
    bridge_store *st = bridge_store_open_sqlite(db, err, sizeof err);
    bridge_device_defaults df = {
        60000, true, true, true, {true, "{name} online"}, {true, "{name} offline"}};
    bridge_variable vars[2] = {{.name = "temperature", .type = "double"},
                               {.name = "humidity", .type = "double"}};
    for (int i = 0; i < devices; i++) {
        snprintf(id, sizeof id, "%024x", i);
        bridge_cloud_device cd = {.particle_id = id,
                                  .name = id,
                                  .variables = vars,
                                  .variable_count = 2,
                                  .has_variables = true};
        bridge_store_device_sync(st, &cd, &df, 1, NULL);
    }
    bridge_store_close(st);
    bridge_metrics m;
    memset(&m, 0, sizeof m);
    bridge_writer_options wo = {.db_path = db, .metrics = &m};
    bridge_writer *w = bridge_writer_new(&wo, err, sizeof err);
    long before = rss_kb();
    /* Nothing listens on port 1: reads fail fast; the memory of the schedule is what counts. */
    bridge_scheduler_options so = {.db_path = db,
                                   .cloud_url = "http://127.0.0.1:1",
                                   .access_token = "bench",
                                   .workers = 1,
                                   .budget_per_5min = 1,
                                   .breaker = {3, 60000, 60000},
                                   .writer = w,
                                   .metrics = &m};
    bridge_scheduler *s = bridge_scheduler_new(&so, err, sizeof err);
    long after = rss_kb();
    bridge_scheduler_free(s);
    bridge_writer_free(w);
    return (double)(after - before) / devices;
}

int main(void)
{
    const char *env = getenv("BENCH_BRIDGE_EVENTS");
    long events = env ? strtol(env, NULL, 10) : 1000000;
    char dir[] = "/tmp/bench-bridge-XXXXXX";
    if (mkdtemp(dir) == NULL || events <= 0) {
        return 1;
    }
    char a[600], b[600], c[600];
    tmp_path(a, sizeof a, dir, "ingest.db");
    tmp_path(b, sizeof b, dir, "plain.db");
    tmp_path(c, sizeof c, dir, "rss.db");
    double eps = bench_writer(a, events);
    double rps = bench_sqlite(b, events);
    printf("BENCH bridge_ingest_eps %.0f events/s\n", eps);
    printf("BENCH sqlite_insert_rps %.0f rows/s\n", rps);
    printf("BENCH bridge_ingest_ratio %.2f ratio\n", eps / rps);
    printf("BENCH bridge_rss_kb_per_device %.2f KB\n", bench_rss(c, 100000));
    remove_db(a);
    remove_db(b);
    remove_db(c);
    rmdir(dir);
    return 0;
}
