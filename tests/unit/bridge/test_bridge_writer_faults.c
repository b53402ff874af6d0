/*
 * The writer when the store refuses writes (a full disk, a busy database, injected by the
 * SQLite driver's fault hook on the writer's connection only): every stream event, polled reading
 * and webhook post is stored once, none lost, none twice. While a batch waits the stream and the
 * poller wait for room in the bounded queue, the stream's cursor does not move past what is stored,
 * the webhook and a settings PUT answer 503 with Retry-After, /healthz says 503, and a stop
 * stores everything before it returns.
 *
 * Every wait is bounded by a deadline; nothing asserts how long anything took.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>

#include "api/api.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"
#include "pu_time.h"
#include "store/sqlite_fault.h"

#define DEV "0123456789abcdef01234567"
#define KEY "test-api-key"
#define SECRET "test-webhook-secret"
#define MAX_QUEUE 64
#define BATCH 16
#define WAIT_MS 60000 /* upper bound of every wait; a loaded machine is slow, not wrong */

typedef struct fixture {
    char dir[512], db[600];
    bridge_store *reader;  /* the test's own read connection */
    bridge_store *written; /* the writer's connection (owned by the writer), the faults' target */
    bridge_writer *writer;
    bridge_metrics metrics;
    bridge_api api;
    httpd_server *srv;
} fixture;

static void open_fixture(fixture *f)
{
    char err[256] = "";
    memset(f, 0, sizeof *f);
    assert_int_equal(bt_tempdir(f->dir, sizeof f->dir), 0);
    bt_path(f->db, sizeof f->db, f->dir, "faults.db");
    f->reader = bridge_store_open(f->db, err, sizeof err);
    assert_non_null(f->reader);
    f->written = bridge_store_open(f->db, err, sizeof err);
    assert_non_null(f->written);
    bridge_writer_options wo = {.store = f->written,
                                .batch_size = BATCH,
                                .flush_interval_ms = 5,
                                .max_queue = MAX_QUEUE,
                                .metrics = &f->metrics};
    f->writer = bridge_writer_new(&wo, err, sizeof err);
    assert_non_null(f->writer);
    f->api = (bridge_api){.store = f->reader,
                          .writer = f->writer,
                          .metrics = &f->metrics,
                          .api_key = KEY,
                          .webhook_secret = SECRET};
    httpd_options ho = {
        .port = 0, .threads = 2, .before = bridge_api_before, .before_payload = &f->api};
    f->srv = httpd_server_new(&ho);
    assert_non_null(f->srv);
    assert_int_equal(bridge_api_register(f->srv, &f->api), 0);
    assert_int_equal(httpd_server_start(f->srv, err, sizeof err), 0);
}

/* Every step and command on the writer's connection fails with @p sqlite_rc: @p count of
 * them, UINT_MAX for "until told otherwise", 0 to stop. */
static void fail_writes(fixture *f, int sqlite_rc, unsigned count)
{
    bridge_sqlite_fault_inject_on(f->written, sqlite_rc, 0, count);
}

static void close_fixture(fixture *f)
{
    bridge_sqlite_fault_inject(0, 0, 0);
    httpd_server_free(f->srv);
    bridge_writer_free(f->writer);
    bridge_store_close(f->reader);
    bt_rmdir(f->dir);
}

/* Waits (bounded) until @p value reaches @p at_least. */
static bool wait_for(atomic_ullong *value, unsigned long long at_least)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (atomic_load(value) < at_least && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(10);
    }
    return atomic_load(value) >= at_least;
}

/* ---- the three inputs ---- */

/* Stream event @p seq: published at 1000 + seq with data seq (one measurement each), the
 * stream position is its number. */
static void push_stream_event(bridge_writer *w, long seq)
{
    char data[32], id[32];
    snprintf(data, sizeof data, "%ld", seq);
    snprintf(id, sizeof id, "%ld", seq);
    bridge_event_in ev = {DEV, "seq", data, 1000 + seq, pu_time_now_ms(), "sse"};
    assert_int_equal(bridge_writer_push_event(w, &ev, "user", id), 0);
}

/* Polled reading @p seq of variable "level" (one measurement each). */
static void push_reading(bridge_writer *w, long seq)
{
    bridge_reading_in r = {DEV, "level", BRIDGE_READING_NUMBER, (double)seq, NULL, 5000000 + seq};
    assert_int_equal(bridge_writer_push_reading(w, &r), 0);
}

typedef struct producer {
    bridge_writer *writer;
    long from, to;      /* sequence numbers pushed, inclusive */
    bool readings;      /* the poller, else the stream */
    atomic_long pushed; /* how many pushes have returned */
    pthread_t thread;
} producer;

static void *producer_main(void *arg)
{
    producer *p = arg;
    for (long seq = p->from; seq <= p->to; seq++) {
        if (p->readings) {
            push_reading(p->writer, seq);
        } else {
            push_stream_event(p->writer, seq);
        }
        atomic_fetch_add(&p->pushed, 1);
    }
    return NULL;
}

