/*
 * Event-stream client tests against tests/support/sse_server (loopback, port 0): event
 * fields, events sent with the headers, every scope's path, drops and idle timeouts with
 * reconnects and Last-Event-ID, keep-alives, error answers, retries, max_reconnects,
 * cancel from another thread, oversized lines, malformed events, invalid options.
 * Every run is bounded by a watchdog that cancels it, so a bug fails a test, never hangs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "particle/particle.h"
#include "pu_time.h"
#include "sse_server.h"

#define MAX_SEEN 16
#define WATCHDOG_MS 5000

#define EVENT_TEMP                                                                                 \
    "event: temperature\n"                                                                         \
    "data: {\"data\":\"25.34\",\"ttl\":\"60\",\"published_at\":\"2015-07-18T00:12:18.174Z\","      \
    "\"coreid\":\"0123456789abcdef01234567\"}\n\n"
#define EVENT_SIMPLE(name) "event: " name "\ndata: {\"data\":\"x\",\"ttl\":60}\n\n"

/* ---- what the callbacks saw ---- */

typedef struct seen_event {
    char name[64], data[64], published_at[40], coreid[40], id[16];
    bool has_data, has_id;
    int ttl;
    long long published_at_ms;
} seen_event;

typedef struct recorder {
    seen_event events[MAX_SEEN];
    int nevents;
    int stop_after; /* on_event returns 1 once this many arrived */
    char order[64]; /* E event, D disconnect, R reconnect, S reconnect success, X error,
                       C connect (on_connect, where a test sets it) */
    int disconnect_reasons[MAX_SEEN];
    int ndisconnects;
    unsigned int reconnect_attempts[MAX_SEEN];
    long reconnect_delays[MAX_SEEN];
    int nreconnects;
    unsigned int connect_attempts[MAX_SEEN];
    int nconnects;
    int errors[MAX_SEEN];
    int error_http[MAX_SEEN];
    int nerrors;
    int64_t reconnect_at_ms; /* monotonic time of the last on_reconnect */
    long long gap_missed[MAX_SEEN];
    char gap_after[MAX_SEEN][24];
    int ngaps;
} recorder;

static void mark(recorder *r, char c)
{
    size_t len = strlen(r->order);
    if (len + 1 < sizeof(r->order)) {
        r->order[len] = c;
        r->order[len + 1] = '\0';
    }
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

static int on_event(const particle_event *ev, void *payload)
{
    recorder *r = payload;
    mark(r, 'E');
    if (r->nevents < MAX_SEEN) {
        seen_event *e = &r->events[r->nevents];
        copy_text(e->name, sizeof(e->name), ev->name);
        e->has_data = ev->data != NULL;
        copy_text(e->data, sizeof(e->data), ev->data);
        copy_text(e->published_at, sizeof(e->published_at), ev->published_at);
        copy_text(e->coreid, sizeof(e->coreid), ev->coreid);
        e->has_id = ev->id != NULL;
        copy_text(e->id, sizeof(e->id), ev->id);
        e->ttl = ev->ttl;
        e->published_at_ms = ev->published_at_ms;
    }
    r->nevents++;
    return r->stop_after > 0 && r->nevents >= r->stop_after;
}

static void on_disconnect(int reason, void *payload)
{
    recorder *r = payload;
    mark(r, 'D');
    if (r->ndisconnects < MAX_SEEN)
        r->disconnect_reasons[r->ndisconnects++] = reason;
}

static void on_reconnect(unsigned int attempt, long delay_ms, void *payload)
{
    recorder *r = payload;
    mark(r, 'R');
    r->reconnect_at_ms = pu_time_mono_ms();
    if (r->nreconnects < MAX_SEEN) {
        r->reconnect_attempts[r->nreconnects] = attempt;
        r->reconnect_delays[r->nreconnects++] = delay_ms;
    }
}

static void on_reconnect_success(unsigned int attempt, void *payload)
{
    (void)attempt;
    mark(payload, 'S');
}

static void on_error(int code, const particle_error *err, void *payload)
{
    recorder *r = payload;
    mark(r, 'X');
    if (r->nerrors < MAX_SEEN) {
        r->error_http[r->nerrors] = err->http_status;
        r->errors[r->nerrors++] = code;
    }
}

/* ---- fixtures ---- */

static particle_client *client_for(sse_server *srv)
{
    char url[64];
    sse_server_url(srv, url, sizeof(url));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = "tok123";
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

/* Options with every callback wired to @p r and fast reconnects. */
static particle_stream_options options_for(recorder *r)
{
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.reconnect_base_ms = 20;
    o.reconnect_max_ms = 40;
    o.on_event = on_event;
    o.on_disconnect = on_disconnect;
    o.on_reconnect = on_reconnect;
    o.on_reconnect_success = on_reconnect_success;
    o.on_error = on_error;
    o.payload = r;
    return o;
}

/* Opens a stream on @p srv, freeing the client right away: the stream must not need it. */
static particle_stream *open_on(sse_server *srv, const particle_stream_options *o)
{
    particle_client *c = client_for(srv);
    particle_stream *s = NULL;
    assert_int_equal(particle_stream_open(&s, c, o), 0);
    assert_non_null(s);
    particle_client_free(c);
    return s;
}

typedef struct canceler {
    particle_stream *stream;
    int delay_ms;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    bool done;
    int64_t canceled_at_ms; /* 0 if it did not cancel */
} canceler;

/* Cancels the stream after delay_ms unless the run finished first. */
static void *canceler_main(void *arg)
{
    canceler *c = arg;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += c->delay_ms / 1000;
    deadline.tv_nsec += (long)(c->delay_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&c->lock);
    while (!c->done) {
        if (pthread_cond_timedwait(&c->done_cond, &c->lock, &deadline) != 0)
            break;
    }
    bool cancel = !c->done;
    pthread_mutex_unlock(&c->lock);
    if (cancel) {
        c->canceled_at_ms = pu_time_mono_ms();
        particle_stream_cancel(c->stream);
    }
    return NULL;
}

/* Runs @p s with another thread canceling it after @p cancel_after_ms. Returns run()'s
 * code; *canceled_at_ms (if not NULL) gets the moment of the cancel, 0 if none. */
static int run_with_cancel(particle_stream *s, int cancel_after_ms, int64_t *canceled_at_ms)
{
    canceler c = {.stream = s, .delay_ms = cancel_after_ms};
    pthread_mutex_init(&c.lock, NULL);
    pthread_cond_init(&c.done_cond, NULL);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, canceler_main, &c), 0);
    int rc = particle_stream_run(s);
    pthread_mutex_lock(&c.lock);
    c.done = true;
    pthread_cond_signal(&c.done_cond);
    pthread_mutex_unlock(&c.lock);
    pthread_join(thread, NULL);
    pthread_mutex_destroy(&c.lock);
    pthread_cond_destroy(&c.done_cond);
    if (canceled_at_ms != NULL)
        *canceled_at_ms = c.canceled_at_ms;
    return rc;
}

