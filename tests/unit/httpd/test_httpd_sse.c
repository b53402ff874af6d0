/* Server-Sent Events: framing, filters, replay, keep-alives, disconnects, stalled readers,
 * stop with open streams, fan-out to many subscribers. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd_internal.h"
#include "sse_test.h"

/* Events carry their name as context; a subscriber's payload is a name prefix. */
static bool prefix_filter(const void *event_ctx, void *sub_payload)
{
    return strncmp(event_ctx, sub_payload, strlen(sub_payload)) == 0;
}

static void events_route(const httpd_request *req, httpd_response *res, void *payload)
{
    httpd_sse_hub *hub = payload;
    const char *prefix = httpd_request_query(req, "prefix");
    const char *last = httpd_request_header(req, "Last-Event-ID");
    uint64_t last_id = last ? strtoull(last, NULL, 10) : 0;
    httpd_response_sse(res, hub, prefix_filter, strdup(prefix ? prefix : ""), free, last_id);
}

static sse_fixture *start(httpd_sse_hub_options hub_opts, unsigned int threads)
{
    return sse_start(hub_opts, threads, events_route);
}

static http_stream *subscribe(sse_fixture *f, const char *query, const char *last_id)
{
    char url[256], path[128], hdr[64];
    snprintf(path, sizeof(path), "/events%s", query ? query : "");
    const char *headers[] = {hdr, NULL};
    if (last_id)
        snprintf(hdr, sizeof(hdr), "Last-Event-ID: %s", last_id);
    return http_stream_open(test_url(&f->ts, path, url, sizeof(url)), last_id ? headers : NULL);
}

static uint64_t publish(sse_fixture *f, const char *name, const char *data)
{
    return httpd_sse_publish(f->hub, name, data, strdup(name), free);
}

static void test_ok_first_and_exact_framing(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000}, 2);
    http_stream *s = subscribe(f, NULL, NULL);
    assert_true(http_stream_wait_for(s, ":ok\n\n", 5000));
    assert_true(sse_wait_count(f->hub, 1, 5000));
    assert_int_equal(http_stream_status(s), 200);
    char *ct = http_stream_header(s, "Content-Type");
    char *cc = http_stream_header(s, "Cache-Control");
    char *xa = http_stream_header(s, "X-Accel-Buffering");
    char *cors = http_stream_header(s, "Access-Control-Allow-Origin");
    assert_string_equal(ct, "text/event-stream");
    assert_string_equal(cc, "no-cache");
    assert_string_equal(xa, "no");
    assert_null(cors); /* no allowed origins by default */
    free(ct);
    free(cc);
    free(xa);
    free(cors);
    assert_int_equal(publish(f, "temp", "{\"v\":1}"), 1);
    assert_int_equal(publish(f, "temp", "line1\nline2"), 2);
    assert_true(http_stream_wait_for(s, "id: 2\n", 5000));
    pu_time_sleep_ms(20);
    char *text = http_stream_text(s);
    assert_string_equal(text, ":ok\n\nid: 1\nevent: temp\ndata: {\"v\":1}\n\n"
                              "id: 2\nevent: temp\ndata: line1 line2\n\n");
    free(text);
    http_stream_close(s);
    sse_finish(f);
}

static void test_filter_applied(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000}, 2);
    http_stream *temp = subscribe(f, "?prefix=temp", NULL);
    http_stream *hum = subscribe(f, "?prefix=hum", NULL);
    assert_true(sse_wait_count(f->hub, 2, 5000));
    publish(f, "temp/a", "1");
    publish(f, "hum/b", "2");
    publish(f, "temp/c", "3");
    assert_true(http_stream_wait_for(temp, "id: 3\n", 5000));
    assert_true(http_stream_wait_for(hum, "id: 2\n", 5000));
    publish(f, "hum/d", "4"); /* queued after everything hum could have got */
    assert_true(http_stream_wait_for(hum, "id: 4\n", 5000));
    char *t = http_stream_text(temp), *h = http_stream_text(hum);
    assert_non_null(strstr(t, "event: temp/a\ndata: 1\n"));
    assert_null(strstr(t, "hum/"));
    assert_string_equal(h,
                        ":ok\n\nid: 2\nevent: hum/b\ndata: 2\n\nid: 4\nevent: hum/d\ndata: 4\n\n");
    free(t);
    free(h);
    http_stream_close(temp);
    http_stream_close(hum);
    sse_finish(f);
}

