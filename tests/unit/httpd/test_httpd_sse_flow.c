/* SSE flow control: a slow reader gets a burst of tens of thousands of events and a 50,000-event
 * replay in order, none lost or doubled, through its cursor into the ring while its queue stays
 * under the cap; a reader the ring moves past gets ":gap" and its stream ends; a stream ended while
 * it reads the ring gets the rest first. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpd_internal.h"
#include "pu_buf.h"
#include "sse_test.h"

enum { EVENTS = 50000, QUEUE_CAP = 64 * 1024, BLOCK = 16 * 1024 };

/* A stalled reader's kernel buffers take a few MB before the hub's queue fills (the server's
 * send buffer grows on loopback; how far depends on the machine and on how fast the server
 * thread runs), so the tests publish until the hub reports the state they need, up to this
 * many events (about 20 MB of frames). */
enum { FILL_MAX = 150000, RING = 200000 };

static void events_route(const httpd_request *req, httpd_response *res, void *payload)
{
    const char *last = httpd_request_header(req, "Last-Event-ID");
    httpd_response_sse(res, payload, NULL, NULL, NULL, last ? strtoull(last, NULL, 10) : 0);
}

static sse_fixture *start(httpd_sse_hub_options hub_opts)
{
    return sse_start(hub_opts, 2, events_route);
}

