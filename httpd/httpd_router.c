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

/* True when every '%' in @p path starts a valid escape that does not encode NUL. */
static bool path_encoding_valid(const char *path)
{
    char *copy = httpd_xstrdup(path);
    bool ok = pu_percent_decode(copy);
    free(copy);
    return ok;
}

static char *decode_span(const char *start, size_t len)
{
    char *s = httpd_xstrndup(start, len);
    /* Cannot fail: the whole path was validated up front. */
    (void)pu_percent_decode(s);
    return s;
}

static void free_params(httpd_param *params, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(params[i].value);
        params[i].value = NULL;
    }
}

/* Matches the path against one route's pattern, filling @p params on success. */
static bool pattern_matches(const httpd_route *route, const char *path, httpd_param *params,
                            size_t *param_count)
{
    const char *cursor = path + 1; /* after the leading '/' */
    bool exhausted = false;        /* no path segment left */
    size_t n = 0;
    for (size_t i = 0; i < route->segment_count; i++) {
        const segment *seg = &route->segments[i];
        if (seg->kind == SEG_REST) {
            params[n].name = seg->text;
            params[n++].value = exhausted ? httpd_xstrdup("") : decode_span(cursor, strlen(cursor));
            *param_count = n;
            return true;
        }
        if (exhausted)
            goto fail;
        const char *end = strchr(cursor, '/');
        size_t len = end ? (size_t)(end - cursor) : strlen(cursor);
        if (len == 0 && seg->kind == SEG_PARAM)
            goto fail; /* a ":name" needs a non-empty segment */
        char *decoded = decode_span(cursor, len);
        if (seg->kind == SEG_LITERAL) {
            bool same = strcmp(decoded, seg->text) == 0;
            free(decoded);
            if (!same)
                goto fail;
        } else {
            params[n].name = seg->text;
            params[n++].value = decoded;
        }
        if (end)
            cursor = end + 1;
        else
            exhausted = true;
    }
    if (!exhausted)
        goto fail; /* path has more segments than the pattern */
    *param_count = n;
    return true;
fail:
    free_params(params, n);
    return false;
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
    if (!path || path[0] != '/' || !path_encoding_valid(path))
        return HTTPD_MATCH_BAD_PATH;
    bool path_known = false;
    for (size_t i = 0; i < router->count; i++) {
        const httpd_route *route = &router->routes[i];
        httpd_param params[HTTPD_MAX_PARAMS];
        size_t count = 0;
        if (!pattern_matches(route, path, params, &count))
            continue;
        path_known = true;
        bool same = strcmp(route->method, method) == 0 ||
                    (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0);
        if (!same) {
            allow_append(out->allow, route->method);
            if (strcmp(route->method, "GET") == 0)
                allow_append(out->allow, "HEAD");
            free_params(params, count);
            continue;
        }
        out->handler = route->handler;
        out->payload = route->payload;
        out->flags = route->flags;
        memcpy(out->params, params, count * sizeof(params[0]));
        out->param_count = count;
        return HTTPD_MATCH_FOUND;
    }
    return path_known ? HTTPD_MATCH_WRONG_METHOD : HTTPD_MATCH_NONE;
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