static void test_last_event_id_replay(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000, .ring_size = 8}, 2);
    for (int i = 1; i <= 12; i++) {
        char data[16];
        snprintf(data, sizeof(data), "%d", i);
        publish(f, i % 2 ? "temp" : "hum", data); /* odd ids are temp */
    }
    /* ring holds 5..12; ask from 6 with the temp filter: 7, 9, 11 */
    http_stream *s = subscribe(f, "?prefix=temp", "6");
    assert_true(http_stream_wait_for(s, "id: 11\n", 5000));
    assert_true(sse_wait_count(f->hub, 1, 5000));
    publish(f, "temp", "13");
    assert_true(http_stream_wait_for(s, "id: 13\n", 5000));
    char *text = http_stream_text(s);
    assert_string_equal(text, ":ok\n\n"
                              "id: 7\nevent: temp\ndata: 7\n\n"
                              "id: 9\nevent: temp\ndata: 9\n\n"
                              "id: 11\nevent: temp\ndata: 11\n\n"
                              "id: 13\nevent: temp\ndata: 13\n\n");
    free(text);
    http_stream_close(s);
    /* an id older than the ring replays what the ring still has, after ":gap" with the
     * number of ids skipped (2..5: 4) */
    s = subscribe(f, "?prefix=hum", "1");
    assert_true(http_stream_wait_for(s, "id: 12\n", 5000));
    text = http_stream_text(s);
    assert_string_equal(
        text, ":ok\n\n:gap 4\n\nid: 6\nevent: hum\ndata: 6\n\nid: 8\nevent: hum\ndata: 8\n\n"
              "id: 10\nevent: hum\ndata: 10\n\nid: 12\nevent: hum\ndata: 12\n\n");
    free(text);
    http_stream_close(s);
    /* an id at or past the newest (even the largest uint64) replays nothing */
    assert_true(sse_wait_count(f->hub, 0, 5000)); /* the closed stream has left the hub */
    s = subscribe(f, "?prefix=hum", "18446744073709551615");
    assert_true(sse_wait_count(f->hub, 1, 5000));
    publish(f, "hum", "14");
    assert_true(http_stream_wait_for(s, "id: 14\n", 5000));
    text = http_stream_text(s);
    assert_string_equal(text, ":ok\n\nid: 14\nevent: hum\ndata: 14\n\n");
    free(text);
    http_stream_close(s);
    sse_finish(f);
}

/* A hub that numbers from first_id (a restarted server) and limits replay by age. */
static void test_replay_window_epochs_and_age(void **state)
{
    (void)state;
    sse_fixture *f = start(
        (httpd_sse_hub_options){.keepalive_ms = 60000, .first_id = 1000, .replay_max_age_ms = 300},
        2);
    assert_int_equal(publish(f, "old", "1"), 1000);
    pu_time_sleep_ms(400); /* 1000 is now past the age limit */
    assert_int_equal(publish(f, "new", "2"), 1001);
    /* an id of an earlier process (below 1000): the whole window, after ":gap" (count
     * unknown); 1000 is too old to replay */
    http_stream *s = subscribe(f, "", "500");
    assert_true(http_stream_wait_for(s, "id: 1001\n", 5000));
    char *text = http_stream_text(s);
    assert_string_equal(text, ":ok\n\n:gap\n\nid: 1001\nevent: new\ndata: 2\n\n");
    free(text);
    http_stream_close(s);
    /* asking after the aged-out 1000's predecessor: one id skipped */
    assert_true(sse_wait_count(f->hub, 0, 5000));
    s = subscribe(f, "", "999");
    assert_true(http_stream_wait_for(s, "id: 1001\n", 5000));
    text = http_stream_text(s);
    assert_string_equal(text, ":ok\n\n:gap 1\n\nid: 1001\nevent: new\ndata: 2\n\n");
    free(text);
    http_stream_close(s);
    /* a resume inside the window has no gap */
    assert_true(sse_wait_count(f->hub, 0, 5000));
    s = subscribe(f, "", "1000");
    assert_true(http_stream_wait_for(s, "id: 1001\n", 5000));
    text = http_stream_text(s);
    assert_string_equal(text, ":ok\n\nid: 1001\nevent: new\ndata: 2\n\n");
    free(text);
    http_stream_close(s);
    sse_finish(f);
}