/* Event @p n's data: its number and some padding. */
static void numbered_data(unsigned int n, char *data, size_t size)
{
    snprintf(data, size, "{\"n\":%u,\"pad\":\"%s\"}", n,
             "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

static void publish_numbered(sse_fixture *f, unsigned int n)
{
    char data[160];
    numbered_data(n, data, sizeof(data));
    httpd_sse_publish(f->hub, "reading", data, NULL, NULL);
}

/* Appends the frames of events @p from..@p to, event n having id @p first_id + n - 1. */
static void expect_frames(pu_buf *expect, uint64_t first_id, unsigned int from, unsigned int to)
{
    for (unsigned int n = from; n <= to; n++) {
        char data[160], frame[256];
        numbered_data(n, data, sizeof(data));
        int len = snprintf(frame, sizeof(frame), "id: %llu\nevent: reading\ndata: %s\n\n",
                           (unsigned long long)(first_id + n - 1), data);
        pu_buf_append(expect, frame, (size_t)len);
    }
}

/* A raw HTTP/1.0 client (so the body is not chunked) with a small receive buffer. */
typedef struct slow_reader {
    int fd;
    atomic_bool go; /* reads nothing before this */
    size_t want;    /* body bytes to read before returning; 0 = until EOF */
    pu_buf body;
    bool eof;
    pthread_t thread;
} slow_reader;

static void reader_open(slow_reader *r, unsigned short port, const char *last_id)
{
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    int small = 4096;
    setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    char req[256];
    int len =
        snprintf(req, sizeof(req), "GET /events HTTP/1.0\r\n%s%s%s\r\n",
                 last_id ? "Last-Event-ID: " : "", last_id ? last_id : "", last_id ? "\r\n" : "");
    assert_int_equal(send(r->fd, req, (size_t)len, 0), len);
    pu_buf_xinit(&r->body);
}

/* Reads 4 KiB at a time with a pause in between, for at most 60 s; drops the headers. */
static void *reader_main(void *arg)
{
    slow_reader *r = arg;
    while (!atomic_load(&r->go))
        pu_time_sleep_ms(5);
    pu_buf raw;
    pu_buf_xinit(&raw);
    int64_t deadline = pu_time_mono_ms() + 60000;
    const char *body = NULL;
    while (pu_time_mono_ms() < deadline) {
        body = raw.data ? strstr(raw.data, "\r\n\r\n") : NULL;
        if (body && r->want && raw.len - (size_t)(body + 4 - raw.data) >= r->want)
            break;
        struct pollfd p = {.fd = r->fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        char chunk[4096];
        ssize_t n = recv(r->fd, chunk, sizeof(chunk), 0);
        if (n <= 0) {
            r->eof = true;
            break;
        }
        pu_buf_append(&raw, chunk, (size_t)n);
        nanosleep(&(struct timespec){.tv_nsec = 20000}, NULL); /* slower than the publisher */
    }
    body = raw.data ? strstr(raw.data, "\r\n\r\n") : NULL;
    if (body)
        pu_buf_append(&r->body, body + 4, raw.len - (size_t)(body + 4 - raw.data));
    pu_buf_dispose(&raw);
    return NULL;
}

static void reader_start(slow_reader *r, size_t want)
{
    r->want = want;
    assert_int_equal(pthread_create(&r->thread, NULL, reader_main, r), 0);
}

static void reader_finish(slow_reader *r)
{
    atomic_store(&r->go, true);
    pthread_join(r->thread, NULL);
    close(r->fd);
}

/* What one subscriber's queue may hold: the cap, one block of ring frames and one frame. */
static void assert_queue_bounded(httpd_sse_hub *hub)
{
    httpd__sse_stats stats = httpd__sse_hub_stats(hub);
    print_message("peak queue %zu bytes, lagged %llu, %llu frames from the ring\n",
                  stats.peak_queued_bytes, (unsigned long long)stats.lagged,
                  (unsigned long long)stats.ring_frames_sent);
    assert_true(stats.peak_queued_bytes <= QUEUE_CAP + BLOCK + 256);
}

static bool has_lagged(const httpd__sse_stats *stats)
{
    return stats->lagged > 0;
}

static bool has_fallen_out(const httpd__sse_stats *stats)
{
    return stats->fell_out > 0;
}

/* Opens a stalled reader from the start of the stream, then publishes events 1, 2, ... until
 * the hub's stats say @p reached (or FILL_MAX); returns how many were published. */
static unsigned int stall_reader_until(sse_fixture *f, slow_reader *r,
                                       bool (*reached)(const httpd__sse_stats *))
{
    reader_open(r, f->ts.port, NULL);
    assert_true(sse_wait_count(f->hub, 1, 5000));
    unsigned int n = 0;
    for (httpd__sse_stats s = httpd__sse_hub_stats(f->hub); n < FILL_MAX && !reached(&s);
         s = httpd__sse_hub_stats(f->hub))
        publish_numbered(f, ++n);
    return n;
}

/* Lets the reader read until its stream ends; it must end. */
static void read_to_eof(slow_reader *r)
{
    reader_start(r, 0);
    reader_finish(r);
    assert_true(r->eof);
}

/* The reader's body is @p expect, byte for byte. */
static void assert_body(const slow_reader *r, const pu_buf *expect)
{
    assert_int_equal(r->body.len, expect->len);
    assert_memory_equal(r->body.data, expect->data, expect->len);
}

/* Frees the reader's body and @p expect; the reader's stream must have left the hub. */
static void end_flow(sse_fixture *f, slow_reader *r, pu_buf *expect)
{
    pu_buf_dispose(expect);
    pu_buf_dispose(&r->body);
    assert_true(sse_wait_count(f->hub, 0, 5000));
    sse_finish(f);
}

/* A burst far beyond the queue cap while the reader is stalled, then more while it catches
 * up: every event arrives once, in order, and the reader is live again afterwards. */
static void test_burst_reaches_slow_reader(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){
        .keepalive_ms = 60000, .max_queue_bytes = QUEUE_CAP, .ring_size = RING});
    slow_reader r = {0};
    unsigned int n = stall_reader_until(f, &r, has_lagged);
    assert_true(httpd__sse_hub_stats(f->hub).lagged >= 1); /* the queue cap was reached */
    unsigned int total = n + EVENTS / 2;
    pu_buf expect;
    pu_buf_xinit(&expect);
    pu_buf_append_str(&expect, ":ok\n\n");
    expect_frames(&expect, 1, 1, total);
    reader_start(&r, expect.len);
    atomic_store(&r.go, true);
    while (n < total)
        publish_numbered(f, ++n);
    reader_finish(&r);
    assert_body(&r, &expect);
    httpd__sse_stats stats = httpd__sse_hub_stats(f->hub);
    assert_true(stats.ring_frames_sent > 0);
    assert_int_equal(stats.fell_out, 0);
    assert_queue_bounded(f->hub);
    end_flow(f, &r, &expect);
}

/* A Last-Event-ID resume 50,000 events back, with live events published during the replay:
 * the replay comes from the ring at the reader's pace, then the live events, all once. */
static void test_replay_reaches_slow_reader(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){.keepalive_ms = 60000,
                                                   .max_queue_bytes = QUEUE_CAP,
                                                   .ring_size = 2 * EVENTS,
                                                   .first_id = 1001});
    pu_buf expect;
    pu_buf_xinit(&expect);
    pu_buf_append_str(&expect, ":ok\n\n");
    expect_frames(&expect, 1001, 1, EVENTS + 100);
    unsigned int n = 0;
    while (n < EVENTS)
        publish_numbered(f, ++n);
    slow_reader r = {0};
    reader_open(&r, f->ts.port, "1000"); /* just before the first event: no gap */
    assert_true(sse_wait_count(f->hub, 1, 5000));
    reader_start(&r, expect.len);
    atomic_store(&r.go, true);
    while (n < EVENTS + 100)
        publish_numbered(f, ++n);
    reader_finish(&r);
    assert_body(&r, &expect);
    assert_true(httpd__sse_hub_stats(f->hub).ring_frames_sent >= EVENTS);
    assert_queue_bounded(f->hub);
    end_flow(f, &r, &expect);
}

