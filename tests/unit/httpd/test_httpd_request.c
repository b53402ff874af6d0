/* Requests and responses: query, headers, bodies and their caps, the before hook,
 * text/empty responses and delayed responses. */
#include <pthread.h>
#include <stdatomic.h>

#include "httpd_test.h"
#include "pu_time.h"

static atomic_int user_frees;
static atomic_uint hook_flags_seen;

static void echo(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    json_t *body =
        json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:O, s:s?}", "method",
                  httpd_request_method(req), "path", httpd_request_path(req), "query_a",
                  httpd_request_query(req, "a"), "query_flag", httpd_request_query(req, "flag"),
                  "query_missing", httpd_request_query(req, "missing"), "header",
                  httpd_request_header(req, "x-test"), "ip", httpd_request_client_ip(req), "ct",
                  httpd_request_content_type(req), "body", httpd_request_body(req), "arg_n",
                  httpd_request_arg(req, "n"));
    httpd_response_json(res, 200, body);
}

static void text(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_header(res, "X-Extra", "yes");
    httpd_response_header(res, "X-Bad", "evil\r\nInjected: 1"); /* dropped */
    httpd_response_text(res, 201, "text/csv", "a,b\n1,2\n", 8);
}

static void empty(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_empty(res, 204);
}

static void delayed(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    const char *ms = httpd_request_query(req, "ms");
    httpd_response_json(res, 200, json_pack("{s:b}", "delayed", 1));
    httpd_response_delay(res, ms ? (unsigned int)strtoul(ms, NULL, 10) : 300);
}

static void whoami(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    const char *user = httpd_request_user(req);
    httpd_response_json(res, 200, json_pack("{s:s?}", "user", user));
}

/* Collects the query pairs; stops at a parameter named "stop". */
static bool add_pair(const char *name, const char *value, void *payload)
{
    json_array_append_new(payload, json_pack("[s, s]", name, value));
    return strcmp(name, "stop") != 0;
}

static void pairs(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    json_t *list = json_array();
    bool all = httpd_request_query_each(req, add_pair, list);
    httpd_response_json(res, 200, json_pack("{s:o, s:b}", "pairs", list, "all", all));
}

static void counted_free(void *p)
{
    atomic_fetch_add(&user_frees, 1);
    free(p);
}

static bool auth_hook(const httpd_request *req, httpd_response *res, unsigned int flags,
                      void *payload)
{
    assert_string_equal(payload, "hook-payload");
    atomic_fetch_or(&hook_flags_seen, flags | 0x100u);
    if (flags & HTTPD_ROUTE_PUBLIC)
        return true;
    const char *auth = httpd_request_header(req, "Authorization");
    if (!auth || strcmp(auth, "Bearer good") != 0) {
        httpd_response_json(res, 401,
                            json_pack("{s:s, s:s}", "error", "invalid_token", "error_description",
                                      "The access token provided is invalid."));
        return false;
    }
    httpd_request_set_user(req, strdup("alice"), counted_free);
    return true;
}

static int setup_threads(void **state, unsigned int threads)
{
    test_server *ts = calloc(1, sizeof(*ts));
    httpd_options opts = {.threads = threads,
                          .max_body_bytes = 1024,
                          .before = auth_hook,
                          .before_payload = "hook-payload"};
    httpd_server *srv = httpd_server_new(&opts);
    assert_int_equal(httpd_route_add(srv, "GET", "/echo", HTTPD_ROUTE_PUBLIC, echo, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "POST", "/echo", HTTPD_ROUTE_PUBLIC, echo, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/text", HTTPD_ROUTE_PUBLIC, text, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/empty", HTTPD_ROUTE_PUBLIC, empty, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/delay", HTTPD_ROUTE_PUBLIC, delayed, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/private", 0, whoami, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "GET", "/pairs/:id", HTTPD_ROUTE_PUBLIC, pairs, NULL), 0);
    test_server_start(ts, srv);
    atomic_store(&user_frees, 0);
    atomic_store(&hook_flags_seen, 0);
    *state = ts;
    return 0;
}

static int setup(void **state)
{
    return setup_threads(state, 2);
}

/* One worker thread: a delayed response must not hold it. */
static int setup_single(void **state)
{
    return setup_threads(state, 1);
}

static int teardown(void **state)
{
    test_server *ts = *state;
    httpd_server_free(ts->srv);
    free(ts);
    return 0;
}

