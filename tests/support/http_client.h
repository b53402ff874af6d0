/*
 * A small libcurl client for tests that talk to loopback servers: one-shot requests with
 * captured status, headers and body, and streaming GETs (SSE) read on a background thread.
 * Every call is bounded in time. Call curl_global_init() once before using it.
 *
 * Thread-safety: one http_stream may be waited on from one thread at a time;
 * http_stream_text() and http_stream_wait_*() lock internally.
 */
#ifndef TEST_HTTP_CLIENT_H
#define TEST_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef struct http_call {
    const char *method; /* NULL = "GET" (or "POST" when body is set) */
    const char *url;
    const char *const *headers; /* NULL-terminated "Name: value" list, may be NULL */
    const char *body;           /* may be NULL */
    size_t body_len;
    bool chunked;    /* send the body with Transfer-Encoding: chunked */
    long timeout_ms; /* 0 = 10000 */
} http_call;

typedef struct http_reply {
    int curl_code; /* CURLcode; 0 on a complete exchange */
    long status;   /* 0 if no response */
    char *body;    /* NUL-terminated */
    size_t body_len;
    char *headers; /* the raw header block(s) */
} http_reply;

/* Performs @p call; the reply is filled even on failure. Returns curl_code. */
int http_perform(const http_call *call, http_reply *out);
void http_reply_dispose(http_reply *reply);

/* Value of the last header @p name (case-insensitive) as a malloc'd string, or NULL. */
char *http_reply_header(const http_reply *reply, const char *name);

/* The body parsed as JSON (new reference) or NULL. */
json_t *http_reply_json(const http_reply *reply);

/* The "items" array of a list page ({"items": [...], "next": ...}; new reference), or NULL
 * when the body is not one. */
json_t *http_reply_items(const http_reply *reply);

/* Convenience: "http://127.0.0.1:<port><path>" into @p buf. Returns buf. */
char *http_url(char *buf, size_t size, unsigned short port, const char *path);

/* Room for header lines built at run time; http_headers_bearer() fills it. */
typedef struct http_headers {
    char auth[320];
    char accept[160];
    char content_type[160];
    const char *list[4]; /* NULL-terminated view of the lines above, for http_call.headers */
} http_headers;

/* "Authorization: Bearer <token>", "Accept: <accept>" and "Content-Type: <content_type>",
 * each only when its value is not NULL, into @p h. Returns h->list (valid while @p h is).
 * Aborts if a line does not fit: a truncated header would test something else. */
const char *const *http_headers_bearer(http_headers *h, const char *token, const char *accept,
                                       const char *content_type);

typedef struct http_stream http_stream;

/* Starts a GET on a background thread that collects the body. Never NULL. */
http_stream *http_stream_open(const char *url, const char *const *headers);

/* Waits until the collected body contains @p needle; false on timeout or end of stream
 * without it. */
bool http_stream_wait_for(http_stream *s, const char *needle, long timeout_ms);

/* Waits until at least @p count body bytes arrived; false on timeout or end of stream. */
bool http_stream_wait_bytes(http_stream *s, size_t count, long timeout_ms);

/* Value of response header @p name (malloc'd) or NULL. */
char *http_stream_header(http_stream *s, const char *name);

/* Waits until the transfer ended (server closed or error). */
bool http_stream_wait_done(http_stream *s, long timeout_ms);

/* Copy of what was received so far (caller frees). */
char *http_stream_text(http_stream *s);

/* HTTP status once headers arrived (0 before). */
long http_stream_status(http_stream *s);

/* Aborts the transfer (cuts the socket), joins the thread and frees. NULL-safe. */
void http_stream_close(http_stream *s);

#endif
