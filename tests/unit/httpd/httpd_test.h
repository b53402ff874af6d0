/* Shared fixture for the httpd tests: a server on 127.0.0.1 port 0 and URL helpers. */
#ifndef HTTPD_TEST_H
#define HTTPD_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "http_client.h"
#include "httpd.h"

typedef struct test_server {
    httpd_server *srv;
    unsigned short port;
    char base[64];
} test_server;

/* Starts @p srv (routes already added) and fills @p ts. */
static inline void test_server_start(test_server *ts, httpd_server *srv)
{
    char err[256] = "";
    ts->srv = srv;
    assert_int_equal(httpd_server_start(srv, err, sizeof(err)), 0);
    ts->port = httpd_server_port(srv);
    assert_true(ts->port != 0);
    http_url(ts->base, sizeof(ts->base), ts->port, "");
}

static inline char *test_url(const test_server *ts, const char *path, char *buf, size_t size)
{
    return http_url(buf, size, ts->port, path);
}

/* GET/other request without body; returns the reply (dispose it). */
static inline http_reply test_call(const test_server *ts, const char *method, const char *path,
                                   const char *const *headers)
{
    char url[4096];
    http_call call = {
        .method = method, .url = test_url(ts, path, url, sizeof(url)), .headers = headers};
    http_reply reply;
    http_perform(&call, &reply);
    return reply;
}

/* Asserts that @p reply is a JSON error {"ok":false,"error":...} with @p status. */
static inline void assert_json_error(const http_reply *reply, long status, const char *message)
{
    assert_int_equal(reply->status, status);
    char *ct = http_reply_header(reply, "Content-Type");
    assert_non_null(ct);
    assert_string_equal(ct, "application/json; charset=utf-8");
    free(ct);
    json_t *body = http_reply_json(reply);
    assert_non_null(body);
    assert_true(json_is_false(json_object_get(body, "ok")));
    const char *error = json_string_value(json_object_get(body, "error"));
    assert_non_null(error);
    if (message)
        assert_string_equal(error, message);
    json_decref(body);
}

static inline int test_global_setup(void **state)
{
    (void)state;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static inline int test_global_teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

#endif
