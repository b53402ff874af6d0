/* Route table and path matching (see httpd_router.h). */
#include "httpd_router.h"

#include <string.h>

#include "httpd_alloc.h"
#include "pu_str.h"

typedef enum segment_kind { SEG_LITERAL, SEG_PARAM, SEG_REST } segment_kind;

typedef struct segment {
    segment_kind kind;
    char *text; /* literal text, or the param name without ':' / '*' */
} segment;

struct httpd_route {
    char *method;
    char *pattern; /* as added, for httpd_server_route_each */
    unsigned int flags;
    httpd_handler_fn *handler;
    void *payload;
    segment *segments;
    size_t segment_count;
};

void httpd_router_init(httpd_router *router)
{
    memset(router, 0, sizeof(*router));
}

static void route_dispose(httpd_route *route)
{
    for (size_t i = 0; i < route->segment_count; i++)
        free(route->segments[i].text);
    free(route->segments);
    free(route->method);
    free(route->pattern);
}

void httpd_router_dispose(httpd_router *router)
{
    for (size_t i = 0; i < router->count; i++)
        route_dispose(&router->routes[i]);
    free(router->routes);
    memset(router, 0, sizeof(*router));
}

/* An HTTP method is a token (RFC 9110); we accept upper-case letters and '-'. */
static bool method_valid(const char *method)
{
    if (!method || !*method)
        return false;
    for (const char *p = method; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || *p == '-'))
            return false;
    }
    return true;
}

/* Splits @p pattern (e.g. "/a/:b/" + "*c") into segments; returns -1 when malformed. */
static int compile_pattern(const char *pattern, httpd_route *route)
{
    if (!pattern || pattern[0] != '/')
        return -1;
    size_t count = 1;
    for (const char *p = pattern + 1; *p; p++)
        count += (*p == '/');
    route->segments = httpd_xcalloc(count, sizeof(segment));
    size_t params = 0;
    const char *start = pattern + 1;
    for (size_t i = 0; i < count; i++) {
        const char *end = strchr(start, '/');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        segment *seg = &route->segments[i];
        route->segment_count = i + 1;
        if (len > 0 && (start[0] == ':' || start[0] == '*')) {
            if (len == 1 || ++params > HTTPD_MAX_PARAMS)
                return -1;
            if (start[0] == '*' && i + 1 != count)
                return -1; /* a rest capture must be last */
            seg->kind = start[0] == ':' ? SEG_PARAM : SEG_REST;
            seg->text = httpd_xstrndup(start + 1, len - 1);
        } else {
            seg->kind = SEG_LITERAL;
            seg->text = httpd_xstrndup(start, len);
            if (strchr(seg->text, '%') && !pu_percent_decode(seg->text))
                return -1;
        }
        start = end ? end + 1 : start + len;
    }
    return 0;
}

int httpd_router_add(httpd_router *router, const char *method, const char *pattern,
                     unsigned int flags, httpd_handler_fn *handler, void *payload)
{
    if (!method_valid(method) || !handler)
        return -1;
    httpd_route route = {.flags = flags, .handler = handler, .payload = payload};
    if (compile_pattern(pattern, &route) != 0) {
        route_dispose(&route);
        return -1;
    }
    route.method = httpd_xstrdup(method);
    route.pattern = httpd_xstrdup(pattern);
    if (router->count == router->cap) {
        router->cap = router->cap ? router->cap * 2 : 16;
        router->routes =
            httpd_xrealloc(router->routes, httpd_xmul(router->cap, sizeof(httpd_route)));
    }
    router->routes[router->count++] = route;
    return 0;
}

/*
 * The request path split at '/' and percent-decoded once per request, so trying each route
 * compares strings and allocates nothing. A segment is split before it is decoded, so an
 * encoded "%2F" stays inside its segment.
 */
typedef struct path_segments {
    char *buffer;       /* a copy of the path: the decoded segments, each NUL-terminated */
    const char **text;  /* segment i's decoded text */
    size_t *raw_offset; /* where segment i starts in the raw path (for a "*name" capture) */
    size_t count;
} path_segments;

static void path_segments_dispose(path_segments *segs)
{
    free(segs->buffer);
    free(segs->text);
    free(segs->raw_offset);
}

/* Splits and decodes @p path (which starts with '/'); false when a '%' does not start a valid
 * escape or encodes NUL (what pu_percent_decode refuses). */
