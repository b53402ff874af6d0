/* The REST transport against a canned loopback server: keep-alive, error mapping of every
 * documented failure, Retry-After, retries of idempotent requests only, body caps,
 * timeouts, refused connections, and that the token never reaches the log. */
#include "sdk_fixture.h"

#include "pu_time.h"

/* A client with explicit retry and timeout settings. */
static particle_client *client_with(const char *url, int max_retries, long request_timeout_ms,
                                    size_t max_body)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = TEST_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = max_retries;
    o.retry_base_ms = 10;
    o.retry_max_ms = 40;
    o.retry_after_max_ms = 3000;
    o.request_timeout_ms = request_timeout_ms;
    o.max_response_bytes = max_body;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static void test_keep_alive_reuses_one_connection(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/user HTTP/1.1", .status = 200, .body = "{\"username\":\"a\"}"},
        {.expect = "GET /v1/user HTTP/1.1", .status = 200, .body = "{\"username\":\"b\"}"},
        {.expect = "GET /v1/user HTTP/1.1", .status = 200, .body = "{\"username\":\"c\"}"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *names[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        particle_doc *doc = NULL;
        assert_int_equal(particle_user_get(&doc, c), 0);
        assert_string_equal(
            particle_value_string(particle_value_get(particle_doc_root(doc), "username")),
            names[i]);
        particle_doc_free(doc);
    }
    assert_int_equal(canned_server_connection_count(srv), 1);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_api_error_bodies_map_to_codes(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /oauth/token ", .status = 400, .body = fixture_read("invalid_grant.json")},
        {.expect = "GET /v1/user ",
         .status = 401,
         .headers = "X-Request-Id: req-123\r\n",
         .body = fixture_read("invalid_token.json")},
        {.expect = "GET /v1/devices/nope ",
         .status = 403,
         .body = fixture_read("permission_denied.json")},
        {.expect = "GET /v1/devices/dev/missing ",
         .status = 404,
         .body = fixture_read("variable_not_found.json")},
        {.expect = "PUT /v1/devices/dev ",
         .status = 400,
         .body = "{\"error\":\"device_rejected_configuration\",\"error_description\":\"bad cfg\"}"},
        {.expect = "GET /v1/devices/dev/temp ",
         .status = 400,
         .body = fixture_read("timed_out.json")},
        {.expect = "POST /v1/devices/dev/fn ", .status = 408, .body = "{\"error\":\"Timed out.\"}"},
        {.expect = "POST /v1/devices/dev/fn ",
         .status = 500,
         .body = "{\"ok\":false,\"error\":\"timed out\"}"},
    };
    /* the bodies were read into heap memory: the server copies them, so free ours */
    canned_server *srv = canned_server_start(steps, 8);
    for (size_t i = 0; i < 4; i++) {
        free((char *)steps[i].body);
    }
    free((char *)steps[5].body);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);

    assert_int_equal(particle_login_password(NULL, c, "u@example.com", "bad", NULL),
                     PARTICLE_EAUTH);
    const particle_error *e = particle_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->api_code, "invalid_grant");
    assert_string_equal(e->message, "User credentials are invalid");

    particle_doc *doc = NULL;
    assert_int_equal(particle_user_get(&doc, c), PARTICLE_EAUTH);
    assert_null(doc);
    assert_string_equal(e->message, "The access token provided is invalid.");
    assert_string_equal(e->request_id, "req-123");
    assert_int_equal(e->retry_after_ms, -1);

    assert_int_equal(particle_device_get(&doc, c, "nope", NULL), PARTICLE_EFORBIDDEN);
    assert_int_equal(e->http_status, 403);
    assert_string_equal(e->message, "Permission Denied");
    assert_non_null(strstr(e->info, "I didn't recognize that device"));

    particle_variable *v = NULL;
    assert_int_equal(particle_variable_get(&v, c, "dev", "missing", NULL), PARTICLE_ENOTFOUND);
    assert_null(v);
    assert_string_equal(e->message, "Variable not found");

    assert_int_equal(particle_device_rename(NULL, c, "dev", "x", NULL), PARTICLE_EHTTP);
    assert_string_equal(e->api_code, "device_rejected_configuration");
    assert_string_equal(e->message, "bad cfg");

    /* an unreachable device: "Timed out." with 400, 408, even 500 (not retried then) */
    assert_int_equal(particle_variable_get(&v, c, "dev", "temp", NULL), PARTICLE_EOFFLINE);
    assert_int_equal(e->http_status, 400);
    int rv = 5;
    assert_int_equal(particle_function_call(&rv, c, "dev", "fn", "x", NULL), PARTICLE_EOFFLINE);
    assert_int_equal(rv, 0);
    assert_int_equal(e->http_status, 408);
    assert_int_equal(particle_function_call(&rv, c, "dev", "fn", "x", NULL), PARTICLE_EOFFLINE);

    /* none of them was retried */
    assert_int_equal(canned_server_request_count(srv), 8);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_429_waits_for_retry_after(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices ",
         .status = 429,
         .headers = "Retry-After: 1\r\n",
         .body = "{\"error\":\"rate limited\"}"},
        {.expect = "GET /v1/devices ", .status = 200, .body = "[]"},
        /* an HTTP date in the past: retry at once; POSTs too, the request was refused */
        {.expect = "POST /v1/devices/events ",
         .status = 429,
         .headers = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"},
        {.expect = "POST /v1/devices/events ", .status = 200, .body = "{\"ok\":true}"},
        /* longer than retry_after_max_ms (3 s): fail at once, tell the caller how long */
        {.expect = "GET /v1/devices ", .status = 429, .headers = "Retry-After: 120\r\n"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_with(url, 3, 5000, 0);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, NULL), 0);
    assert_int_equal(particle_value_count(particle_doc_root(doc)), 0);
    particle_doc_free(doc);
    int64_t waited = canned_server_request_time_ms(srv, 1) - canned_server_request_time_ms(srv, 0);
    assert_true(waited >= 950);

    particle_publish_options p = PARTICLE_PUBLISH_OPTIONS_INIT;
    p.name = "x";
    assert_int_equal(particle_event_publish(c, &p), 0);

    int64_t t0 = pu_time_mono_ms();
    assert_int_equal(particle_device_list(&doc, c, NULL), PARTICLE_ERATELIMIT);
    assert_true(pu_time_mono_ms() - t0 < 2000);
    assert_int_equal(particle_error_last()->retry_after_ms, 120000);
    assert_int_equal(particle_error_last()->http_status, 429);
    assert_int_equal(canned_server_request_count(srv), 5);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_5xx_retries_idempotent_only(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/dev ", .status = 500, .body = "{\"error\":\"boom\"}"},
        {.expect = "GET /v1/devices/dev ", .status = 200, .body = "{\"id\":\"dev\"}"},
        {.expect = "POST /v1/devices/dev/fn ", .status = 500, .body = "{\"error\":\"boom\"}"},
        {.expect = "POST /v1/devices/dev/fn ", .status = 503, .body = "{}"},
        {.expect = "POST /v1/devices/dev/fn ", .status = 200, .body = "{\"return_value\":3}"},
        {.expect = "GET /v1/user ", .status = 500},
        {.expect = "GET /v1/user ", .status = 500},
        {.expect = "GET /v1/user ", .status = 500},
        {.expect = "GET /v1/user ", .status = 500},
    };
    canned_server *srv = canned_server_start(steps, 9);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_with(url, 3, 5000, 0);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_get(&doc, c, "dev", NULL), 0);
    assert_string_equal(particle_device_id(particle_doc_root(doc)), "dev");
    particle_doc_free(doc);
    assert_int_equal(canned_server_request_count(srv), 2);

    int rv = 0;
    assert_int_equal(particle_function_call(&rv, c, "dev", "fn", "go", NULL), PARTICLE_ESERVER);
    assert_int_equal(particle_error_last()->http_status, 500);
    assert_string_equal(particle_error_last()->message, "boom");
    assert_int_equal(canned_server_request_count(srv), 3); /* the POST was not repeated */

    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.flags = PARTICLE_REQUEST_RETRY;
    assert_int_equal(particle_function_call(&rv, c, "dev", "fn", "go", &ro), 0);
    assert_int_equal(rv, 3);
    assert_int_equal(canned_server_request_count(srv), 5);

    /* max_retries 3: four attempts, then the error */
    assert_int_equal(particle_user_get(&doc, c), PARTICLE_ESERVER);
    assert_int_equal(canned_server_request_count(srv), 9);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_malformed_bodies_are_protocol_errors(void **state)
{
    (void)state;
    static const char html[] = "<html><head><title>502 Bad Gateway</title></head>"
                               "<body><h1>502 Bad Gateway</h1></body></html>";
    canned_step steps[] = {
        {.expect = "GET /v1/devices ", .status = 200, .body = "[{\"id\":\"abc\",\"name\":"},
        {.expect = "GET /v1/devices ",
         .status = 200,
         .headers = "Content-Type: text/html\r\n",
         .body = html},
        {.expect = "POST /v1/devices/events ",
         .status = 502,
         .headers = "Content-Type: text/html\r\n",
         .body = html},
        {.expect = "GET /v1/devices ",
         .status = 502,
         .headers = "Content-Type: text/html\r\n",
         .body = html},
        {.expect = "GET /v1/devices ", .status = 200, .body = "[]"},
        /* the body ends before its Content-Length */
        {.expect = "GET /v1/user ",
         .raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                "{\"username\":",
         .close_after = true},
        {.expect = "GET /v1/user ", .status = 200, .body = "{\"username\":\"ok\"}"},
    };
    canned_server *srv = canned_server_start(steps, 7);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_with(url, PARTICLE_NO_RETRIES, 5000, 0);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, NULL), PARTICLE_EPROTO);
    assert_null(doc);
    assert_int_equal(particle_error_last()->http_status, 200);
    assert_int_equal(particle_device_list(&doc, c, NULL), PARTICLE_EPROTO);

    particle_publish_options p = PARTICLE_PUBLISH_OPTIONS_INIT;
    p.name = "x";
    assert_int_equal(particle_event_publish(c, &p), PARTICLE_ESERVER);
    assert_int_equal(particle_error_last()->http_status, 502);
    assert_non_null(strstr(particle_error_last()->message, "not JSON"));
    particle_client_free(c);

    /* with retries, a GET gets past the HTML 502 */
    c = client_with(url, 1, 5000, 0);
    assert_int_equal(particle_device_list(&doc, c, NULL), 0);
    particle_doc_free(doc);
    /* a truncated transfer is a protocol error (retried for a GET like a network error) */
    assert_int_equal(particle_user_get(&doc, c), 0);
    assert_string_equal(
        particle_value_string(particle_value_get(particle_doc_root(doc), "username")), "ok");
    particle_doc_free(doc);
    particle_client_free(c);

    assert_int_equal(canned_server_request_count(srv), 7);
    fixture_assert_script_ok(srv);
    canned_server_stop(srv);
}