static json_t *post(test_server *ts, const char *path, const char *ctype, const char *body,
                    size_t len, bool chunked, long *status)
{
    char url[256], hdr[128];
    snprintf(hdr, sizeof(hdr), "Content-Type: %s", ctype);
    const char *headers[] = {hdr, NULL};
    http_call call = {.url = test_url(ts, path, url, sizeof(url)),
                      .headers = headers,
                      .body = body,
                      .body_len = len,
                      .chunked = chunked};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    *status = r.status;
    json_t *json = http_reply_json(&r);
    assert_non_null(json);
    http_reply_dispose(&r);
    return json;
}

static const char *field(json_t *obj, const char *name)
{
    return json_string_value(json_object_get(obj, name));
}

static void test_query_headers_ip(void **state)
{
    const char *hdrs[] = {"X-Test: hello there", NULL};
    http_reply r = test_call(*state, "GET", "/echo?a=x%20y+z&flag&b=2", hdrs);
    assert_int_equal(r.status, 200);
    json_t *b = http_reply_json(&r);
    assert_string_equal(field(b, "method"), "GET");
    assert_string_equal(field(b, "path"), "/echo");
    assert_string_equal(field(b, "query_a"), "x y z");
    assert_string_equal(field(b, "query_flag"), "");
    assert_true(json_is_null(json_object_get(b, "query_missing")));
    assert_string_equal(field(b, "header"), "hello there");
    assert_string_equal(field(b, "ip"), "127.0.0.1");
    assert_int_equal(json_object_size(json_object_get(b, "body")), 0);
    json_decref(b);
    http_reply_dispose(&r);
}

static void test_query_pairs_in_order(void **state)
{
    http_reply r = test_call(*state, "GET", "/pairs/1?a=1&a=2&flag&e=%26&stop=x&after=y", NULL);
    assert_int_equal(r.status, 200);
    json_t *b = http_reply_json(&r);
    char *got = json_dumps(json_object_get(b, "pairs"), JSON_COMPACT);
    assert_string_equal(got, "[[\"a\",\"1\"],[\"a\",\"2\"],[\"flag\",\"\"],[\"e\",\"&\"],"
                             "[\"stop\",\"x\"]]");
    assert_true(json_is_false(json_object_get(b, "all")));
    free(got);
    json_decref(b);
    http_reply_dispose(&r);
}

typedef struct route_seen {
    int count;
    char last[64];
} route_seen;

static void note_route(const char *method, const char *pattern, unsigned int flags, void *payload)
{
    route_seen *seen = payload;
    seen->count++;
    snprintf(seen->last, sizeof seen->last, "%s %s %u", method, pattern, flags);
}

static void test_route_each(void **state)
{
    test_server *ts = *state;
    route_seen seen = {0, ""};
    httpd_server_route_each(ts->srv, note_route, &seen);
    assert_int_equal(seen.count, 7);
    char expect[64];
    snprintf(expect, sizeof expect, "GET /pairs/:id %u", (unsigned int)HTTPD_ROUTE_PUBLIC);
    assert_string_equal(seen.last, expect);
}

static void test_json_body_and_args(void **state)
{
    long status;
    const char *body = "{\"k\":\"v\",\"n\":5,\"nested\":{\"x\":[1,2]}}";
    json_t *b = post(*state, "/echo", "application/json; charset=utf-8", body, strlen(body), false,
                     &status);
    assert_int_equal(status, 200);
    json_t *echoed = json_object_get(b, "body");
    assert_string_equal(field(echoed, "k"), "v");
    assert_int_equal(json_integer_value(json_object_get(echoed, "n")), 5);
    assert_int_equal(json_array_size(json_object_get(json_object_get(echoed, "nested"), "x")), 2);
    assert_string_equal(field(b, "arg_n"), "5"); /* numbers come back as JSON text */
    json_decref(b);
    /* arg falls back to the query string */
    b = post(*state, "/echo?n=7", "application/json", "{}", 2, false, &status);
    assert_string_equal(field(b, "arg_n"), "7");
    json_decref(b);
}

static void test_form_body(void **state)
{
    long status;
    const char *form = "a=1&b=x+y%21&c[]=1&c[]=two%20words&a=3&empty&n=%E2%82%AC";
    json_t *b = post(*state, "/echo", "application/x-www-form-urlencoded", form, strlen(form),
                     false, &status);
    assert_int_equal(status, 200);
    json_t *echoed = json_object_get(b, "body");
    assert_string_equal(field(echoed, "a"), "3"); /* last wins */
    assert_string_equal(field(echoed, "b"), "x y!");
    assert_string_equal(field(echoed, "empty"), "");
    json_t *c = json_object_get(echoed, "c");
    assert_int_equal(json_array_size(c), 2);
    assert_string_equal(json_string_value(json_array_get(c, 0)), "1");
    assert_string_equal(json_string_value(json_array_get(c, 1)), "two words");
    assert_string_equal(field(b, "arg_n"), "\xE2\x82\xAC");
    json_decref(b);
    /* an encoded NUL and invalid UTF-8 are refused */
    b = post(*state, "/echo", "application/x-www-form-urlencoded", "a=%00", 5, false, &status);
    assert_int_equal(status, 400);
    json_decref(b);
    b = post(*state, "/echo", "application/x-www-form-urlencoded", "a=%FF", 5, false, &status);
    assert_int_equal(status, 400);
    assert_non_null(strstr(field(b, "error"), "UTF-8"));
    json_decref(b);
}

