/*
 * OAuth clients (reference/cloud-api.md §4.7): a developer's own at /v1/clients, a product's
 * at /v1/products/:product/clients; list, create (the secret is shown once, in the create
 * answer), update (name, scope; "none" removes the scope), delete (204; the tokens created
 * with the client are revoked).
 *
 * Who may: /v1/clients is for developers (customers and product tokens: 403); a product's
 * clients are listed with read access and changed by an Administrator (model/sim_accounts.h).
 * A client id that is not the caller's (or not the product's) is 404.
 */
#include <string.h>

#include "routes/sim_routes.h"

static json_t *render_client(const sim_model *m, const sim_client *c, bool with_secret)
{
    json_t *o = json_pack("{s:s, s:s, s:s}", "name", c->name, "type", c->type, "id", c->id);
    if (c->redirect_uri)
        json_object_set_new(o, "redirect_uri", json_string(c->redirect_uri));
    if (c->scope)
        json_object_set_new(o, "scope", json_string(c->scope));
    if (c->product != SIM_NONE)
        json_object_set_new(o, "product_id", json_integer(m->products[c->product].id));
    if (with_secret)
        json_object_set_new(o, "secret", json_string(c->secret));
    return o;
}

/* The scope the route serves after the access check: a product index, or SIM_NONE with
 * *user set for /v1/clients. Returns false when it replied. */
static bool route_scope(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                        sim_right right, uint32_t *product, uint32_t *user)
{
    *product = *user = SIM_NONE;
    if (httpd_request_param(req, "product")) {
        *product = sim_route_product_right(ctx, req, res, right);
        return *product != SIM_NONE;
    }
    const sim_principal *p = sim_caller(req);
    if (p->kind != SIM_TOKEN_USER) {
        sim_reply_denied(res, "Only developers have OAuth clients of their own");
        return false;
    }
    *user = p->user;
    return true;
}

static bool in_scope(const sim_client *c, uint32_t product, uint32_t user)
{
    return product != SIM_NONE ? c->product == product : c->product == SIM_NONE && c->owner == user;
}

/* The :client_id of the route within the scope; replies 404 and returns SIM_NONE if not. */
static uint32_t route_client(const sim_model *m, const httpd_request *req, httpd_response *res,
                             uint32_t product, uint32_t user)
{
    const char *id = httpd_request_param(req, "client_id");
    uint32_t c = id ? sim_model_find_client(m, id) : SIM_NONE;
    if (c == SIM_NONE || !in_scope(&m->clients[c], product, user)) {
        sim_reply_fail(res, 404, "Client not found");
        return SIM_NONE;
    }
    return c;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product, user;
    sim_model_lock(m);
    if (route_scope(ctx, req, res, SIM_RIGHT_READ, &product, &user)) {
        json_t *list = json_array();
        for (uint32_t i = 0; i < m->client_count; i++)
            if (in_scope(&m->clients[i], product, user))
                json_array_append_new(list, render_client(m, &m->clients[i], false));
        httpd_response_json(res, 200, json_pack("{s:b, s:o}", "ok", 1, "clients", list));
    }
    sim_model_unlock(m);
}

static void handle_create(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product, user, c;
    sim_client_spec spec = {httpd_request_arg(req, "name"), httpd_request_arg(req, "type"),
                            httpd_request_arg(req, "redirect_uri"),
                            httpd_request_arg(req, "scope")};
    const char *why = NULL;
    sim_model_lock(m);
    if (route_scope(ctx, req, res, SIM_RIGHT_ADMIN, &product, &user)) {
        sim_result r = sim_model_client_create(m, &spec, product, user, &c, &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(
                res, 200,
                json_pack("{s:b, s:o}", "ok", 1, "client", render_client(m, &m->clients[c], true)));
    }
    sim_model_unlock(m);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product, user, c;
    const char *name = httpd_request_arg(req, "name"), *scope = httpd_request_arg(req, "scope");
    const char *why = NULL;
    sim_model_lock(m);
    if (!route_scope(ctx, req, res, SIM_RIGHT_ADMIN, &product, &user) ||
        (c = route_client(m, req, res, product, user)) == SIM_NONE)
        goto done;
    if (!name && !scope) {
        sim_reply_fail(res, 400, "Nothing to update: send name and/or scope");
        goto done;
    }
    sim_result r = sim_model_client_update(m, c, name, scope, &why);
    if (r != SIM_OK)
        sim_reply_result(res, r, why);
    else
        httpd_response_json(
            res, 200,
            json_pack("{s:b, s:o}", "ok", 1, "client", render_client(m, &m->clients[c], false)));
done:
    sim_model_unlock(m);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product, user, c;
    sim_model_lock(m);
    if (route_scope(ctx, req, res, SIM_RIGHT_ADMIN, &product, &user) &&
        (c = route_client(m, req, res, product, user)) != SIM_NONE) {
        sim_model_client_delete(m, c);
        httpd_response_empty(res, 204);
    }
    sim_model_unlock(m);
}

void sim_routes_clients(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/clients", 0, handle_list, ctx);
    httpd_route_add(srv, "POST", "/v1/clients", 0, handle_create, ctx);
    httpd_route_add(srv, "PUT", "/v1/clients/:client_id", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/clients/:client_id", 0, handle_delete, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/clients", 0, handle_list, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/clients", 0, handle_create, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/clients/:client_id", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/clients/:client_id", 0, handle_delete,
                    ctx);
}