static void test_response_cap(void **state)
{
    (void)state;
    char big[2048];
    memset(big, ' ', sizeof(big) - 3);
    big[0] = '[';
    big[sizeof(big) - 3] = ']';
    big[sizeof(big) - 2] = '\0';
    canned_step steps[] = {{.expect = "GET /v1/devices ", .status = 200, .body = big}};
    canned_server *srv = canned_server_start(steps, 1);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_with(url, PARTICLE_NO_RETRIES, 5000, 1024);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, NULL), PARTICLE_EPROTO);
    assert_non_null(strstr(particle_error_last()->message, "larger than 1024"));
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_silent_server_times_out(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "GET /v1/devices/dev ", .no_reply = true}};
    canned_server *srv = canned_server_start(steps, 1);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_with(url, 3, 700, 0);
    particle_doc *doc = NULL;
    int64_t t0 = pu_time_mono_ms();
    assert_int_equal(particle_device_get(&doc, c, "dev", NULL), PARTICLE_ETIMEDOUT);
    int64_t took = pu_time_mono_ms() - t0;
    assert_true(took >= 600);
    assert_true(took < 4000);
    assert_int_equal(particle_error_last()->http_status, 0);
    assert_int_equal(canned_server_request_count(srv), 1);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_refused_connection_is_network_error(void **state)
{
    (void)state;
    int port = canned_unused_port();
    assert_true(port > 0);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    particle_client *c = client_with(url, 2, 2000, 0);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, NULL), PARTICLE_ENET);
    assert_int_equal(particle_error_last()->code, PARTICLE_ENET);
    assert_true(particle_error_last()->message[0] != '\0');
    assert_int_equal(particle_error_last()->http_status, 0);
    particle_client_free(c);
}

