/*
 * httpd: the HTTP server layer shared by particle-sim and particle-bridge, on libmicrohttpd.
 *
 * It owns the sockets and everything generic about serving a JSON REST API:
 *  - routing: a table of {method, pattern, handler}; patterns are literal segments,
 *    ":name" segments (one non-empty path segment, percent-decoded) and a final "*name" segment
 *    that captures the (percent-decoded) rest of the path, possibly empty, possibly with
 *    slashes. Routes are tried in the order they were added; the first match wins, so add
 *    the more specific route first ("/v1/devices/events" before "/v1/devices/:id").
 *    A path that matches a pattern under another method only gives 405 (with an Allow
 *    header); no match gives 404. A GET route also answers HEAD. A path with a malformed
 *    %-escape, or one that decodes to NUL, gives 400.
 *  - errors the layer produces itself are JSON: {"ok":false,"error":"<message>"}, the message
 *    being the reason phrase ("Not Found", "Method Not Allowed", "Payload Too Large", ...)
 *    or a precise text for 400s ("JSON body must be an object"). httpd_response_error()
 *    gives handlers the same shape.
 *  - requests: query parameters, headers, the client address, and the body. The body is
 *    read with a cap (httpd_options.max_body_bytes, default 1 MiB; larger gives 413) and
 *    parsed once: application/json (and application/schema+json) must be a JSON object (else
 *    400), and
 *    application/x-www-form-urlencoded is turned into a JSON object of strings (a[]=x&a[]=y
 *    gives an array; '+' is a space; a repeated plain key keeps its last value);
 *    multipart/form-data (libmicrohttpd's post processor) gives each text part by name, a
 *    file part's content as its value, binary parts left out (httpd_request_file() has
 *    them). Any other or missing content type leaves an empty object. A Content-Length
 *    above the cap is answered 413 at once; a chunked body is answered 413 when it ends
 *    (MHD cannot answer in mid-upload), and dropped unread beyond 16 MiB by closing the
 *    connection. Request lines and headers are limited by a 64 KiB per-connection memory
 *    pool: MHD answers 414/431 or closes the connection.
 *  - OPTIONS requests no route handles get a generic CORS preflight answer (204 with
 *    Access-Control-Allow-Methods/-Headers/-Max-Age); a response carries
 *    Access-Control-Allow-Origin only for an origin listed in httpd_options.allowed_origins
 *    (none by default).
 *  - request headers are strict: a request whose Authorization header holds a control
 *    character (a NUL included, which would otherwise cut the value short) gets 400.
 *  - a middleware hook (httpd_options.before) that runs before every handler: auth and
 *    rate limits live there.
 *  - responses: JSON (compact, `application/json; charset=utf-8`, CORS header), plain text,
 *    empty 204, delayed responses (the connection waits without blocking a thread), and
 *    Server-Sent-Event streams fed by an httpd_sse_hub.
 *  - a server never crashes on a request: bad input gives a JSON error or a closed
 *    connection. Out of memory aborts (documented in docs/ARCHITECTURE.md): like h2o, every
 *    allocation this layer makes (the JSON containers it creates included) prints a message
 *    and calls abort() when it fails, so no function here reports ENOMEM.
 *
 * Threads: MHD runs a pool of httpd_options.threads worker threads (epoll where available);
 * handlers and the before hook run on them, several at once; they must lock their own
 * shared state. Each server has one timer thread (delayed responses) and each hub one
 * thread (keep-alives, and noticing clients that hang up while their stream is idle).
 * httpd_sse_publish() and httpd_sse_subscriber_count() may be called from any thread. Servers and
 * routes are configured from one thread before start.
 */
#ifndef HTTPD_H
#define HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct httpd_server httpd_server;
typedef struct httpd_request httpd_request;   /* valid only during the handler call */
typedef struct httpd_response httpd_response; /* valid only during the handler call */
typedef struct httpd_sse_hub httpd_sse_hub;

/* A route handler fills @p res. If it fills nothing the client gets a JSON 500. */
typedef void httpd_handler_fn(const httpd_request *req, httpd_response *res, void *payload);

/*
 * Runs before the matched route's handler. Return true to go on to the handler, false
 * when it has filled @p res itself (e.g. a 401). @p route_flags are the flags the route
 * was added with (see HTTPD_ROUTE_*).
 */
