/*
 * particle-sim delivers webhooks (sim/hooks): to a loopback receiver on port 0 (an httpd
 * server in this process), with the default form body, response templates and topics,
 * hook-sent / hook-response / hook-error events on the owner's event stream, retries of a
 * 5xx, no retry of a 4xx, disabling after repeated failures, 512-byte response chunks and
 * the 100 KiB cap, refusal of a non-loopback address, and a receiver that never answers:
 * 1,000 deliveries wait on it while the event stream's latency stays what it was.
 */
#include <pthread.h>
#include <unistd.h>

#include "httpd.h"
#include "loopback.h"
#include "pu_time.h"
#include "sim_test.h"

static sim_test *T;

/* ---- the receiver ---- */

typedef struct receiver {
    httpd_server *srv;
    unsigned short port;
    pthread_mutex_t lock;
    json_t *log;    /* [{"mode","method","body","authorization"}] */
    int flaky_left; /* "flaky" answers 503 this many times, then 200 */
} receiver;

static receiver R;

static void reply_repeated(httpd_response *res, const char *pattern, size_t total)
{
    char *body = malloc(total);
    assert_non_null(body);
    size_t plen = strlen(pattern);
    for (size_t i = 0; i < total; i++)
        body[i] = pattern[(i / 512) % plen];
    httpd_response_text(res, 200, NULL, body, total);
    free(body);
}

static void on_request(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    const char *mode = httpd_request_param(req, "mode");
    const char *auth = httpd_request_header(req, "Authorization");
    pthread_mutex_lock(&R.lock);
    json_array_append_new(R.log, json_pack("{s:s, s:s, s:O, s:s?}", "mode", mode, "method",
                                           httpd_request_method(req), "body",
                                           httpd_request_body(req), "authorization", auth));
    int flaky = R.flaky_left--;
    pthread_mutex_unlock(&R.lock);
    if (strcmp(mode, "ok") == 0) {
        const char *body = "{\"temp\":21,\"msg\":\"hi\"}";
        httpd_response_text(res, 200, "application/json", body, strlen(body));
    } else if (strcmp(mode, "e500") == 0) {
        httpd_response_text(res, 500, NULL, "boom", 4);
    } else if (strcmp(mode, "e404") == 0) {
        httpd_response_text(res, 404, NULL, "nope", 4);
    } else if (strcmp(mode, "flaky") == 0) {
        if (flaky > 0)
            httpd_response_text(res, 503, NULL, "busy", 4);
        else
            httpd_response_text(res, 200, NULL, "done", 4);
    } else if (strcmp(mode, "chunky") == 0) {
        reply_repeated(res, "abc", 1300); /* 512 a, 512 b, 276 c */
    } else {
        reply_repeated(res, "z", 300 * 1024);
    }
}

/* Requests the receiver got in @p mode. */
static size_t received(const char *mode)
{
    size_t n = 0, i;
    json_t *e;
    pthread_mutex_lock(&R.lock);
    json_array_foreach(R.log, i,
                       e) if (strcmp(json_string_value(json_object_get(e, "mode")), mode) == 0) n++;
    pthread_mutex_unlock(&R.lock);
    return n;
}

/* The last request in @p mode (new reference), or NULL. */
static json_t *last_received(const char *mode)
{
    json_t *found = NULL, *e;
    size_t i;
    pthread_mutex_lock(&R.lock);
    json_array_foreach(R.log, i, e) if (strcmp(json_string_value(json_object_get(e, "mode")),
                                               mode) == 0) found = e;
    json_incref(found);
    pthread_mutex_unlock(&R.lock);
    return found;
}

static int setup(void **state)
{
    sim_test_global_setup(state);
    sim_server_options o;
    sim_server_options_init(&o);
    o.webhook_retry_ms = 20;
    T = sim_test_start(&o);
    pthread_mutex_init(&R.lock, NULL);
    R.log = json_array();
    httpd_options ho = {0};
    ho.threads = 4;
    R.srv = httpd_server_new(&ho);
    const char *methods[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t i = 0; i < 4; i++)
        httpd_route_add(R.srv, methods[i], "/:mode", HTTPD_ROUTE_PUBLIC, on_request, NULL);
    char err[256];
    if (httpd_server_start(R.srv, err, sizeof(err)) < 0)
        fail_msg("receiver: %s", err);
    R.port = httpd_server_port(R.srv);
    return 0;
}

