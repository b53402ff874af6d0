/* Response setters for handlers, and their translation into MHD responses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd_alloc.h"
#include "httpd_internal.h"
#include "httpd_status.h"
#include "pu_log.h"

#define JSON_CONTENT_TYPE "application/json; charset=utf-8"
#define TEXT_CONTENT_TYPE "text/plain; charset=utf-8"

void httpd__response_init(httpd_response *res)
{
    memset(res, 0, sizeof(*res));
}

/* Drops the body (and a stream that never started) but keeps extra headers. */
static void clear_body(httpd_response *res)
{
    free(res->body);
    free(res->content_type);
    if (res->stream.state)
        res->stream.discard(res->stream.state);
    res->body = NULL;
    res->content_type = NULL;
    res->stream = (httpd_stream_body){0};
    res->body_len = 0;
    res->kind = HTTPD_RES_NONE;
}

void httpd__response_reset(httpd_response *res)
{
    clear_body(res);
    for (httpd_header *h = res->headers, *next; h; h = next) {
        next = h->next;
        free(h->name);
        free(h->value);
        free(h);
    }
    httpd__response_init(res);
}

void httpd__response_dispose(httpd_response *res)
{
    httpd__response_reset(res);
}

void httpd_response_json(httpd_response *res, unsigned int status, json_t *body)
{
    clear_body(res);
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(body);
    if (!text) {
        /* NULL body or a value jansson cannot encode: the handler's bug, not the client's */
        httpd__response_error(res, 500, NULL);
        return;
    }
    res->kind = HTTPD_RES_BUFFER;
    res->status = status;
    res->body = text;
    res->body_len = strlen(text);
    res->content_type = httpd_xstrdup(JSON_CONTENT_TYPE);
}

void httpd_response_json_take(httpd_response *res, unsigned int status, char *json, size_t len)
{
    clear_body(res);
    if (!json || len == 0) {
        free(json);
        httpd__response_error(res, 500, NULL);
        return;
    }
    res->kind = HTTPD_RES_BUFFER;
    res->status = status;
    res->body = json; /* now owned by the response */
    res->body_len = len;
    res->content_type = httpd_xstrdup(JSON_CONTENT_TYPE);
}

void httpd__response_error(httpd_response *res, unsigned int status, const char *message)
{
    json_t *body =
        json_pack("{s:b, s:s}", "ok", 0, "error", message ? message : httpd_status_text(status));
    if (!body) /* message not UTF-8 */
        body = json_pack("{s:b, s:s}", "ok", 0, "error", httpd_status_text(status));
    httpd_response_json(res, status, body);
}

void httpd_response_error(httpd_response *res, unsigned int status, const char *message)
{
    httpd__response_error(res, status, message);
}

void httpd_response_text(httpd_response *res, unsigned int status, const char *content_type,
                         const char *body, size_t len)
{
    clear_body(res);
    res->kind = HTTPD_RES_BUFFER;
    res->status = status;
    res->body = httpd_xstrndup(body ? body : "", body ? len : 0);
    res->body_len = body ? len : 0;
    res->content_type = httpd_xstrdup(content_type ? content_type : TEXT_CONTENT_TYPE);
}

void httpd_response_empty(httpd_response *res, unsigned int status)
{
    clear_body(res);
    res->kind = HTTPD_RES_BUFFER;
    res->status = status;
}

/* Header names are tokens; values may not break the header block. */
static bool header_valid(const char *name, const char *value)
{
    if (!name || !*name || !value)
        return false;
    for (const char *p = name; *p; p++) {
        if (*p <= ' ' || *p == ':' || *p >= 127)
            return false;
    }
    return strpbrk(value, "\r\n") == NULL;
}

void httpd_response_header(httpd_response *res, const char *name, const char *value)
{
    if (!header_valid(name, value))
        return; /* dropped: MHD would refuse it too */
    httpd_header *h = httpd_xmalloc(sizeof(*h));
    h->name = httpd_xstrdup(name);
    h->value = httpd_xstrdup(value);
    h->next = NULL;
    httpd_header **tail = &res->headers;
    while (*tail)
        tail = &(*tail)->next;
    *tail = h;
}

void httpd_response_delay(httpd_response *res, unsigned int delay_ms)
{
    res->delay_ms = delay_ms;
}

static void add_header(struct MHD_Response *r, const char *name, const char *value)
{
    /* Only fails on out of memory (names and values were validated). */
    if (MHD_add_response_header(r, name, value) != MHD_YES) {
        pu_log(PU_LOG_ERROR, "httpd", "cannot add response header %s", name);
        abort();
    }
}

struct MHD_Response *httpd__response_build(httpd_response *res, const char *allow_origin)
{
    struct MHD_Response *r;
    if (res->kind == HTTPD_RES_STREAM) {
        r = res->stream.create(res->stream.state);
        res->stream = (httpd_stream_body){0}; /* now owned by the MHD response */
    } else if (res->body_len > 0) {
        r = MHD_create_response_from_buffer_with_free_callback(res->body_len, res->body, free);
        if (r)
            res->body = NULL; /* now owned by the MHD response */
    } else {
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    }
    if (!r) {
        pu_log(PU_LOG_ERROR, "httpd", "out of memory creating a response");
        abort();
    }
    if (res->content_type)
        add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    if (allow_origin) {
        add_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
        if (strcmp(allow_origin, "*") != 0)
            add_header(r, MHD_HTTP_HEADER_VARY, "Origin");
    }
    for (const httpd_header *h = res->headers; h; h = h->next)
        add_header(r, h->name, h->value);
    return r;
}
