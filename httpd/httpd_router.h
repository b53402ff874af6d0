/*
 * The route table: {method, pattern, flags, handler, payload} tried in insertion order.
 * Patterns are described in httpd.h. Not thread-safe while adding; matching is read-only,
 * so any number of worker threads may match concurrently once the server started.
 */
#ifndef HTTPD_ROUTER_H
#define HTTPD_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "httpd.h"

#define HTTPD_MAX_PARAMS 16  /* ":name"/"*name" segments per pattern */
#define HTTPD_ALLOW_SIZE 128 /* "GET, POST, ..." list for 405 and preflight */

typedef struct httpd_route httpd_route;

typedef struct httpd_router {
    httpd_route *routes;
    size_t count;
    size_t cap;
} httpd_router;

typedef struct httpd_param {
    const char *name; /* borrowed from the route */
    char *value;      /* percent-decoded, owned by the match */
} httpd_param;

typedef enum httpd_match_result {
    HTTPD_MATCH_FOUND,
    HTTPD_MATCH_NONE,         /* 404 */
    HTTPD_MATCH_WRONG_METHOD, /* 405; allow lists the methods that would match */
    HTTPD_MATCH_BAD_PATH,     /* 400: bad percent-encoding or an encoded NUL */
} httpd_match_result;

typedef struct httpd_match {
    httpd_handler_fn *handler;
    void *payload;
    unsigned int flags;
    httpd_param params[HTTPD_MAX_PARAMS];
    size_t param_count;
    char allow[HTTPD_ALLOW_SIZE]; /* methods of every route whose pattern matches the path */
} httpd_match;

void httpd_router_init(httpd_router *router);
void httpd_router_dispose(httpd_router *router);

/* Returns 0, or -1 if @p method or @p pattern is malformed (see httpd_route_add). */
int httpd_router_add(httpd_router *router, const char *method, const char *pattern,
                     unsigned int flags, httpd_handler_fn *handler, void *payload);

/*
 * Matches @p method and the raw (still percent-encoded) @p path. A GET route also answers
 * HEAD. On HTTPD_MATCH_FOUND, @p out holds the handler and decoded params; release them
 * with httpd_match_dispose() whatever the result.
 */
httpd_match_result httpd_router_match(const httpd_router *router, const char *method,
                                      const char *path, httpd_match *out);
void httpd_match_dispose(httpd_match *match);

/* Calls @p fn for each route, in the order they were added (httpd_server_route_each). */
void httpd_router_each(const httpd_router *router, httpd_route_fn *fn, void *payload);

#endif