typedef bool httpd_before_fn(const httpd_request *req, httpd_response *res,
                             unsigned int route_flags, void *payload);

/* Route flags, passed to the before hook; meaning is up to the application. */
#define HTTPD_ROUTE_PUBLIC 0x1u /* e.g. no token needed */

/*
 * Connection limits (libmicrohttpd enforces the first three). Beyond connection_limit or
 * per_ip_connection_limit a new connection is accepted and closed at once, without an
 * answer, and the server logs "Server reached connection limit" (at most one such line per
 * second, with a count of the ones left out). connection_limit is lowered to what the
 * process's open-file limit allows (the soft limit is first raised towards the hard one),
 * with a log line. request_deadline_s bounds the time a client has to send one complete
 * request (request line, headers and body), counted from when the connection opens or its
 * previous response was sent, so it also bounds an idle keep-alive; a connection past it is
 * closed without an answer (httpd_deadline.h). Streams and delayed responses are past
 * their request and not affected. With the defaults a server keeps answering while 5,000
 * trickling connections from several addresses are open (tests/unit/httpd/test_httpd_abuse.c).
 */
typedef struct httpd_options {
    const char *listen_addr;           /* numeric IPv4/IPv6 address; NULL = "127.0.0.1" */
    unsigned short port;               /* 0 = any free port, see httpd_server_port() */
    size_t max_body_bytes;             /* 0 = 1 MiB */
    unsigned int connection_limit;     /* all clients; 0 = 16384 */
    unsigned int connection_timeout_s; /* silence on a non-SSE connection; 0 = 60 */
    unsigned int threads;              /* worker threads; 0 = number of CPUs */
    httpd_before_fn *before;           /* may be NULL */
    void *before_payload;
    unsigned int per_ip_connection_limit; /* per client address; 0 = 1024 */
    unsigned int request_deadline_s;      /* to send one whole request; 0 = 30 */
    /* Origins answered with Access-Control-Allow-Origin: a comma-separated list of exact
     * origins ("https://a.example, http://localhost:3000"; the request's Origin is echoed
     * with Vary: Origin when listed), or "*" for any. NULL or "" = none: no CORS header. */
    const char *allowed_origins;
} httpd_options;

/* Creates a server (not yet listening). Returns NULL only on out of memory. */
httpd_server *httpd_server_new(const httpd_options *opts);

/* Adds a route; returns 0, or -1 on a malformed pattern. Call before httpd_server_start. */
int httpd_route_add(httpd_server *srv, const char *method, const char *pattern,
                    unsigned int route_flags, httpd_handler_fn *handler, void *payload);

/* Calls @p fn with each route's method, pattern (as added: "/v1/devices/:id") and flags, in
 * the order they were added: for a server that describes its own routes (OpenAPI). */
typedef void httpd_route_fn(const char *method, const char *pattern, unsigned int route_flags,
                            void *payload);
void httpd_server_route_each(const httpd_server *srv, httpd_route_fn *fn, void *payload);

/* Binds and starts serving. Returns 0, or -1 with a message in @p err (may be NULL). */
int httpd_server_start(httpd_server *srv, char *err, size_t err_size);

/* The bound port (useful with port 0); 0 before start. */
unsigned short httpd_server_port(const httpd_server *srv);

/* Stops serving: from its first step a request's handler is no longer called (503 "Server
 * is shutting down"), handlers already running finish, then SSE streams end after sending
 * what they have queued (so an event a handler published and answered for reaches them),
 * delayed responses' connections are sent on their way, and every connection closes. Safe to call
 * twice; a stopped server cannot be started again. */
void httpd_server_stop(httpd_server *srv);

/* Stops if needed and frees. NULL-safe. Hubs are freed separately, after the server. */
void httpd_server_free(httpd_server *srv);

/* ---- requests ---- */
const char *httpd_request_method(const httpd_request *req);
const char *httpd_request_path(const httpd_request *req); /* raw, without query */
const char *httpd_request_param(const httpd_request *req, const char *name);  /* route param */
const char *httpd_request_query(const httpd_request *req, const char *name);  /* NULL if absent */
const char *httpd_request_header(const httpd_request *req, const char *name); /* case-insens. */
/* Calls @p fn with each query parameter in the order sent, repeated names included (value ""
 * for "?flag" without '='), until it returns false; for handlers that refuse unknown or
 * repeated parameters. Returns false when @p fn stopped it. */