/* A reader the ring moves past gets the events it had before, ":gap", and the end. */
static void test_reader_out_of_window_gets_gap(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){
        .keepalive_ms = 60000, .max_queue_bytes = 16 * 1024, .ring_size = 1000});
    slow_reader r = {0};
    unsigned int n = stall_reader_until(f, &r, has_fallen_out);
    pu_buf expect;
    pu_buf_xinit(&expect);
    expect_frames(&expect, 1, 1, n);
    assert_int_equal(httpd__sse_hub_stats(f->hub).fell_out, 1);
    read_to_eof(&r);
    /* ":ok", events 1..k exactly as published, then ":gap" and the end */
    const char *body = r.body.data;
    assert_true(r.body.len > strlen(":ok\n\n:gap\n\n"));
    assert_memory_equal(body, ":ok\n\n", 5);
    size_t events_len = r.body.len - 5 - strlen(":gap\n\n");
    assert_string_equal(body + 5 + events_len, ":gap\n\n");
    assert_true(events_len > 0 && events_len < expect.len);
    assert_memory_equal(body + 5, expect.data, events_len);
    assert_memory_equal(expect.data + events_len, "id: ", 4); /* stopped between frames */
    end_flow(f, &r, &expect);
}

static bool match_all(const void *ctx, void *payload)
{
    (void)ctx;
    (void)payload;
    return true;
}

/* A stream ended while it reads the ring (a revoked token, a server stop) still gets every
 * event published before the end, and none after. */
static void test_close_while_lagging_sends_the_rest(void **state)
{
    (void)state;
    sse_fixture *f = start((httpd_sse_hub_options){
        .keepalive_ms = 60000, .max_queue_bytes = 16 * 1024, .ring_size = RING});
    slow_reader r = {0};
    unsigned int n = stall_reader_until(f, &r, has_lagged);
    assert_true(httpd__sse_hub_stats(f->hub).lagged >= 1);
    for (unsigned int more = 0; more < 1000; more++) /* some of them only in the ring */
        publish_numbered(f, ++n);
    unsigned int published = n;
    assert_int_equal(httpd_sse_close_where(f->hub, match_all, NULL), 1);
    while (n < published + 10)
        publish_numbered(f, ++n);
    pu_buf expect;
    pu_buf_xinit(&expect);
    pu_buf_append_str(&expect, ":ok\n\n");
    expect_frames(&expect, 1, 1, published);
    read_to_eof(&r);
    assert_body(&r, &expect);
    end_flow(f, &r, &expect);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_reaches_slow_reader),
        cmocka_unit_test(test_replay_reaches_slow_reader),
        cmocka_unit_test(test_reader_out_of_window_gets_gap),
        cmocka_unit_test(test_close_while_lagging_sends_the_rest),
    };
    return cmocka_run_group_tests(tests, test_global_setup, test_global_teardown);
}
