/*
 * Firmware libraries (particle-api-js.md §2.5, cloud-api.md §12; model/sim_libraries.h):
 *   GET    /v1/libraries[?filter=&sort=&architectures=&category=&scope=&excludeScopes=
 *                        &page=&limit=]                          200 {"data":[item...]}
 *   POST   /v1/libraries  multipart part "file": a .tar.gz       200 {"data":item}
 *   GET    /v1/libraries/:name[?version=]                        200 {"data":item}
 *   PATCH  /v1/libraries/:name  {"visibility":"public"}          200 {"data":item}
 *   DELETE /v1/libraries/:name  [{"force":key}]                  200 {"ok":true}
 *   GET    /v1/libraries/:name/versions[?page=&limit=]           200 {"data":[item...]}
 *   GET    /v1/libraries/:name/archive/:version.tar.gz           200 the archive, no token
 * Any valid token may read; contributing, publishing and deleting need a developer's
 * token (product tokens and customers: 403). The archive link needs no token, like the registry's
 * CDN links. Errors: {"ok":false,"error"} with 400/403/404, nothing changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_libraries.h"
#include "routes/sim_routes.h"

/* The caller's view: its username (NULL for a product token) and the links' base. */
static sim_library_view view_of(const sim_ctx *ctx, const httpd_request *req, char *base,
                                size_t base_size)
{
    const sim_principal *p = sim_caller(req);
    const char *host = httpd_request_header(req, "Host");
    snprintf(base, base_size, "%s%s", host ? "http://" : "", host ? host : "");
    sim_library_view v = {.link_base = base};
    /* developers only: a product's customers read public libraries, like product tokens */
    if (p && p->kind == SIM_TOKEN_USER && p->user != SIM_NONE &&
        ctx->model->users[p->user].customer_of == SIM_NONE)
        v.user = ctx->model->users[p->user].username;
    return v;
}

static void reply(httpd_response *res, unsigned int status, json_t *out, const char *why)
{
    if (status == 200)
        httpd_response_json(res, 200, out);
    else
        sim_reply_fail(res, status, why);
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char base[300];
    sim_library_query q = {.filter = httpd_request_query(req, "filter"),
                           .sort = httpd_request_query(req, "sort"),
                           .architectures = httpd_request_query(req, "architectures"),
                           .category = httpd_request_query(req, "category"),
                           .scope = httpd_request_query(req, "scope"),
                           .exclude_scopes = httpd_request_query(req, "excludeScopes"),
                           .page = sim_query_long(req, "page", NULL, 1),
                           .limit = sim_query_long(req, "limit", NULL, SIM_LIBRARY_PAGE_DEFAULT)};
    if (q.page < 1 || q.limit < 1) {
        sim_reply_fail(res, 400, "page and limit must be whole numbers from 1");
        return;
    }
    json_t *out = NULL;
    const char *why = NULL;
    sim_model_lock(ctx->model);
    sim_library_view v = view_of(ctx, req, base, sizeof(base));
    unsigned int status = sim_library_list(ctx->libraries, &v, &q, &out, &why);
    reply(res, status, out, why);
    sim_model_unlock(ctx->model);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char base[300];
    json_t *out = NULL;
    const char *why = NULL;
    const char *version = httpd_request_query(req, "version");
    sim_model_lock(ctx->model);
    sim_library_view v = view_of(ctx, req, base, sizeof(base));
    unsigned int status = sim_library_get(
        ctx->libraries, &v, httpd_request_param(req, "name"),
        version && *version && strcmp(version, "latest") != 0 ? version : NULL, &out, &why);
    reply(res, status, out, why);
    sim_model_unlock(ctx->model);
}

static void handle_versions(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char base[300];
    json_t *out = NULL;
    const char *why = NULL;
    long page = sim_query_long(req, "page", NULL, 1);
    long limit = sim_query_long(req, "limit", NULL, SIM_LIBRARY_PAGE_DEFAULT);
    if (page < 1 || limit < 1) {
        sim_reply_fail(res, 400, "page and limit must be whole numbers from 1");
        return;
    }
    sim_model_lock(ctx->model);
    sim_library_view v = view_of(ctx, req, base, sizeof(base));
    unsigned int status = sim_library_versions(ctx->libraries, &v, httpd_request_param(req, "name"),
                                               page, limit, &out, &why);
    reply(res, status, out, why);
    sim_model_unlock(ctx->model);
}