/* A later process numbers above an earlier one, even one started a millisecond before. */
static void test_id_base_grows(void **state)
{
    (void)state;
    uint64_t first = httpd_sse_id_base_now();
    pu_time_sleep_ms(2);
    assert_true(httpd_sse_id_base_now() >= first + (1u << 22));
    assert_true(first < (UINT64_C(1) << 63));
}

static void test_keepalive_after_silence(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 300}, 2);
    http_stream *s = subscribe(f, NULL, NULL);
    assert_true(http_stream_wait_for(s, ":ok\n\n", 5000));
    /* events every 50 ms keep the stream busy: no keep-alive in between */
    for (int i = 0; i < 12; i++) {
        publish(f, "tick", "{}");
        pu_time_sleep_ms(50);
    }
    assert_true(http_stream_wait_for(s, "id: 12\n", 5000));
    char *text = http_stream_text(s);
    assert_null(strstr(text, ":\n\n"));
    size_t len = strlen(text);
    free(text);
    int64_t quiet_from = pu_time_mono_ms();
    assert_true(http_stream_wait_for(s, "id: 12\nevent: tick\ndata: {}\n\n:\n\n", 5000));
    assert_true(pu_time_mono_ms() - quiet_from >= 200); /* not before keepalive_ms of silence */
    text = http_stream_text(s);
    assert_string_equal(text + len, ":\n\n");
    free(text);
    /* and again after the next silence */
    assert_true(http_stream_wait_for(s, ":\n\n:\n\n", 5000));
    http_stream_close(s);
    sse_finish(f);
}

static void test_disconnect_removes_subscriber(void **state)
{
    (void)state;
    /* no keep-alive for a minute: the hang-up itself must be noticed */
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000}, 2);
    http_stream *a = subscribe(f, NULL, NULL);
    http_stream *b = subscribe(f, NULL, NULL);
    assert_true(sse_wait_count(f->hub, 2, 5000));
    publish(f, "x", "1");
    assert_true(http_stream_wait_for(a, "id: 1\n", 5000));
    http_stream_close(a); /* mid-stream */
    assert_true(sse_wait_count(f->hub, 1, 5000));
    publish(f, "x", "2");
    assert_true(http_stream_wait_for(b, "id: 2\n", 5000));
    http_stream_close(b);
    assert_true(sse_wait_count(f->hub, 0, 5000));
    sse_finish(f);
}

/* A raw client that subscribes and then never reads, with a tiny receive buffer. */
static int stalled_subscriber(unsigned short port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    const char *req = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    return fd;
}

/* Reads until EOF or error; true if the server closed within @p timeout_ms. */
static bool drains_to_eof(int fd, long timeout_ms)
{
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    char buf[65536];
    while (pu_time_mono_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0)
            return true;
    }
    return false;
}

/* A reader that stops reading falls behind into the ring (test_httpd_sse_flow.c); once the
 * ring moves past it, it is cut keepalive_ms later, and the others do not notice. */
static void test_stalled_reader_cut(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 1000,
                                                   .max_queue_bytes = 64 * 1024,
                                                   .ring_size = 32},
                           2);
    http_stream *good = subscribe(f, NULL, NULL);
    assert_true(http_stream_wait_for(good, ":ok\n\n", 5000));
    int stalled = stalled_subscriber(f->ts.port);
    assert_true(sse_wait_count(f->hub, 2, 5000));
    size_t data_len = 16 * 1024;
    char *data = malloc(data_len + 1);
    memset(data, 'd', data_len);
    data[data_len] = '\0';
    size_t expected = strlen(":ok\n\n");
    int published = 0;
    /* paced so the good reader keeps up; the stalled one fills its socket, then its queue,
     * then falls out of the ring (keep-alives may add a few bytes to the good one) */
    while (httpd_sse_subscriber_count(f->hub) == 2 && published < 4000) {
        uint64_t id = publish(f, "big", data);
        char idline[32];
        expected += (size_t)snprintf(idline, sizeof(idline), "id: %llu\n", (unsigned long long)id) +
                    strlen("event: big\ndata: \n\n") + data_len;
        published++;
        assert_true(http_stream_wait_bytes(good, expected, 5000));
    }
    assert_true(sse_wait_count(f->hub, 1, 5000)); /* the stalled reader was cut */
    assert_int_equal(httpd__sse_hub_stats(f->hub).fell_out, 1);
    assert_true(drains_to_eof(stalled, 10000));
    close(stalled);
    uint64_t id = publish(f, "after", "still here");
    char needle[64];
    snprintf(needle, sizeof(needle), "id: %llu\nevent: after\ndata: still here\n\n",
             (unsigned long long)id);
    assert_true(http_stream_wait_for(good, needle, 5000));
    free(data);
    http_stream_close(good);
    sse_finish(f);
}

