/*
 * particle-bridge benchmarks:
 *  - bridge_ingest_eps: events per second from an SSE stream into SQLite, the whole way:
 *    a loopback SSE source serves N events in particle-sim's framing (`id:`, `event:`,
 *    `data: {"data","ttl","published_at","coreid"}`; 1,000 devices, numeric data), the
 *    bridge's stream thread (libparticle stream: libcurl, SSE parser, JSON decode) hands
 *    them to the writer, which normalises each (one measurement per event) and stores
 *    event, measurement, latest value and stream cursor in batched transactions, then hands
 *    each batch to the live stream's feed, as the service does (nobody listening). The clock
 *    runs from opening the stream until the last event is stored. N = 1,000,000.
 *  - sqlite_insert_rps: the ceiling: the same rows (event and measurement per event, the
 *    latest value once per device and batch; same schema and keys) through plain prepared
 *    INSERTs, one transaction per 5,000 events, no stream, no queue, no normalising; and
 *    bridge_ingest_ratio = eps / rps. Counted in events, like eps.
 *  - bridge_ingest_cpu_us_per_event: CPU (all threads) per event during the ingest run; it
 *    does not depend on how busy the machine is, unlike the rates.
 *  - bridge_latency_p99_ms is in bench_bridge_latency.c.
 *  - bridge_rss_kb_per_device: resident memory the poll scheduler adds per tracked device,
 *    with 100,000 devices of two variables each.
 *  - bridge_ingest_pg_eps (and _pg_cpu_us_per_event): the same ingest into PostgreSQL, when
 *    BRIDGE_TEST_PG holds a connection URI (scripts/bench runs this program under
 *    tests/support/pg_scratch.sh, which starts a throw-away server on a Unix socket).
 *    N = BENCH_BRIDGE_PG_EVENTS, default 100,000.
 *  - pg_copy_ceiling_eps: PostgreSQL's ceiling in the same run: the same rows (event and
 *    measurement per event, the latest value once per device and batch) COPYd straight into
 *    the same tables, emptied first, one transaction per 5,000 events: no stream, no exactly-
 *    once check, no normalising; and bridge_ingest_pg_ratio = pg eps / ceiling.
 * Prints `BENCH <name> <value> <unit>`. BENCH_BRIDGE_EVENTS overrides N. The SQLite databases
 * are files in a scratch directory under TMPDIR (default /tmp), in WAL mode.
 */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/api.h"
#include "httpd.h"
#include "ingest/sse.h"
#include "ingest/writer.h"
#include "pu_time.h"
#include "scheduler.h"
#include "store/key.h"
#include "store/store.h"

#define DEVICES 1000
#define BASE_MS 1735689600000LL /* 2025-01-01T00:00:00Z */

/* ---- the event source: one loopback connection, every event pre-rendered ---- */

typedef struct source {
    int listen_fd;
    unsigned short port;
    char *bytes; /* headers + every event */
    size_t len;
    pthread_t thread;
    atomic_bool stop;
} source;

static void device_id(char *out, size_t size, long i)
{
    snprintf(out, size, "%024lx", 0xb0000000L + i % DEVICES);
}

/* Event i: device i % DEVICES; each device's events 1 ms apart; data a temperature. */
static double event_value(long i)
{
    return (double)(1500 + i % 1500) / 100.0;
}

static int64_t event_ts(long i)
{
    return BASE_MS + i;
}

static void render(source *src, long events)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Cache-Control: no-cache\r\nConnection: close\r\n\r\n:ok\n\n";
    size_t cap = sizeof head + (size_t)events * 200;
    src->bytes = malloc(cap);
    if (src->bytes == NULL) {
        fprintf(stderr, "bench_bridge: out of memory\n");
        exit(1);
    }
    memcpy(src->bytes, head, sizeof head - 1);
    src->len = sizeof head - 1;
    char dev[32], iso[PU_ISO8601_SIZE];
    for (long i = 0; i < events; i++) {
        device_id(dev, sizeof dev, i);
        pu_time_iso8601(event_ts(i), iso);
        int n = snprintf(src->bytes + src->len, cap - src->len,
                         "id: %ld\nevent: temperature\ndata: {\"data\":\"%.2f\",\"ttl\":60,"
                         "\"published_at\":\"%s\",\"coreid\":\"%s\"}\n\n",
                         i + 1, event_value(i), iso, dev);
        if (n < 0 || (size_t)n >= cap - src->len) {
            fprintf(stderr, "bench_bridge: render overflow\n");
            exit(1);
        }
        src->len += (size_t)n;
    }
}