static void handle_contribute(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char base[300];
    httpd_file file = {0};
    int found = httpd_request_file(req, "file", &file);
    if (found <= 0) {
        sim_reply_fail(res, 400,
                       found < 0 ? "Malformed multipart/form-data body"
                                 : "Send the archive as multipart/form-data part \"file\"");
        return;
    }
    json_t *out = NULL;
    const char *why = NULL;
    sim_model_lock(ctx->model);
    sim_library_view v = view_of(ctx, req, base, sizeof(base));
    unsigned int status = sim_library_contribute(ctx->libraries, &v, file.data, file.len,
                                                 sim_clock_now(ctx->clock), &out, &why);
    reply(res, status, out, why);
    sim_model_unlock(ctx->model);
    httpd_file_dispose(&file);
}

static void handle_publish(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char base[300];
    const char *visibility =
        json_string_value(json_object_get(httpd_request_body(req), "visibility"));
    if (!visibility || strcmp(visibility, "public") != 0) {
        sim_reply_fail(res, 400, "The body must be {\"visibility\":\"public\"}");
        return;
    }
    json_t *out = NULL;
    const char *why = NULL;
    sim_model_lock(ctx->model);
    sim_library_view v = view_of(ctx, req, base, sizeof(base));
    unsigned int status = v.user ? sim_library_publish(ctx->libraries, &v,
                                                       httpd_request_param(req, "name"), &out, &why)
                                 : (why = "Publishing a library needs a user's token", 403u);
    reply(res, status, out, why);
    sim_model_unlock(ctx->model);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    char base[300];
    const char *why = NULL;
    sim_model_lock(ctx->model);
    sim_library_view v = view_of(ctx, req, base, sizeof(base));
    unsigned int status =
        v.user ? sim_library_delete(ctx->libraries, &v, httpd_request_param(req, "name"), &why)
               : (why = "Deleting a library needs a user's token", 403u);
    if (status == 200)
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    else
        sim_reply_fail(res, status, why);
    sim_model_unlock(ctx->model);
}

static void handle_archive(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *file = httpd_request_param(req, "file");
    size_t n = strlen(file);
    static const char suffix[] = ".tar.gz";
    if (n <= sizeof(suffix) - 1 || strcmp(file + n - (sizeof(suffix) - 1), suffix) != 0) {
        sim_reply_fail(res, 404, "Library archive not found");
        return;
    }
    char version[64];
    snprintf(version, sizeof(version), "%.*s", (int)(n - (sizeof(suffix) - 1)), file);
    unsigned char *data = NULL;
    size_t size = 0;
    const char *why = NULL;
    sim_model_lock(ctx->model);
    unsigned int status = sim_library_archive(ctx->libraries, httpd_request_param(req, "name"),
                                              version, &data, &size, &why);
    sim_model_unlock(ctx->model);
    if (status == 200)
        httpd_response_text(res, 200, "application/gzip", (const char *)data, size);
    else
        sim_reply_fail(res, status, why);
    free(data);
}

void sim_routes_libraries(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/libraries", 0, handle_list, ctx);
    httpd_route_add(srv, "POST", "/v1/libraries", 0, handle_contribute, ctx);
    httpd_route_add(srv, "GET", "/v1/libraries/:name", 0, handle_get, ctx);
    httpd_route_add(srv, "PATCH", "/v1/libraries/:name", 0, handle_publish, ctx);
    httpd_route_add(srv, "DELETE", "/v1/libraries/:name", 0, handle_delete, ctx);
    httpd_route_add(srv, "GET", "/v1/libraries/:name/versions", 0, handle_versions, ctx);
    httpd_route_add(srv, "GET", "/v1/libraries/:name/archive/:file", HTTPD_ROUTE_PUBLIC,
                    handle_archive, ctx);
}
