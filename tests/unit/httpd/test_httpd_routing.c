/* Routing: params, rest captures, first match wins, 404/405/400 JSON, HEAD, preflight, CORS. */
#include "httpd_test.h"

/* Answers {"route":<payload>,"id":..,"name":..,"rest":..} (absent params are null). */
static void echo_route(const httpd_request *req, httpd_response *res, void *payload)
{
    json_t *body =
        json_pack("{s:s, s:s?, s:s?, s:s?, s:s}", "route", (const char *)payload, "id",
                  httpd_request_param(req, "id"), "name", httpd_request_param(req, "name"), "rest",
                  httpd_request_param(req, "rest"), "method", httpd_request_method(req));
    httpd_response_json(res, 200, body);
}

static void options_route(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_text(res, 200, NULL, "custom options", 14);
}

static int setup(void **state)
{
    test_server *ts = calloc(1, sizeof(*ts));
    httpd_options opts = {.threads = 2, .allowed_origins = "https://b.example, http://example.com"};
    httpd_server *srv = httpd_server_new(&opts);
    assert_int_equal(httpd_route_add(srv, "GET", "/v1/devices/events", 0, echo_route, "events"), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/v1/devices/:id", 0, echo_route, "device"), 0);
    assert_int_equal(
        httpd_route_add(srv, "GET", "/v1/devices/:id/:name", 0, echo_route, "variable"), 0);
    assert_int_equal(httpd_route_add(srv, "PUT", "/v1/devices/:id", 0, echo_route, "put"), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/files/*rest", 0, echo_route, "files"), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/", 0, echo_route, "root"), 0);
    assert_int_equal(httpd_route_add(srv, "OPTIONS", "/custom", 0, options_route, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/custom", 0, echo_route, "custom"), 0);
    test_server_start(ts, srv);
    *state = ts;
    return 0;
}

static int teardown(void **state)
{
    test_server *ts = *state;
    httpd_server_free(ts->srv);
    free(ts);
    return 0;
}

/* GETs @p path and checks the route label and one field. */
static json_t *get_json(test_server *ts, const char *path, long status)
{
    http_reply r = test_call(ts, "GET", path, NULL);
    assert_int_equal(r.curl_code, 0);
    assert_int_equal(r.status, status);
    char *cors = http_reply_header(&r, "Access-Control-Allow-Origin");
    assert_null(cors); /* no Origin, no CORS header */
    json_t *body = http_reply_json(&r);
    assert_non_null(body);
    http_reply_dispose(&r);
    return body;
}

static void test_params_decoded(void **state)
{
    json_t *b = get_json(*state, "/v1/devices/abc%20def", 200);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "device");
    assert_string_equal(json_string_value(json_object_get(b, "id")), "abc def");
    json_decref(b);
    b = get_json(*state, "/v1/devices/d1/temp%2Fc", 200);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "variable");
    assert_string_equal(json_string_value(json_object_get(b, "id")), "d1");
    assert_string_equal(json_string_value(json_object_get(b, "name")), "temp/c");
    json_decref(b);
}

static void test_first_match_wins(void **state)
{
    json_t *b = get_json(*state, "/v1/devices/events", 200);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "events");
    assert_true(json_is_null(json_object_get(b, "id")));
    json_decref(b);
}

static void test_rest_capture(void **state)
{
    json_t *b = get_json(*state, "/files/a/b%2Fc/d.txt", 200);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "files");
    assert_string_equal(json_string_value(json_object_get(b, "rest")), "a/b/c/d.txt");
    json_decref(b);
    b = get_json(*state, "/files", 200);
    assert_string_equal(json_string_value(json_object_get(b, "rest")), "");
    json_decref(b);
    b = get_json(*state, "/files/", 200);
    assert_string_equal(json_string_value(json_object_get(b, "rest")), "");
    json_decref(b);
    b = get_json(*state, "/", 200);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "root");
    json_decref(b);
}

static void test_not_found_json(void **state)
{
    const char *paths[] = {"/nope", "/v1/devices", "/v1/devices/a/b/c", "/v1/devices/a/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        http_reply r = test_call(*state, "GET", paths[i], NULL);
        assert_json_error(&r, 404, "Not Found");
        http_reply_dispose(&r);
    }
}

