/*
 * sse_server: a scripted loopback HTTP server for event-stream client tests.
 *
 * It listens on 127.0.0.1 on an ephemeral port and serves one connection at a time on its
 * own thread. For each connection it reads the request head (recorded for the test to
 * inspect), then plays a script: raw chunks written with send(), each after a delay and
 * possibly repeated, then either closes the connection or holds it open until the client
 * goes away. The chunks are raw bytes, status line and headers included, so a test decides
 * exactly what arrives in which write (e.g. the headers and the first event together).
 *
 * Connection i (0-based) plays scripts[i], or the last script once i runs past the end.
 * Scripts and the bytes they point to must stay valid until sse_server_stop().
 * Every wait is bounded and sse_server_stop() interrupts delays and holds at once.
 */
#ifndef SSE_SERVER_H
#define SSE_SERVER_H

#include <stdbool.h>
#include <stddef.h>

/* Headers of a good stream answer. No Content-Length: the body ends when the server closes. */
#define SSE_OK_HEADERS                                                                             \
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"            \
    "Connection: close\r\n\r\n"

#define SSE_MAX_CHUNKS 16
#define SSE_MAX_REQUESTS 64

typedef struct sse_chunk {
    int delay_ms;      /* wait this long before writing */
    const char *bytes; /* NUL-terminated unless len is set */
    size_t len;        /* 0 = strlen(bytes) */
    int repeat;        /* write (delay, bytes) this many times; 0 means once */
} sse_chunk;

typedef struct sse_script {
    sse_chunk chunks[SSE_MAX_CHUNKS];
    size_t nchunks;
    bool hold; /* after the chunks: keep the connection open until the client closes it */
} sse_script;

typedef struct sse_server sse_server;

/* Starts the server thread. Returns NULL on failure. */
sse_server *sse_server_start(const sse_script *scripts, size_t nscripts);

/* The port it listens on. */
int sse_server_port(const sse_server *srv);

/* "http://127.0.0.1:<port>" into @p out. */
void sse_server_url(const sse_server *srv, char *out, size_t size);

/* Number of requests received so far. */
size_t sse_server_request_count(sse_server *srv);

/* Waits until at least @p n requests arrived, at most @p timeout_ms. True if they did. */
bool sse_server_wait_requests(sse_server *srv, size_t n, int timeout_ms);

/* Copies the request line of request @p i ("GET /path HTTP/1.1") into @p out. False if
 * there is no such request. */
bool sse_server_request_line(sse_server *srv, size_t i, char *out, size_t size);

/* Copies the value of header @p name (case-insensitive) of request @p i into @p out.
 * False if the request or the header is missing. */
bool sse_server_request_header(sse_server *srv, size_t i, const char *name, char *out, size_t size);

/* Stops the thread, closes every socket and frees the server. NULL-safe. */
void sse_server_stop(sse_server *srv);

#endif
