/* The variable poller against a loopback canned server: several reads on the wire at once
 * (counted while none is answered), never more than the configured concurrency, readings
 * stored through the writer, failures counted by the breaker, and a prompt shutdown with
 * reads still in flight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <particle/particle.h>

#include "bridge_test.h"
#include "canned_server.h"
#include "pu_time.h"
#include "scheduler.h"

typedef struct fixture {
    char dir[512], db[600];
    bridge_metrics metrics;
    bridge_writer *writer;
    bridge_budget *budget;
    canned_server *srv;
    char url[64];
} fixture;

/* A store with @p n devices "dev0".."dev<n-1>", each with one variable "temp" read every
 * @p interval_ms. */
static void fixture_open_every(fixture *f, size_t n, int64_t interval_ms, const canned_step *steps,
                               size_t nsteps)
{
    char err[256] = "";
    memset(f, 0, sizeof *f);
    assert_int_equal(bt_tempdir(f->dir, sizeof f->dir), 0);
    bt_path(f->db, sizeof f->db, f->dir, "poll.db");
    bridge_store *st = bridge_store_open(f->db, err, sizeof err);
    assert_non_null(st);
    bridge_device_defaults defaults = {.check_interval_ms = interval_ms, .enabled = true};
    bridge_variable var = {.name = "temp", .type = "double", .enabled = true};
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "dev%zu", i);
        bridge_cloud_device cd = {.particle_id = id,
                                  .name = id,
                                  .connected = true,
                                  .variables = &var,
                                  .variable_count = 1,
                                  .has_variables = true};
        assert_int_equal(bridge_store_device_sync(st, &cd, &defaults, 1000, NULL), 0);
    }
    bridge_store_close(st);
    bridge_writer_options wo = {.db_path = f->db, .metrics = &f->metrics};
    f->writer = bridge_writer_new(&wo, err, sizeof err);
    assert_non_null(f->writer);
    f->budget = bridge_budget_new(0);
    assert_non_null(f->budget);
    f->srv = canned_server_start(steps, nsteps);
    assert_non_null(f->srv);
    canned_server_url(f->srv, f->url, sizeof f->url);
}

static void fixture_open(fixture *f, size_t n, const canned_step *steps, size_t nsteps)
{
    fixture_open_every(f, n, 60000, steps, nsteps);
}

static bridge_scheduler *start_scheduler(fixture *f, unsigned int concurrency)
{
    char err[256] = "";
    bridge_scheduler_options so = {
        .db_path = f->db,
        .cloud_url = f->url,
        .access_token = "0123456789abcdef0123456789abcdef01234567",
        .concurrency = concurrency,
        .budget = f->budget,
        .request_timeout_ms = 20000,
        .breaker = {.threshold = 1, .reset_ms = 60000, .max_reset_ms = 600000},
        .writer = f->writer,
        .metrics = &f->metrics};
    bridge_scheduler *s = bridge_scheduler_new(&so, err, sizeof err);
    if (s == NULL) {
        fail_msg("scheduler: %s", err);
    }
    return s;
}

static void fixture_close(fixture *f)
{
    bridge_writer_free(f->writer);
    bridge_budget_free(f->budget);
    canned_server_stop(f->srv);
    bt_rmdir(f->dir);
}

/* Waits until the server has seen @p n requests (false after ~5 s). */
static bool wait_requests(canned_server *srv, size_t n)
{
    for (int i = 0; i < 500 && canned_server_request_count(srv) < n; i++) {
        pu_time_sleep_ms(10);
    }
    return canned_server_request_count(srv) >= n;
}

static void test_reads_are_concurrent_up_to_the_limit(void **state)
{
    (void)state;
    canned_step steps[8];
    for (size_t i = 0; i < 8; i++) {
        steps[i] = (canned_step){.expect = "GET /v1/devices/dev", .no_reply = true};
    }
    fixture f;
    fixture_open(&f, 8, steps, 8);
    bridge_scheduler *s = start_scheduler(&f, 5);
    /* five reads are on the wire although the server answers none of them ... */
    assert_true(wait_requests(f.srv, 5));
    /* ... and the other three wait for a free slot */
    pu_time_sleep_ms(200);
    assert_int_equal(canned_server_request_count(f.srv), 5);
    assert_true(canned_server_connection_count(f.srv) >= 5);
    /* shutdown does not wait for the 20 s request timeout of the reads in flight */
    int64_t started = pu_time_mono_ms();
    bridge_scheduler_free(s);
    assert_true(pu_time_mono_ms() - started < 10000);
    assert_int_equal(atomic_load(&f.metrics.polls), 0);
    fixture_close(&f);
}

static void test_readings_are_stored_and_failures_fault_the_device(void **state)
{
    (void)state;
    const char *answer = "{\"cmd\":\"VarReturn\",\"name\":\"temp\",\"result\":21.5,"
                         "\"coreInfo\":{\"connected\":true}}";
    canned_step steps[] = {
        {.expect = "GET /v1/devices/dev", .status = 200, .body = answer},
        {.expect = "GET /v1/devices/dev", .status = 200, .body = answer},
        {.expect = "GET /v1/devices/dev", .status = 408, .body = "{\"error\":\"Timed out.\"}"},
    };
    fixture f;
    fixture_open(&f, 3, steps, 3);
    bridge_scheduler *s = start_scheduler(&f, 1); /* one at a time: the answers in order */
    assert_true(wait_requests(f.srv, 3));
    for (int i = 0; i < 500 && atomic_load(&f.metrics.polls) < 3; i++) {
        pu_time_sleep_ms(10);
    }
    bridge_scheduler_free(s);
    assert_int_equal(atomic_load(&f.metrics.polls), 3);
    assert_int_equal(atomic_load(&f.metrics.poll_failures), 1);
    assert_int_equal(atomic_load(&f.metrics.breaker_trips), 1); /* threshold 1 */
    assert_int_equal(bridge_writer_flush(f.writer, 10000), 0);

    char err[256] = "";
    bridge_store *st = bridge_store_open(f.db, err, sizeof err);
    assert_non_null(st);
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(st, &c), 0);
    assert_int_equal(c.measurements, 2);
    assert_int_equal(c.devices_faulted, 1);
    bridge_store_close(st);
    /* each device was read once: the interval (60 s) is not due again */
    assert_int_equal(canned_server_request_count(f.srv), 3);
    fixture_close(&f);
}