static void *source_main(void *arg)
{
    source *src = arg;
    int fd = accept(src->listen_fd, NULL, NULL);
    if (fd < 0) {
        return NULL;
    }
    char req[4096];
    size_t got = 0;
    while (got < sizeof req - 1 && strstr(req, "\r\n\r\n") == NULL) { /* the request head */
        ssize_t n = recv(fd, req + got, sizeof req - 1 - got, 0);
        if (n <= 0) {
            close(fd);
            return NULL;
        }
        got += (size_t)n;
        req[got] = '\0';
    }
    for (size_t off = 0; off < src->len && !atomic_load(&src->stop);) {
        ssize_t n = send(fd, src->bytes + off, src->len - off, MSG_NOSIGNAL);
        if (n <= 0) {
            break;
        }
        off += (size_t)n;
    }
    while (!atomic_load(&src->stop)) { /* hold the stream open: no reconnect */
        pu_time_sleep_ms(5);
    }
    close(fd);
    return NULL;
}

static void source_start(source *src, long events)
{
    memset(src, 0, sizeof *src);
    render(src, events);
    src->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (src->listen_fd < 0 || bind(src->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(src->listen_fd, 4) != 0 ||
        getsockname(src->listen_fd, (struct sockaddr *)&a, &alen) != 0) {
        fprintf(stderr, "bench_bridge: cannot listen on loopback\n");
        exit(1);
    }
    src->port = ntohs(a.sin_port);
    atomic_init(&src->stop, false);
    pthread_create(&src->thread, NULL, source_main, src);
}

static void source_stop(source *src)
{
    atomic_store(&src->stop, true);
    shutdown(src->listen_fd, SHUT_RDWR); /* unblocks accept() if nobody came */
    pthread_join(src->thread, NULL);
    close(src->listen_fd);
    free(src->bytes);
}

/* ---- the benchmarks ---- */

static void remove_db(const char *path)
{
    char p[1100];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* CPU time of the whole process (every thread), in ms. */
static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

/* Returns events/s; *cpu_us_per_event gets the CPU the process spent per event (all
 * threads: stream, writer, the source's sends), a figure that does not depend on how busy
 * the machine is. */
static double bench_ingest(const char *db, long events, double *cpu_us_per_event)
{
    char err[256], url[64];
    source src;
    source_start(&src, events);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", src.port);
    bridge_metrics m;
    memset(&m, 0, sizeof m);
    /* The live stream's feed as particle-bridge wires it (bridge/app.c), nobody listening:
     * each committed batch pays what it pays in the service. */
    httpd_sse_hub_options hub_opts = {.keepalive_ms = BRIDGE_STREAM_KEEPALIVE_MS,
                                      .ring_size = BRIDGE_STREAM_REPLAY_EVENTS,
                                      .first_id = httpd_sse_id_base_now()};
    bridge_stream_feed feed = {.hub = httpd_sse_hub_new(&hub_opts)};
    if (feed.hub == NULL) {
        fprintf(stderr, "bench_bridge: out of memory\n");
        exit(1);
    }
    bridge_writer_options o = {.db_path = db,
                               .metrics = &m,
                               .on_stored = bridge_stream_feed_stored,
                               .on_stored_payload = &feed}; /* the defaults, as configured */
    bridge_writer *w = bridge_writer_new(&o, err, sizeof err);
    if (w == NULL) {
        fprintf(stderr, "bench_bridge: %s\n", err);
        exit(1);
    }
    int64_t start = pu_time_mono_ms();
    double cpu_start = cpu_ms();
    bridge_sse_options so = {.cloud_url = url, .access_token = "bench", .writer = w, .metrics = &m};
    bridge_sse *s = bridge_sse_new(&so, err, sizeof err);
    if (s == NULL) {
        fprintf(stderr, "bench_bridge: %s\n", err);
        exit(1);
    }
    int64_t deadline = start + 600000;
    while (atomic_load(&m.events_stored) < (unsigned long long)events &&
           pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(2);
    }
    int64_t ms = pu_time_mono_ms() - start;
    *cpu_us_per_event = (cpu_ms() - cpu_start) * 1000.0 / (double)events;
    unsigned long long stored = atomic_load(&m.events_stored);
    bridge_sse_free(s);
    bridge_writer_free(w);
    httpd_sse_hub_free(feed.hub);
    source_stop(&src);
    if (stored != (unsigned long long)events ||
        atomic_load(&m.measurements_stored) != (unsigned long long)events) {
        fprintf(stderr, "bench_bridge: stored %llu events, %llu measurements of %ld\n", stored,
                atomic_load(&m.measurements_stored), events);
        exit(1);
    }
    return (double)events * 1000.0 / (double)(ms > 0 ? ms : 1);
}

static sqlite3_stmt *prepare(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_bridge: %s\n", sqlite3_errmsg(h));
        exit(1);
    }
    return s;
}

static void step(sqlite3_stmt *s)
{
    if (sqlite3_step(s) != SQLITE_DONE) {
        fprintf(stderr, "bench_bridge: insert failed\n");
        exit(1);
    }
    sqlite3_reset(s);
}

static double bench_sqlite(const char *db, long events)
{
    char err[256];
    bridge_store *st = bridge_store_open_sqlite(db, err, sizeof err); /* same schema, pragmas */
    bridge_store_close(st);
    sqlite3 *h = NULL;
    sqlite3_open(db, &h);
    sqlite3_exec(h,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192; "
                 "PRAGMA wal_autocheckpoint=8192;",
                 NULL, NULL, NULL);
    sqlite3_stmt *ev =
        prepare(h, "INSERT INTO events (key, device_id, name, data, published_at_ms, "
                   "source, received_at_ms) VALUES (?1, ?2, 'temperature', ?3, ?4, "
                   "'sse', ?4)");
    sqlite3_stmt *me = prepare(h, "INSERT INTO measurements (key, device_id, name, value, ts_ms, "
                                  "source) VALUES (?1, ?2, 'temperature', ?3, ?4, 'sse')");
    sqlite3_stmt *la =
        prepare(h, "INSERT INTO measurements_latest (device_id, name, value, ts_ms, "
                   "source) VALUES (?1, 'temperature', ?2, ?3, 'sse') "
                   "ON CONFLICT (device_id, name) DO UPDATE SET value = "
                   "excluded.value, ts_ms = excluded.ts_ms, source = excluded.source "
                   "WHERE excluded.ts_ms >= ts_ms");
    char dev[32], data[32];
    int64_t start = pu_time_mono_ms();
    for (long i = 0; i < events; i++) {
        if (i % 5000 == 0) {
            sqlite3_exec(h, i ? "COMMIT; BEGIN" : "BEGIN", NULL, NULL, NULL);
        }
        device_id(dev, sizeof dev, i);
        snprintf(data, sizeof data, "%.2f", event_value(i));
        sqlite3_bind_int64(ev, 1, bridge_key_event(dev, "temperature", event_ts(i), data));
        sqlite3_bind_text(ev, 2, dev, -1, SQLITE_STATIC);
        sqlite3_bind_text(ev, 3, data, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ev, 4, event_ts(i));
        step(ev);
        sqlite3_bind_int64(me, 1, bridge_key_measurement(dev, "temperature", event_ts(i), "sse"));
        sqlite3_bind_text(me, 2, dev, -1, SQLITE_STATIC);
        sqlite3_bind_double(me, 3, event_value(i));
        sqlite3_bind_int64(me, 4, event_ts(i));
        step(me);
        if (i % 5000 >=
            5000 - DEVICES) { /* like the store: one latest value per device and batch */
            sqlite3_bind_text(la, 1, dev, -1, SQLITE_STATIC);
            sqlite3_bind_double(la, 2, event_value(i));
            sqlite3_bind_int64(la, 3, event_ts(i));
            step(la);
        }
    }
    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    int64_t ms = pu_time_mono_ms() - start;
    sqlite3_finalize(ev);
    sqlite3_finalize(me);
    sqlite3_finalize(la);
    sqlite3_close(h);
    return (double)events * 1000.0 / (double)(ms > 0 ? ms : 1);
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
    bridge_budget *budget = bridge_budget_new(1);
    long before = rss_kb();
    /* Nothing listens on port 1: reads fail fast; the memory of the schedule is what counts. */
    bridge_scheduler_options so = {.db_path = db,
                                   .cloud_url = "http://127.0.0.1:1",
                                   .access_token = "bench",
                                   .concurrency = 1,
                                   .budget = budget,
                                   .breaker = {3, 60000, 60000},
                                   .writer = w,
                                   .metrics = &m};
    bridge_scheduler *s = bridge_scheduler_new(&so, err, sizeof err);
    long after = rss_kb();
    bridge_scheduler_free(s);
    bridge_writer_free(w);
    bridge_budget_free(budget);
    return (double)(after - before) / devices;
}

/* ---- PostgreSQL's ceiling: COPY of the same rows ---- */

static void pg_ok(PGconn *pg, PGresult *r, ExecStatusType want, const char *what)
{
    if (PQresultStatus(r) != want) {
        fprintf(stderr, "bench_bridge: %s: %s", what, PQerrorMessage(pg));
        exit(1);
    }
    PQclear(r);
}

static void pg_copy(PGconn *pg, const char *sql, const char *data, size_t len)
{
    pg_ok(pg, PQexec(pg, sql), PGRES_COPY_IN, sql);
    if (PQputCopyData(pg, data, (int)len) != 1 || PQputCopyEnd(pg, NULL) != 1) {
        fprintf(stderr, "bench_bridge: COPY: %s", PQerrorMessage(pg));
        exit(1);
    }
    pg_ok(pg, PQgetResult(pg), PGRES_COMMAND_OK, sql);
    PQclear(PQgetResult(pg));
}

/* Rows of events [from, to) in COPY text format, for the events, measurements and latest
 * tables. */
static void pg_rows(long from, long to, char *ev, size_t *ev_len, char *me, size_t *me_len,
                    char *la, size_t *la_len, size_t cap)
{
    char dev[32], data[32];
    *ev_len = *me_len = *la_len = 0;
    for (long i = from; i < to; i++) {
        device_id(dev, sizeof dev, i);
        snprintf(data, sizeof data, "%.2f", event_value(i));
        int64_t ts = event_ts(i);
        *ev_len += (size_t)snprintf(
            ev + *ev_len, cap - *ev_len, "%s\ttemperature\t%s\t%lld\t%lld\tsse\t%lld\n", dev, data,
            (long long)ts, (long long)bridge_key_event(dev, "temperature", ts, data),
            (long long)ts);
        *me_len += (size_t)snprintf(
            me + *me_len, cap - *me_len, "%s\ttemperature\t%s\t%lld\tsse\t%lld\n", dev, data,
            (long long)ts, (long long)bridge_key_measurement(dev, "temperature", ts, "sse"));
        if (i % 5000 >= 5000 - DEVICES) {
            *la_len +=
                (size_t)snprintf(la + *la_len, cap - *la_len, "%s\ttemperature\t%s\t%lld\tsse\n",
                                 dev, data, (long long)ts);
        }
    }
}

static double bench_pg_copy(const char *uri, long events)
{
    PGconn *pg = PQconnectdb(uri);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "bench_bridge: %s", PQerrorMessage(pg));
        exit(1);
    }
    pg_ok(pg, PQexec(pg, "TRUNCATE events, measurements, measurements_latest"), PGRES_COMMAND_OK,
          "TRUNCATE");
    size_t cap = 5000 * 160;
    char *ev = malloc(cap), *me = malloc(cap), *la = malloc(cap);
    if (ev == NULL || me == NULL || la == NULL) {
        fprintf(stderr, "bench_bridge: out of memory\n");
        exit(1);
    }
    size_t ev_len, me_len, la_len;
    pg_ok(pg,
          PQexec(pg, "CREATE TEMP TABLE latest_stage (LIKE measurements_latest) "
                     "ON COMMIT DELETE ROWS"),
          PGRES_COMMAND_OK, "stage");
    int64_t start = pu_time_mono_ms();
    for (long from = 0; from < events; from += 5000) {
        long to = from + 5000 < events ? from + 5000 : events;
        pg_rows(from, to, ev, &ev_len, me, &me_len, la, &la_len, cap);
        pg_ok(pg, PQexec(pg, "BEGIN"), PGRES_COMMAND_OK, "BEGIN");
        pg_copy(pg,
                "COPY events (device_id, name, data, published_at_ms, key, source, "
                "received_at_ms) FROM STDIN",
                ev, ev_len);
        pg_copy(pg, "COPY measurements (device_id, name, value, ts_ms, source, key) FROM STDIN", me,
                me_len);
        /* the latest values: into a staging copy, then one upsert, as COPY cannot update */
        pg_copy(pg, "COPY latest_stage FROM STDIN", la, la_len);
        pg_ok(pg,
              PQexec(pg, "INSERT INTO measurements_latest SELECT * FROM latest_stage "
                         "ON CONFLICT (device_id, name) DO UPDATE SET value = excluded.value, "
                         "ts_ms = excluded.ts_ms, source = excluded.source"),
              PGRES_COMMAND_OK, "latest");
        pg_ok(pg, PQexec(pg, "COMMIT"), PGRES_COMMAND_OK, "COMMIT");
    }
    int64_t ms = pu_time_mono_ms() - start;
    free(ev);
    free(me);
    free(la);
    PQfinish(pg);
    return (double)events * 1000.0 / (double)(ms > 0 ? ms : 1);
}