static void test_method_not_allowed_json(void **state)
{
    http_reply r = test_call(*state, "DELETE", "/v1/devices/abc", NULL);
    assert_json_error(&r, 405, "Method Not Allowed");
    char *allow = http_reply_header(&r, "Allow");
    assert_non_null(allow);
    assert_non_null(strstr(allow, "GET"));
    assert_non_null(strstr(allow, "PUT"));
    free(allow);
    http_reply_dispose(&r);
    /* PUT matches the second pattern for that method */
    r = test_call(*state, "PUT", "/v1/devices/abc", NULL);
    assert_int_equal(r.status, 200);
    json_t *b = http_reply_json(&r);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "put");
    json_decref(b);
    http_reply_dispose(&r);
}

static void test_bad_escapes_rejected(void **state)
{
    http_reply r = test_call(*state, "GET", "/v1/devices/a%00b", NULL);
    assert_json_error(&r, 400, NULL);
    http_reply_dispose(&r);
    r = test_call(*state, "GET", "/v1/devices/a%zz", NULL);
    assert_json_error(&r, 400, NULL);
    http_reply_dispose(&r);
}

static void test_head_uses_get_route(void **state)
{
    http_reply r = test_call(*state, "HEAD", "/v1/devices/abc", NULL);
    assert_int_equal(r.curl_code, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    http_reply_dispose(&r);
}

static void test_preflight(void **state)
{
    const char *hdrs[] = {"Origin: http://example.com", "Access-Control-Request-Method: PUT",
                          "Access-Control-Request-Headers: authorization, content-type", NULL};
    http_reply r = test_call(*state, "OPTIONS", "/v1/devices/abc", hdrs);
    assert_int_equal(r.status, 204);
    char *methods = http_reply_header(&r, "Access-Control-Allow-Methods");
    char *headers = http_reply_header(&r, "Access-Control-Allow-Headers");
    char *origin = http_reply_header(&r, "Access-Control-Allow-Origin");
    assert_non_null(methods);
    assert_non_null(strstr(methods, "PUT"));
    assert_non_null(headers);
    assert_string_equal(headers, "authorization, content-type");
    assert_string_equal(origin, "http://example.com");
    char *vary = http_reply_header(&r, "Vary");
    assert_string_equal(vary, "Origin");
    free(vary);
    free(methods);
    free(headers);
    free(origin);
    http_reply_dispose(&r);
    /* a route for OPTIONS takes precedence */
    r = test_call(*state, "OPTIONS", "/custom", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "custom options");
    http_reply_dispose(&r);
}

static void noop_handler(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)res;
    (void)payload;
}

static void test_malformed_patterns(void **state)
{
    (void)state;
    httpd_server *srv = httpd_server_new(NULL);
    assert_int_equal(httpd_route_add(srv, "GET", "no-slash", 0, noop_handler, NULL), -1);
    assert_int_equal(httpd_route_add(srv, "GET", "/a/*rest/b", 0, noop_handler, NULL), -1);
    assert_int_equal(httpd_route_add(srv, "GET", "/a/:", 0, noop_handler, NULL), -1);
    assert_int_equal(httpd_route_add(srv, "get", "/a", 0, noop_handler, NULL), -1);
    assert_int_equal(httpd_route_add(srv, "GET", "/a/:id", 0, NULL, NULL), -1);
    assert_int_equal(httpd_route_add(srv, "GET", "/a/:id", 0, noop_handler, NULL), 0);
    httpd_server_free(srv);
}

static void test_handler_that_fills_nothing_gives_500(void **state)
{
    (void)state;
    test_server ts;
    httpd_server *srv = httpd_server_new(&(httpd_options){.threads = 1});
    assert_int_equal(httpd_route_add(srv, "GET", "/x", 0, noop_handler, NULL), 0);
    test_server_start(&ts, srv);
    http_reply r = test_call(&ts, "GET", "/x", NULL);
    assert_json_error(&r, 500, "Internal Server Error");
    http_reply_dispose(&r);
    httpd_server_free(srv);
}

