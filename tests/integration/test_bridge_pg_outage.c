/*
 * particle-bridge on PostgreSQL when the server goes away for 10 s mid-ingest and comes
 * back: every event the simulator streamed, every webhook post and every polled reading
 * is stored once. While the server is down the writer retries, the webhook answers 503 with
 * Retry-After (its sender posts again) and the poller's readings wait in the queue. And a
 * stop while the server is down stores everything received once it is back.
 *
 * particle-sim and the bridge run in-process; the PostgreSQL server is the scratch server
 * of tests/support/pg_scratch.sh (ctest case integration/test_bridge_pg_outage_pg), which
 * this test pauses and resumes. Every wait is bounded; nothing asserts how long anything
 * took.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <particle/particle.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_harness.h"
#include "pg_scratch.h"
#include "pu_time.h"
#include "sim_publisher.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "outage-api-key-0123456789"
#define SECRET "outage-webhook-secret"
#define DEVICE "demo-argon-1"
#define EVENT_NAME "outage-test"
#define HOOK_DEVICE "0123456789abcdef01234567"
#define HOOKS 20
#define OUTAGE_MS 10000
#define WAIT_MS 90000 /* upper bound of every wait */

typedef struct fixture {
    bridge_harness h;
    char pg_name[64];
    sim_publisher pub;
    bool paused; /* the server is paused: the teardown resumes it */
} fixture;

/* Runs pg_scratch.sh @p what (pause or resume) on the scratch server. */
static void scratch_server(fixture *f, const char *what)
{
    f->paused = strcmp(what, "pause") == 0;
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "'%s/tests/support/pg_scratch.sh' %s '%s'", PARTICLE_SOURCE_DIR, what,
             bt_pg_uri());
    assert_int_equal(system(cmd), 0);
}

static int64_t scalar(fixture *f, const char *sql)
{
    return bt_pg_scalar(f->h.db, sql);
}

static long post_webhook(fixture *f, long seq, bool *retry_after)
{
    char url[128], body[256];
    http_url(url, sizeof url, bridge_app_port(f->h.app), "/api/v1/webhook");
    snprintf(body, sizeof body,
             "{\"event\":\"outage-hook\",\"data\":\"%ld\",\"coreid\":\"" HOOK_DEVICE "\","
             "\"published_at\":\"2025-01-01T00:00:%02ld.000Z\"}",
             seq, seq % 60);
    const char *headers[] = {"Content-Type: application/json", "X-Webhook-Secret: " SECRET, NULL};
    http_call call = {.method = "POST",
                      .url = url,
                      .headers = headers,
                      .body = body,
                      .body_len = strlen(body),
                      .timeout_ms = 15000};
    http_reply r;
    http_perform(&call, &r);
    char *after = http_reply_header(&r, "Retry-After");
    *retry_after = after != NULL;
    free(after);
    long status = r.status;
    http_reply_dispose(&r);
    return status;
}

/* Posts webhook event @p seq the way Particle does: again after a 5xx, until accepted.
 * Returns how many 503s it took. */
static int post_webhook_until_accepted(fixture *f, long seq)
{
    int refused = 0;
    for (int attempt = 0; attempt < 900; attempt++) {
        bool retry_after = false;
        long status = post_webhook(f, seq, &retry_after);
        if (status == 200) {
            return refused;
        }
        assert_int_equal(status, 503);
        assert_true(retry_after);
        refused++;
        pu_time_sleep_ms(100); /* stands in for the Retry-After the sender honours */
    }
    fail_msg("webhook post %ld was never accepted", seq);
    return refused;
}

static bool wait_stored_events(fixture *f, long n)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (pu_time_mono_ms() < deadline) {
        if (scalar(f, "SELECT count(*) FROM events WHERE name = '" EVENT_NAME "'") >= n) {
            return true;
        }
        pu_time_sleep_ms(50);
    }
    return false;
}