static void test_due_reads_repeat_and_disabled_devices_are_skipped(void **state)
{
    (void)state;
    const char *answer = "{\"name\":\"temp\",\"result\":7}";
    canned_step steps[4];
    for (size_t i = 0; i < 4; i++) {
        steps[i] =
            (canned_step){.expect = "GET /v1/devices/dev0/temp ", .status = 200, .body = answer};
    }
    fixture f;
    fixture_open_every(&f, 2, 50, steps, 4);
    char err[256] = "";
    bridge_store *st = bridge_store_open(f.db, err, sizeof err);
    assert_non_null(st);
    bridge_settings_patch off = {.has_enabled = true, .enabled = false};
    assert_int_equal(bridge_store_device_update_settings(st, "dev1", &off), 0);
    bridge_store_close(st);
    bridge_scheduler *s = start_scheduler(&f, 4);
    /* dev0 is read again and again at its 50 ms interval; dev1 never */
    assert_true(wait_requests(f.srv, 4));
    bridge_scheduler_free(s);
    char text[512];
    for (size_t i = 0; i < 4; i++) {
        assert_true(canned_server_request(f.srv, i, text, sizeof text));
        assert_non_null(strstr(text, "GET /v1/devices/dev0/temp "));
    }
    fixture_close(&f);
}

static void test_429_pauses_the_shared_budget(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/dev0/temp ",
         .status = 429,
         .headers = "Retry-After: 30\r\n",
         .body = "{\"error\":\"Too many requests\"}"},
    };
    fixture f;
    fixture_open(&f, 3, steps, 1);
    bridge_scheduler *s = start_scheduler(&f, 1);
    assert_true(wait_requests(f.srv, 1));
    for (int i = 0; i < 500 && atomic_load(&f.metrics.rate_limited) == 0; i++) {
        pu_time_sleep_ms(10);
    }
    assert_int_equal(atomic_load(&f.metrics.rate_limited), 1);
    /* the pause holds for everyone who draws on the budget (the sync too) */
    assert_true(bridge_budget_paused_until(f.budget) > pu_time_mono_ms() + 20000);
    assert_false(bridge_budget_take(f.budget, NULL));
    pu_time_sleep_ms(200);
    assert_int_equal(canned_server_request_count(f.srv), 1); /* dev1, dev2 wait */
    bridge_scheduler_free(s);
    assert_int_equal(atomic_load(&f.metrics.breaker_trips), 0); /* not the device's fault */
    fixture_close(&f);
}

/* On a shared database the poller reads only the devices its bridge syncs (its scope tag)
 * and those no bridge has synced yet. */
static void test_polls_only_its_own_devices(void **state)
{
    (void)state;
    canned_step steps[3];
    for (size_t i = 0; i < 3; i++) {
        steps[i] = (canned_step){.expect = "GET /v1/devices/dev", .no_reply = true};
    }
    fixture f;
    fixture_open(&f, 3, steps, 3);
    char err[256] = "";
    bridge_store *st = bridge_store_open(f.db, err, sizeof err);
    assert_non_null(st);
    const char *owners[] = {"scope-mine", "scope-theirs", NULL};
    bridge_device_defaults defaults = {.check_interval_ms = 60000, .enabled = true};
    bridge_variable var = {.name = "temp", .type = "double", .enabled = true};
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "dev%d", i);
        bridge_cloud_device cd = {.particle_id = id,
                                  .variables = &var,
                                  .variable_count = 1,
                                  .has_variables = true,
                                  .owner = owners[i]};
        assert_int_equal(bridge_store_device_sync(st, &cd, &defaults, 2000, NULL), 0);
    }
    bridge_store_close(st);
    char err2[256] = "";
    bridge_scheduler_options so = {
        .db_path = f.db,
        .cloud_url = f.url,
        .access_token = "0123456789abcdef0123456789abcdef01234567",
        .concurrency = 4,
        .budget = f.budget,
        .owner = "scope-mine",
        .request_timeout_ms = 20000,
        .breaker = {.threshold = 3, .reset_ms = 60000, .max_reset_ms = 600000},
        .writer = f.writer,
        .metrics = &f.metrics};
    bridge_scheduler *s = bridge_scheduler_new(&so, err2, sizeof err2);
    assert_non_null(s);
    assert_true(wait_requests(f.srv, 2));
    pu_time_sleep_ms(200);
    bridge_scheduler_free(s);
    assert_int_equal(canned_server_request_count(f.srv), 2);
    char text[512];
    for (size_t i = 0; i < 2; i++) {
        assert_true(canned_server_request(f.srv, i, text, sizeof text));
        assert_null(strstr(text, "/v1/devices/dev1/")); /* scope-theirs */
    }
    fixture_close(&f);
}

int main(void)
{
    assert_int_equal(particle_global_init(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_are_concurrent_up_to_the_limit),
        cmocka_unit_test(test_readings_are_stored_and_failures_fault_the_device),
        cmocka_unit_test(test_due_reads_repeat_and_disabled_devices_are_skipped),
        cmocka_unit_test(test_429_pauses_the_shared_budget),
        cmocka_unit_test(test_polls_only_its_own_devices),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
