/*
 * httpd_response_json_take: a handler hands over pre-rendered JSON bytes. The client gets
 * exactly the first len bytes (not up to the NUL), the JSON content type and CORS header,
 * the handler's status; a taken body that is then replaced is freed (LeakSanitizer), and a
 * NULL or empty body is a JSON 500.
 */
#include <stdlib.h>
#include <string.h>

#include "httpd_test.h"

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void h_prerendered(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    /* Only the first 20 bytes are the body: the rest proves len is honoured. */
    char *text = dup_text("[{\"id\":\"a\",\"n\":1.5}]TRAILING-GARBAGE");
    httpd_response_json_take(res, 201, text, 20);
}

static void h_replaced(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json_take(res, 200, dup_text("{\"first\":true}"), 14);
    httpd_response_error(res, 409, "second wins");
}

static void h_null(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json_take(res, 200, NULL, 10);
}

static void h_empty(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json_take(res, 200, dup_text("{}"), 0);
}

static int setup(void **state)
{
    test_server *ts = calloc(1, sizeof(*ts));
    httpd_options opts = {0};
    httpd_server *srv = httpd_server_new(&opts);
    assert_int_equal(httpd_route_add(srv, "GET", "/pre", 0, h_prerendered, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/replaced", 0, h_replaced, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/null", 0, h_null, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/empty", 0, h_empty, NULL), 0);
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

static void test_bytes_sent_as_given(void **state)
{
    http_reply r = test_call(*state, "GET", "/pre", NULL);
    assert_int_equal(r.status, 201);
    assert_int_equal(r.body_len, 20);
    assert_string_equal(r.body, "[{\"id\":\"a\",\"n\":1.5}]");
    char *ct = http_reply_header(&r, "Content-Type");
    char *cors = http_reply_header(&r, "Access-Control-Allow-Origin");
    assert_string_equal(ct, "application/json; charset=utf-8");
    assert_null(cors); /* no allowed origins by default */
    free(ct);
    free(cors);
    http_reply_dispose(&r);

    /* HEAD gets the headers and no body */
    r = test_call(*state, "HEAD", "/pre", NULL);
    assert_int_equal(r.status, 201);
    assert_int_equal(r.body_len, 0);
    http_reply_dispose(&r);
}

static void test_replaced_body_is_freed(void **state)
{
    http_reply r = test_call(*state, "GET", "/replaced", NULL);
    assert_json_error(&r, 409, "second wins");
    http_reply_dispose(&r);
}

static void test_null_or_empty_is_500(void **state)
{
    http_reply r = test_call(*state, "GET", "/null", NULL);
    assert_json_error(&r, 500, NULL);
    http_reply_dispose(&r);
    r = test_call(*state, "GET", "/empty", NULL);
    assert_json_error(&r, 500, NULL);
    http_reply_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bytes_sent_as_given, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced_body_is_freed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_or_empty_is_500, setup, teardown),
    };
    return cmocka_run_group_tests(tests, test_global_setup, test_global_teardown);
}