static bool wait_stalled(bridge_metrics *m)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (atomic_load(&m->writer_stalled) == 0 && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(20);
    }
    return atomic_load(&m->writer_stalled) != 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    if (f == NULL || bridge_harness_open(&f->h, "bridge-outage", &so) != 0) {
        free(f);
        return -1;
    }
    if (bt_pg_db_create(f->h.db, sizeof f->h.db, f->pg_name, sizeof f->pg_name) != 0) {
        bridge_harness_close(&f->h);
        free(f);
        return -1;
    }
    bridge_harness_configure(&f->h, TOKEN, KEY);
    bridge_config *cfg = &f->h.cfg;
    cfg->defaults.check_interval_ms = 500;
    cfg->request_timeout_ms = 5000;
    cfg->flush_interval_ms = 20;
    snprintf(cfg->webhook_secret, sizeof cfg->webhook_secret, "%s", SECRET);
    char verr[256];
    assert_int_equal(bridge_config_validate(cfg, verr, sizeof verr), 0);
    f->pub = (sim_publisher){.sim_port = sim_server_port(f->h.sim),
                             .token = TOKEN,
                             .device = DEVICE,
                             .event_name = EVENT_NAME,
                             .period_ms = 20};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->paused) {
        scratch_server(f, "resume"); /* a failed test left it down: let the stop store */
    }
    bridge_app_free(f->h.app);
    f->h.app = NULL;
    bt_pg_db_drop(f->pg_name);
    bridge_harness_close(&f->h);
    free(f);
    return 0;
}

static void test_server_down_10s_mid_ingest_loses_nothing(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h);
    bridge_metrics *m = bridge_app_metrics(f->h.app);
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (sim_sse_subscribers(f->pub.sim_port, TOKEN) < 1 && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(20); /* what is published before the stream opens is not for us */
    }
    assert_true(sim_sse_subscribers(f->pub.sim_port, TOKEN) >= 1);
    assert_int_equal(sim_publisher_start(&f->pub), 0);
    assert_true(wait_stored_events(f, 50)); /* ingesting steadily */
    for (long i = 1; i <= HOOKS / 2; i++) {
        assert_int_equal(post_webhook_until_accepted(f, i), 0);
    }

    /* The server goes away while events stream in and the poller reads. */
    long published_at_stop = atomic_load(&f->pub.published);
    unsigned long long polls_at_stop = atomic_load(&m->polls);
    int64_t stopped_at = pu_time_mono_ms();
    scratch_server(f, "pause");
    assert_true(wait_stalled(m));
    bool retry_after = false;
    assert_int_equal(post_webhook(f, HOOKS / 2 + 1, &retry_after), 503);
    assert_true(retry_after);
    int64_t left = OUTAGE_MS - (pu_time_mono_ms() - stopped_at);
    if (left > 0) {
        pu_time_sleep_ms(left);
    }
    scratch_server(f, "resume");

    /* The webhook's sender gets through again; the stream and the poller kept going. */
    for (long i = HOOKS / 2 + 1; i <= HOOKS; i++) {
        post_webhook_until_accepted(f, i);
    }
    sim_publisher_stop(&f->pub);
    long published = atomic_load(&f->pub.published);
    assert_true(published > published_at_stop); /* events came during the outage */
    assert_true(atomic_load(&m->polls) > polls_at_stop);
    assert_true(wait_stored_events(f, published));

    /* Polled readings: all those queued so far are stored, no more than were read. */
    long long read_before =
        (long long)atomic_load(&m->polls) - (long long)atomic_load(&m->poll_failures);
    assert_int_equal(bridge_app_flush(f->h.app, WAIT_MS), 0);
    int64_t poll_rows =
        scalar(f, "SELECT (SELECT count(*) FROM measurements WHERE source = 'poll') + "
                  "(SELECT count(*) FROM status_posts WHERE kind = 'variable')");
    long long read_after =
        (long long)atomic_load(&m->polls) - (long long)atomic_load(&m->poll_failures);

    fprintf(stderr,
            "published %ld (%ld before the outage), %d webhook posts, %lld polled readings "
            "stored; %llu write retries\n",
            published, published_at_stop, HOOKS, (long long)poll_rows,
            (unsigned long long)atomic_load(&m->write_retries));
    assert_true(atomic_load(&m->write_retries) >= 1);
    assert_int_equal(atomic_load(&m->writer_stalled), 0);
    /* the stream: 1..published, each once */
    assert_int_equal(scalar(f, "SELECT count(*) FROM events WHERE name = '" EVENT_NAME "'"),
                     published);
    assert_int_equal(
        scalar(f, "SELECT count(DISTINCT data) FROM events WHERE name = '" EVENT_NAME "'"),
        published);
    assert_int_equal(
        scalar(f, "SELECT max(CAST(data AS bigint)) FROM events WHERE name = '" EVENT_NAME "'"),
        published);
    /* the webhook: each post once */
    assert_int_equal(scalar(f, "SELECT count(DISTINCT data) FROM events WHERE name = "
                               "'outage-hook'"),
                     HOOKS);
    assert_int_equal(scalar(f, "SELECT count(*) FROM events WHERE name = 'outage-hook'"), HOOKS);
    /* the poller */
    assert_true(poll_rows >= read_before);
    assert_true(poll_rows <= read_after);
    assert_int_equal(atomic_load(&m->duplicates_dropped), 0);
}

