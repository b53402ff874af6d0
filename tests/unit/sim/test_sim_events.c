/* particle-sim events over loopback: publish, SSE framing, filters, replay, spark/status,
 * and the /sim/ control API. */
#include "sim_test.h"

static sim_test *T;

static int setup(void **state)
{
    sim_test_global_setup(state);
    T = sim_test_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    sim_test_stop(T);
    return sim_test_global_teardown(state);
}

static http_stream *open_stream(const char *path, const char *token, const char *extra_header)
{
    char url[512], auth[128];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    const char *headers[] = {auth, extra_header, NULL};
    http_stream *s = http_stream_open(http_url(url, sizeof(url), T->port, path), headers);
    if (!http_stream_wait_for(s, ":ok\n\n", 5000))
        fail_msg("stream %s did not start", path);
    assert_int_equal(http_stream_status(s), 200);
    return s;
}

static void post_ok(const char *path, const char *token, const char *body)
{
    http_reply r = sim_req(T, "POST", path, token, JSON_CT, body);
    if (r.status != 200)
        fail_msg("POST %s: %ld %s", path, r.status, r.body);
    http_reply_dispose(&r);
}

static void publish(const char *token, const char *name, const char *data, bool is_private)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"data\":\"%s\",\"private\":%s}", name, data,
             is_private ? "true" : "false");
    post_ok("/v1/devices/events", token, body);
}

static void wait_text(http_stream *s, const char *needle)
{
    if (!http_stream_wait_for(s, needle, 5000)) {
        char *text = http_stream_text(s);
        fail_msg("stream lacks \"%s\"; got:\n%s", needle, text);
    }
}

static void test_publish_and_receive(void **state)
{
    (void)state;
    http_stream *s = open_stream("/v1/devices/events/test", DEMO_TOKEN, NULL);
    publish(DEMO_TOKEN, "test/one", "hello", true);
    wait_text(s, "\"coreid\":\"api\"}\n\n");
    char *text = http_stream_text(s);
    assert_memory_equal(text, ":ok\n\n", 5);
    const char *ev = strstr(text, "\nevent: test/one\ndata: {\"data\":\"hello\",\"ttl\":60,"
                                  "\"published_at\":\"");
    assert_non_null(ev);
    /* "id: N" right before, the ISO date right after, one blank line at the end. */
    const char *id = strstr(text, "id: ");
    assert_non_null(id);
    assert_true(id < ev);
    const char *date = ev + strlen("\nevent: test/one\ndata: {\"data\":\"hello\",\"ttl\":60,"
                                   "\"published_at\":\"");
    assert_int_equal(date[4], '-');
    assert_int_equal(date[23], 'Z');
    assert_string_equal(date + 24, "\",\"coreid\":\"api\"}\n\n");
    free(text);
    http_stream_close(s);
}

static void test_prefix_filtering_and_scope(void **state)
{
    (void)state;
    http_stream *s = open_stream("/v1/events/alpha%2Fx", DEMO_TOKEN, NULL);
    publish(DEMO_TOKEN, "beta", "no", false);
    publish(DEMO_TOKEN, "alpha/xyz", "mine-private", true);
    publish(OTHER_TOKEN, "alpha/x2", "other-private", true);
    publish(OTHER_TOKEN, "alpha/x3", "other-public", false);
    publish(DEMO_TOKEN, "alpha/x-end", "end", false);
    wait_text(s, "event: alpha/x-end\n");
    char *text = http_stream_text(s);
    assert_null(strstr(text, "event: beta"));
    assert_non_null(strstr(text, "mine-private"));
    assert_null(strstr(text, "other-private"));
    assert_non_null(strstr(text, "other-public"));
    free(text);
    http_stream_close(s);
    /* "mine" streams never see another user's events. */
    s = open_stream("/v1/devices/events", OTHER_TOKEN, NULL);
    publish(DEMO_TOKEN, "secret", "demo-only", false);
    publish(OTHER_TOKEN, "other-end", "x", true);
    wait_text(s, "event: other-end\n");
    text = http_stream_text(s);
    assert_null(strstr(text, "demo-only"));
    free(text);
    http_stream_close(s);
}

static long id_of(const char *text, const char *name)
{
    char needle[128];
    snprintf(needle, sizeof(needle), "\nevent: %s\n", name);
    const char *ev = strstr(text, needle);
    assert_non_null(ev);
    const char *line = ev;
    while (line > text && strncmp(line, "id: ", 4) != 0)
        line--;
    return strtol(line + 4, NULL, 10);
}