static bool path_segments_split(const char *path, path_segments *segs)
{
    size_t count = 1;
    for (const char *p = path + 1; *p; p++)
        count += (*p == '/');
    segs->buffer = httpd_xstrdup(path + 1);
    segs->text = httpd_xcalloc(count, sizeof(*segs->text));
    segs->raw_offset = httpd_xcalloc(count, sizeof(*segs->raw_offset));
    segs->count = count;
    char *cursor = segs->buffer;
    for (size_t i = 0; i < count; i++) {
        char *end = strchr(cursor, '/');
        if (end)
            *end = '\0';
        segs->raw_offset[i] = 1 + (size_t)(cursor - segs->buffer);
        segs->text[i] = cursor;
        if (!pu_percent_decode(cursor))
            return false;
        cursor = end ? end + 1 : cursor + strlen(cursor);
    }
    return true;
}

/* True when the path's segments match one route's pattern. Path segment i meets pattern
 * segment i, so a capture's value is the path segment at its own index. */
static bool pattern_matches(const httpd_route *route, const path_segments *segs)
{
    for (size_t i = 0; i < route->segment_count; i++) {
        const segment *seg = &route->segments[i];
        if (seg->kind == SEG_REST)
            return true;
        if (i >= segs->count)
            return false;
        if (seg->kind == SEG_LITERAL) {
            if (strcmp(segs->text[i], seg->text) != 0)
                return false;
        } else if (segs->text[i][0] == '\0') {
            return false; /* a ":name" needs a non-empty segment */
        }
    }
    return route->segment_count == segs->count; /* not when the path has more segments */
}

/* The owned, decoded value of each ":name" / "*name" of the matched @p route. */
static void fill_params(const httpd_route *route, const char *path, const path_segments *segs,
                        httpd_match *out)
{
    size_t n = 0;
    for (size_t i = 0; i < route->segment_count; i++) {
        const segment *seg = &route->segments[i];
        if (seg->kind == SEG_LITERAL)
            continue;
        httpd_param *param = &out->params[n++];
        param->name = seg->text;
        if (seg->kind == SEG_PARAM) {
            param->value = httpd_xstrdup(segs->text[i]);
        } else if (i >= segs->count) {
            param->value = httpd_xstrdup(""); /* "*name" with nothing left to capture */
        } else {
            /* The rest of the raw path, slashes kept, decoded as one; it was valid above. */
            param->value = httpd_xstrdup(path + segs->raw_offset[i]);
            (void)pu_percent_decode(param->value);
        }
    }
    out->param_count = n;
}

static void free_params(httpd_param *params, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(params[i].value);
        params[i].value = NULL;
    }
}

static void allow_append(char *allow, const char *method)
{
    size_t len = strlen(allow);
    size_t mlen = strlen(method);
    /* skip duplicates: compare against each comma-separated entry */
    for (const char *p = allow; *p;) {
        const char *end = strstr(p, ", ");
        size_t elen = end ? (size_t)(end - p) : strlen(p);
        if (elen == mlen && memcmp(p, method, mlen) == 0)
            return;
        p += elen + (end ? 2 : 0);
    }
    if (len + mlen + 3 > HTTPD_ALLOW_SIZE)
        return;
    if (len > 0) {
        memcpy(allow + len, ", ", 2);
        len += 2;
    }
    memcpy(allow + len, method, mlen + 1);
}

httpd_match_result httpd_router_match(const httpd_router *router, const char *method,
                                      const char *path, httpd_match *out)
{
    memset(out, 0, sizeof(*out));
    if (!path || path[0] != '/')
        return HTTPD_MATCH_BAD_PATH;
    path_segments segs = {0};
    if (!path_segments_split(path, &segs)) {
        path_segments_dispose(&segs);
        return HTTPD_MATCH_BAD_PATH;
    }
    httpd_match_result result = HTTPD_MATCH_NONE;
    for (size_t i = 0; i < router->count; i++) {
        const httpd_route *route = &router->routes[i];
        if (!pattern_matches(route, &segs))
            continue;
        bool same = strcmp(route->method, method) == 0 ||
                    (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0);
        if (!same) {
            result = HTTPD_MATCH_WRONG_METHOD; /* unless a later route takes the method */
            allow_append(out->allow, route->method);
            if (strcmp(route->method, "GET") == 0)
                allow_append(out->allow, "HEAD");
            continue;
        }
        out->handler = route->handler;
        out->payload = route->payload;
        out->flags = route->flags;
        fill_params(route, path, &segs, out);
        result = HTTPD_MATCH_FOUND;
        break;
    }
    path_segments_dispose(&segs);
    return result;
}

void httpd_match_dispose(httpd_match *match)
{
    free_params(match->params, match->param_count);
    match->param_count = 0;
}

void httpd_router_each(const httpd_router *router, httpd_route_fn *fn, void *payload)
{
    for (size_t i = 0; i < router->count; i++)
        fn(router->routes[i].method, router->routes[i].pattern, router->routes[i].flags, payload);
}