static void test_multipart_body(void **state)
{
    long status;
    static const char body[] =
        "--B0undary\r\n"
        "Content-Disposition: form-data; name=\"n\"\r\n\r\n"
        "42\r\n"
        "--B0undary\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"ids.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "line one\nline two\n\r\n"
        "--B0undary\r\n"
        "Content-Disposition: form-data; name=\"tags[]\"\r\n\r\n"
        "a\r\n"
        "--B0undary\r\n"
        "Content-Disposition: form-data; name=\"tags[]\"\r\n\r\n"
        "b\r\n"
        "--B0undary\r\n"
        "Content-Disposition: form-data; name=\"bin\"; filename=\"x.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
        "\xff\xfe\r\n"
        "--B0undary--\r\n";
    json_t *b = post(*state, "/echo", "multipart/form-data; boundary=B0undary", body,
                     sizeof(body) - 1, false, &status);
    assert_int_equal(status, 200);
    json_t *echoed = json_object_get(b, "body");
    assert_string_equal(field(echoed, "n"), "42");
    assert_string_equal(field(b, "arg_n"), "42");
    assert_string_equal(field(echoed, "file"), "line one\nline two\n"); /* a file's content */
    json_t *tags = json_object_get(echoed, "tags");
    assert_int_equal(json_array_size(tags), 2);
    assert_string_equal(json_string_value(json_array_get(tags, 1)), "b");
    assert_null(json_object_get(echoed, "bin")); /* not text: left out */
    json_decref(b);
    /* a chunked upload is parsed the same way */
    b = post(*state, "/echo", "multipart/form-data; boundary=B0undary", body, sizeof(body) - 1,
             true, &status);
    assert_int_equal(status, 200);
    assert_string_equal(field(json_object_get(b, "body"), "n"), "42");
    json_decref(b);
    /* no boundary: MHD cannot parse it */
    b = post(*state, "/echo", "multipart/form-data", body, sizeof(body) - 1, false, &status);
    assert_int_equal(status, 400);
    assert_string_equal(field(b, "error"), "Malformed multipart/form-data body");
    json_decref(b);
}

static void test_bad_json_bodies(void **state)
{
    long status;
    json_t *b = post(*state, "/echo", "application/json", "{\"a\":", 5, false, &status);
    assert_int_equal(status, 400);
    assert_true(json_is_false(json_object_get(b, "ok")));
    assert_non_null(strstr(field(b, "error"), "Invalid JSON"));
    json_decref(b);
    b = post(*state, "/echo", "application/json", "[1,2]", 5, false, &status);
    assert_int_equal(status, 400);
    assert_string_equal(field(b, "error"), "JSON body must be an object");
    json_decref(b);
    b = post(*state, "/echo", "application/json", "\"str\"", 5, false, &status);
    assert_int_equal(status, 400);
    json_decref(b);
    /* other content types are not parsed */
    b = post(*state, "/echo", "text/plain", "[1,2]", 5, false, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_object_size(json_object_get(b, "body")), 0);
    json_decref(b);
}

static char *json_body_of_size(size_t size)
{
    /* {"k":"xxxx...."} of exactly @p size bytes */
    char *body = malloc(size + 1);
    memset(body, 'x', size);
    memcpy(body, "{\"k\":\"", 6);
    memcpy(body + size - 2, "\"}", 2);
    body[size] = '\0';
    return body;
}

static void test_body_cap(void **state)
{
    long status;
    char *body = json_body_of_size(1024); /* exactly the cap */
    json_t *b = post(*state, "/echo", "application/json", body, 1024, false, &status);
    assert_int_equal(status, 200);
    assert_int_equal(strlen(field(json_object_get(b, "body"), "k")), 1024 - 8);
    json_decref(b);
    free(body);

    size_t big = 64 * 1024;
    body = json_body_of_size(big);
    b = post(*state, "/echo", "application/json", body, big, false, &status);
    assert_int_equal(status, 413);
    assert_string_equal(field(b, "error"), "Payload Too Large");
    json_decref(b);
    /* chunked: no Content-Length to check up front */
    b = post(*state, "/echo", "application/json", body, big, true, &status);
    assert_int_equal(status, 413);
    assert_true(json_is_false(json_object_get(b, "ok")));
    json_decref(b);
    free(body);
    /* a small chunked body is read normally */
    b = post(*state, "/echo", "application/json", "{\"n\":1}", 7, true, &status);
    assert_int_equal(status, 200);
    assert_string_equal(field(b, "arg_n"), "1");
    json_decref(b);
}

