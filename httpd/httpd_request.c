/* Request accessors for handlers and the before hook. */
#include <stdio.h>
#include <string.h>

#include "httpd_alloc.h"
#include "httpd_internal.h"
#include "httpd_multipart.h"
#include "pu_log.h"

const char *httpd_request_method(const httpd_request *req)
{
    return req->method;
}

const char *httpd_request_path(const httpd_request *req)
{
    return req->path;
}

const char *httpd_request_param(const httpd_request *req, const char *name)
{
    for (size_t i = 0; i < req->match.param_count; i++) {
        if (strcmp(req->match.params[i].name, name) == 0)
            return req->match.params[i].value;
    }
    return NULL;
}

const char *httpd_request_query(const httpd_request *req, const char *name)
{
    const char *value = NULL;
    size_t value_len = 0;
    if (MHD_lookup_connection_value_n(req->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &value,
                                      &value_len) != MHD_YES)
        return NULL;
    return value ? value : ""; /* "?flag" without '=' */
}

typedef struct query_walk {
    httpd_query_fn *fn;
    void *payload;
    bool stopped;
} query_walk;

static enum MHD_Result query_pair(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    (void)value_size;
    query_walk *w = cls;
    if (!w->fn(key, value ? value : "", w->payload)) {
        w->stopped = true;
        return MHD_NO;
    }
    return MHD_YES;
}

bool httpd_request_query_each(const httpd_request *req, httpd_query_fn *fn, void *payload)
{
    query_walk w = {fn, payload, false};
    MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, query_pair, &w);
    return !w.stopped;
}

const char *httpd_request_header(const httpd_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *httpd_request_client_ip(const httpd_request *req)
{
    return req->client_ip;
}

const char *httpd_request_content_type(const httpd_request *req)
{
    return httpd_request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
}

json_t *httpd_request_body(const httpd_request *req)
{
    return req->json;
}

/* Keeps @p text alive until the request ends and returns the kept copy. */
static const char *keep_string(const httpd_request *creq, const char *text)
{
    httpd_request *req = (httpd_request *)creq; /* requests are never really const */
    size_t len = strlen(text);
    httpd_str_list *node = httpd_xmalloc(sizeof(*node) + len + 1);
    memcpy(node->text, text, len + 1);
    node->next = req->strings;
    req->strings = node;
    return node->text;
}

const char *httpd_request_arg(const httpd_request *req, const char *name)
{
    json_t *value = json_object_get(req->json, name);
    if (json_is_string(value))
        return json_string_value(value);
    if (json_is_number(value) || json_is_boolean(value)) {
        char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!text) {
            pu_log(PU_LOG_ERROR, "httpd", "out of memory");
            abort();
        }
        const char *kept = keep_string(req, text);
        free(text);
        return kept;
    }
    return httpd_request_query(req, name);
}

void httpd_request_set_user(const httpd_request *creq, void *user, void (*free_fn)(void *))
{
    httpd_request *req = (httpd_request *)creq;
    if (req->user && req->user_free && req->user != user)
        req->user_free(req->user);
    req->user = user;
    req->user_free = free_fn;
}

void *httpd_request_user(const httpd_request *req)
{
    return req->user;
}

int httpd_request_file(const httpd_request *req, const char *name, httpd_file *out)
{
    *out = (httpd_file){0};
    if (!httpd_is_multipart(httpd_request_content_type(req)) || !req->body.len)
        return 0;
    return httpd_multipart_file(req->conn, req->body.data, req->body.len, name, out);
}
