/* particle_multi: concurrent calls against a loopback canned server. The server answers
 * in arrival order, so tests that check which answer went to which call run one call at a
 * time (max_in_flight 1, FIFO); the concurrency tests use steps that are never answered,
 * which shows how many requests were on the wire at once without any timing. */
#include <pthread.h>

#include "pu_time.h"
#include "sdk_fixture.h"

/* What one variable callback saw. */
typedef struct seen {
    int calls;
    int code;
    particle_value_type type;
    long long integer;
    double real;
    char text[64];
    long retry_after_ms;
    int http_status;
} seen;

static void on_variable(int code, const particle_variable *var, void *payload)
{
    seen *s = payload;
    s->calls++;
    s->code = code;
    if (code == 0) {
        assert_non_null(var);
        s->type = particle_variable_type(var);
        s->integer = particle_variable_int(var);
        s->real = particle_variable_double(var);
        const char *text = particle_variable_string(var);
        snprintf(s->text, sizeof(s->text), "%s", text != NULL ? text : "");
    } else {
        assert_null(var);
        s->retry_after_ms = particle_error_last()->retry_after_ms;
        s->http_status = particle_error_last()->http_status;
    }
}

static void never_called(int code, const particle_variable *var, void *payload)
{
    (void)code;
    (void)var;
    (void)payload;
    fail_msg("a dropped call ran its callback");
}

static particle_multi *new_multi(particle_client *c, unsigned int in_flight)
{
    particle_multi_options o = PARTICLE_MULTI_OPTIONS_INIT;
    o.max_in_flight = in_flight;
    particle_multi *m = NULL;
    assert_int_equal(particle_multi_new(&m, c, &o), 0);
    return m;
}

/* Performs until nothing is pending (at most ~10 s). */
static void run_to_completion(particle_multi *m)
{
    for (int i = 0; i < 100 && particle_multi_pending(m) > 0; i++) {
        assert_true(particle_multi_perform(m, 100) >= 0);
    }
    assert_int_equal(particle_multi_pending(m), 0);
}

static void test_reads_deliver_typed_values_in_order(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/dev1/temperature ",
         .status = 200,
         .body = fixture_data("variable_int.json")},
        {.expect = "GET /v1/products/my-prod/devices/dev2/humidity ",
         .status = 200,
         .body = fixture_data("variable_double.json")},
        {.expect = "GET /v1/devices/dev%20three/na%2Fme ",
         .status = 200,
         .body = fixture_data("variable_string.json")},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = new_multi(c, 1);
    seen a = {0}, b = {0}, d = {0};
    particle_request_options prod = PARTICLE_REQUEST_OPTIONS_INIT;
    prod.product = "my-prod";
    assert_int_equal(particle_multi_variable_get(m, "dev1", "temperature", NULL, on_variable, &a),
                     0);
    assert_int_equal(particle_multi_variable_get(m, "dev2", "humidity", &prod, on_variable, &b), 0);
    assert_int_equal(particle_multi_variable_get(m, "dev three", "na/me", NULL, on_variable, &d),
                     0);
    assert_int_equal(particle_multi_pending(m), 3);
    assert_int_equal(canned_server_request_count(srv), 0); /* nothing sent before perform */
    run_to_completion(m);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.code, 0);
    assert_int_equal(a.type, PARTICLE_VALUE_INT);
    assert_int_equal(a.integer, 46);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.type, PARTICLE_VALUE_DOUBLE);
    assert_int_equal(d.calls, 1);
    assert_int_equal(d.type, PARTICLE_VALUE_STRING);
    assert_true(d.text[0] != '\0');
    fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN);
    fixture_assert_script_ok(srv);
    /* the three calls shared one keep-alive connection */
    assert_int_equal(canned_server_connection_count(srv), 1);
    particle_multi_free(m);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_failures_map_like_the_blocking_call(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/d/a ",
         .status = 404,
         .body = fixture_data("variable_not_found.json")},
        {.expect = "GET /v1/devices/d/b ",
         .status = 429,
         .headers = "Retry-After: 7\r\n",
         .body = "{\"error\":\"rate limited\"}"},
        {.expect = "GET /v1/devices/d/c ", .status = 408, .body = fixture_data("timed_out.json")},
        {.expect = "GET /v1/devices/d/d ", .status = 503, .body = "{}"},
        {.expect = "GET /v1/devices/d/e ", .status = 200, .body = "not json"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = new_multi(c, 1);
    seen s[5] = {{0}};
    const char *names[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(particle_multi_variable_get(m, "d", names[i], NULL, on_variable, &s[i]),
                         0);
    }
    run_to_completion(m);
    assert_int_equal(s[0].code, PARTICLE_ENOTFOUND);
    assert_int_equal(s[0].http_status, 404);
    assert_int_equal(s[1].code, PARTICLE_ERATELIMIT);
    assert_int_equal(s[1].retry_after_ms, 7000);
    assert_int_equal(s[2].code, PARTICLE_EOFFLINE);
    assert_int_equal(s[3].code, PARTICLE_ESERVER); /* tried once: no retry of the 503 */
    assert_int_equal(s[4].code, PARTICLE_EPROTO);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s[i].calls, 1);
    }
    fixture_assert_script_ok(srv);
    particle_multi_free(m);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* Waits (performing) until the server has received @p n requests; false after ~5 s. */
