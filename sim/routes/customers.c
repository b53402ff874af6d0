/*
 * Product customers (reference/cloud-api.md §9.4).
 *
 * POST /v1/products/:product/customers creates one, authenticated either by the product's
 * OAuth client credentials (Basic client_id:client_secret, or client_id and client_secret
 * fields: particle-api-js createCustomer) or by a Bearer token with the develop right on the
 * product (a team Administrator or Developer, or the product's token). Body: email,
 * password, or no_password=true for a shadow customer without one. Answers 201 with the new
 * customer's access token (90 days), like POST /oauth/token.
 *
 * GET .../customers lists them a page at a time (page, perPage or per_page: 25 by default,
 * at most 100); a page past the last is 400. GET, PUT (password) and DELETE
 * .../customers/:email act on one; deleting revokes the customer's tokens and releases the
 * customer's devices. Reading needs read access to the product, changing the develop right;
 * customers themselves have none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/sim_tokens.h"
#include "pu_str.h"
#include "routes/sim_routes.h"

#define TOKEN_LIFETIME_S 7776000 /* 90 days, as POST /oauth/token */
#define DEFAULT_PER_PAGE 25
#define MAX_PER_PAGE 100

/* How a create request authenticates: the product's client, or a token with the right.
 * Returns the client id the token is issued under, or NULL when it replied (401/403). */
static const char *create_auth(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                               uint32_t product, sim_basic_creds *basic)
{
    sim_model *m = ctx->model;
    const char *id = httpd_request_arg(req, "client_id");
    const char *secret = httpd_request_arg(req, "client_secret");
    if (sim_basic_auth(req, basic)) {
        id = basic->user;
        secret = basic->secret;
    }
    if (id) {
        uint32_t c = sim_model_find_client(m, id);
        if (c == SIM_NONE || !secret || strcmp(m->clients[c].secret, secret) != 0) {
            sim_reply_oauth_error(res, 401, "invalid_client", "Invalid client credentials");
            return NULL;
        }
        if (m->clients[c].product != product) {
            sim_reply_denied(res, "This OAuth client does not belong to this product");
            return NULL;
        }
        return m->clients[c].id;
    }
    const char *h = httpd_request_header(req, "Authorization");
    const char *token = h && strncasecmp(h, "Bearer ", 7) == 0 ? h + 7 : NULL;
    sim_principal p;
    bool expired = false;
    if (!token || !sim_token_principal(m, token, &p, &expired)) {
        sim_reply_oauth_error(res, 401, "invalid_client",
                              "Product OAuth client credentials or a team member's access token "
                              "are required");
        return NULL;
    }
    if (!sim_model_product_right(m, &p, product, SIM_RIGHT_DEVELOP)) {
        sim_reply_denied(res, "Your role on this product does not allow this");
        return NULL;
    }
    return "particle";
}

static void handle_create(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *email = httpd_request_arg(req, "email");
    const char *password = httpd_request_arg(req, "password");
    int no_password = sim_parse_bool(httpd_request_arg(req, "no_password"));
    sim_basic_creds basic;
    sim_model_lock(m);
    const char *key = httpd_request_param(req, "product");
    uint32_t product = sim_model_find_product(m, key);
    if (product == SIM_NONE) {
        sim_reply_fail(res, 404, "Product not found");
        goto done;
    }
    const char *client = create_auth(ctx, req, res, product, &basic);
    if (!client)
        goto done;
    if (no_password < 0 && httpd_request_arg(req, "no_password")) {
        sim_reply_fail(res, 400, "no_password must be true or false");
        goto done;
    }
    uint32_t u;
    const char *why = NULL;
    sim_result r =
        sim_model_customer_create(m, product, email, password, no_password == 1, &u, &why);
    if (r != SIM_OK) {
        sim_reply_result(res, r, why);
        goto done;
    }
    uint32_t t = sim_token_create(m, SIM_TOKEN_CUSTOMER, u, product, client, TOKEN_LIFETIME_S);
    const sim_token *tok = &m->tokens[t];
    httpd_response_json(res, 201,
                        json_pack("{s:s, s:s, s:s, s:i}", "token_type", "bearer", "access_token",
                                  tok->token, "refresh_token", tok->refresh, "expires_in",
                                  TOKEN_LIFETIME_S));
done:
    sim_model_unlock(m);
    pu_secure_zero(&basic, sizeof(basic));
}

