/*
 * canned_server: a loopback HTTP/1.1 server that replays scripted exchanges, for the
 * SDK's REST tests (curl's test-server style).
 *
 * It listens on 127.0.0.1 on an ephemeral port and runs on its own thread. Connections
 * are kept alive (several may be open). Every complete request (head and Content-Length
 * body) is recorded, then answered by the next step of the script, in arrival order:
 * the step's request-line prefix is checked (a mismatch is recorded as a failure) and
 * its reply is sent. A request past the end of the script gets a 500 and is a failure.
 *
 * The steps are copied at start; nothing the caller passed is kept.
 */
#ifndef CANNED_SERVER_H
#define CANNED_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct canned_step {
    const char *expect;  /* the request line must start with this, e.g. "GET /v1/devices ";
                            NULL = any request */
    int status;          /* non-zero: reply "HTTP/1.1 <status>" with body, Content-Length
                            and Content-Type: application/json (unless headers set one) */
    const char *headers; /* extra header lines, each ending in "\r\n"; NULL = none */
    const char *body;    /* the body for status replies; NULL = empty */
    const char *raw;     /* status == 0: these bytes are sent verbatim */
    bool close_after;    /* close the connection after the reply */
    bool no_reply;       /* read the request and never answer (the socket stays open) */
} canned_step;

typedef struct canned_server canned_server;

/* Starts the server on its thread. Returns NULL on failure. */
canned_server *canned_server_start(const canned_step *steps, size_t nsteps);

/* "http://127.0.0.1:<port>" into @p out. */
void canned_server_url(const canned_server *srv, char *out, size_t size);

/* Number of complete requests received so far. */
size_t canned_server_request_count(canned_server *srv);

/* Number of TCP connections accepted so far (keep-alive checks). */
size_t canned_server_connection_count(canned_server *srv);

/* Copies the raw text of request @p i (head and body, NUL-terminated) into @p out.
 * Returns false when there is no such request. */
bool canned_server_request(canned_server *srv, size_t i, char *out, size_t size);

/* The body of request @p i (text after the blank line) into @p out. */
bool canned_server_request_body(canned_server *srv, size_t i, char *out, size_t size);

/* Monotonic milliseconds (pu_time_mono_ms) at which request @p i was complete; -1 if none. */
int64_t canned_server_request_time_ms(canned_server *srv, size_t i);

/* True when every request matched its step and no extra request came. Otherwise copies
 * the first failure into @p why. */
bool canned_server_ok(canned_server *srv, char *why, size_t size);

/* Stops the thread, closes every socket and frees the server. NULL-safe. */
void canned_server_stop(canned_server *srv);

/* A port on 127.0.0.1 where nothing listens (bound and closed again), for refused
 * connections. Returns 0 on failure. */
int canned_unused_port(void);

#endif