static bool perform_until_received(particle_multi *m, canned_server *srv, size_t n)
{
    for (int i = 0; i < 100; i++) {
        if (canned_server_request_count(srv) >= n) {
            return true;
        }
        particle_multi_perform(m, 50);
    }
    return false;
}

static void test_calls_run_concurrently_up_to_the_limit(void **state)
{
    (void)state;
    canned_step steps[6];
    for (size_t i = 0; i < 6; i++) {
        steps[i] = (canned_step){.expect = "GET /v1/devices/", .no_reply = true};
    }
    canned_server *srv = canned_server_start(steps, 6);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = new_multi(c, 4);
    char dev[16];
    for (int i = 0; i < 6; i++) {
        snprintf(dev, sizeof(dev), "dev%d", i);
        assert_int_equal(particle_multi_variable_get(m, dev, "v", NULL, never_called, NULL), 0);
    }
    /* four requests are on the wire at once although none was answered ... */
    assert_true(perform_until_received(m, srv, 4));
    /* ... and not more: the other two wait for a free slot */
    for (int i = 0; i < 5; i++) {
        particle_multi_perform(m, 20);
    }
    assert_int_equal(canned_server_request_count(srv), 4);
    assert_int_equal(particle_multi_pending(m), 6);
    assert_true(canned_server_connection_count(srv) >= 4);
    /* free drops the six calls without running a callback, and leaks nothing */
    particle_multi_free(m);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void on_doc(int code, const particle_doc *doc, void *payload)
{
    seen *s = payload;
    s->calls++;
    s->code = code;
    if (code == 0) {
        const particle_value *ok = particle_value_get(particle_doc_root(doc), "ok");
        s->integer = particle_value_bool(ok, 0);
    }
}

static void test_generic_requests(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/sims/8934 ", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/sims/8935 ", .status = 204},
        {.expect = "GET /v1/sims?page=2 ", .status = 200, .body = "{\"ok\":false}"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = new_multi(c, 1);
    seen put = {0}, del = {0}, get = {0};
    assert_int_equal(particle_multi_request(m, "put", "/v1/sims/8934", NULL,
                                            "{\"action\":\"deactivate\"}", NULL, on_doc, &put),
                     0);
    assert_int_equal(
        particle_multi_request(m, "DELETE", "/v1/sims/8935", NULL, NULL, NULL, on_doc, &del), 0);
    assert_int_equal(
        particle_multi_request(m, "GET", "/v1/sims?page=2", NULL, NULL, NULL, on_doc, &get), 0);
    /* refused at once, like particle_request(): the callback never runs */
    assert_int_equal(particle_multi_request(m, "GET", "/v1/x", NULL, "{}", NULL, on_doc, &get),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_multi_request(m, "PUT", "/v1/x", NULL, "{bad", NULL, on_doc, &get),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_multi_request(m, "BREW", "/v1/x", NULL, NULL, NULL, on_doc, &get),
                     PARTICLE_EINVAL);
    run_to_completion(m);
    assert_int_equal(put.calls, 1);
    assert_int_equal(put.code, 0);
    assert_int_equal(put.integer, 1);
    assert_int_equal(del.calls, 1);
    assert_int_equal(del.code, 0); /* 204: an empty document */
    assert_int_equal(get.calls, 1);
    assert_int_equal(get.integer, 0);
    fixture_assert_body(srv, 0, "{\"action\":\"deactivate\"}");
    fixture_assert_request_has(srv, 0, "Content-Type: application/json");
    fixture_assert_script_ok(srv);
    particle_multi_free(m);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = NULL;
    assert_int_equal(particle_multi_new(&m, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_multi_new(NULL, c, NULL), PARTICLE_EINVAL);
    particle_multi_options o = PARTICLE_MULTI_OPTIONS_INIT;
    o.max_in_flight = 5000;
    assert_int_equal(particle_multi_new(&m, c, &o), PARTICLE_EINVAL);
    o = (particle_multi_options)PARTICLE_MULTI_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(particle_multi_new(&m, c, &o), PARTICLE_EINVAL);
    assert_null(m);
    assert_int_equal(particle_multi_new(&m, c, NULL), 0);
    assert_int_equal(particle_multi_variable_get(m, "", "v", NULL, never_called, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_multi_variable_get(m, "d", NULL, NULL, never_called, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_multi_variable_get(m, "d", "v", NULL, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_multi_variable_get(NULL, "d", "v", NULL, never_called, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_multi_perform(NULL, 0), PARTICLE_EINVAL);
    assert_int_equal(particle_multi_wakeup(NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_multi_pending(NULL), 0);
    assert_int_equal(particle_multi_pending(m), 0);
    assert_int_equal(particle_multi_perform(m, 0), 0);
    particle_multi_free(m);
    particle_multi_free(NULL);
    particle_client_free(c);
    assert_int_equal(canned_server_request_count(srv), 0);
    canned_server_stop(srv);
}

static void test_refused_connection_is_a_network_error(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", canned_unused_port());
    particle_client_options co = PARTICLE_CLIENT_OPTIONS_INIT;
    co.base_url = url;
    co.access_token = TEST_TOKEN;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &co), 0);
    particle_multi *m = new_multi(c, 0);
    seen s = {0};
    assert_int_equal(particle_multi_variable_get(m, "d", "v", NULL, on_variable, &s), 0);
    run_to_completion(m);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.code, PARTICLE_ENET);
    particle_multi_free(m);
    particle_client_free(c);
}

typedef struct reentry {
    particle_multi *m;
    int perform_code;
    seen follow_up;
} reentry;

/* A callback may queue more calls but not drive the multi. */
static void on_reentry(int code, const particle_variable *var, void *payload)
{
    (void)var;
    reentry *r = payload;
    assert_int_equal(code, 0);
    r->perform_code = particle_multi_perform(r->m, 0);
    assert_int_equal(
        particle_multi_variable_get(r->m, "d", "second", NULL, on_variable, &r->follow_up), 0);
}

static void test_callbacks_may_queue_but_not_perform(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/d/first ",
         .status = 200,
         .body = fixture_data("variable_int.json")},
        {.expect = "GET /v1/devices/d/second ",
         .status = 200,
         .body = fixture_data("variable_int.json")},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = new_multi(c, 2);
    reentry r = {.m = m};
    assert_int_equal(particle_multi_variable_get(m, "d", "first", NULL, on_reentry, &r), 0);
    run_to_completion(m);
    assert_int_equal(r.perform_code, PARTICLE_EINVAL);
    assert_int_equal(r.follow_up.calls, 1);
    assert_int_equal(r.follow_up.integer, 46);
    fixture_assert_script_ok(srv);
    particle_multi_free(m);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void *wake_soon(void *arg)
{
    pu_time_sleep_ms(100);
    particle_multi_wakeup(arg);
    return NULL;
}

static void test_wakeup_interrupts_a_long_wait(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_multi *m = new_multi(c, 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wake_soon, m), 0);
    int64_t started = pu_time_mono_ms();
    /* an idle multi waits the whole time unless woken; 60 s would fail the ctest timeout */
    assert_int_equal(particle_multi_perform(m, 60000), 0);
    assert_true(pu_time_mono_ms() - started < 30000);
    pthread_join(t, NULL);
    particle_multi_free(m);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    assert_int_equal(particle_global_init(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_reads_deliver_typed_values_in_order, fixture_data_teardown),
        cmocka_unit_test_teardown(test_failures_map_like_the_blocking_call, fixture_data_teardown),
        cmocka_unit_test(test_calls_run_concurrently_up_to_the_limit),
        cmocka_unit_test(test_generic_requests),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_refused_connection_is_a_network_error),
        cmocka_unit_test_teardown(test_callbacks_may_queue_but_not_perform, fixture_data_teardown),
        cmocka_unit_test(test_wakeup_interrupts_a_long_wait),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