int main(void)
{
    const char *env = getenv("BENCH_BRIDGE_EVENTS");
    long events = env ? strtol(env, NULL, 10) : 1000000;
    const char *base = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/bench-bridge-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(dir) == NULL || events <= 0) {
        return 1;
    }
    char a[600], b[600], c[600];
    snprintf(a, sizeof a, "%s/ingest.db", dir);
    snprintf(b, sizeof b, "%s/plain.db", dir);
    snprintf(c, sizeof c, "%s/rss.db", dir);
    double cpu_us = 0;
    double eps = bench_ingest(a, events, &cpu_us);
    remove_db(a);
    double rps = bench_sqlite(b, events);
    remove_db(b);
    printf("BENCH bridge_ingest_eps %.0f events/s\n", eps);
    printf("BENCH sqlite_insert_rps %.0f events/s\n",
           rps); /* 3 rows (event, measurement, latest) each */
    printf("BENCH bridge_ingest_ratio %.2f ratio\n", eps / rps);
    printf("BENCH bridge_ingest_cpu_us_per_event %.2f us\n", cpu_us);
    fflush(stdout);
    if (getenv("BENCH_BRIDGE_NO_RSS") == NULL) {
        printf("BENCH bridge_rss_kb_per_device %.2f KB\n", bench_rss(c, 100000));
        remove_db(c);
    }
    const char *pg = getenv("BRIDGE_TEST_PG");
    if (pg != NULL && pg[0] != '\0') {
        const char *pg_env = getenv("BENCH_BRIDGE_PG_EVENTS");
        long pg_events = pg_env ? strtol(pg_env, NULL, 10) : 100000;
        double pg_cpu_us = 0;
        if (pg_events > 0) {
            double pg_eps = bench_ingest(pg, pg_events, &pg_cpu_us);
            printf("BENCH bridge_ingest_pg_eps %.0f events/s\n", pg_eps);
            printf("BENCH bridge_ingest_pg_cpu_us_per_event %.2f us\n", pg_cpu_us);
            double ceiling = bench_pg_copy(pg, pg_events);
            printf("BENCH pg_copy_ceiling_eps %.0f events/s\n", ceiling);
            printf("BENCH bridge_ingest_pg_ratio %.2f ratio\n", pg_eps / ceiling);
        }
    }
    rmdir(dir);
    return 0;
}