typedef struct stopper {
    bridge_app *app;
    pthread_t thread;
    atomic_bool done;
} stopper;

static void *stop_main(void *arg)
{
    stopper *s = arg;
    bridge_app_free(s->app);
    atomic_store(&s->done, true);
    return NULL;
}

/* The stop (what SIGTERM runs: main.c calls bridge_app_free) while the server is down: it
 * waits for the server and returns only when everything the bridge received is stored. */
static void test_stop_while_server_down_stores_everything_received(void **state)
{
    fixture *f = *state;
    bridge_harness_start_app(&f->h);
    bridge_metrics *m = bridge_app_metrics(f->h.app);
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (sim_sse_subscribers(f->pub.sim_port, TOKEN) < 1 && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(20);
    }
    assert_int_equal(sim_publisher_start(&f->pub), 0);
    assert_true(wait_stored_events(f, 20));
    scratch_server(f, "pause");
    assert_true(wait_stalled(m));
    deadline = pu_time_mono_ms() + WAIT_MS;
    while (atomic_load(&m->queue_depth) < 10 && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(20); /* received while the server is down: only in the queue */
    }
    assert_true(atomic_load(&m->queue_depth) >= 10);
    sim_publisher_stop(&f->pub);
    unsigned long long received = atomic_load(&m->events_received);

    stopper s = {.app = f->h.app};
    atomic_init(&s.done, false);
    f->h.app = NULL;
    assert_int_equal(pthread_create(&s.thread, NULL, stop_main, &s), 0);
    pu_time_sleep_ms(1000);             /* the stop is under way while the server is still down */
    assert_false(atomic_load(&s.done)); /* it cannot be done: nothing can be stored */
    scratch_server(f, "resume");
    pthread_join(s.thread, NULL);

    int64_t stored = scalar(f, "SELECT count(*) FROM events");
    fprintf(stderr, "received %llu events, %lld stored after the stop\n", received,
            (long long)stored);
    assert_true(stored >= (int64_t)received);
    assert_int_equal(
        scalar(f, "SELECT count(DISTINCT data) FROM events WHERE name = '" EVENT_NAME "'"),
        scalar(f, "SELECT count(*) FROM events WHERE name = '" EVENT_NAME "'"));
}

int main(void)
{
    if (bt_pg_uri() == NULL) {
        fprintf(stderr, "BRIDGE_TEST_PG is not set: run this test through "
                        "tests/support/pg_scratch.sh run (ctest case "
                        "integration/test_bridge_pg_outage_pg)\n");
        return 1;
    }
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_server_down_10s_mid_ingest_loses_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stop_while_server_down_stores_everything_received,
                                        setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
