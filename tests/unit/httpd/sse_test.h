/* What the SSE hub's tests share (test_httpd_sse.c, test_httpd_sse_flow.c): a hub served on
 * GET /events by a server on 127.0.0.1 port 0, its end, and a wait for its subscriber count.
 * Header-only (static inline), like httpd_test.h. */
#ifndef SSE_TEST_H
#define SSE_TEST_H

#include "httpd_test.h"
#include "pu_time.h"

typedef struct sse_fixture {
    test_server ts;
    httpd_sse_hub *hub;
} sse_fixture;

/* A hub with @p hub_opts, and a server of @p threads threads whose GET /events is @p route
 * (its payload: the hub). */
static inline sse_fixture *sse_start(httpd_sse_hub_options hub_opts, unsigned int threads,
                                     httpd_handler_fn *route)
{
    sse_fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->hub = httpd_sse_hub_new(&hub_opts);
    httpd_server *srv = httpd_server_new(&(httpd_options){.threads = threads});
    assert_int_equal(httpd_route_add(srv, "GET", "/events", 0, route, f->hub), 0);
    test_server_start(&f->ts, srv);
    return f;
}

/* Stops the server; no subscriber may outlive it. Frees the hub and @p f. */
static inline void sse_finish(sse_fixture *f)
{
    httpd_server_free(f->ts.srv);
    assert_int_equal(httpd_sse_subscriber_count(f->hub), 0);
    httpd_sse_hub_free(f->hub);
    free(f);
}

/* Waits up to @p timeout_ms for @p hub to have @p want subscribers; false if it does not. */
static inline bool sse_wait_count(httpd_sse_hub *hub, size_t want, long timeout_ms)
{
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    while (httpd_sse_subscriber_count(hub) != want) {
        if (pu_time_mono_ms() > deadline)
            return false;
        pu_time_sleep_ms(5);
    }
    return true;
}

#endif