/* A run that must end by itself: the watchdog's cancel would show as ECANCELED. */
static int run_bounded(particle_stream *s)
{
    return run_with_cancel(s, WATCHDOG_MS, NULL);
}

static void assert_request_line(sse_server *srv, size_t i, const char *expected)
{
    char line[512];
    assert_true(sse_server_request_line(srv, i, line, sizeof(line)));
    assert_string_equal(line, expected);
}

static int global_setup(void **state)
{
    (void)state;
    return particle_global_init();
}

static int global_teardown(void **state)
{
    (void)state;
    particle_global_cleanup();
    return 0;
}

/* ---- tests ---- */

static void test_events_have_exact_fields(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0, SSE_OK_HEADERS, 0, 0},
                   {30, ":ok\n\n", 0, 0},
                   {30, EVENT_TEMP, 0, 0},
                   {30,
                    "id: 7\nevent: spark/status\ndata: {\"data\":null,\"ttl\":60,"
                    "\"published_at\":\"bogus\",\"extra\":[1]}\n\n",
                    0, 0}},
        .nchunks = 4,
        .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {.stop_after = 2};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);

    assert_int_equal(run_bounded(s), 0);
    assert_int_equal(r.nevents, 2);
    assert_string_equal(r.order, "EE");
    seen_event *e = &r.events[0];
    assert_string_equal(e->name, "temperature");
    assert_true(e->has_data);
    assert_string_equal(e->data, "25.34");
    assert_int_equal(e->ttl, 60);
    assert_string_equal(e->published_at, "2015-07-18T00:12:18.174Z");
    assert_int_equal(e->published_at_ms, 1437178338174LL);
    assert_string_equal(e->coreid, "0123456789abcdef01234567");
    assert_false(e->has_id);
    e = &r.events[1];
    assert_string_equal(e->name, "spark/status");
    assert_false(e->has_data);
    assert_int_equal(e->ttl, 60);
    assert_string_equal(e->published_at, "bogus");
    assert_int_equal(e->published_at_ms, -1);
    assert_string_equal(e->coreid, "");
    assert_true(e->has_id);
    assert_string_equal(e->id, "7");

    assert_int_equal(sse_server_request_count(srv), 1);
    assert_request_line(srv, 0, "GET /v1/devices/events HTTP/1.1");
    char value[128];
    assert_true(sse_server_request_header(srv, 0, "Authorization", value, sizeof(value)));
    assert_string_equal(value, "Bearer tok123");
    assert_true(sse_server_request_header(srv, 0, "Accept", value, sizeof(value)));
    assert_string_equal(value, "text/event-stream");
    assert_false(sse_server_request_header(srv, 0, "Last-Event-ID", value, sizeof(value)));
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* particle-api-js loses events that arrive in the same read as the headers (its
 * reference §4.6); here they must be delivered. One send() carries both. */