static void test_before_hook(void **state)
{
    http_reply r = test_call(*state, "GET", "/private", NULL);
    assert_int_equal(r.status, 401);
    json_t *b = http_reply_json(&r);
    assert_string_equal(field(b, "error"), "invalid_token");
    json_decref(b);
    http_reply_dispose(&r);
    assert_int_equal(atomic_load(&user_frees), 0);

    const char *hdrs[] = {"Authorization: Bearer good", NULL};
    r = test_call(*state, "GET", "/private", hdrs);
    assert_int_equal(r.status, 200);
    b = http_reply_json(&r);
    assert_string_equal(field(b, "user"), "alice");
    json_decref(b);
    http_reply_dispose(&r);
    /* the user pointer is freed when the request ends (NOTIFY_COMPLETED) */
    for (int i = 0; i < 100 && atomic_load(&user_frees) == 0; i++)
        pu_time_sleep_ms(10);
    assert_int_equal(atomic_load(&user_frees), 1);

    r = test_call(*state, "GET", "/echo", NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    assert_true(atomic_load(&hook_flags_seen) & HTTPD_ROUTE_PUBLIC);
}

static void test_text_and_empty(void **state)
{
    http_reply r = test_call(*state, "GET", "/text", NULL);
    assert_int_equal(r.status, 201);
    assert_string_equal(r.body, "a,b\n1,2\n");
    char *ct = http_reply_header(&r, "Content-Type");
    char *extra = http_reply_header(&r, "X-Extra");
    char *bad = http_reply_header(&r, "X-Bad");
    char *injected = http_reply_header(&r, "Injected");
    assert_string_equal(ct, "text/csv");
    assert_string_equal(extra, "yes");
    assert_null(bad);
    assert_null(injected);
    free(ct);
    free(extra);
    http_reply_dispose(&r);

    r = test_call(*state, "GET", "/empty", NULL);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.body_len, 0);
    char *cors = http_reply_header(&r, "Access-Control-Allow-Origin");
    assert_null(cors); /* no allowed origins by default */
    http_reply_dispose(&r);
}

typedef struct timed_call {
    test_server *ts;
    const char *path;
    long status;
    int curl_code;
    int64_t end_ms;
} timed_call;

static void *timed_call_main(void *arg)
{
    timed_call *tc = arg;
    http_reply r = test_call(tc->ts, "GET", tc->path, NULL);
    tc->status = r.status;
    tc->curl_code = r.curl_code;
    tc->end_ms = pu_time_mono_ms();
    http_reply_dispose(&r);
    return NULL;
}

static void test_delayed_response_frees_the_worker(void **state)
{
    test_server *ts = *state;
    int64_t start = pu_time_mono_ms();
    timed_call slow = {.ts = ts, .path = "/delay?ms=400"};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, timed_call_main, &slow), 0);
    pu_time_sleep_ms(50); /* let the delayed request reach the server */
    /* the single worker thread must serve these while the delayed response waits */
    for (int i = 0; i < 3; i++) {
        http_reply r = test_call(ts, "GET", "/echo", NULL);
        assert_int_equal(r.status, 200);
        http_reply_dispose(&r);
    }
    int64_t quick_done = pu_time_mono_ms();
    pthread_join(t, NULL);
    assert_int_equal(slow.curl_code, 0);
    assert_int_equal(slow.status, 200);
    assert_true(slow.end_ms - start >= 400);
    assert_true(quick_done < slow.end_ms);
}

static void test_stop_with_pending_delay(void **state)
{
    test_server *ts = *state;
    timed_call slow = {.ts = ts, .path = "/delay?ms=20000"};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, timed_call_main, &slow), 0);
    pu_time_sleep_ms(150);
    int64_t start = pu_time_mono_ms();
    httpd_server_stop(ts->srv);
    int64_t stopped = pu_time_mono_ms();
    pthread_join(t, NULL);
    assert_true(stopped - start < 3000);
    assert_true(slow.end_ms - start < 5000); /* the client was not left waiting 20 s */
    httpd_server_stop(ts->srv);              /* twice is fine */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_query_headers_ip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_pairs_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_each, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_body_and_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multipart_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_json_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_before_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delayed_response_frees_the_worker, setup_single,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stop_with_pending_delay, setup, teardown),
    };
    return cmocka_run_group_tests(tests, test_global_setup, test_global_teardown);
}