typedef bool httpd_query_fn(const char *name, const char *value, void *payload);
bool httpd_request_query_each(const httpd_request *req, httpd_query_fn *fn, void *payload);
const char *httpd_request_client_ip(const httpd_request *req);    /* "127.0.0.1" */
const char *httpd_request_content_type(const httpd_request *req); /* NULL if absent */
/* The parsed body as a JSON object (borrowed; never NULL; empty object when no body). */
json_t *httpd_request_body(const httpd_request *req);
/* A string field from the body, else from the query string; NULL when absent. Numbers and
 * booleans in a JSON body are returned in their JSON text form ("1", "true"). */
const char *httpd_request_arg(const httpd_request *req, const char *name);
/* One part of a multipart/form-data body, bytes and all (binary parts included). */
typedef struct httpd_file {
    char *data; /* malloc'd; NUL-terminated after len bytes */
    size_t len;
    char *filename;     /* malloc'd; NULL when the part has none */
    char *content_type; /* malloc'd; NULL when the part has none */
} httpd_file;
/* The first part named @p name of a multipart/form-data body (firmware uploads: the parsed
 * body leaves binary parts out). Returns 1 when found, 0 when the request is not multipart
 * or has no such part, -1 on a body that does not parse. Free @p out with
 * httpd_file_dispose(). */
int httpd_request_file(const httpd_request *req, const char *name, httpd_file *out);
void httpd_file_dispose(httpd_file *f); /* NULL-safe; leaves @p f empty */
/* Per-request storage for the before hook to hand data to the handler (e.g. the caller's
 * identity); freed with @p free_fn (may be NULL) when the request ends. */
void httpd_request_set_user(const httpd_request *req, void *user, void (*free_fn)(void *));
void *httpd_request_user(const httpd_request *req);

/* ---- responses ---- */
/* JSON body; steals the reference to @p body. */
void httpd_response_json(httpd_response *res, unsigned int status, json_t *body);
/*
 * Pre-rendered JSON body: takes ownership of @p json (malloc'd; the layer frees it with free()
 * once sent, or at once if the response is replaced) and sends its first @p len bytes as
 * they are, with the same headers as httpd_response_json(). For hot routes that render
 * their JSON without building a jansson tree; the caller vouches that the bytes are JSON.
 * @p json NULL or @p len 0 is the handler's bug: the client gets a JSON 500.
 */
void httpd_response_json_take(httpd_response *res, unsigned int status, char *json, size_t len);
/* Body copied; content_type NULL = "text/plain; charset=utf-8". */
void httpd_response_text(httpd_response *res, unsigned int status, const char *content_type,
                         const char *body, size_t len);
/* JSON error body {"ok":false,"error":message}; @p message NULL = the status's reason
 * phrase. The layer's own errors (404, 405, 400, 413, 500) use the same shape. */
void httpd_response_error(httpd_response *res, unsigned int status, const char *message);
/* Empty body (e.g. 204). */
void httpd_response_empty(httpd_response *res, unsigned int status);
/* Extra header (copied). */
void httpd_response_header(httpd_response *res, const char *name, const char *value);
/* Sends the response only after @p delay_ms, without holding a worker thread (the
 * connection is suspended and the server's timer thread resumes it). Ignored for SSE. */
void httpd_response_delay(httpd_response *res, unsigned int delay_ms);

/* ---- Server-Sent Events ---- */

/*
 * A hub fans events out to its subscribers. Each published event gets the next id (1, 2,
 * ...) and is kept in a ring of the last ring_size events for Last-Event-ID replay.
 * Frames are written as "id: N\nevent: NAME\ndata: DATA\n\n" in one piece (built once and
 * shared by all subscribers; no "event:" line when NAME is empty). Each subscriber has a
 * bounded queue (max_queue_bytes of unsent bytes). Flow control instead of dropping: a
 * subscriber whose queue is full, and one resuming with Last-Event-ID, reads events from the
 * ring at its own cursor as its socket drains (one MHD block at a time) until it has caught
 * up; only when the ring overwrites the event at its cursor does its stream end, with a
 * ":gap" comment after what it had queued (a reader that stops reading then is cut
 * keepalive_ms later). Memory stays bounded: the ring's ring_size events plus, per
 * subscriber, max_queue_bytes and 16 KiB of references to those frames. A keep-alive comment
 * ":\n\n" goes to every subscriber that saw no write for keepalive_ms (measured from its
 * own last write). Streams are exempt from connection_timeout_s.
 */