static void test_event_sent_with_headers_is_delivered(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0, SSE_OK_HEADERS ":ok\n\n" EVENT_SIMPLE("first") EVENT_SIMPLE("second"), 0,
                    0}},
        .nchunks = 1,
        .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {.stop_after = 2};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_int_equal(r.nevents, 2);
    assert_string_equal(r.events[0].name, "first");
    assert_string_equal(r.events[1].name, "second");
    assert_int_equal(sse_server_request_count(srv), 1);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_every_scope_requests_its_path(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0,
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                    "Content-Length: 39\r\nConnection: close\r\n\r\n"
                    "{\"ok\":false,\"error\":\"Device not found\"}",
                    0, 0}},
        .nchunks = 1};
    static const struct {
        particle_stream_scope scope;
        const char *prefix, *device, *product, *org, *path;
    } cases[] = {
        {PARTICLE_STREAM_MINE, NULL, NULL, NULL, NULL, "/v1/devices/events"},
        {PARTICLE_STREAM_MINE, "temp", NULL, NULL, NULL, "/v1/devices/events/temp"},
        {PARTICLE_STREAM_MINE, "", NULL, NULL, NULL, "/v1/devices/events"},
        {PARTICLE_STREAM_ALL_PUBLIC, "a/b c", NULL, NULL, NULL, "/v1/events/a%2Fb%20c"},
        {PARTICLE_STREAM_DEVICE, NULL, "dev1", NULL, NULL, "/v1/devices/dev1/events"},
        {PARTICLE_STREAM_DEVICE, "t", "my dev", NULL, NULL, "/v1/devices/my%20dev/events/t"},
        {PARTICLE_STREAM_PRODUCT, NULL, NULL, "my-prod", NULL, "/v1/products/my-prod/events"},
        {PARTICLE_STREAM_PRODUCT, "x", NULL, "42", NULL, "/v1/products/42/events/x"},
        {PARTICLE_STREAM_PRODUCT_DEVICE, NULL, "d", "42", NULL, "/v1/products/42/devices/d/events"},
        {PARTICLE_STREAM_PRODUCT_DEVICE, "x", "d", "42", NULL,
         "/v1/products/42/devices/d/events/x"},
        {PARTICLE_STREAM_ORG, NULL, NULL, NULL, "acme", "/v1/orgs/acme/events"},
        {PARTICLE_STREAM_ORG, "x", NULL, NULL, "acme", "/v1/orgs/acme/events/x"},
        {PARTICLE_STREAM_ORG, "x", "d", NULL, "acme", "/v1/orgs/acme/devices/d/events/x"},
        {PARTICLE_STREAM_ORG, NULL, NULL, "p", "acme", "/v1/orgs/acme/products/p/events"},
        {PARTICLE_STREAM_ORG, NULL, "d", "p", "acme", "/v1/orgs/acme/products/p/devices/d/events"},
    };
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        recorder r = {0};
        particle_stream_options o = options_for(&r);
        o.scope = cases[i].scope;
        o.prefix = cases[i].prefix;
        o.device = cases[i].device;
        o.product = cases[i].product;
        o.org = cases[i].org;
        particle_stream *s = open_on(srv, &o);
        /* 404 is final: no retry, the mapped code, the record filled. */
        assert_int_equal(run_bounded(s), PARTICLE_ENOTFOUND);
        assert_int_equal(particle_error_last()->http_status, 404);
        assert_int_equal(r.nerrors, 1);
        assert_int_equal(r.errors[0], PARTICLE_ENOTFOUND);
        assert_int_equal(sse_server_request_count(srv), i + 1);
        char expected[160];
        snprintf(expected, sizeof(expected), "GET %s HTTP/1.1", cases[i].path);
        assert_request_line(srv, i, expected);
        particle_stream_free(s);
    }
    sse_server_stop(srv);
}

static void test_drop_reconnects_with_last_event_id(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0},
                    {20, "id: 41\n" EVENT_SIMPLE("a"), 0, 0},
                    {20, "id: 42\n" EVENT_SIMPLE("b"), 0, 0}},
         .nchunks = 3}, /* then closes */
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {20, EVENT_SIMPLE("c"), 0, 0}},
         .nchunks = 2,
         .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 2);
    assert_non_null(srv);
    recorder r = {.stop_after = 3};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "EEDRSE");
    assert_int_equal(r.disconnect_reasons[0], PARTICLE_ENET);
    assert_int_equal(r.reconnect_attempts[0], 1);
    assert_true(r.reconnect_delays[0] >= 10 && r.reconnect_delays[0] <= 20);
    assert_string_equal(r.events[0].id, "41");
    assert_string_equal(r.events[1].id, "42");
    assert_false(r.events[2].has_id);
    assert_string_equal(r.events[2].name, "c");
    assert_int_equal(sse_server_request_count(srv), 2);
    char value[64];
    assert_false(sse_server_request_header(srv, 0, "Last-Event-ID", value, sizeof(value)));
    assert_true(sse_server_request_header(srv, 1, "Last-Event-ID", value, sizeof(value)));
    assert_string_equal(value, "42");
    assert_request_line(srv, 1, "GET /v1/devices/events HTTP/1.1");
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void on_connect(unsigned int attempt, void *payload)
{
    recorder *r = payload;
    mark(r, 'C');
    if (r->nconnects < MAX_SEEN)
        r->connect_attempts[r->nconnects++] = attempt;
}

