/*
 * The dashboard's data routes end to end, particle-bridge against particle-sim in-process:
 * GET /api/v1/stream delivers an event published to the simulator once the bridge stored it,
 * only to the streams whose device and kinds filters take it, and replays it after a
 * Last-Event-ID; polled readings arrive as "reading" messages; POST
 * /api/v1/devices/{id}/breaker/reset closes a faulted device's breaker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_harness.h"
#include "pu_time.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "dashboard-api-key-0123456789"
#define WAIT_MS 10000

static int setup(void **state)
{
    sim_server_options so;
    sim_server_options_init(&so);
    so.offline_delay_ms = 200;
    so.threads = 4;
    bridge_harness *h = bridge_harness_new("bridge-dashboard", &so, TOKEN, KEY);
    if (h == NULL) {
        return -1;
    }
    h->cfg.defaults.check_interval_ms = 500;
    h->cfg.breaker_threshold = 2;
    h->cfg.breaker_reset_ms = 60000; /* stays open unless reset */
    h->cfg.breaker_max_reset_ms = 60000;
    h->cfg.request_timeout_ms = 2000;
    h->cfg.flush_interval_ms = 20;
    bridge_harness_validate(h);
    *state = h;
    return 0;
}

/* The id of the device called @p name, from the bridge's device list. */
static void device_id(bridge_harness *h, const char *name, char *out, size_t size)
{
    http_reply r = bridge_harness_api(h, "GET", "/api/v1/devices", NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *page = http_reply_json(&r);
    size_t i;
    json_t *d;
    out[0] = '\0';
    json_array_foreach(json_object_get(page, "items"), i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "Name")), name) == 0) {
            snprintf(out, size, "%s", json_string_value(json_object_get(d, "ParticleDeviceId")));
        }
    }
    json_decref(page);
    http_reply_dispose(&r);
    assert_true(out[0] != '\0');
}

/* Waits until every event stream of the bridge is connected to the simulator. */
static void wait_streams_connected(bridge_harness *h)
{
    bridge_metrics *m = bridge_app_metrics(h->app);
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    unsigned int registered = 0, connected = 0;
    while (pu_time_mono_ms() < deadline) {
        bridge_metrics_stream_counts(m, &registered, &connected);
        if (registered > 0 && connected == registered) {
            return;
        }
        pu_time_sleep_ms(50);
    }
    fail_msg("%u of %u event streams connected", connected, registered);
}

/* Opens GET /api/v1/stream?<query> with the API key (and Last-Event-ID when not 0) and waits
 * for the hub's ":ok". */
static http_stream *open_stream(bridge_harness *h, const char *query, uint64_t last_id)
{
    static char auth[128], last[64];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", KEY);
    snprintf(last, sizeof last, "Last-Event-ID: %llu", (unsigned long long)last_id);
    const char *headers[] = {auth, last_id != 0 ? last : NULL, NULL};
    char path[256], url[320];
    snprintf(path, sizeof path, "/api/v1/stream%s%s", query[0] ? "?" : "", query);
    http_stream *s = http_stream_open(http_url(url, sizeof url, bridge_app_port(h->app), path),
                                      headers); /* the headers are copied at open */
    assert_true(http_stream_wait_for(s, ":ok", WAIT_MS));
    assert_int_equal(http_stream_status(s), 200);
    char *type = http_stream_header(s, "Content-Type");
    assert_non_null(type);
    assert_non_null(strstr(type, "text/event-stream"));
    free(type);
    return s;
}

static bool stream_has(http_stream *s, const char *needle)
{
    char *text = http_stream_text(s);
    bool found = strstr(text, needle) != NULL;
    free(text);
    return found;
}

/* The id of the message whose data holds @p needle: the "id: N" line before it. */
static uint64_t message_id(http_stream *s, const char *needle)
{
    char *text = http_stream_text(s);
    char *at = strstr(text, needle);
    assert_non_null(at);
    *at = '\0';
    char *id = strstr(text, "id: "), *next;
    while (id != NULL && (next = strstr(id + 1, "id: ")) != NULL) {
        id = next;
    }
    assert_non_null(id);
    uint64_t v = strtoull(id + 4, NULL, 10);
    free(text);
    return v;
}