static void test_ipv6_listen(void **state)
{
    (void)state;
    httpd_server *srv = httpd_server_new(&(httpd_options){.listen_addr = "::1", .threads = 1});
    assert_int_equal(httpd_route_add(srv, "GET", "/v1/devices/:id", 0, echo_route, "v6"), 0);
    char err[256];
    if (httpd_server_start(srv, err, sizeof(err)) != 0) {
        httpd_server_free(srv); /* no IPv6 loopback in this sandbox */
        skip();
    }
    char url[128];
    snprintf(url, sizeof(url), "http://[::1]:%u/v1/devices/x", httpd_server_port(srv));
    http_call call = {.url = url};
    http_reply r;
    http_perform(&call, &r);
    assert_int_equal(r.status, 200);
    json_t *b = http_reply_json(&r);
    assert_string_equal(json_string_value(json_object_get(b, "route")), "v6");
    json_decref(b);
    http_reply_dispose(&r);
    httpd_server_free(srv);
}

static void test_bad_listen_address(void **state)
{
    (void)state;
    httpd_server *srv = httpd_server_new(&(httpd_options){.listen_addr = "localhost"});
    char err[256] = "";
    assert_int_equal(httpd_server_start(srv, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "numeric"));
    assert_int_equal(httpd_server_port(srv), 0);
    httpd_server_free(srv);
}

/* Only a listed origin is echoed; any other (a prefix or suffix of one included) gets
 * nothing. */
static void test_cors_only_for_listed_origins(void **state)
{
    const char *listed[] = {"Origin: https://b.example", NULL};
    http_reply r = test_call(*state, "GET", "/v1/devices/abc", listed);
    assert_int_equal(r.status, 200);
    char *origin = http_reply_header(&r, "Access-Control-Allow-Origin");
    assert_string_equal(origin, "https://b.example");
    free(origin);
    http_reply_dispose(&r);
    const char *others[] = {"https://evil.example", "https://b.example.evil", "http://example.co",
                            "null"};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        char header[128];
        snprintf(header, sizeof(header), "Origin: %s", others[i]);
        const char *hdrs[] = {header, NULL};
        r = test_call(*state, "GET", "/v1/devices/abc", hdrs);
        assert_int_equal(r.status, 200);
        origin = http_reply_header(&r, "Access-Control-Allow-Origin");
        assert_null(origin);
        http_reply_dispose(&r);
    }
}

/* "*" allows every origin; the default allows none. */
static void test_cors_any_origin(void **state)
{
    (void)state;
    const char *hdrs[] = {"Origin: https://any.example", NULL};
    const char *settings[] = {"*", NULL};
    const char *expected[] = {"*", NULL};
    for (size_t i = 0; i < 2; i++) {
        test_server ts;
        httpd_options opts = {.threads = 1, .allowed_origins = settings[i]};
        httpd_server *srv = httpd_server_new(&opts);
        assert_int_equal(httpd_route_add(srv, "GET", "/", 0, echo_route, "root"), 0);
        test_server_start(&ts, srv);
        http_reply r = test_call(&ts, "GET", "/", hdrs);
        assert_int_equal(r.status, 200);
        char *origin = http_reply_header(&r, "Access-Control-Allow-Origin");
        if (expected[i])
            assert_string_equal(origin, expected[i]);
        else
            assert_null(origin);
        free(origin);
        http_reply_dispose(&r);
        httpd_server_free(srv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_params_decoded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_match_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rest_capture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_method_not_allowed_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_escapes_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_uses_get_route, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preflight, setup, teardown),
        cmocka_unit_test(test_malformed_patterns),
        cmocka_unit_test(test_handler_that_fills_nothing_gives_500),
        cmocka_unit_test_setup_teardown(test_cors_only_for_listed_origins, setup, teardown),
        cmocka_unit_test(test_cors_any_origin),
        cmocka_unit_test(test_ipv6_listen),
        cmocka_unit_test(test_bad_listen_address),
    };
    return cmocka_run_group_tests(tests, test_global_setup, test_global_teardown);
}