/* on_connect comes with every established connection: the first (attempt 0) and each
 * reconnect (after on_reconnect_success), never for an attempt that failed. */
static void test_on_connect_marks_every_connection(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {20, "id: 1\n" EVENT_SIMPLE("a"), 0, 0}},
         .nchunks = 2}, /* then closes */
        {.chunks = {{0,
                     "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                     "Content-Length: 16\r\nConnection: close\r\n\r\n{\"error\":\"boom\"}",
                     0, 0}},
         .nchunks = 1},
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {20, EVENT_SIMPLE("b"), 0, 0}},
         .nchunks = 2,
         .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 3);
    assert_non_null(srv);
    recorder r = {.stop_after = 2};
    particle_stream_options o = options_for(&r);
    o.on_connect = on_connect;
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "CEDRXRSCE");
    assert_int_equal(r.nconnects, 2);
    assert_int_equal(r.connect_attempts[0], 0);
    assert_int_equal(r.connect_attempts[1], 2);
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* Options built against version 1 (without on_connect) are still accepted, and what lies
 * past their end is neither written by init nor read by open. */
static void test_options_version_1_accepted(void **state)
{
    (void)state;
    particle_stream_options o;
    memset(&o, 0xAB, sizeof o);
    assert_int_equal(particle_stream_options_init(&o, 1), 0);
    assert_int_equal(o.version, 1);
    assert_null(o.on_event);
    assert_int_equal(((unsigned char *)&o.on_connect)[0], 0xAB);
    assert_int_equal(particle_stream_options_init(&o, 4), PARTICLE_EINVAL);
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS EVENT_SIMPLE("a"), 0, 0}}, .nchunks = 1, .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 1);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options v1 = options_for(&r);
    v1.version = 1;
    memset(&v1.on_connect, 0xAB, sizeof v1.on_connect); /* garbage: must not be called */
    particle_stream *s = open_on(srv, &v1);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "E");
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void on_gap(long long missed, const char *after_id, void *payload)
{
    recorder *r = payload;
    mark(r, 'G');
    if (r->ngaps < MAX_SEEN) {
        r->gap_missed[r->ngaps] = missed;
        copy_text(r->gap_after[r->ngaps++], sizeof(r->gap_after[0]), after_id);
    }
}

/* What one gap test expects: the callbacks' order and the one gap reported. */
typedef struct one_gap_case {
    const sse_script *scripts;
    size_t nscripts;
    int stop_after;           /* events before on_event stops the run; 0: canceled instead, and the
                                 gap callback sets the error record (run() must restore its own) */
    const char *order;        /* the recorder's order */
    long long missed;         /* the gap reported */
    const char *after;        /* its after_id */
    const char *resumed_from; /* the second request's Last-Event-ID, or NULL: not checked */
} one_gap_case;

/* Runs a stream with on_gap over the case's scripts, to its stop or, without stop_after, to
 * a cancel after 300 ms (run() must then keep ECANCELED as its error), and checks it. */
/* on_gap that also makes a failing libparticle call, which sets the thread's error record:
 * run() must still end with its own error in the record. */
static void on_gap_then_failing_call(long long missed, const char *after_id, void *payload)
{
    on_gap(missed, after_id, payload);
    assert_int_equal(particle_stream_run(NULL), PARTICLE_EINVAL);
}

static void expect_one_gap(const one_gap_case *c)
{
    sse_server *srv = sse_server_start(c->scripts, c->nscripts);
    assert_non_null(srv);
    recorder r = {.stop_after = c->stop_after};
    particle_stream_options o = options_for(&r);
    o.on_gap = c->stop_after > 0 ? on_gap : on_gap_then_failing_call;
    particle_stream *s = open_on(srv, &o);
    if (c->stop_after > 0) {
        assert_int_equal(run_bounded(s), 0);
    } else {
        assert_int_equal(run_with_cancel(s, 300, NULL), PARTICLE_ECANCELED);
        assert_int_equal(particle_error_last()->code, PARTICLE_ECANCELED);
    }
    assert_string_equal(r.order, c->order);
    assert_int_equal(r.ngaps, 1);
    assert_int_equal(r.gap_missed[0], c->missed);
    assert_string_equal(r.gap_after[0], c->after);
    if (c->resumed_from != NULL) {
        char value[32];
        assert_true(sse_server_request_header(srv, 1, "Last-Event-ID", value, sizeof value));
        assert_string_equal(value, c->resumed_from);
    }
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* A ":gap N" comment before a replay is a gap of N after the id the stream resumed from. */
static void test_gap_comment_reported(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS "id: 5\n" EVENT_SIMPLE("a"), 0, 0}},
         .nchunks = 1}, /* then closes */
        {.chunks = {{0, SSE_OK_HEADERS ":ok\n\n:gap 3\n\nid: 9\n" EVENT_SIMPLE("b"), 0, 0}},
         .nchunks = 1,
         .hold = true},
    };
    expect_one_gap(&(one_gap_case){.scripts = scripts,
                                   .nscripts = 2,
                                   .stop_after = 2,
                                   .order = "EDRSGE",
                                   .missed = 3,
                                   .after = "5",
                                   .resumed_from = "5"});
}

