/*
 * Internal structures of the server layer, shared by its .c files only.
 *
 * Lifetimes: an httpd_request (with its embedded httpd_response) is allocated when MHD
 * reports the request line (URI log callback), lives in MHD's *req_cls and is freed in
 * NOTIFY_COMPLETED. It is touched only by the worker thread that owns the connection, and
 * by the timer thread while a delayed response waits (see httpd_timer.h).
 */
#ifndef HTTPD_INTERNAL_H
#define HTTPD_INTERNAL_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <microhttpd.h>

#include "httpd.h"
#include "httpd_deadline.h"
#include "httpd_router.h"
#include "httpd_timer.h"
#include "pu_buf.h"

typedef enum httpd_response_kind {
    HTTPD_RES_NONE, /* handler filled nothing: 500 */
    HTTPD_RES_BUFFER,
    HTTPD_RES_STREAM, /* an endless body from a producer (httpd_sse.c's streams) */
} httpd_response_kind;

/*
 * The producer of a streamed body, as the response holds it until MHD takes over: the
 * response layer calls create() when it builds the MHD response (which then owns @c state),
 * or discard() when the response is dropped unbuilt. So responses need not know streams.
 */
typedef struct httpd_stream_body {
    void *state;
    struct MHD_Response *(*create)(void *state);
    void (*discard)(void *state);
} httpd_stream_body;

typedef struct httpd_header {
    char *name;
    char *value;
    struct httpd_header *next;
} httpd_header;

struct httpd_response {
    httpd_response_kind kind;
    unsigned int status;
    char *body; /* malloc'd, handed to MHD */
    size_t body_len;
    char *content_type; /* NULL = none (empty body) */
    httpd_header *headers;
    unsigned int delay_ms;
    httpd_stream_body stream; /* kind HTTPD_RES_STREAM: owned here until built */
};

typedef enum httpd_request_state {
    HTTPD_REQ_NEW,      /* URI seen, headers not yet */
    HTTPD_REQ_READING,  /* receiving the body */
    HTTPD_REQ_DELAYED,  /* response built, connection suspended in the timer */
    HTTPD_REQ_DUE,      /* timer fired: queue the built response */
    HTTPD_REQ_ANSWERED, /* response queued */
} httpd_request_state;

/* Strings handed out by httpd_request_arg for non-string JSON values. */
typedef struct httpd_str_list {
    struct httpd_str_list *next;
    char text[];
} httpd_str_list;

struct httpd_request {
    httpd_server *srv;
    struct MHD_Connection *conn;
    httpd_request_state state;
    const char *method; /* MHD's, valid for the request */
    char *path;         /* raw path without the query */
    httpd_match match;
    pu_buf body;      /* the upload so far; the cap is checked before each append */
    size_t discarded; /* bytes thrown away after the body crossed the cap */
    bool too_large;
    json_t *json; /* parsed body, never NULL once the handler runs */
    char client_ip[INET6_ADDRSTRLEN];
    void *user;
    void (*user_free)(void *);
    httpd_str_list *strings;
    httpd_watch *watch; /* the connection's request deadline; NULL when none */
    httpd_response res;
};

/* What httpd_server_stop() runs before MHD stops, e.g. a hub ending this server's streams. */
typedef void httpd_stop_hook_fn(void *object, const httpd_server *srv);
typedef struct httpd_stop_hook {
    httpd_stop_hook_fn *fn;
    void *object;
} httpd_stop_hook;

typedef struct httpd_stop_hooks {
    httpd_stop_hook *hooks;
    size_t count;
    size_t cap;
    pthread_mutex_t lock;
} httpd_stop_hooks;

struct httpd_server {
    httpd_options opts; /* defaults resolved */
    char listen_addr[INET6_ADDRSTRLEN];
    httpd_router router;
    struct MHD_Daemon *daemon;
    unsigned short port;
    atomic_bool stopping;         /* set first thing in httpd_server_stop */
    atomic_uint handlers_running; /* route handlers inside their call (httpd_server_stop) */
    httpd_timer timer;
    bool timer_started;
    httpd_stop_hooks stop_hooks; /* e.g. the hubs that got subscribers from this server */
    httpd_deadline deadline;
    unsigned int connection_limit; /* opts.connection_limit fitted to the open-file limit */
    atomic_uint open_connections;
    char *allowed_origins;        /* copy of opts.allowed_origins; NULL = none */
    pthread_mutex_t refusal_lock; /* rate of the "connection limit" log line */
    int64_t refusal_logged_ms;
    unsigned int refusals_unlogged;
};

/* ---- responses (httpd_response.c) ---- */
void httpd__response_init(httpd_response *res);
/* Frees what the response holds; unregisters an SSE subscriber that never started. */
void httpd__response_dispose(httpd_response *res);
/* Clears a previously filled response so a new one can be set. */
void httpd__response_reset(httpd_response *res);
/* Fills @p res with the JSON error body {"ok":false,"error":message}. */
void httpd__response_error(httpd_response *res, unsigned int status, const char *message);
/* Builds the MHD response (with extra headers, and Access-Control-Allow-Origin set to
 * @p allow_origin unless NULL). Takes the stream body's state. */
struct MHD_Response *httpd__response_build(httpd_response *res, const char *allow_origin);

/* ---- SSE (httpd_sse.c) ---- */
/* What the hub's flow control did, for tests (the hub's lock is taken). */
typedef struct httpd__sse_stats {
    size_t peak_queued_bytes;  /* the most unsent bytes one subscriber's queue held */
    uint64_t lagged;           /* times a live subscriber fell back to the ring */
    uint64_t ring_frames_sent; /* events a lagging subscriber took from the ring */
    uint64_t fell_out;         /* lagging subscribers ended because the ring moved past them */
} httpd__sse_stats;
httpd__sse_stats httpd__sse_hub_stats(httpd_sse_hub *hub);

/* ---- server (httpd_server.c) ---- */
/* Has httpd_server_stop() call @p fn(@p object, srv) once (a hook already added is not
 * added again). The object must outlive the server's stop. */
void httpd__server_add_stop_hook(httpd_server *srv, httpd_stop_hook_fn *fn, void *object);

#endif