static void test_stream_delivers_what_was_stored(void **state)
{
    bridge_harness *h = *state;
    bridge_harness_start_app(h);
    wait_streams_connected(h);
    char id[64], other[64], query[160], path[256];
    device_id(h, "demo-argon-1", id, sizeof id);
    device_id(h, "demo-boron-1", other, sizeof other);

    snprintf(query, sizeof query, "device=%s&kinds=event", id);
    http_stream *mine = open_stream(h, query, 0);
    snprintf(query, sizeof query, "device=%s", other);
    http_stream *others = open_stream(h, query, 0);
    http_stream *readings = open_stream(h, "kinds=reading", 0);

    snprintf(path, sizeof path, "/sim/devices/%s/events?name=dash/live&data=hello-dashboard", id);
    http_reply r = bridge_harness_http(sim_server_port(h->sim), "POST", path, TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);

    assert_true(http_stream_wait_for(mine, "hello-dashboard", WAIT_MS));
    /* sent after the commit: the events list has it already */
    snprintf(path, sizeof path, "/api/v1/events?device=%s&name_prefix=dash/live", id);
    r = bridge_harness_api(h, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "hello-dashboard"));
    http_reply_dispose(&r);
    char expect[200];
    snprintf(expect, sizeof expect,
             "event: event\ndata: {\"device_id\":\"%s\",\"name\":\"dash/live\","
             "\"data\":\"hello-dashboard\",\"published_at\":\"",
             id);
    assert_true(stream_has(mine, expect));
    /* the polled variables come as readings to the stream that asked for them */
    assert_true(http_stream_wait_for(readings, "event: reading\ndata: {\"DeviceId\":", WAIT_MS));
    /* the other device's stream is live too: it gets that device's event, and only that */
    snprintf(path, sizeof path, "/sim/devices/%s/events?name=dash/live&data=hello-other", other);
    r = bridge_harness_http(sim_server_port(h->sim), "POST", path, TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    assert_true(http_stream_wait_for(others, "hello-other", WAIT_MS));
    pu_time_sleep_ms(300);
    assert_false(stream_has(others, "hello-dashboard"));   /* another device */
    assert_false(stream_has(mine, "hello-other"));         /* another device */
    assert_false(stream_has(readings, "hello-dashboard")); /* other kinds */
    assert_false(stream_has(mine, "event: reading"));

    /* Last-Event-ID: the message again, from the hub's ring */
    uint64_t msg = message_id(mine, "hello-dashboard");
    assert_true(msg > 0);
    snprintf(query, sizeof query, "device=%s&kinds=event", id);
    http_stream *again = open_stream(h, query, msg - 1);
    assert_true(http_stream_wait_for(again, "hello-dashboard", WAIT_MS));
    http_stream_close(again);
    http_stream_close(mine);
    http_stream_close(others);
    http_stream_close(readings);

    /* refused before streaming */
    r = bridge_harness_api(h, "GET", "/api/v1/stream?kinds=event,nonesuch", NULL, NULL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "\"parameter\":\"kinds\""));
    http_reply_dispose(&r);
    r = bridge_harness_http(bridge_app_port(h->app), "GET", "/api/v1/stream", "wrong-key", NULL,
                            NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
}

static json_t *dto(bridge_harness *h, const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    http_reply r = bridge_harness_api(h, "GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *j = http_reply_json(&r);
    http_reply_dispose(&r);
    return j;
}

static void test_breaker_reset(void **state)
{
    bridge_harness *h = *state;
    bridge_harness_start_app(h);
    char id[64], path[128];
    device_id(h, "demo-argon-1", id, sizeof id);
    snprintf(path, sizeof path, "/sim/devices/%s/offline", id);
    http_reply r = bridge_harness_http(sim_server_port(h->sim), "POST", path, TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    int64_t deadline = pu_time_mono_ms() + 15000;
    bool faulted = false;
    while (!faulted && pu_time_mono_ms() < deadline) {
        json_t *d = dto(h, id);
        faulted = json_is_true(json_object_get(d, "Faulted"));
        json_decref(d);
        pu_time_sleep_ms(100);
    }
    assert_true(faulted);

    snprintf(path, sizeof path, "/api/v1/devices/%s/breaker/reset", id);
    r = bridge_harness_api(h, "POST", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *d = http_reply_json(&r);
    http_reply_dispose(&r);
    assert_true(json_is_false(json_object_get(d, "Faulted")));
    assert_int_equal(json_integer_value(json_object_get(d, "FaultCount")), 0);
    assert_true(json_is_null(json_object_get(d, "CircuitBreakerResetAt")));
    assert_string_equal(json_string_value(json_object_get(d, "ParticleDeviceId")), id);
    json_decref(d);

    r = bridge_harness_api(h, "POST", "/api/v1/devices/nonesuch/breaker/reset", NULL, NULL);
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stream_delivers_what_was_stored, setup,
                                        bridge_harness_teardown),
        cmocka_unit_test_setup_teardown(test_breaker_reset, setup, bridge_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
