/* Hostile and broken clients on raw sockets: the server answers an error or closes the
 * connection, and keeps serving the next good request. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd_test.h"
#include "pu_time.h"

static void ok_route(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}

static int setup(void **state)
{
    test_server *ts = calloc(1, sizeof(*ts));
    httpd_server *srv = httpd_server_new(&(httpd_options){.threads = 2, .max_body_bytes = 4096});
    assert_int_equal(httpd_route_add(srv, "GET", "/ok", 0, ok_route, NULL), 0);
    assert_int_equal(httpd_route_add(srv, "POST", "/ok", 0, ok_route, NULL), 0);
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

static int raw_connect(unsigned short port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* Sends @p len bytes (ignoring a server that closes early) and reads the answer until EOF
 * or @p timeout_ms. Returns the malloc'd answer (possibly ""). */
static char *raw_exchange(unsigned short port, const char *data, size_t len, long timeout_ms)
{
    int fd = raw_connect(port);
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    size_t cap = 4096, got = 0;
    char *buf = malloc(cap);
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    while (pu_time_mono_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        if (got + 1024 > cap)
            buf = realloc(buf, cap *= 2);
        ssize_t n = recv(fd, buf + got, cap - got - 1, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    return buf;
}

/* The next well-formed request still works. */
static void assert_still_serving(test_server *ts)
{
    http_reply r = test_call(ts, "GET", "/ok", NULL);
    assert_int_equal(r.curl_code, 0);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

/* The answer is empty (closed) or an HTTP error status (4xx/5xx). */
static void assert_error_or_closed(const char *answer)
{
    if (!*answer)
        return;
    assert_true(strncmp(answer, "HTTP/1.", 7) == 0);
    assert_true(answer[9] == '4' || answer[9] == '5');
}

static void test_garbage(void **state)
{
    test_server *ts = *state;
    const char garbage[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n";
    char *answer = raw_exchange(ts->port, garbage, sizeof(garbage) - 1, 3000);
    assert_error_or_closed(answer);
    free(answer);
    const char *bad[] = {
        "GET\r\n\r\n",
        "GET /ok HTTP/9.9\r\n\r\n",
        "GET http://example.com/ok HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /ok%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        answer = raw_exchange(ts->port, bad[i], strlen(bad[i]), 3000);
        assert_error_or_closed(answer);
        free(answer);
        assert_still_serving(ts);
    }
    assert_still_serving(ts);
}

static void test_huge_url(void **state)
{
    test_server *ts = *state;
    size_t n = 100 * 1024;
    char *req = malloc(n + 64);
    memcpy(req, "GET /", 5);
    memset(req + 5, 'a', n);
    size_t len = 5 + n;
    memcpy(req + len, " HTTP/1.1\r\nHost: x\r\n\r\n", 22);
    len += 22;
    char *answer = raw_exchange(ts->port, req, len, 5000);
    assert_error_or_closed(answer);
    free(answer);
    free(req);
    assert_still_serving(ts);
}

static void test_huge_header(void **state)
{
    test_server *ts = *state;
    size_t n = 100 * 1024;
    char *req = malloc(n + 128);
    size_t len = (size_t)snprintf(req, 128, "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + len, 'b', n);
    len += n;
    memcpy(req + len, "\r\n\r\n", 4);
    len += 4;
    char *answer = raw_exchange(ts->port, req, len, 5000);
    assert_error_or_closed(answer);
    free(answer);
    /* and many small headers */
    len = (size_t)snprintf(req, 128, "GET /ok HTTP/1.1\r\nHost: x\r\n");
    while (len + 32 < n)
        len += (size_t)snprintf(req + len, 32, "X-H%zu: v\r\n", len);
    memcpy(req + len, "\r\n", 2);
    len += 2;
    answer = raw_exchange(ts->port, req, len, 5000);
    assert_error_or_closed(answer);
    free(answer);
    free(req);
    assert_still_serving(ts);
}

static void test_half_requests(void **state)
{
    test_server *ts = *state;
    const char *halves[] = {
        "GET /o",
        "GET /ok HTTP/1.1\r\nHost: x\r\n",
        "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":",
        "POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
    };
    for (size_t i = 0; i < sizeof(halves) / sizeof(halves[0]); i++) {
        int fd = raw_connect(ts->port);
        assert_true(send(fd, halves[i], strlen(halves[i]), MSG_NOSIGNAL) > 0);
        pu_time_sleep_ms(20);
        close(fd);
    }
    /* a connection that sends half a request and then just waits does not block others */
    int idle = raw_connect(ts->port);
    assert_true(send(idle, "GET /ok HTTP/1.1\r\n", 18, MSG_NOSIGNAL) > 0);
    assert_still_serving(ts);
    close(idle);
    assert_still_serving(ts);
}

static void test_keepalive_connection_reuse(void **state)
{
    test_server *ts = *state;
    /* two pipelined requests on one connection both get answers */
    const char *two = "GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n"
                      "Connection: close\r\n\r\n";
    char *answer = raw_exchange(ts->port, two, strlen(two), 3000);
    assert_non_null(strstr(answer, "HTTP/1.1 200"));
    assert_non_null(strstr(answer, "HTTP/1.1 404"));
    assert_non_null(strstr(answer, "{\"ok\":false,\"error\":\"Not Found\"}"));
    free(answer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_half_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_connection_reuse, setup, teardown),
    };
    return cmocka_run_group_tests(tests, test_global_setup, test_global_teardown);
}
