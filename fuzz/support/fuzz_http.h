/*
 * fuzz_http: what the request-handling fuzz targets share. A target starts its server
 * in-process on loopback port 0 (particle-sim, particle-bridge) once, then for each input
 * builds an HTTP request from the bytes, sends it over one connection kept open across
 * inputs (a new one when the server has closed it), reads the whole answer and checks it is
 * well-formed. The router, the handlers and the body parsing run
 * in this process, instrumented, on the server's worker thread.
 *
 * The input (fuzz_http_build):
 *   byte 0         the method: GET POST PUT DELETE PATCH HEAD OPTIONS (value mod 7)
 *   up to '\n'     the request target (path and query); bytes not allowed in it are
 *                  percent-encoded, a missing leading '/' is added
 *   lines          "Name: value" headers up to an empty line; Host, Content-Length,
 *                  Transfer-Encoding and Connection are the harness's, malformed lines are
 *                  dropped, control characters in values are dropped
 *   the rest       the body (Content-Length is its size)
 * Without an Authorization header in the input, the target's default one is sent, so most
 * inputs get past authentication.
 *
 * The checks (fuzz_http_check): a status line "HTTP/1.x NNN" with NNN in 100-599 and not 500
 * (the layer's answer to a handler that filled nothing or failed), headers ending in an
 * empty line, no "Access-Control-Allow-Origin: *" (none configured), a Content-Length that
 * matches the body (no byte after it), no chunked answer but an event stream, and a body
 * that parses when it is declared JSON. An event stream's connection is closed as soon as
 * its headers arrived. A server that does not answer within 10 s fails.
 * A failed check prints the exchange and aborts, so libFuzzer keeps the input.
 */
#ifndef FUZZ_HTTP_H
#define FUZZ_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pu_buf.h"

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Builds the request for @p data into @p out (cleared first); @p default_headers ("Name:
 * value\r\n" lines, may be "") are added unless the input has an Authorization header. */
void fuzz_http_build(const uint8_t *data, size_t size, const char *default_headers, pu_buf *out);

/* The method fuzz_http_build() sends for @p data. */
const char *fuzz_http_method(const uint8_t *data, size_t size);

/* False when the request built from @p data, answered @p status, cannot have changed the
 * server's state: a GET, HEAD or OPTIONS, or a refusal (4xx; both servers apply a change all
 * or nothing, so a refused request changed nothing; a read that changes what it reads, as a
 * random walk variable's next step, is not counted). A target that restores its server's
 * state before each input skips that work after such an input. */
bool fuzz_http_may_change_state(const uint8_t *data, size_t size, int status);

/* Sends @p request to 127.0.0.1:@p port, reads the answer and checks it (aborts on a
 * failed check). Returns the status. */
int fuzz_http_exchange(unsigned short port, const pu_buf *request);

#endif