static void test_last_event_id_replay(void **state)
{
    (void)state;
    http_stream *a = open_stream("/v1/devices/events/replay", DEMO_TOKEN, NULL);
    publish(DEMO_TOKEN, "replay/1", "1", true);
    publish(DEMO_TOKEN, "replay/2", "2", true);
    publish(DEMO_TOKEN, "replay/3", "3", true);
    wait_text(a, "event: replay/3\n");
    char *text = http_stream_text(a);
    long first = id_of(text, "replay/1");
    assert_true(id_of(text, "replay/2") > first);
    free(text);
    http_stream_close(a);
    char header[64];
    snprintf(header, sizeof(header), "Last-Event-ID: %ld", first);
    http_stream *b = open_stream("/v1/devices/events/replay", DEMO_TOKEN, header);
    wait_text(b, "event: replay/3\n");
    text = http_stream_text(b);
    assert_null(strstr(text, "event: replay/1\n"));
    assert_non_null(strstr(text, "event: replay/2\n"));
    free(text);
    http_stream_close(b);
}

static void test_status_events_and_errors(void **state)
{
    (void)state;
    http_stream *s = open_stream("/v1/devices/demo-argon-1/events/spark", DEMO_TOKEN, NULL);
    post_ok("/sim/devices/demo-argon-1/offline", DEMO_TOKEN, "{}");
    wait_text(s, "event: spark/status\ndata: {\"data\":\"offline\"");
    post_ok("/sim/devices/demo-argon-1/online", DEMO_TOKEN, "{}");
    wait_text(s, "event: spark/status\ndata: {\"data\":\"online\"");
    http_stream_close(s);
    sim_expect_body(T, "GET", "/v1/events", DEMO_TOKEN, 400,
                    "{\"ok\":false,\"error\":\"event prefix filter is required\"}");
    sim_expect_body(T, "GET", "/v1/devices/events", "1111111111111111111111111111111111111111", 401,
                    "{\"error\":\"invalid_token\",\"error_description\":\"The access token "
                    "provided is invalid.\"}");
    http_reply r = sim_req(T, "GET", "/v1/devices/other-argon-1/events", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    const char *bad_ttls[] = {
        "{\"name\":\"x\",\"ttl\":\"abc\"}",     "{\"name\":\"x\",\"ttl\":-5}",
        "{\"name\":\"x\",\"ttl\":99999999999}", "{\"name\":\"x\",\"ttl\":0}",
        "{\"name\":\"x\",\"ttl\":16777216}",    "{\"name\":\"x\",\"ttl\":\" 5\"}",
        "{\"name\":\"x\",\"ttl\":\"5s\"}"};
    for (size_t i = 0; i < sizeof(bad_ttls) / sizeof(bad_ttls[0]); i++) {
        r = sim_req(T, "POST", "/v1/devices/events", DEMO_TOKEN, JSON_CT, bad_ttls[i]);
        assert_int_equal(r.status, 400);
        http_reply_dispose(&r);
    }
    r = sim_req(T, "POST", "/v1/devices/events", DEMO_TOKEN, JSON_CT,
                "{\"name\":\"x\",\"ttl\":16777215}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

static json_t *control(const char *method, const char *path, const char *body, long status)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, JSON_CT, body);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static void test_clock_and_publishers(void **state)
{
    (void)state;
    json_decref(control("POST", "/sim/clock/pause", NULL, 200));
    http_stream *s = open_stream("/v1/devices/demo-argon-1/events/temperature", DEMO_TOKEN, NULL);
    http_stream *p = open_stream("/v1/products/env-sensors/events/env", DEMO_TOKEN, NULL);
    json_t *j = control("POST", "/sim/clock/advance", "{\"ms\":15000}", 200);
    assert_true(json_integer_value(json_object_get(j, "published")) > 0);
    assert_true(json_is_true(json_object_get(json_object_get(j, "clock"), "paused")));
    json_decref(j);
    wait_text(s, "event: temperature\n");
    wait_text(p, "event: env\ndata: {\"data\":\"{\\\"t\\\":");
    http_stream_close(p);
    /* Stop the publisher: a further advance publishes nothing for this device. */
    json_decref(control("PUT", "/sim/devices/demo-argon-1/publishers/temperature",
                        "{\"period_ms\":0}", 200));
    json_decref(
        control("PUT", "/sim/devices/demo-argon-1/publishers/nope", "{\"period_ms\":0}", 404));
    char *before = http_stream_text(s);
    json_decref(control("POST", "/sim/clock/advance", "{\"ms\":20000}", 200));
    json_decref(control("POST", "/sim/devices/demo-argon-1/events",
                        "{\"name\":\"temperature-marker\",\"data\":\"m\"}", 200));
    wait_text(s, "event: temperature-marker\n");
    char *after = http_stream_text(s);
    const char *tail = after + strlen(before);
    const char *extra = strstr(tail, "event: temperature\n");
    assert_null(extra);
    free(before);
    free(after);
    http_stream_close(s);
    json_decref(control("POST", "/sim/clock/advance", "{\"ms\":-5}", 400));
    /* One year (366 days) at the most, whole milliseconds, and the field is required. */
    json_decref(control("POST", "/sim/clock/advance", "{\"ms\":31622400001}", 400));
    json_decref(control("POST", "/sim/clock/advance", "{\"ms\":\"1.5\"}", 400));
    json_decref(control("POST", "/sim/clock/advance", "{}", 400));
    json_decref(control("POST", "/sim/clock/advance", "{\"ms\":\"0\"}", 200));
    const char *pub = "/sim/devices/demo-argon-1/publishers/temperature";
    json_decref(control("PUT", pub, "{\"period_ms\":-1}", 400));
    json_decref(control("PUT", pub, "{\"period_ms\":31622400001}", 400));
    json_decref(control("PUT", pub, "{\"period_ms\":\"10x\"}", 400));
    json_decref(control("PUT", pub, "{}", 400));
    json_decref(control("PUT", pub, "{\"period_ms\":0}", 200));
    json_decref(control("POST", "/sim/clock/resume", NULL, 200));
}

static void test_control_variables_status_reset(void **state)
{
    (void)state;
    json_decref(
        control("PUT", "/sim/devices/demo-argon-1/variables/uptime", "{\"value\":99}", 200));
    json_t *j = control("GET", "/v1/devices/demo-argon-1/uptime", NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "result")), 99);
    json_decref(j);
    json_decref(
        control("PUT", "/sim/devices/demo-argon-1/variables/uptime", "{\"value\":\"x\"}", 400));
    json_decref(control("PUT", "/sim/devices/demo-argon-1/variables/nope", "{\"value\":1}", 404));
    json_decref(control("PUT", "/v1/devices/demo-argon-1", "{\"name\":\"changed\"}", 200));
    j = control("GET", "/sim/status", NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "devices"), "total")),
                     79);
    assert_true(json_integer_value(json_object_get(j, "events_published")) > 0);
    json_decref(j);
    json_decref(control("POST", "/sim/reset", NULL, 200));
    j = control("GET", "/v1/devices/demo-argon-1/uptime", NULL, 200); /* the name is back */
    assert_true(json_integer_value(json_object_get(j, "result")) < 99);
    json_decref(j);
    /* Control needs a developer token. */
    http_reply r = sim_req(T, "GET", "/sim/status", NULL, NULL, NULL);
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
}