static void test_stop_with_open_streams(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000}, 2);
    http_stream *s[5];
    for (int i = 0; i < 5; i++)
        s[i] = subscribe(f, NULL, NULL);
    int stalled = stalled_subscriber(f->ts.port);
    assert_true(sse_wait_count(f->hub, 6, 5000));
    for (int i = 0; i < 5; i++)
        assert_true(http_stream_wait_for(s[i], ":ok\n\n", 5000));
    int64_t start_ms = pu_time_mono_ms();
    httpd_server_stop(f->ts.srv);
    assert_true(pu_time_mono_ms() - start_ms < 3000);
    assert_int_equal(httpd_sse_subscriber_count(f->hub), 0);
    for (int i = 0; i < 5; i++) {
        assert_true(http_stream_wait_done(s[i], 3000));
        http_stream_close(s[i]);
    }
    close(stalled);
    /* a publish after stop reaches nobody and does not crash */
    publish(f, "late", "1");
    sse_finish(f);
}

static void test_many_subscribers_fan_out(void **state)
{
    (void)state;
    enum { N = 200 };
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000}, 4);
    http_stream **s = calloc(N, sizeof(*s));
    for (int i = 0; i < N; i++)
        s[i] = subscribe(f, NULL, NULL);
    assert_true(sse_wait_count(f->hub, N, 20000));
    for (int i = 0; i < N; i++)
        assert_true(http_stream_wait_for(s[i], ":ok\n\n", 10000));
    int64_t t0 = pu_time_mono_ms();
    publish(f, "all", "{\"n\":200}");
    int64_t t1 = pu_time_mono_ms();
    for (int i = 0; i < N; i++)
        assert_true(http_stream_wait_for(s[i], "id: 1\nevent: all\ndata: {\"n\":200}\n\n", 10000));
    print_message("fan-out to %d: publish %lld ms, all delivered %lld ms\n", N,
                  (long long)(t1 - t0), (long long)(pu_time_mono_ms() - t0));
    for (int i = 0; i < N; i++)
        http_stream_close(s[i]);
    free(s);
    assert_true(sse_wait_count(f->hub, 0, 10000));
    sse_finish(f);
}

static void test_max_subscribers_503(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000, .max_subscribers = 1}, 2);
    http_stream *s = subscribe(f, NULL, NULL);
    assert_true(sse_wait_count(f->hub, 1, 5000));
    http_reply r = test_call(&f->ts, "GET", "/events", NULL);
    assert_json_error(&r, 503, NULL);
    http_reply_dispose(&r);
    assert_int_equal(httpd_sse_subscriber_count(f->hub), 1);
    http_stream_close(s);
    sse_finish(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_first_and_exact_framing),
        cmocka_unit_test(test_filter_applied),
        cmocka_unit_test(test_last_event_id_replay),
        cmocka_unit_test(test_replay_window_epochs_and_age),
        cmocka_unit_test(test_id_base_grows),
        cmocka_unit_test(test_keepalive_after_silence),
        cmocka_unit_test(test_disconnect_removes_subscriber),
        cmocka_unit_test(test_stalled_reader_cut),
        cmocka_unit_test(test_stop_with_open_streams),
        cmocka_unit_test(test_many_subscribers_fan_out),
        cmocka_unit_test(test_max_subscribers_503),
    };
    return cmocka_run_group_tests(tests, test_global_setup, test_global_teardown);
}