static int teardown(void **state)
{
    sim_test_stop(T);
    httpd_server_free(R.srv);
    json_decref(R.log);
    pthread_mutex_destroy(&R.lock);
    return sim_test_global_teardown(state);
}

/* ---- helpers ---- */

/* Creates a user integration; returns its id in @p id. */
static void create_hook(const char *body, char id[32])
{
    http_reply r = sim_req(T, "POST", "/v1/integrations", DEMO_TOKEN, JSON_CT, body);
    json_t *j = sim_json(&r, 201);
    snprintf(id, 32, "%s", jstr(j, "id"));
    json_decref(j);
    http_reply_dispose(&r);
}

static char *hook_body(const char *event, const char *mode, const char *extra)
{
    static char body[1024];
    snprintf(body, sizeof(body), "{\"event\":\"%s\",\"url\":\"http://127.0.0.1:%u/%s\"%s}", event,
             R.port, mode, extra);
    return body;
}

static void publish(const char *name, const char *data)
{
    char body[512];
    snprintf(body, sizeof(body), "name=%s&data=%s&private=true", name, data);
    http_reply r = sim_req(T, "POST", "/v1/devices/events", DEMO_TOKEN, FORM, body);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

/* GET of integration @p id: {"integration": ...} (caller decrefs). */
static json_t *get_hook(const char *id)
{
    char path[96];
    snprintf(path, sizeof(path), "/v1/integrations/%s", id);
    http_reply r = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    json_t *j = sim_json(&r, 200);
    http_reply_dispose(&r);
    return j;
}

static json_int_t counter(const char *id, const char *name)
{
    json_t *j = get_hook(id);
    json_int_t v = json_integer_value(
        json_object_get(json_object_get(json_object_get(j, "integration"), "counters"), name));
    json_decref(j);
    return v;
}

/* Waits until counter @p name of @p id reaches @p want (fails after 10 s). */
static void wait_counter(const char *id, const char *name, json_int_t want)
{
    for (int i = 0; i < 1000; i++) {
        if (counter(id, name) >= want)
            return;
        pu_time_sleep_ms(10);
    }
    fail_msg("counter %s of %s stayed below %lld", name, id, (long long)want);
}

static void delete_hook(const char *id)
{
    char path[96];
    snprintf(path, sizeof(path), "/v1/integrations/%s", id);
    http_reply r = sim_req(T, "DELETE", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
}

/* The caller's own event stream, all names. */
static http_stream *open_stream(void)
{
    char url[256];
    http_headers h;
    http_stream *s = http_stream_open(http_url(url, sizeof(url), T->port, "/v1/devices/events"),
                                      http_headers_bearer(&h, DEMO_TOKEN, NULL, NULL));
    assert_true(http_stream_wait_for(s, ":ok", 5000));
    return s;
}

static void expect_stream(http_stream *s, const char *needle)
{
    if (!http_stream_wait_for(s, needle, 10000))
        fail_msg("the event stream never showed %s", needle);
}

/* ---- tests ---- */

static void test_default_body_response_template_and_topic(void **state)
{
    (void)state;
    http_stream *s = open_stream();
    char id[32];
    create_hook(hook_body("wh-ok", "ok",
                          ",\"responseTemplate\":\"T={{temp}} {{msg}} {{PARTICLE_EVENT_NAME}}\","
                          "\"responseTopic\":\"{{PARTICLE_DEVICE_ID}}/resp\","
                          "\"auth\":{\"username\":\"u\",\"password\":\"p\"}"),
                id);
    publish("wh-ok", "42");
    expect_stream(s, "event: hook-sent/wh-ok\n");
    expect_stream(s, "event: api/resp/0\ndata: {\"data\":\"T=21 hi wh-ok\"");
    json_t *got = last_received("ok");
    assert_non_null(got);
    assert_string_equal(jstr(got, "method"), "POST");
    json_t *body = json_object_get(got, "body");
    assert_string_equal(jstr(body, "event"), "wh-ok");
    assert_string_equal(jstr(body, "data"), "42");
    assert_string_equal(jstr(body, "coreid"), "api");
    assert_non_null(jstr(body, "published_at"));
    assert_string_equal(jstr(got, "authorization"), "Basic dTpw"); /* u:p */
    json_decref(got);
    wait_counter(id, "succeeded", 1);
    json_t *j = get_hook(id);
    json_t *log0 = json_array_get(json_object_get(json_object_get(j, "integration"), "logs"), 0);
    assert_int_equal(json_integer_value(json_object_get(log0, "status")), 200);
    assert_true(json_is_true(json_object_get(log0, "ok")));
    assert_string_equal(jstr(log0, "event"), "wh-ok");
    json_decref(j);
    /* the test route sends the sample event through the same path */
    char path[96];
    snprintf(path, sizeof(path), "/v1/integrations/%s/test", id);
    http_reply r = sim_req(T, "POST", path, DEMO_TOKEN, JSON_CT, "{\"data\":\"sample\"}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    wait_counter(id, "succeeded", 2);
    got = last_received("ok");
    assert_string_equal(jstr(json_object_get(got, "body"), "data"), "sample");
    json_decref(got);
    /* hook events trigger no integration: one matching them would see nothing */
    char hid[32];
    create_hook(hook_body("hook-", "ok", ""), hid);
    publish("wh-ok", "43");
    wait_counter(id, "succeeded", 3);
    pu_time_sleep_ms(100);
    assert_int_equal(counter(hid, "sent"), 0);
    delete_hook(hid);
    delete_hook(id);
    http_stream_close(s);
}

static void test_5xx_retried_then_success(void **state)
{
    (void)state;
    R.flaky_left = 2;
    char id[32];
    create_hook(hook_body("wh-flaky", "flaky", ""), id);
    publish("wh-flaky", "1");
    wait_counter(id, "succeeded", 1);
    assert_int_equal(received("flaky"), 3);
    assert_int_equal(counter(id, "failed"), 2);
    assert_int_equal(counter(id, "retried"), 2);
    assert_int_equal(counter(id, "consecutive_failures"), 0);
    delete_hook(id);
}

static void test_4xx_not_retried(void **state)
{
    (void)state;
    http_stream *s = open_stream();
    char id[32];
    create_hook(hook_body("wh-404", "e404", ""), id);
    publish("wh-404", "1");
    expect_stream(s, "event: hook-error/wh-404/0\ndata: {\"data\":\"nope\"");
    wait_counter(id, "failed", 1);
    pu_time_sleep_ms(200);
    assert_int_equal(received("e404"), 1);
    assert_int_equal(counter(id, "retried"), 0);
    json_t *j = get_hook(id);
    json_t *log0 = json_array_get(json_object_get(json_object_get(j, "integration"), "logs"), 0);
    assert_int_equal(json_integer_value(json_object_get(log0, "status")), 404);
    assert_non_null(strstr(jstr(log0, "error"), "404"));
    json_decref(j);
    delete_hook(id);
    http_stream_close(s);
}

static void test_repeated_failures_disable(void **state)
{
    (void)state;
    char id[32];
    size_t before = received("e500");
    create_hook(hook_body("wh-500", "e500", ""), id);
    /* 10 deliveries that fail after 3 retries each: the integration is disabled */
    for (int i = 0; i < 10; i++)
        publish("wh-500", "x");
    wait_counter(id, "consecutive_failures", 10);
    json_t *j = get_hook(id);
    json_t *hook = json_object_get(j, "integration");
    assert_true(json_is_true(json_object_get(hook, "disabled")));
    json_t *c = json_object_get(hook, "counters");
    assert_int_equal(json_integer_value(json_object_get(c, "failed")), 40);
    assert_int_equal(json_integer_value(json_object_get(c, "retried")), 30);
    assert_int_equal(json_array_size(json_object_get(hook, "logs")), 10);
    json_decref(j);
    assert_int_equal(received("e500") - before, 40);
    /* disabled: nothing more is sent */
    publish("wh-500", "y");
    pu_time_sleep_ms(200);
    assert_int_equal(received("e500") - before, 40);
    /* enabled again by an edit */
    char path[96];
    snprintf(path, sizeof(path), "/v1/integrations/%s", id);
    http_reply r = sim_req(T, "PUT", path, DEMO_TOKEN, JSON_CT, "{\"disabled\":false}");
    j = sim_json(&r, 200);
    assert_true(json_is_false(json_object_get(json_object_get(j, "integration"), "disabled")));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(j, "integration"), "counters"),
                         "consecutive_failures")),
                     0);
    json_decref(j);
    http_reply_dispose(&r);
    delete_hook(id);
}

