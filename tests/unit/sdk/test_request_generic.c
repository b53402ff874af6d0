/* particle_request(), the generic REST call, against a canned loopback server: what goes on
 * the wire (method, path, query, JSON body, auth), how answers come back (JSON documents,
 * empty 204 bodies, non-JSON 2xx bodies, error statuses), retries per method, redacted logs,
 * and argument checks that stop a bad call before anything is sent. */
#include "sdk_fixture.h"

static void test_get_with_query(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/sims?per_page=5&page=2 HTTP/1.1",
         .status = 200,
         .body = "{\"sims\":[{\"_id\":\"8934\"}],\"meta\":{\"total_pages\":3}}"},
        /* the query may also be written into the path, and the method in any case */
        {.expect = "GET /v1/sims?page=3 HTTP/1.1", .status = 200, .body = "[1,2.5,\"x\"]"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);

    particle_doc *doc = NULL;
    assert_int_equal(particle_request(&doc, c, "GET", "/v1/sims", "per_page=5&page=2", NULL, NULL),
                     0);
    const particle_value *root = particle_doc_root(doc);
    assert_string_equal(particle_value_string(particle_value_get(
                            particle_value_at(particle_value_get(root, "sims"), 0), "_id")),
                        "8934");
    assert_int_equal(
        particle_value_int(particle_value_get(particle_value_get(root, "meta"), "total_pages"), 0),
        3);
    particle_doc_free(doc);
    fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    fixture_assert_request_has(srv, 0, "Accept: application/json\r\n");

    assert_int_equal(particle_request(&doc, c, "get", "/v1/sims?page=3", NULL, NULL, NULL), 0);
    root = particle_doc_root(doc);
    assert_int_equal(particle_value_type_of(root), PARTICLE_VALUE_ARRAY);
    assert_int_equal(particle_value_count(root), 3);
    assert_true(particle_value_double(particle_value_at(root, 1), 0) == 2.5);
    particle_doc_free(doc);

    fixture_assert_script_ok(srv);
    assert_int_equal(canned_server_request_count(srv), 2);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_post_and_patch_send_json(void **state)
{
    (void)state;
    static const char body[] = "{\"email\":\"jane@example.com\",\"no_password\":true}";
    canned_step steps[] = {
        {.expect = "POST /v1/products/acme/customers HTTP/1.1",
         .status = 201,
         .body = "{\"ok\":true,\"id\":\"cust-1\"}"},
        {.expect = "PATCH /v1/orgs/acme/products/7/sims/8934 HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);

    particle_doc *doc = NULL;
    assert_int_equal(
        particle_request(&doc, c, "POST", "/v1/products/acme/customers", NULL, body, NULL), 0);
    assert_string_equal(particle_value_string(particle_value_get(particle_doc_root(doc), "id")),
                        "cust-1");
    particle_doc_free(doc);
    fixture_assert_request_has(srv, 0, "Content-Type: application/json\r\n");
    fixture_assert_body(srv, 0, body);

    /* the answer may be discarded; it is still read */
    assert_int_equal(particle_request(NULL, c, "Patch", "/v1/orgs/acme/products/7/sims/8934", NULL,
                                      "{\"action\":\"deactivate\"}", NULL),
                     0);
    fixture_assert_body(srv, 1, "{\"action\":\"deactivate\"}");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_delete_204_gives_empty_document(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "DELETE /v1/webhooks/abc123 HTTP/1.1", .status = 204},
    };
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_request(&doc, c, "DELETE", "/v1/webhooks/abc123", NULL, NULL, NULL),
                     0);
    assert_non_null(doc);
    const particle_value *root = particle_doc_root(doc);
    assert_int_equal(particle_value_type_of(root), PARTICLE_VALUE_OBJECT);
    assert_int_equal(particle_value_count(root), 0);
    particle_doc_free(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_non_json_2xx_is_protocol_error(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/diagnostics HTTP/1.1",
         .status = 200,
         .headers = "Content-Type: text/html\r\n",
         .body = "<html><body>Welcome to nginx!</body></html>"},
        {.expect = "GET /v1/diagnostics HTTP/1.1", .status = 200, .body = "{\"ok\":tru"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = (particle_doc *)&doc; /* must be reset to NULL */
    assert_int_equal(particle_request(&doc, c, "GET", "/v1/diagnostics", NULL, NULL, NULL),
                     PARTICLE_EPROTO);
    assert_null(doc);
    assert_int_equal(particle_error_last()->code, PARTICLE_EPROTO);
    assert_int_equal(particle_error_last()->http_status, 200);
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/diagnostics", NULL, NULL, NULL),
                     PARTICLE_EPROTO);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_errors_map_like_typed_calls(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/webhooks/nope ",
         .status = 404,
         .headers = "X-Request-Id: rid-9\r\n",
         .body = "{\"ok\":false,\"error\":\"Webhook not found\"}"},
        {.expect = "GET /v1/user ",
         .status = 401,
         .body = "{\"error\":\"invalid_token\",\"error_description\":\"The access token provided "
                 "is invalid.\"}"},
        {.expect = "GET /v1/orgs/x ", .status = 403, .body = "{\"error\":\"Permission Denied\"}"},
        {.expect = "PUT /v1/devices/d ", .status = 429, .headers = "Retry-After: 0\r\n"},
        {.expect = "PUT /v1/devices/d ", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "GET /v1/diagnostics/d ",
         .status = 400,
         .body = "{\"error\":\"bad_request\",\"description\":\"start_date and end_date must be "
                 "ISO8601 formatted\"}"},
        {.expect = "PUT /v1/products/1/config ",
         .status = 422,
         .body = "{\"message\":\"Invalid Schema\",\"description\":\"data should NOT have "
                 "additional properties\"}"},
        {.expect = "GET /v1/x ", .status = 400, .body = "{\"description\":\"only this\"}"},
    };
    canned_server *srv = canned_server_start(steps, 8);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const particle_error *e = particle_error_last();
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/webhooks/nope", NULL, NULL, NULL),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(e->http_status, 404);
    assert_string_equal(e->message, "Webhook not found");
    assert_string_equal(e->request_id, "rid-9");
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/user", NULL, NULL, NULL),
                     PARTICLE_EAUTH);
    assert_string_equal(e->api_code, "invalid_token");
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/orgs/x", NULL, NULL, NULL),
                     PARTICLE_EFORBIDDEN);
    /* 429 with Retry-After: waited for and repeated */
    assert_int_equal(
        particle_request(NULL, c, "PUT", "/v1/devices/d", NULL, "{\"signal\":\"1\"}", NULL), 0);
    fixture_assert_body(srv, 4, "{\"signal\":\"1\"}");
    /* a 400's or 422's description is the message, or completes it */
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/diagnostics/d", NULL, NULL, NULL),
                     PARTICLE_EHTTP);
    assert_string_equal(e->message, "start_date and end_date must be ISO8601 formatted");
    assert_string_equal(e->api_code, "bad_request");
    assert_int_equal(
        particle_request(NULL, c, "PUT", "/v1/products/1/config", NULL, "{\"nope\":1}", NULL),
        PARTICLE_EHTTP);
    assert_string_equal(e->message, "Invalid Schema: data should NOT have additional properties");
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/x", NULL, NULL, NULL), PARTICLE_EHTTP);
    assert_string_equal(e->message, "only this");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_retries_follow_method_idempotency(void **state)
{
    (void)state;
    canned_step steps[] = {
        /* POST: not repeated after a 500 unless asked */
        {.expect = "POST /v1/things ", .status = 500},
        /* DELETE: idempotent, repeated */
        {.expect = "DELETE /v1/things/1 ", .status = 503},
        {.expect = "DELETE /v1/things/1 ", .status = 200, .body = "{\"ok\":true}"},
        /* POST with PARTICLE_REQUEST_RETRY: repeated */
        {.expect = "POST /v1/things ", .status = 502},
        {.expect = "POST /v1/things ", .status = 200, .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    assert_int_equal(particle_request(NULL, c, "POST", "/v1/things", NULL, "{}", NULL),
                     PARTICLE_ESERVER);
    assert_int_equal(canned_server_request_count(srv), 1);
    assert_int_equal(particle_request(NULL, c, "DELETE", "/v1/things/1", NULL, NULL, NULL), 0);
    assert_int_equal(canned_server_request_count(srv), 3);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.flags = PARTICLE_REQUEST_RETRY;
    assert_int_equal(particle_request(NULL, c, "POST", "/v1/things", NULL, "{}", &ro), 0);
    assert_int_equal(canned_server_request_count(srv), 5);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* Asserts that request @p i does not contain @p needle. */
static void assert_request_lacks(canned_server *srv, size_t i, const char *needle)
{
    static char text[64 * 1024];
    assert_true(canned_server_request(srv, i, text, sizeof(text)));
    if (strstr(text, needle) != NULL) {
        fail_msg("request %zu has \"%s\":\n%s", i, needle, text);
    }
}

/* One easy handle serves every request of a client: nothing of one request (method, body,
 * Basic credentials) may carry over into the next. */
static void test_requests_do_not_inherit_options(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "DELETE /v1/things/1 HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "GET /v1/things HTTP/1.1", .status = 200, .body = "[]"},
        {.expect = "PUT /v1/things/2 HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "POST /v1/things HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "GET /v1/access_tokens HTTP/1.1", .status = 200, .body = "[]"},
        {.expect = "GET /v1/user HTTP/1.1", .status = 200, .body = "{}"},
    };
    canned_server *srv = canned_server_start(steps, 6);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    assert_int_equal(particle_request(NULL, c, "DELETE", "/v1/things/1", NULL, NULL, NULL), 0);
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/things", NULL, NULL, NULL), 0);
    assert_request_lacks(srv, 1, "Content-Length");
    assert_request_lacks(srv, 1, "Content-Type");
    assert_int_equal(
        particle_request(NULL, c, "PUT", "/v1/things/2", NULL, "{\"name\":\"x\"}", NULL), 0);
    /* a POST after a PUT is a POST, not the PUT's custom method with a new body */
    assert_int_equal(particle_request(NULL, c, "POST", "/v1/things", NULL, "[1]", NULL), 0);
    fixture_assert_body(srv, 3, "[1]");
    particle_doc *doc = NULL;
    assert_int_equal(particle_access_token_list(&doc, c, "joe@example.com", "pw", NULL), 0);
    particle_doc_free(doc);
    fixture_assert_request_has(srv, 4, "Authorization: Basic ");
    /* the Basic credentials are gone again: the bearer token is back */
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/user", NULL, NULL, NULL), 0);
    fixture_assert_request_has(srv, 5, "Authorization: Bearer " TEST_TOKEN "\r\n");
    assert_request_lacks(srv, 5, "Basic");
    assert_int_equal(canned_server_connection_count(srv), 1);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

struct log_sink {
    char text[8192];
    size_t len;
};

static void collect_log(particle_log_level level, const char *message, void *payload)
{
    (void)level;
    struct log_sink *s = payload;
    int n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s\n", message);
    if (n > 0 && s->len + (size_t)n < sizeof(s->text)) {
        s->len += (size_t)n;
    }
}

static void test_logs_hide_tokens_and_queries(void **state)
{
    (void)state;
    static const char other[] = "fedcba9876543210fedcba9876543210fedcba98";
    canned_step steps[] = {
        {.expect = "DELETE /v1/access_tokens/fedcba98", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "GET /v1/devices?access_token=secret-in-query ", .status = 200, .body = "[]"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    struct log_sink sink = {.len = 0};
    particle_client *c = fixture_client(srv, TEST_TOKEN, collect_log, &sink);
    assert_int_equal(particle_request(NULL, c, "DELETE",
                                      "/v1/access_tokens/fedcba9876543210fedcba9876543210fedcba98",
                                      NULL, NULL, NULL),
                     0);
    assert_int_equal(particle_request(NULL, c, "GET", "/v1/devices?access_token=secret-in-query",
                                      NULL, NULL, NULL),
                     0);
    fixture_assert_script_ok(srv);
    assert_non_null(strstr(sink.text, "DELETE /v1/access_tokens/<token> -> 200"));
    assert_non_null(strstr(sink.text, "GET /v1/devices -> 200"));
    assert_null(strstr(sink.text, other));
    assert_null(strstr(sink.text, "secret-in-query"));
    particle_client_free(c);
    canned_server_stop(srv);
}

static void assert_einval(particle_client *c, const char *method, const char *path,
                          const char *query, const char *body, const particle_request_options *ro)
{
    particle_doc *doc = (particle_doc *)&doc;
    particle_error_clear();
    assert_int_equal(particle_request(&doc, c, method, path, query, body, ro), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(particle_error_last()->code, PARTICLE_EINVAL);
    assert_true(particle_error_last()->message[0] != '\0');
}

static void test_invalid_arguments_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_request_options product = PARTICLE_REQUEST_OPTIONS_INIT;
    product.product = "acme";

    /* methods */
    assert_einval(c, NULL, "/v1/user", NULL, NULL, NULL);
    assert_einval(c, "", "/v1/user", NULL, NULL, NULL);
    assert_einval(c, "HEAD", "/v1/user", NULL, NULL, NULL);
    assert_einval(c, "CONNECT", "/v1/user", NULL, NULL, NULL);
    assert_einval(c, "GET /v1/x HTTP/1.1\r\nX:", "/v1/user", NULL, NULL, NULL);
    /* paths */
    assert_einval(c, "GET", NULL, NULL, NULL, NULL);
    assert_einval(c, "GET", "", NULL, NULL, NULL);
    assert_einval(c, "GET", "v1/user", NULL, NULL, NULL);
    assert_einval(c, "GET", "http://evil.example/v1/user", NULL, NULL, NULL);
    assert_einval(c, "GET", "/v1/my device", NULL, NULL, NULL);
    assert_einval(c, "GET", "/v1/user\r\nX-Injected: 1", NULL, NULL, NULL);
    assert_einval(c, "GET", "/v1/user#frag", NULL, NULL, NULL);
    assert_einval(c, "GET", "/v1/caf\xc3\xa9", NULL, NULL, NULL);
    /* queries */
    assert_einval(c, "GET", "/v1/devices", "?page=2", NULL, NULL);
    assert_einval(c, "GET", "/v1/devices?page=1", "page=2", NULL, NULL);
    assert_einval(c, "GET", "/v1/devices", "name=a b", NULL, NULL);
    /* bodies and options */
    assert_einval(c, "GET", "/v1/devices", NULL, "{}", NULL);
    assert_einval(c, "POST", "/v1/devices", NULL, "{\"id\":", NULL);
    assert_einval(c, "POST", "/v1/devices", NULL, "not json", NULL);
    assert_einval(c, "GET", "/v1/devices", NULL, NULL, &product);
    /* no client */
    assert_einval(NULL, "GET", "/v1/devices", NULL, NULL, NULL);

    assert_int_equal(canned_server_request_count(srv), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_with_query),
        cmocka_unit_test(test_post_and_patch_send_json),
        cmocka_unit_test(test_delete_204_gives_empty_document),
        cmocka_unit_test(test_non_json_2xx_is_protocol_error),
        cmocka_unit_test(test_errors_map_like_typed_calls),
        cmocka_unit_test(test_retries_follow_method_idempotency),
        cmocka_unit_test(test_requests_do_not_inherit_options),
        cmocka_unit_test(test_logs_hide_tokens_and_queries),
        cmocka_unit_test(test_invalid_arguments_send_nothing),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