static json_t *device_ids(const sim_model *m, uint32_t user)
{
    json_t *ids = json_array();
    for (uint32_t i = 0; i < m->device_count; i++)
        if (m->devices[i].owner == user)
            json_array_append_new(ids, json_string(m->devices[i].id));
    return ids;
}

static json_t *render_customer(const sim_model *m, uint32_t user)
{
    const sim_user *u = &m->users[user];
    char id[25];
    sim_model_object_id("customer", u->username, id);
    return json_pack("{s:s, s:s, s:n, s:b, s:o}", "id", id, "username", u->username, "full_name",
                     "no_password", u->no_password, "devices", device_ids(m, user));
}

/* The devices array of the list: each listed customer's devices. */
static void append_devices(const sim_model *m, uint32_t user, json_t *out)
{
    char ip[16];
    for (uint32_t i = 0; i < m->device_count; i++) {
        const sim_device *d = &m->devices[i];
        if (d->owner != user)
            continue;
        snprintf(ip, sizeof(ip), "%u.%u.%u.%u", d->ip >> 24, (d->ip >> 16) & 255,
                 (d->ip >> 8) & 255, d->ip & 255);
        /* product_id of a device in no product is its platform id, as on the device object */
        json_int_t product_id =
            d->product != SIM_NONE ? m->products[d->product].id : d->platform_id;
        json_array_append_new(out, json_pack("{s:s, s:I, s:s, s:i, s:b}", "id", d->id, "product_id",
                                             product_id, "last_ip_address", ip, "firmware_version",
                                             (int)d->firmware_version, "online", d->online));
    }
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    long page = sim_query_long(req, "page", NULL, 1);
    long per_page = sim_query_long(req, "perPage", "per_page", DEFAULT_PER_PAGE);
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_READ);
    if (product == SIM_NONE)
        goto done;
    if (page < 1 || per_page < 1) {
        sim_reply_fail(res, 400, "page and perPage must be whole numbers of at least 1");
        goto done;
    }
    if (per_page > MAX_PER_PAGE)
        per_page = MAX_PER_PAGE;
    long total = 0;
    for (uint32_t i = 0; i < m->user_count; i++)
        total += !m->users[i].deleted && m->users[i].customer_of == product;
    long pages = (total + per_page - 1) / per_page;
    if (page > (pages ? pages : 1)) {
        char why[96];
        snprintf(why, sizeof(why), "page %ld is past the last page (%ld)", page, pages);
        sim_reply_fail(res, 400, why);
        goto done;
    }
    json_t *customers = json_array(), *devices = json_array();
    long seen = 0, first = (page - 1) * per_page;
    for (uint32_t i = 0; i < m->user_count && seen < first + per_page; i++) {
        if (m->users[i].deleted || m->users[i].customer_of != product)
            continue;
        if (seen++ < first)
            continue;
        json_array_append_new(customers, render_customer(m, i));
        append_devices(m, i, devices);
    }
    httpd_response_json(res, 200,
                        json_pack("{s:o, s:o, s:{s:I}}", "customers", customers, "devices", devices,
                                  "meta", "total_pages", (json_int_t)pages));
done:
    sim_model_unlock(m);
}

/* The product (with @p right) and its :email customer; replies and returns SIM_NONE if not. */
static uint32_t route_customer(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                               sim_right right)
{
    uint32_t product = sim_route_product_right(ctx, req, res, right);
    if (product == SIM_NONE)
        return SIM_NONE;
    uint32_t u = sim_model_find_customer(ctx->model, product, httpd_request_param(req, "email"));
    if (u == SIM_NONE)
        sim_reply_fail(res, 404, "Customer not found");
    return u;
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t u = route_customer(ctx, req, res, SIM_RIGHT_READ);
    if (u != SIM_NONE)
        httpd_response_json(res, 200,
                            json_pack("{s:o}", "customer", render_customer(ctx->model, u)));
    sim_model_unlock(ctx->model);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t u = route_customer(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (u != SIM_NONE) {
        const char *why = NULL;
        sim_result r = sim_model_customer_set_password(ctx->model, u,
                                                       httpd_request_arg(req, "password"), &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(ctx->model);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t u = route_customer(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (u != SIM_NONE) {
        sim_model_customer_delete(ctx->model, u);
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_customers(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/products/:product/customers", HTTPD_ROUTE_PUBLIC,
                    handle_create, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/customers", 0, handle_list, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/customers/:email", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/customers/:email", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/customers/:email", 0, handle_delete, ctx);
}
