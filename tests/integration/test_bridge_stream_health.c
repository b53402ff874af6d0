/*
 * particle_bridge_stream_connected and /readyz follow the event stream through a cloud
 * outage: particle-sim (in-process, loopback) is stopped, the gauge drops to 0 and readiness
 * fails on the streams check; the simulator comes back on the same port, the stream
 * reconnects, the gauge is 1 again and the bridge is ready. The outage is logged once when
 * it starts and once when it ends, however many reconnect attempts fail in between.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_harness.h"
#include "pu_time.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "health-api-key-0123456789"

/* Waits up to @p timeout_ms for stream_connected to be @p want. */
static bool wait_connected(bridge_app *app, unsigned long long want, int64_t timeout_ms)
{
    int64_t until = pu_time_mono_ms() + timeout_ms;
    while (atomic_load(&bridge_app_metrics(app)->stream_connected) != want) {
        if (pu_time_mono_ms() > until) {
            return false;
        }
        pu_time_sleep_ms(50);
    }
    return true;
}

/* GET /readyz: its status, and whether the streams check passed. */
static long readyz(bridge_harness *h, bool *streams_ok)
{
    http_reply r = bridge_harness_api(h, "GET", "/readyz", NULL, NULL);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    json_t *streams = json_object_get(json_object_get(j, "checks"), "streams");
    *streams_ok = json_is_true(json_object_get(streams, "ok"));
    long status = r.status;
    json_decref(j);
    http_reply_dispose(&r);
    return status;
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_stream_gauge_follows_outage(void **state)
{
    (void)state;
    bridge_harness h = {0};
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 2;
    assert_int_equal(bridge_harness_open(&h, "bridge-stream-health", &so), 0);
    unsigned short sim_port = sim_server_port(h.sim);
    bridge_harness_configure(&h, TOKEN, KEY);
    char err[256];
    assert_int_equal(bridge_config_validate(&h.cfg, err, sizeof err), 0);
    bridge_harness_start_app(&h);

    assert_true(wait_connected(h.app, 1, 10000));
    bool streams_ok = false;
    assert_int_equal(readyz(&h, &streams_ok), 200);
    assert_true(streams_ok);

    /* The outage's log lines go to a file while it lasts. */
    char log_path[600];
    snprintf(log_path, sizeof log_path, "%s/stderr.log", h.dir);
    int log_fd = open(log_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(log_fd >= 0);
    fflush(stderr);
    int saved_stderr = dup(STDERR_FILENO);
    dup2(log_fd, STDERR_FILENO);

    sim_server_free(h.sim); /* the cloud goes away */
    h.sim = NULL;
    bool dropped = wait_connected(h.app, 0, 20000);
    long down_status = readyz(&h, &streams_ok);
    bool down_streams_ok = streams_ok;
    /* let a few reconnect attempts fail (1 s, then about 2 s apart) */
    unsigned long long reconnects_before =
        atomic_load(&bridge_app_metrics(h.app)->stream_reconnects);
    pu_time_sleep_ms(3500);
    unsigned long long failed_attempts =
        atomic_load(&bridge_app_metrics(h.app)->stream_reconnects) - reconnects_before;

    so.port = sim_port; /* back on the same port, where the bridge looks for it */
    int started = sim_server_new(&h.sim, &so, err, sizeof err) == 0 &&
                  sim_server_start(h.sim, err, sizeof err) == 0;
    bool back = started && wait_connected(h.app, 1, 40000);

    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    char log[16384];
    ssize_t n = pread(log_fd, log, sizeof log - 1, 0);
    close(log_fd);
    log[n > 0 ? n : 0] = '\0';

    assert_true(dropped);
    assert_int_equal(down_status, 503);
    assert_false(down_streams_ok);
    if (!started) {
        fail_msg("simulator restart on port %u: %s", sim_port, err);
    }
    assert_true(back);
    assert_int_equal(readyz(&h, &streams_ok), 200);
    assert_true(streams_ok);
    assert_true(failed_attempts >= 1);
    if (count(log, "stream user lost") + count(log, "stream user cannot connect") != 1 ||
        count(log, "stream user is back after") != 1) {
        fail_msg("expected one line for the drop and one for the recovery, got:\n%s", log);
    }
    bridge_harness_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_gauge_follows_outage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