struct log_sink {
    char text[64 * 1024];
    size_t len;
    int lines;
};

static void collect_log(particle_log_level level, const char *message, void *payload)
{
    (void)level;
    struct log_sink *s = payload;
    int n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s\n", message);
    if (n > 0 && s->len + (size_t)n < sizeof(s->text)) {
        s->len += (size_t)n;
    }
    s->lines++;
}

static void test_token_never_logged(void **state)
{
    (void)state;
    static const char fresh[] = "254406f79c1999af65a7df4388971354f85cfee9";
    static const char refresh[] = "b5b901e8760164e134199bc2c3dd1d228acf2d90";
    char *login = fixture_read("login.json");
    canned_step steps[] = {
        {.expect = "GET /v1/devices ", .status = 200, .body = "[]"},
        {.expect = "POST /oauth/token ", .status = 200, .body = login},
        {.expect = "GET /v1/user ", .status = 500},
        {.expect = "GET /v1/user ", .status = 401, .body = fixture_read("invalid_token.json")},
        {.expect = "DELETE /v1/access_tokens/" TEST_TOKEN " ",
         .status = 200,
         .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    free(login);
    free((char *)steps[3].body);
    struct log_sink *sink = calloc(1, sizeof(*sink));
    assert_non_null(sink);
    particle_client *c = fixture_client(srv, TEST_TOKEN, collect_log, sink);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, NULL), 0);
    particle_doc_free(doc);
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_int_equal(particle_login_password(NULL, c, "joe@example.com", "hunter2", &lo), 0);
    assert_int_equal(particle_user_get(&doc, c), PARTICLE_EAUTH);
    assert_int_equal(particle_access_token_delete(c, TEST_TOKEN), 0);
    fixture_assert_script_ok(srv);

    assert_true(sink->lines >= 5);
    assert_non_null(strstr(sink->text, "GET /v1/devices -> 200"));
    assert_non_null(strstr(sink->text, "GET /v1/user -> 401"));
    assert_non_null(strstr(sink->text, "DELETE /v1/access_tokens/<token> -> 200"));
    assert_null(strstr(sink->text, TEST_TOKEN));
    assert_null(strstr(sink->text, fresh));
    assert_null(strstr(sink->text, refresh));
    assert_null(strstr(sink->text, "hunter2"));
    free(sink);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keep_alive_reuses_one_connection),
        cmocka_unit_test(test_api_error_bodies_map_to_codes),
        cmocka_unit_test(test_429_waits_for_retry_after),
        cmocka_unit_test(test_5xx_retries_idempotent_only),
        cmocka_unit_test(test_malformed_bodies_are_protocol_errors),
        cmocka_unit_test(test_response_cap),
        cmocka_unit_test(test_silent_server_times_out),
        cmocka_unit_test(test_refused_connection_is_network_error),
        cmocka_unit_test(test_token_never_logged),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