static void test_keepalive(void **state)
{
    (void)state;
    sim_server_options o;
    sim_server_options_init(&o);
    o.keepalive_ms = 200;
    sim_test *k = sim_test_start(&o);
    char url[256];
    const char *headers[] = {"Authorization: Bearer " DEMO_TOKEN, NULL};
    http_stream *s =
        http_stream_open(http_url(url, sizeof(url), k->port, "/v1/devices/events/none"), headers);
    assert_true(http_stream_wait_for(s, ":ok\n\n", 5000));
    assert_true(http_stream_wait_for(s, ":ok\n\n:", 3000));
    http_stream_close(s);
    sim_test_stop(k);
}

/* A fresh token for the demo user, living @p expires_in seconds (0 = for ever). */
static char *login(int expires_in)
{
    char form[256];
    snprintf(form, sizeof(form),
             "username=demo%%40example.com&password=demo-password&grant_type=password&"
             "client_id=particle-cli&client_secret=particle-cli&expires_in=%d",
             expires_in);
    http_reply r = sim_req(T, "POST", "/oauth/token", NULL, FORM, form);
    json_t *j = sim_json(&r, 200);
    char *token = strdup(jstr(j, "access_token"));
    json_decref(j);
    http_reply_dispose(&r);
    return token;
}

/* A stream ends when the token that opened it is revoked or expires (as the real cloud
 * ends the session); streams of other tokens go on. */
static void test_stream_ends_with_its_token(void **state)
{
    (void)state;
    char *revoked = login(0);
    char *expiring = login(2);
    http_stream *other = open_stream("/v1/devices/events/tok", DEMO_TOKEN, NULL);
    http_stream *by_revoked = open_stream("/v1/devices/events/tok", revoked, NULL);
    http_stream *by_expiring = open_stream("/v1/devices/events/tok", expiring, NULL);
    http_reply r = sim_req(T, "DELETE", "/v1/access_tokens/current", revoked, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    assert_true(http_stream_wait_done(by_revoked, 3000));
    assert_false(http_stream_wait_done(by_expiring, 100));
    assert_true(http_stream_wait_done(by_expiring, 5000)); /* 2 s, checked every second */
    publish(DEMO_TOKEN, "tok/still", "here", true);
    wait_text(other, "event: tok/still");
    assert_false(http_stream_wait_done(other, 100));
    http_stream_close(other);
    http_stream_close(by_revoked);
    http_stream_close(by_expiring);
    free(revoked);
    free(expiring);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_and_receive),
        cmocka_unit_test(test_prefix_filtering_and_scope),
        cmocka_unit_test(test_last_event_id_replay),
        cmocka_unit_test(test_status_events_and_errors),
        cmocka_unit_test(test_clock_and_publishers),
        cmocka_unit_test(test_control_variables_status_reset),
        cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_stream_ends_with_its_token),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