static void test_response_chunks_and_cap(void **state)
{
    (void)state;
    http_stream *s = open_stream();
    char a[32], b[32];
    create_hook(hook_body("wh-chunky", "chunky", ""), a);
    create_hook(hook_body("wh-big", "big", ""), b);
    publish("wh-chunky", "1");
    expect_stream(s, "event: hook-response/wh-chunky/0\ndata: {\"data\":\"aaaa");
    expect_stream(s, "event: hook-response/wh-chunky/1\ndata: {\"data\":\"bbbb");
    expect_stream(s, "event: hook-response/wh-chunky/2\ndata: {\"data\":\"cccc");
    char *text = http_stream_text(s);
    char *c2 = strstr(text, "event: hook-response/wh-chunky/2\ndata: {\"data\":\"");
    size_t cs = 0;
    for (char *p = c2 + strlen("event: hook-response/wh-chunky/2\ndata: {\"data\":\""); *p == 'c';
         p++)
        cs++;
    assert_int_equal(cs, 1300 - 1024);
    free(text);
    /* 300 KiB answered: 100 KiB kept, 200 chunks of 512 */
    publish("wh-big", "1");
    expect_stream(s, "event: hook-response/wh-big/199\n");
    wait_counter(b, "succeeded", 1);
    pu_time_sleep_ms(100);
    text = http_stream_text(s);
    assert_null(strstr(text, "event: hook-response/wh-big/200\n"));
    free(text);
    delete_hook(a);
    delete_hook(b);
    http_stream_close(s);
}