static void start_producer(producer *p, bridge_writer *w, long from, long to, bool readings)
{
    p->writer = w;
    p->from = from;
    p->to = to;
    p->readings = readings;
    atomic_init(&p->pushed, 0);
    assert_int_equal(pthread_create(&p->thread, NULL, producer_main, p), 0);
}

/* Posts webhook event @p seq (published at 9000000 + seq s, data seq). */
static http_reply post_webhook(fixture *f, long seq)
{
    char url[128], body[256];
    http_url(url, sizeof url, httpd_server_port(f->srv), "/api/v1/webhook");
    snprintf(body, sizeof body,
             "{\"event\":\"hook\",\"data\":\"%ld\",\"coreid\":\"" DEV "\","
             "\"published_at\":\"2025-01-01T00:00:%02ld.%03ldZ\"}",
             seq, seq / 1000 % 60, seq % 1000);
    const char *headers[] = {"Content-Type: application/json", "X-Webhook-Secret: " SECRET, NULL};
    http_call call = {
        .method = "POST", .url = url, .headers = headers, .body = body, .body_len = strlen(body)};
    http_reply r;
    http_perform(&call, &r);
    return r;
}

/* Posts webhook event @p seq the way Particle does: again after a 5xx, until accepted. */
static void post_webhook_until_accepted(fixture *f, long seq)
{
    for (int attempt = 0; attempt < 600; attempt++) {
        http_reply r = post_webhook(f, seq);
        long status = r.status;
        http_reply_dispose(&r);
        if (status == 200) {
            return;
        }
        assert_int_equal(status, 503);
        pu_time_sleep_ms(100); /* stands in for the Retry-After the sender honours */
    }
    fail_msg("webhook post %ld was never accepted", seq);
}

static long healthz(fixture *f)
{
    char url[128];
    http_url(url, sizeof url, httpd_server_port(f->srv), "/healthz");
    static const char *const auth[] = {"Authorization: Bearer " KEY, NULL};
    http_call call = {.url = url, .headers = auth};
    http_reply r;
    http_perform(&call, &r);
    long status = r.status;
    http_reply_dispose(&r);
    return status;
}

/* PUT of a settings change; the status, and whether a Retry-After came with it. */
static long put_settings(fixture *f, bool *retry_after)
{
    char url[128];
    http_url(url, sizeof url, httpd_server_port(f->srv), "/api/v1/devices/" DEV "/particle");
    const char *headers[] = {"Content-Type: application/json", "Authorization: Bearer " KEY, NULL};
    const char *body = "{\"Enabled\":true}";
    http_call call = {
        .method = "PUT", .url = url, .headers = headers, .body = body, .body_len = strlen(body)};
    http_reply r;
    http_perform(&call, &r);
    char *after = http_reply_header(&r, "Retry-After");
    *retry_after = after != NULL;
    free(after);
    long status = r.status;
    http_reply_dispose(&r);
    return status;
}

static long stored_cursor(fixture *f)
{
    char id[64] = "";
    if (bridge_store_cursor_get(f->reader, "user", id, sizeof id) != 0) {
        return 0;
    }
    return strtol(id, NULL, 10);
}

static bridge_store_counts counts(fixture *f)
{
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(f->reader, &c), 0);
    return c;
}