/* ":gap" without a count (the id is from before the server restarted) is a gap of unknown
 * size; so are ids that go backwards (a server that numbers from 1 again). Ids that only
 * grow, with holes (a filtered stream), and other comments are no gap. */
static void test_gap_unknown_and_ids_backwards(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS "id: 100\n" EVENT_SIMPLE("a"), 0, 0}}, .nchunks = 1},
        {.chunks = {{0, SSE_OK_HEADERS ":gapless\n\n:gap\n\nid: 200\n" EVENT_SIMPLE("b"), 0, 0}},
         .nchunks = 1},
        {.chunks = {{0, SSE_OK_HEADERS "id: 1\n" EVENT_SIMPLE("c") "id: 7\n" EVENT_SIMPLE("d"), 0,
                     0}},
         .nchunks = 1,
         .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 3);
    assert_non_null(srv);
    recorder r = {.stop_after = 4};
    particle_stream_options o = options_for(&r);
    o.on_gap = on_gap;
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "EDRSGEDRSGEE");
    assert_int_equal(r.ngaps, 2);
    assert_int_equal(r.gap_missed[0], -1);
    assert_string_equal(r.gap_after[0], "100");
    assert_int_equal(r.gap_missed[1], -1);
    assert_string_equal(r.gap_after[1], "200");
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* A stream that fell out of the server's replay window gets ":gap" and is closed; the
 * reconnect's replay says ":gap N" about the same loss: the caller hears of it once, with
 * the size. */
static void test_gap_then_counted_replay_is_one_gap(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS "id: 5\n" EVENT_SIMPLE("a") ":gap\n\n", 0, 0}},
         .nchunks = 1}, /* then closes */
        {.chunks = {{0, SSE_OK_HEADERS ":gap 3\n\nid: 9\n" EVENT_SIMPLE("b"), 0, 0}},
         .nchunks = 1,
         .hold = true},
    };
    expect_one_gap(&(one_gap_case){.scripts = scripts,
                                   .nscripts = 2,
                                   .stop_after = 2,
                                   .order = "EDRSGE",
                                   .missed = 3,
                                   .after = "5",
                                   .resumed_from = "5"});
}

/* A gap with nothing after it is still reported when the run ends, and run()'s error stays
 * the one it ended with. */
static void test_gap_reported_when_run_ends(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS "id: 5\n" EVENT_SIMPLE("a") ":gap 2\n\n", 0, 0}},
         .nchunks = 1,
         .hold = true},
    };
    expect_one_gap(&(one_gap_case){
        .scripts = scripts, .nscripts = 1, .order = "EG", .missed = 2, .after = "5"});
}

/* Options built against version 2 (without on_gap) are still accepted: garbage past their
 * end is never called. */
static void test_options_version_2_without_gap(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS ":gap 2\n\nid: 3\n" EVENT_SIMPLE("a"), 0, 0}},
         .nchunks = 1,
         .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 1);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options v2 = options_for(&r);
    v2.version = 2;
    memset(&v2.on_gap, 0xAB, sizeof v2.on_gap); /* garbage: must not be called */
    particle_stream *s = open_on(srv, &v2);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "E");
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* The last_event_id option resumes from a stored position: the first request carries it,
 * so does a reconnect before the server sent any id, and the server's own id replaces it
 * from then on. The caller's string is copied at open. */
static void test_initial_last_event_id_resumes(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {20, EVENT_SIMPLE("no-id"), 0, 0}},
         .nchunks = 2}, /* then closes: no id seen yet */
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {20, "id: 101\n" EVENT_SIMPLE("a"), 0, 0}},
         .nchunks = 2}, /* then closes after an id */
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {20, EVENT_SIMPLE("b"), 0, 0}},
         .nchunks = 2,
         .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 3);
    assert_non_null(srv);
    recorder r = {.stop_after = 3};
    particle_stream_options o = options_for(&r);
    char stored[16];
    snprintf(stored, sizeof(stored), "%s", "100");
    o.last_event_id = stored;
    particle_stream *s = open_on(srv, &o);
    memset(stored, 'x', sizeof(stored) - 1); /* the stream must have its own copy */
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "EDRSEDRSE");
    assert_int_equal(sse_server_request_count(srv), 3);
    char value[64];
    assert_true(sse_server_request_header(srv, 0, "Last-Event-ID", value, sizeof(value)));
    assert_string_equal(value, "100");
    assert_true(sse_server_request_header(srv, 1, "Last-Event-ID", value, sizeof(value)));
    assert_string_equal(value, "100");
    assert_true(sse_server_request_header(srv, 2, "Last-Event-ID", value, sizeof(value)));
    assert_string_equal(value, "101");
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_idle_timeout_reconnects(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS ":ok\n\n", 0, 0}}, .nchunks = 1, .hold = true},
        {.chunks = {{0, SSE_OK_HEADERS EVENT_SIMPLE("after"), 0, 0}}, .nchunks = 1, .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 2);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    o.idle_timeout_ms = 300;
    particle_stream *s = open_on(srv, &o);
    int64_t start = pu_time_mono_ms();
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "DRSE");
    assert_int_equal(r.disconnect_reasons[0], PARTICLE_ETIMEDOUT);
    assert_true(r.reconnect_at_ms - start >= 300); /* not before the idle time passed */
    assert_string_equal(r.events[0].name, "after");
    assert_int_equal(sse_server_request_count(srv), 2);
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* Keep-alives (comments and bare newlines) every 100 ms for a second keep a stream with a
 * 300 ms idle timeout alive. */