static void test_non_loopback_refused(void **state)
{
    (void)state;
    http_stream *s = open_stream();
    char id[32];
    /* 192.0.2.1 is TEST-NET-1: nothing may be sent there */
    create_hook("{\"event\":\"wh-far\",\"url\":\"http://192.0.2.1:80/x\"}", id);
    publish("wh-far", "1");
    expect_stream(s, "event: hook-error/wh-far/0\ndata: {\"data\":\"refused");
    wait_counter(id, "failed", 1);
    assert_int_equal(counter(id, "retried"), 0);
    json_t *j = get_hook(id);
    json_t *log0 = json_array_get(json_object_get(json_object_get(j, "integration"), "logs"), 0);
    assert_non_null(strstr(jstr(log0, "error"), "--allow-external-webhooks"));
    assert_int_equal(json_integer_value(json_object_get(log0, "status")), 0);
    json_decref(j);
    delete_hook(id);
    http_stream_close(s);
}

/* Creates an integration at @p base as @p token; its id in @p id. */
static void create_hook_at(const char *base, const char *token, const char *body, char id[32])
{
    http_reply r = sim_req(T, "POST", base, token, JSON_CT, body);
    json_t *j = sim_json(&r, 201);
    snprintf(id, 32, "%s", jstr(j, "id"));
    json_decref(j);
    http_reply_dispose(&r);
}

/* Counter @p name of the integration at @p path (GET as @p token). */
static json_int_t counter_at(const char *path, const char *token, const char *name)
{
    http_reply r = sim_req(T, "GET", path, token, NULL, NULL);
    json_t *j = sim_json(&r, 200);
    json_int_t v = json_integer_value(
        json_object_get(json_object_get(json_object_get(j, "integration"), "counters"), name));
    json_decref(j);
    http_reply_dispose(&r);
    return v;
}

