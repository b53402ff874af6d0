/* The generic REST call (particlectl's `api METHOD PATH` escape hatch): argument checks, then
 * the same transport as the typed calls. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "particle/request.h"
#include "value_internal.h"

static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

/* The canonical (upper case) spelling of @p method, or NULL when it is not supported. */
static const char *canonical_method(const char *method)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        if (strcasecmp(method, methods[i]) == 0) {
            return methods[i];
        }
    }
    return NULL;
}

/* Printable ASCII without space and '#': anything else would make curl send a different
 * URL from the one the caller wrote (or split the request line). */
static bool url_text_ok(const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch <= 0x20 || ch >= 0x7f || ch == '#') {
            return false;
        }
    }
    return true;
}

static int check_arguments(const char *method, const char *path, const char *query,
                           const char *json_body, const particle_request_options *opts)
{
    if (method == NULL || canonical_method(method) == NULL) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "method must be GET, POST, PUT, PATCH or DELETE");
    }
    if (path == NULL || path[0] != '/' || !url_text_ok(path)) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "path must start with '/' and be printable ASCII without "
                                   "spaces or '#'");
    }
    if (query != NULL && *query != '\0') {
        if (strchr(path, '?') != NULL) {
            return particle__error_set(PARTICLE_EINVAL, "query given twice (in path and query)");
        }
        if (query[0] == '?' || !url_text_ok(query)) {
            return particle__error_set(PARTICLE_EINVAL,
                                       "query must be printable ASCII without '?' in front, "
                                       "spaces or '#'");
        }
    }
    if (json_body != NULL && strcmp(canonical_method(method), "GET") == 0) {
        return particle__error_set(PARTICLE_EINVAL, "a GET request has no body");
    }
    if (opts != NULL && opts->product != NULL) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "product option is not used here: put it in the path");
    }
    if (json_body != NULL) {
        json_error_t jerr;
        json_t *parsed = json_loads(json_body, JSON_DECODE_ANY, &jerr);
        if (parsed == NULL && particle__json_error_is_oom(&jerr)) {
            return particle__error_set(PARTICLE_ENOMEM, "out of memory while checking the body");
        }
        if (parsed == NULL) {
            return particle__error_set(PARTICLE_EINVAL, "body is not JSON: %s (column %d)",
                                       jerr.text, jerr.column);
        }
        json_decref(parsed);
    }
    return 0;
}

int particle__generic_request(particle__request *req, char **bare_path, const char *method,
                              const char *path, const char *query, const char *json_body,
                              const particle_request_options *opts)
{
    *bare_path = NULL;
    int error = check_arguments(method, path, query, json_body, opts);
    if (error < 0) {
        return error;
    }
    /* a query written into the path is split off, so that logs (path only) never show it */
    const char *mark = strchr(path, '?');
    if (mark != NULL) {
        if ((*bare_path = particle__strndup(path, (size_t)(mark - path))) == NULL) {
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
        query = mark + 1;
        path = *bare_path;
    }
    static const char token_route[] = "/v1/access_tokens/";
    *req = (particle__request){
        .method = canonical_method(method),
        .path = path,
        /* the one route that carries a secret in its path */
        .log_path = strncmp(path, token_route, sizeof(token_route) - 1) == 0
                        ? "/v1/access_tokens/<token>"
                        : NULL,
        .query = query,
        .body = json_body,
        .body_len = json_body != NULL ? strlen(json_body) : 0,
        .content_type = PARTICLE__CT_JSON,
        .retry_unsafe = opts != NULL && (opts->flags & PARTICLE_REQUEST_RETRY) != 0,
    };
    return 0;
}

int particle_request(particle_doc **out, particle_client *client, const char *method,
                     const char *path, const char *query, const char *json_body,
                     const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (client == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle__request req;
    char *bare_path = NULL;
    int error = particle__generic_request(&req, &bare_path, method, path, query, json_body, opts);
    if (error == 0) {
        error = particle__http_doc(out, client, &req);
    }
    particle__free(bare_path);
    return error;
}