static void test_keepalives_prevent_idle_reconnect(void **state)
{
    (void)state;
    static const sse_script script = {.chunks = {{0, SSE_OK_HEADERS, 0, 0},
                                                 {100, ":\n\n", 0, 5},
                                                 {100, "\n", 0, 5},
                                                 {100, EVENT_SIMPLE("late"), 0, 0}},
                                      .nchunks = 4,
                                      .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    o.idle_timeout_ms = 300;
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "E");
    assert_string_equal(r.events[0].name, "late");
    assert_int_equal(sse_server_request_count(srv), 1);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_401_is_final(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0,
                    "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                    "Content-Length: 85\r\n\r\n"
                    "{\"error\":\"invalid_token\",\"error_description\":"
                    "\"The access token provided is invalid.\"}",
                    0, 0}},
        .nchunks = 1};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), PARTICLE_EAUTH);
    const particle_error *err = particle_error_last();
    assert_int_equal(err->code, PARTICLE_EAUTH);
    assert_int_equal(err->http_status, 401);
    assert_string_equal(err->api_code, "invalid_token");
    assert_non_null(strstr(err->message, "access token provided is invalid"));
    assert_string_equal(r.order, "X");
    assert_int_equal(r.errors[0], PARTICLE_EAUTH);
    assert_int_equal(r.error_http[0], 401);
    assert_int_equal(sse_server_request_count(srv), 1);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_500_then_200_retries(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0,
                     "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                     "Content-Length: 16\r\nConnection: close\r\n\r\n{\"error\":\"boom\"}",
                     0, 0}},
         .nchunks = 1},
        {.chunks = {{0, SSE_OK_HEADERS EVENT_SIMPLE("ok"), 0, 0}}, .nchunks = 1, .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 2);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "XRSE"); /* never connected, so no disconnect */
    assert_int_equal(r.errors[0], PARTICLE_ESERVER);
    assert_int_equal(r.error_http[0], 500);
    assert_int_equal(r.reconnect_attempts[0], 1);
    assert_int_equal(sse_server_request_count(srv), 2);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_429_waits_for_retry_after(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0,
                     "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n"
                     "Content-Length: 0\r\nConnection: close\r\n\r\n",
                     0, 0}},
         .nchunks = 1},
        {.chunks = {{0, SSE_OK_HEADERS EVENT_SIMPLE("ok"), 0, 0}}, .nchunks = 1, .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 2);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "XRSE");
    assert_int_equal(r.errors[0], PARTICLE_ERATELIMIT);
    assert_int_equal(r.reconnect_delays[0], 1000);
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* The server's `retry:` is a floor for the reconnect delay. */
static void test_retry_field_is_minimum_delay(void **state)
{
    (void)state;
    static const sse_script scripts[] = {
        {.chunks = {{0, SSE_OK_HEADERS "retry: 250\n\n", 0, 0}}, .nchunks = 1},
        {.chunks = {{0, SSE_OK_HEADERS EVENT_SIMPLE("ok"), 0, 0}}, .nchunks = 1, .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 2);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "DRSE");
    assert_int_equal(r.reconnect_delays[0], 250);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_max_reconnects_gives_up(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0,
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                    "Connection: close\r\n\r\n",
                    0, 0}},
        .nchunks = 1};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    o.max_reconnects = 2;
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), PARTICLE_ESERVER);
    assert_int_equal(particle_error_last()->http_status, 503);
    assert_string_equal(r.order, "XRXRX");
    assert_int_equal(r.reconnect_attempts[0], 1);
    assert_int_equal(r.reconnect_attempts[1], 2);
    assert_int_equal(sse_server_request_count(srv), 3); /* the first try + 2 reconnects */
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_cancel_while_streaming(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0, SSE_OK_HEADERS ":ok\n\n", 0, 0}, {50, EVENT_SIMPLE("one"), 0, 0}},
        .nchunks = 2,
        .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    o.idle_timeout_ms = 60000;
    particle_stream *s = open_on(srv, &o);
    int64_t canceled_at = 0;
    assert_int_equal(run_with_cancel(s, 400, &canceled_at), PARTICLE_ECANCELED);
    int64_t latency = pu_time_mono_ms() - canceled_at;
    assert_true(canceled_at != 0);
    assert_true(latency < 1000);
    assert_int_equal(particle_error_last()->code, PARTICLE_ECANCELED);
    assert_string_equal(r.order, "E"); /* streamed, then canceled: no disconnect callback */
    /* cancel is permanent */
    assert_int_equal(particle_stream_run(s), PARTICLE_ECANCELED);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_cancel_during_backoff(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", 0, 0}},
        .nchunks = 1};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    o.reconnect_base_ms = 20000;
    o.reconnect_max_ms = 20000;
    particle_stream *s = open_on(srv, &o);
    int64_t canceled_at = 0;
    assert_int_equal(run_with_cancel(s, 400, &canceled_at), PARTICLE_ECANCELED);
    int64_t latency = pu_time_mono_ms() - canceled_at;
    assert_true(canceled_at != 0);
    assert_true(latency < 1000);
    assert_string_equal(r.order, "XR"); /* it was waiting for reconnect 1 */
    assert_true(r.reconnect_delays[0] >= 10000);
    assert_int_equal(sse_server_request_count(srv), 1);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_cancel_before_run(void **state)
{
    (void)state;
    static const sse_script script = {.chunks = {{0, SSE_OK_HEADERS, 0, 0}}, .nchunks = 1};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    particle_stream_cancel(s);
    assert_int_equal(particle_stream_run(s), PARTICLE_ECANCELED);
    assert_int_equal(sse_server_request_count(srv), 0);
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* A line over the parser's 64 KiB cap is a protocol error: the stream reconnects. */
static void test_huge_line_reconnects(void **state)
{
    (void)state;
    size_t huge_len = 70 * 1024;
    char *huge = malloc(huge_len + 1);
    assert_non_null(huge);
    memcpy(huge, "data: ", 6);
    memset(huge + 6, 'x', huge_len - 6);
    huge[huge_len] = '\0';
    sse_script scripts[2] = {
        {.chunks = {{0, SSE_OK_HEADERS, 0, 0}, {0, huge, huge_len, 0}}, .nchunks = 2, .hold = true},
        {.chunks = {{0, SSE_OK_HEADERS EVENT_SIMPLE("ok"), 0, 0}}, .nchunks = 1, .hold = true},
    };
    sse_server *srv = sse_server_start(scripts, 2);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "DRSE");
    assert_int_equal(r.disconnect_reasons[0], PARTICLE_EPROTO);
    assert_int_equal(sse_server_request_count(srv), 2);
    particle_stream_free(s);
    sse_server_stop(srv);
    free(huge);
}