static void test_matching(void **state)
{
    (void)state;
    char prefix[32], device_ok[32], device_no[32], product[32], other[32], path[128];
    create_hook(hook_body("wh-mat", "ok", ""), prefix);
    create_hook(hook_body("wh-m", "ok", ",\"deviceID\":\"API\""), device_ok);
    create_hook(hook_body("wh-m", "ok", ",\"deviceID\":\"0123456789abcdef01234567\""), device_no);
    create_hook_at("/v1/products/asset-tracker/integrations", DEMO_TOKEN,
                   hook_body("wh-m", "ok", ""), product);
    create_hook_at("/v1/integrations", OTHER_TOKEN, hook_body("wh-m", "ok", ""), other);

    publish("wh-match", "1"); /* the demo user's private event, from "api" */
    wait_counter(prefix, "succeeded", 1);
    wait_counter(device_ok, "succeeded", 1);
    /* a product publish reaches the product's integration only */
    http_reply r = sim_req(T, "POST", "/v1/products/10001/events", DEMO_TOKEN, FORM,
                           "name=wh-m-product&data=2");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    snprintf(path, sizeof(path), "/v1/products/10001/integrations/%s", product);
    for (int i = 0; i < 500 && counter_at(path, DEMO_TOKEN, "succeeded") < 1; i++)
        pu_time_sleep_ms(10);
    assert_int_equal(counter_at(path, DEMO_TOKEN, "sent"), 1);
    pu_time_sleep_ms(200);
    assert_int_equal(counter(prefix, "sent"), 1); /* "wh-m-product" does not start "wh-mat" */
    assert_int_equal(counter(device_ok, "sent"),
                     1); /* the product event is the product's, not the user's */
    assert_int_equal(counter(device_no, "sent"), 0); /* another device */
    snprintf(path, sizeof(path), "/v1/integrations/%s", other);
    assert_int_equal(counter_at(path, OTHER_TOKEN, "sent"), 0); /* someone else's event */

    delete_hook(prefix);
    delete_hook(device_ok);
    delete_hook(device_no);
    r = sim_req(T, "DELETE", path, OTHER_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
    snprintf(path, sizeof(path), "/v1/products/10001/integrations/%s", product);
    r = sim_req(T, "DELETE", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
}

/* Publish -> seen on the stream, in ms, for @p n events named lat-<tag>-<i>; the median. */
static double stream_latency(http_stream *s, const char *tag, int n)
{
    double samples[64];
    for (int i = 0; i < n; i++) {
        char name[64], needle[96];
        snprintf(name, sizeof(name), "lat-%s-%d", tag, i);
        snprintf(needle, sizeof(needle), "event: %s\n", name);
        int64_t t0 = pu_time_mono_ms();
        publish(name, "1");
        expect_stream(s, needle);
        samples[i] = (double)(pu_time_mono_ms() - t0);
    }
    for (int i = 1; i < n; i++) /* insertion sort: n is small */
        for (int k = i; k > 0 && samples[k - 1] > samples[k]; k--) {
            double t = samples[k];
            samples[k] = samples[k - 1];
            samples[k - 1] = t;
        }
    return samples[n / 2];
}

static void test_stuck_receiver_leaves_streams_alone(void **state)
{
    (void)state;
    /* A socket that listens and never accepts: connections open, nothing ever answers. */
    int port;
    int fd = loopback_listen(&port);
    assert_true(fd >= 0);
    http_stream *s = open_stream();
    double before = stream_latency(s, "before", 21);
    char id[32], body[256];
    snprintf(body, sizeof(body), "{\"event\":\"wh-stuck\",\"url\":\"http://127.0.0.1:%d/\"}", port);
    create_hook(body, id);
    for (int i = 0; i < 1000; i++)
        publish("wh-stuck", "1");
    double after = stream_latency(s, "after", 21);
    int64_t t0 = pu_time_mono_ms();
    json_t *j = get_hook(id);
    int64_t get_ms = pu_time_mono_ms() - t0;
    json_t *c = json_object_get(json_object_get(j, "integration"), "counters");
    /* all 1,000 are waiting (none finished, none dropped) */
    assert_int_equal(json_integer_value(json_object_get(c, "sent")), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "dropped")), 0);
    json_decref(j);
    print_message("stream latency (median of 21): %.1f ms before, %.1f ms with 1,000 deliveries "
                  "waiting on a receiver that never answers; GET integration %lld ms\n",
                  before, after, (long long)get_ms);
    /* generous: loaded CI machines and sanitizers; the point is "not blocked for seconds" */
    assert_true(after <= before * 5 + 50);
    assert_true(get_ms < 1000);
    delete_hook(id);
    http_stream_close(s);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_body_response_template_and_topic),
        cmocka_unit_test(test_5xx_retried_then_success),
        cmocka_unit_test(test_4xx_not_retried),
        cmocka_unit_test(test_repeated_failures_disable),
        cmocka_unit_test(test_response_chunks_and_cap),
        cmocka_unit_test(test_non_loopback_refused),
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_stuck_receiver_leaves_streams_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