typedef struct httpd_sse_hub_options {
    size_t ring_size;               /* 0 = 1024 events */
    unsigned int keepalive_ms;      /* 0 = 9000 */
    size_t max_queue_bytes;         /* per subscriber; 0 = 1 MiB */
    size_t max_subscribers;         /* 0 = 10000; more gives 503 */
    uint64_t first_id;              /* id of the first event; 0 = 1 (see httpd_sse_id_base_now) */
    unsigned int replay_max_age_ms; /* replay skips events older than this; 0 = no limit */
} httpd_sse_hub_options;

/*
 * A first id that a process started later always numbers above: the milliseconds since
 * 2020-01-01 UTC shifted left by 22 bits, plus 1 (below 2^63 until 2089). A process started
 * at millisecond T0 that published N events ends at id (T0 << 22) + N, below (T1 << 22) for
 * any later start T1 as long as it published fewer than 2^22 (4 million) events per
 * millisecond of its life on average.
 */
uint64_t httpd_sse_id_base_now(void);

/* @p event_ctx is what the application attached to the event; @p sub_payload the
 * subscriber's own filter payload. Return true to deliver. Called with the hub locked:
 * must not call back into the hub. */
typedef bool httpd_sse_filter_fn(const void *event_ctx, void *sub_payload);

httpd_sse_hub *httpd_sse_hub_new(const httpd_sse_hub_options *opts);
/* NULL-safe; after every server that streamed from it is stopped (aborts if a stream is
 * still open). */
void httpd_sse_hub_free(httpd_sse_hub *hub);
/* 0 = the default (9000). */
void httpd_sse_hub_set_keepalive(httpd_sse_hub *hub, unsigned int keepalive_ms);

/*
 * Publishes one event: @p name and @p data (one line of JSON; must not contain '\n': any
 * CR or LF is written as a space) are framed once and queued for every subscriber whose
 * filter accepts @p event_ctx. The hub takes ownership of @p event_ctx and frees it with
 * @p ctx_free (may be NULL) when the event leaves the ring, outside the hub lock. Returns
 * the event id.
 */
uint64_t httpd_sse_publish(httpd_sse_hub *hub, const char *name, const char *data, void *event_ctx,
                           void (*ctx_free)(void *));

/* Number of open subscriptions. */
size_t httpd_sse_subscriber_count(httpd_sse_hub *hub);

/*
 * Ends every open stream on @p hub whose filter payload @p match accepts, called as
 * match(@p ctx, filter_payload) with the hub locked (so, like a filter, it must not call back
 * into the hub). Frames already queued are still sent, then the stream ends as at server
 * stop. For example: the streams opened with a token that was just revoked. Returns how
 * many streams it ended. Any thread.
 */
size_t httpd_sse_close_where(httpd_sse_hub *hub, httpd_sse_filter_fn *match, const void *ctx);

/*
 * Turns the response into an SSE stream on @p hub: status 200, text/event-stream, no-cache,
 * X-Accel-Buffering: no; first bytes ":ok\n\n". If @p last_event_id is non-zero, ring
 * events with a greater id that pass the filter are sent first, from the ring at the reader's
 * pace (replay and registration are atomic, so nothing is lost or doubled). When the window
 * (ring_size events no older than replay_max_age_ms) no longer reaches back to
 * @p last_event_id, a comment ":gap N" (ids skipped) or ":gap" (the id is from an earlier
 * process: count unknown) comes first. @p filter_payload is freed with @p payload_free when
 * the subscriber goes away. When the hub has max_subscribers streams, or the server is
 * stopping, the response becomes a 503 JSON error and the payload is freed at once.
 */
void httpd_response_sse(httpd_response *res, httpd_sse_hub *hub, httpd_sse_filter_fn *filter,
                        void *filter_payload, void (*payload_free)(void *), uint64_t last_event_id);

#endif
