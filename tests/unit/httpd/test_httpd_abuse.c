/*
 * Abuse: slow clients cannot lock the server out. With the default options /livez keeps
 * answering while 5,000 connections trickle incomplete requests (from several loopback
 * addresses: all of 127/8 reaches the loopback interface); the request deadline closes a
 * trickler that keeps the idle timeout at bay; the per-address and the total connection
 * limits turn extra connections away; a control character in a header gives 400.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd_test.h"
#include "pu_time.h"

#define TRICKLERS_WANTED 5000
#define TRICKLER_ADDRESSES 10 /* 500 each: under the default per-address limit */
#define LIVEZ_BOUND_MS 2000

static void livez(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}

static httpd_server *start_server(test_server *ts, const httpd_options *opts)
{
    httpd_server *srv = httpd_server_new(opts);
    assert_int_equal(httpd_route_add(srv, "GET", "/livez", 0, livez, NULL), 0);
    test_server_start(ts, srv);
    return srv;
}

/* Raises the soft open-file limit to the hard one; returns the soft limit now in force. */
static rlim_t raise_nofile(void)
{
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur != rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    return rl.rlim_cur;
}

/* A TCP connection from @p source (a loopback address) to the server; -1 on failure. */
static int connect_from(const char *source, unsigned short port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in from = {.sin_family = AF_INET};
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, source, &from.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0 ||
        connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_text(int fd, const char *text, size_t len)
{
    return send(fd, text, len, MSG_NOSIGNAL) == (ssize_t)len;
}

/* Waits up to @p timeout_ms for the server to close @p fd (or reset it); true if it did. */
static bool closed_by_server(int fd, int timeout_ms)
{
    int64_t until = pu_time_mono_ms() + timeout_ms;
    for (;;) {
        int64_t left = until - pu_time_mono_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return false;
        char buf[512];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return true;
        if (n < 0)
            return false;
    }
}

/* Reads what the server answers on @p fd (up to @p size - 1 bytes) within @p timeout_ms. */
static size_t read_answer(int fd, char *buf, size_t size, int timeout_ms)
{
    size_t got = 0;
    int64_t until = pu_time_mono_ms() + timeout_ms;
    while (got + 1 < size) {
        int64_t left = until - pu_time_mono_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t n = recv(fd, buf + got, size - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    buf[got] = '\0';
    return got;
}

/* GET /livez from 127.0.0.1; returns the time it took, or -1 when it did not answer 200. */
static int64_t timed_livez(const test_server *ts, long timeout_ms)
{
    char url[128];
    http_call call = {.url = test_url(ts, "/livez", url, sizeof(url)), .timeout_ms = timeout_ms};
    http_reply reply;
    int64_t start = pu_time_mono_ms();
    http_perform(&call, &reply);
    int64_t took = pu_time_mono_ms() - start;
    long status = reply.status;
    http_reply_dispose(&reply);
    return status == 200 ? took : -1;
}

static void test_livez_answers_beside_5000_tricklers(void **state)
{
    (void)state;
    rlim_t nofile = raise_nofile();
    /* each trickler costs two descriptors here (client and server side) */
    size_t count = TRICKLERS_WANTED;
    if ((rlim_t)count * 2 + 512 > nofile) {
        count = nofile > 1024 ? (size_t)(nofile - 512) / 2 : 256;
        print_message("open-file hard limit %llu: %zu tricklers instead of %d\n",
                      (unsigned long long)nofile, count, TRICKLERS_WANTED);
    }
    test_server ts;
    httpd_options opts = {.threads = 2}; /* every limit at its default */
    httpd_server *srv = start_server(&ts, &opts);
    int *fds = calloc(count, sizeof(*fds));
    assert_non_null(fds);
    for (size_t i = 0; i < count; i++) {
        char source[32];
        snprintf(source, sizeof(source), "127.0.1.%zu", 1 + i % TRICKLER_ADDRESSES);
        fds[i] = connect_from(source, ts.port);
        assert_true(fds[i] >= 0);
        static const char start[] = "GET /livez HTTP/1.1\r\nHost: x\r\n";
        assert_true(send_text(fds[i], start, sizeof(start) - 1));
    }
    int64_t worst = 0;
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < count; i++)
            assert_true(send_text(fds[i], "X-Slow: 1\r\n", 11));
        int64_t took = timed_livez(&ts, 10000);
        assert_true(took >= 0);
        if (took > worst)
            worst = took;
    }
    print_message("%zu tricklers open: /livez answered within %lld ms (bound %d ms)\n", count,
                  (long long)worst, LIVEZ_BOUND_MS);
    assert_true(worst < LIVEZ_BOUND_MS);
    /* the server held every trickler: none was turned away */
    size_t open = 0;
    for (size_t i = 0; i < count; i++) {
        char c;
        ssize_t n = recv(fds[i], &c, 1, MSG_DONTWAIT);
        open += n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    assert_int_equal(open, count);
    for (size_t i = 0; i < count; i++)
        close(fds[i]);
    free(fds);
    httpd_server_free(srv);
}

/* A client that sends a byte every 200 ms never trips the idle timeout; the deadline ends
 * it. A silent connection ends too, and a quick request is still answered. */
static void test_request_deadline_closes_tricklers(void **state)
{
    (void)state;
    test_server ts;
    httpd_options opts = {.threads = 1, .request_deadline_s = 1, .connection_timeout_s = 60};
    httpd_server *srv = start_server(&ts, &opts);
    int trickler = connect_from("127.0.0.1", ts.port);
    int silent = connect_from("127.0.0.1", ts.port);
    assert_true(trickler >= 0 && silent >= 0);
    int64_t start = pu_time_mono_ms();
    static const char request[] =
        "GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaa";
    bool cut = false;
    for (size_t i = 0; i < sizeof(request) - 1 && !cut; i++) {
        if (!send_text(trickler, request + i, 1))
            break;
        cut = closed_by_server(trickler, 200);
    }
    int64_t took = pu_time_mono_ms() - start;
    assert_true(cut || closed_by_server(trickler, 1000));
    assert_true(took < 3000);
    assert_true(closed_by_server(silent, 2000));
    assert_true(timed_livez(&ts, 5000) >= 0);
    close(trickler);
    close(silent);
    httpd_server_free(srv);
}

/* The deadline is per request: a keep-alive connection whose requests arrive quickly lives
 * longer than one deadline. */
static void test_deadline_restarts_for_each_request(void **state)
{
    (void)state;
    test_server ts;
    httpd_options opts = {.threads = 1, .request_deadline_s = 1};
    httpd_server *srv = start_server(&ts, &opts);
    int fd = connect_from("127.0.0.1", ts.port);
    assert_true(fd >= 0);
    static const char request[] = "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int i = 0; i < 4; i++) {
        assert_true(send_text(fd, request, sizeof(request) - 1));
        char answer[1024];
        assert_true(read_answer(fd, answer, sizeof(answer), 2000) > 0);
        assert_non_null(strstr(answer, "HTTP/1.1 200"));
        pu_time_sleep_ms(600);
    }
    close(fd);
    httpd_server_free(srv);
}

static void test_per_address_limit(void **state)
{
    (void)state;
    test_server ts;
    httpd_options opts = {.threads = 1, .per_ip_connection_limit = 4};
    httpd_server *srv = start_server(&ts, &opts);
    int held[4];
    for (int i = 0; i < 4; i++) {
        held[i] = connect_from("127.0.2.1", ts.port);
        assert_true(held[i] >= 0);
        assert_true(send_text(held[i], "GET", 3));
    }
    int extra = connect_from("127.0.2.1", ts.port);
    assert_true(extra >= 0);
    assert_true(closed_by_server(extra, 2000)); /* the fifth from that address */
    assert_false(closed_by_server(held[0], 100));
    assert_true(timed_livez(&ts, 5000) >= 0); /* another address is served */
    close(extra);
    for (int i = 0; i < 4; i++)
        close(held[i]);
    httpd_server_free(srv);
}

/* Beyond the total limit a connection is closed at once (and logged); once slots free up,
 * requests are served again. */
static void test_total_limit(void **state)
{
    (void)state;
    test_server ts;
    httpd_options opts = {.threads = 2, .connection_limit = 8};
    httpd_server *srv = start_server(&ts, &opts);
    int held[8];
    for (int i = 0; i < 8; i++) {
        char source[32];
        snprintf(source, sizeof(source), "127.0.3.%d", i + 1);
        held[i] = connect_from(source, ts.port);
        assert_true(held[i] >= 0);
        assert_true(send_text(held[i], "GET", 3));
    }
    pu_time_sleep_ms(200); /* let the server accept them */
    int extra = connect_from("127.0.4.1", ts.port);
    assert_true(extra >= 0);
    static const char request[] = "GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    send_text(extra, request, sizeof(request) - 1);
    assert_true(closed_by_server(extra, 2000));
    close(extra);
    for (int i = 0; i < 8; i++)
        close(held[i]);
    int64_t until = pu_time_mono_ms() + 5000;
    while (timed_livez(&ts, 1000) < 0 && pu_time_mono_ms() < until)
        pu_time_sleep_ms(50);
    assert_true(timed_livez(&ts, 5000) >= 0);
    httpd_server_free(srv);
}

/* A NUL (or another control character) inside a header value is refused, not cut short. */
static void test_control_character_in_header(void **state)
{
    (void)state;
    test_server ts;
    httpd_options opts = {.threads = 1};
    httpd_server *srv = start_server(&ts, &opts);
    static const char nul[] = "GET /livez HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ab\0cd\r\n"
                              "Connection: close\r\n\r\n";
    static const char ctl[] = "GET /livez HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ab\x01"
                              "cd\r\nConnection: close\r\n\r\n";
    const struct {
        const char *text;
        size_t len;
    } cases[] = {{nul, sizeof(nul) - 1}, {ctl, sizeof(ctl) - 1}};
    for (size_t i = 0; i < 2; i++) {
        int fd = connect_from("127.0.0.1", ts.port);
        assert_true(fd >= 0);
        assert_true(send_text(fd, cases[i].text, cases[i].len));
        char answer[2048];
        assert_true(read_answer(fd, answer, sizeof(answer), 2000) > 0);
        assert_non_null(strstr(answer, "HTTP/1.1 400"));
        close(fd);
    }
    static const char tab[] = "GET /livez HTTP/1.1\r\nHost: x\r\nX-Note: a\tb\r\n"
                              "Connection: close\r\n\r\n";
    int fd = connect_from("127.0.0.1", ts.port);
    assert_true(send_text(fd, tab, sizeof(tab) - 1));
    char answer[2048];
    assert_true(read_answer(fd, answer, sizeof(answer), 2000) > 0);
    assert_non_null(strstr(answer, "HTTP/1.1 200"));
    close(fd);
    httpd_server_free(srv);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_livez_answers_beside_5000_tricklers),
        cmocka_unit_test(test_request_deadline_closes_tricklers),
        cmocka_unit_test(test_deadline_restarts_for_each_request),
        cmocka_unit_test(test_per_address_limit),
        cmocka_unit_test(test_total_limit),
        cmocka_unit_test(test_control_character_in_header),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