/* A full disk for a while in the middle of ingest from all three inputs. */
static void test_full_disk_loses_nothing_and_doubles_nothing(void **state)
{
    (void)state;
    enum { SSE_BEFORE = 20, SSE_TOTAL = 400, READINGS = 100, HOOKS_BEFORE = 5, HOOKS = 10 };
    fixture f;
    open_fixture(&f);
    bridge_cloud_device cd = {.particle_id = DEV, .name = "meter"};
    bridge_device_defaults measured = {.enabled = true, .publish_unknown_as_measurements = true};
    assert_int_equal(bridge_store_device_sync(f.reader, &cd, &measured, 1, NULL), 0);

    /* healthy */
    for (long i = 1; i <= SSE_BEFORE; i++) {
        push_stream_event(f.writer, i);
    }
    for (long i = 1; i <= HOOKS_BEFORE; i++) {
        post_webhook_until_accepted(&f, i);
    }
    assert_int_equal(bridge_writer_flush(f.writer, WAIT_MS), 0);
    assert_int_equal(healthz(&f), 200);

    /* the disk fills up; the stream and the poller keep producing */
    fail_writes(&f, SQLITE_FULL, UINT_MAX);
    producer sse, poller;
    start_producer(&sse, f.writer, SSE_BEFORE + 1, SSE_TOTAL, false);
    start_producer(&poller, f.writer, 1, READINGS, true);
    assert_true(wait_for(&f.metrics.writer_stalled, 1));
    assert_true(wait_for(&f.metrics.queue_depth, MAX_QUEUE));

    /* backpressure: what the producers got rid of fits in the queue and the batch waiting */
    long taken = atomic_load(&sse.pushed) + atomic_load(&poller.pushed);
    assert_true(taken <= MAX_QUEUE + BATCH);
    assert_true(taken < (SSE_TOTAL - SSE_BEFORE) + READINGS);
    /* the cursor is where the stored events end, not past them */
    assert_int_equal(stored_cursor(&f), SSE_BEFORE);
    assert_int_equal(counts(&f).events, SSE_BEFORE + HOOKS_BEFORE);
    /* the webhook sends its sender away for now; readiness says why */
    http_reply r = post_webhook(&f, HOOKS_BEFORE + 1);
    assert_int_equal(r.status, 503);
    char *retry = http_reply_header(&r, "Retry-After");
    assert_non_null(retry);
    free(retry);
    http_reply_dispose(&r);
    assert_int_equal(healthz(&f), 503);
    bool put_retry_after = false;
    assert_int_equal(put_settings(&f, &put_retry_after), 503); /* a settings change too */
    assert_true(put_retry_after);
    assert_true(atomic_load(&f.metrics.write_retries) >= 1);
    long long oldest = atomic_load(&f.metrics.oldest_unstored_ms);
    assert_true(oldest > 0 && oldest <= pu_time_now_ms());

    /* room again: everything goes in, the webhook's sender gets through on a retry */
    fail_writes(&f, 0, 0);
    for (long i = HOOKS_BEFORE + 1; i <= HOOKS; i++) {
        post_webhook_until_accepted(&f, i);
    }
    pthread_join(sse.thread, NULL);
    pthread_join(poller.thread, NULL);
    assert_int_equal(bridge_writer_flush(f.writer, WAIT_MS), 0);

    bridge_store_counts c = counts(&f);
    assert_int_equal(c.events, SSE_TOTAL + HOOKS);
    assert_int_equal(c.measurements, SSE_TOTAL + HOOKS + READINGS);
    assert_int_equal(stored_cursor(&f), SSE_TOTAL);
    assert_int_equal(atomic_load(&f.metrics.events_stored), SSE_TOTAL + HOOKS);
    assert_int_equal(atomic_load(&f.metrics.measurements_stored), SSE_TOTAL + HOOKS + READINGS);
    assert_int_equal(atomic_load(&f.metrics.duplicates_dropped), 0);
    assert_int_equal(atomic_load(&f.metrics.writer_stalled), 0);
    assert_int_equal(atomic_load(&f.metrics.oldest_unstored_ms), 0);
    assert_int_equal(atomic_load(&f.metrics.queue_depth), 0);
    assert_int_equal(healthz(&f), 200);
    assert_int_equal(put_settings(&f, &put_retry_after), 200);
    close_fixture(&f);
}

/* A busy database refuses the writer's settings reads too (every step on its connection
 * fails): the batch waits rather than being normalised with the defaults. The device asks for no
 * measurements; after three refused attempts its events are stored with its own settings. */
static void test_busy_database_retries_with_the_real_settings(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    bridge_cloud_device cd = {.particle_id = DEV, .name = "quiet"};
    bridge_device_defaults quiet = {.enabled = true};
    assert_int_equal(bridge_store_device_sync(f.reader, &cd, &quiet, 1, NULL), 0);

    fail_writes(&f, SQLITE_BUSY, 3);
    for (long i = 1; i <= 10; i++) {
        push_stream_event(f.writer, i);
    }
    assert_int_equal(bridge_writer_flush(f.writer, WAIT_MS), 0);
    assert_int_equal(bridge_sqlite_fault_pending(), 0);
    assert_int_equal(atomic_load(&f.metrics.write_retries), 3);
    assert_int_equal(atomic_load(&f.metrics.write_failures), 1);
    bridge_store_counts c = counts(&f);
    assert_int_equal(c.events, 10);
    assert_int_equal(c.measurements, 0); /* the device's settings, not the defaults */
    assert_int_equal(stored_cursor(&f), 10);
    close_fixture(&f);
}

/* The stop (what SIGTERM does) while the store refuses writes: it returns once everything
 * queued is stored. */
static void test_stop_while_failing_stores_everything(void **state)
{
    (void)state;
    enum { EVENTS = 50, READINGS = 20, REFUSALS = 4 };
    fixture f;
    open_fixture(&f);
    httpd_server_free(f.srv); /* no webhook here; the stop is the writer's */
    f.srv = NULL;
    fail_writes(&f, SQLITE_FULL, REFUSALS);
    for (long i = 1; i <= EVENTS; i++) {
        push_stream_event(f.writer, i);
    }
    for (long i = 1; i <= READINGS; i++) {
        push_reading(f.writer, i);
    }
    bridge_writer_free(f.writer); /* returns only when all of it is stored */
    f.writer = NULL;
    assert_int_equal(atomic_load(&f.metrics.write_retries), REFUSALS);
    bridge_store_counts c = counts(&f);
    assert_int_equal(c.events, EVENTS);
    assert_int_equal(c.measurements, EVENTS + READINGS);
    assert_int_equal(stored_cursor(&f), EVENTS);
    close_fixture(&f);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_disk_loses_nothing_and_doubles_nothing),
        cmocka_unit_test(test_busy_database_retries_with_the_real_settings),
        cmocka_unit_test(test_stop_while_failing_stores_everything),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