static void test_malformed_event_is_skipped(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0,
                    SSE_OK_HEADERS "event: bad\ndata: not json\n\n"
                                   "event: arr\ndata: [1,2]\n\n" EVENT_SIMPLE("good"),
                    0, 0}},
        .nchunks = 1,
        .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {.stop_after = 1};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), 0);
    assert_string_equal(r.order, "XXE");
    assert_int_equal(r.errors[0], PARTICLE_EPROTO);
    assert_int_equal(r.errors[1], PARTICLE_EPROTO);
    assert_string_equal(r.events[0].name, "good");
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_200_not_event_stream_is_eproto(void **state)
{
    (void)state;
    static const sse_script script = {
        .chunks = {{0,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n"
                    "<html></html>",
                    0, 0}},
        .nchunks = 1};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), PARTICLE_EPROTO);
    assert_int_equal(particle_error_last()->http_status, 200);
    assert_non_null(strstr(particle_error_last()->message, "text/html"));
    assert_string_equal(r.order, "X");
    assert_int_equal(sse_server_request_count(srv), 1);
    particle_stream_free(s);
    sse_server_stop(srv);
}

/* A server that accepts and never answers is covered by the idle timer too. */
static void test_silent_server_times_out_and_retries(void **state)
{
    (void)state;
    static const sse_script script = {.chunks = {{0, "", 0, 0}}, .nchunks = 1, .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    recorder r = {0};
    particle_stream_options o = options_for(&r);
    o.idle_timeout_ms = 200;
    o.max_reconnects = 1;
    particle_stream *s = open_on(srv, &o);
    assert_int_equal(run_bounded(s), PARTICLE_ETIMEDOUT);
    assert_string_equal(r.order, "XRX");
    assert_int_equal(sse_server_request_count(srv), 2);
    particle_stream_free(s);
    sse_server_stop(srv);
}

static void test_invalid_options(void **state)
{
    (void)state;
    particle_client_options co = PARTICLE_CLIENT_OPTIONS_INIT;
    co.base_url = "http://127.0.0.1:1";
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &co), 0);
    recorder r = {0};
    const particle_stream_options good = options_for(&r);
    particle_stream *s = (particle_stream *)&r; /* must be reset to NULL on failure */

    assert_int_equal(particle_stream_open(NULL, c, &good), PARTICLE_EINVAL);
    assert_int_equal(particle_stream_open(&s, NULL, &good), PARTICLE_EINVAL);
    assert_null(s);
    assert_int_equal(particle_stream_open(&s, c, NULL), PARTICLE_EINVAL);

    struct {
        const char *what;
        particle_stream_options o;
    } bad[16];
    size_t n = 0;
    for (size_t i = 0; i < 14; i++)
        bad[i].o = good;
    bad[n].what = "version";
    bad[n++].o.version = 99;
    bad[n].what = "no on_event";
    bad[n++].o.on_event = NULL;
    bad[n].what = "public without prefix";
    bad[n++].o.scope = PARTICLE_STREAM_ALL_PUBLIC;
    bad[n].what = "device without device";
    bad[n++].o.scope = PARTICLE_STREAM_DEVICE;
    bad[n].what = "mine with a device";
    bad[n++].o.device = "abc";
    bad[n].what = "product device without product";
    bad[n].o.scope = PARTICLE_STREAM_PRODUCT_DEVICE;
    bad[n++].o.device = "abc";
    bad[n].what = "product with an org";
    bad[n].o.scope = PARTICLE_STREAM_PRODUCT;
    bad[n].o.product = "p";
    bad[n++].o.org = "o";
    bad[n].what = "org without org";
    bad[n++].o.scope = PARTICLE_STREAM_ORG;
    bad[n].what = "empty device";
    bad[n].o.scope = PARTICLE_STREAM_DEVICE;
    bad[n++].o.device = "";
    bad[n].what = "unknown scope";
    bad[n++].o.scope = (particle_stream_scope)99;
    bad[n].what = "negative idle";
    bad[n++].o.idle_timeout_ms = -1;
    bad[n].what = "max below base";
    bad[n].o.reconnect_base_ms = 500;
    bad[n++].o.reconnect_max_ms = 100;
    bad[n].what = "negative base";
    bad[n++].o.reconnect_base_ms = -5;
    bad[n].what = "header injection through the resume id";
    bad[n++].o.last_event_id = "7\r\nX-Evil: 1";
    assert_int_equal(n, 14);
    for (size_t i = 0; i < n; i++) {
        s = (particle_stream *)&r;
        int rc = particle_stream_open(&s, c, &bad[i].o);
        if (rc != PARTICLE_EINVAL)
            fail_msg("%s: got %d", bad[i].what, rc);
        assert_null(s);
        assert_int_equal(particle_error_last()->code, PARTICLE_EINVAL);
    }
    assert_int_equal(particle_stream_run(NULL), PARTICLE_EINVAL);
    particle_stream_cancel(NULL);
    particle_stream_free(NULL);

    particle_stream_options init;
    assert_int_equal(particle_stream_options_init(&init, PARTICLE_STREAM_OPTIONS_VERSION), 0);
    assert_int_equal(init.version, PARTICLE_STREAM_OPTIONS_VERSION);
    assert_int_equal(init.scope, PARTICLE_STREAM_MINE);
    assert_int_equal(particle_stream_options_init(&init, 99), PARTICLE_EINVAL);
    particle_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_have_exact_fields),
        cmocka_unit_test(test_event_sent_with_headers_is_delivered),
        cmocka_unit_test(test_every_scope_requests_its_path),
        cmocka_unit_test(test_drop_reconnects_with_last_event_id),
        cmocka_unit_test(test_on_connect_marks_every_connection),
        cmocka_unit_test(test_gap_comment_reported),
        cmocka_unit_test(test_gap_unknown_and_ids_backwards),
        cmocka_unit_test(test_gap_then_counted_replay_is_one_gap),
        cmocka_unit_test(test_gap_reported_when_run_ends),
        cmocka_unit_test(test_options_version_2_without_gap),
        cmocka_unit_test(test_options_version_1_accepted),
        cmocka_unit_test(test_initial_last_event_id_resumes),
        cmocka_unit_test(test_idle_timeout_reconnects),
        cmocka_unit_test(test_keepalives_prevent_idle_reconnect),
        cmocka_unit_test(test_401_is_final),
        cmocka_unit_test(test_500_then_200_retries),
        cmocka_unit_test(test_429_waits_for_retry_after),
        cmocka_unit_test(test_retry_field_is_minimum_delay),
        cmocka_unit_test(test_max_reconnects_gives_up),
        cmocka_unit_test(test_cancel_while_streaming),
        cmocka_unit_test(test_cancel_during_backoff),
        cmocka_unit_test(test_cancel_before_run),
        cmocka_unit_test(test_huge_line_reconnects),
        cmocka_unit_test(test_malformed_event_is_skipped),
        cmocka_unit_test(test_200_not_event_stream_is_eproto),
        cmocka_unit_test(test_silent_server_times_out_and_retries),
        cmocka_unit_test(test_invalid_options),
    };
    return cmocka_run_group_tests(tests, global_setup, global_teardown);
}
