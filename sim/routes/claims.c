/*
 * Claim codes (reference/cloud-api.md §5.10):
 *   POST /v1/device_claims                   a developer's or a customer's code
 *   POST /v1/products/:product/device_claims a customer of that product's code
 * Body: nothing, or {"iccid": 19-20 digits} / {"imei": 15 digits} for a cellular device (the
 * code then works only for that device). 200 {"claim_code": "...", "device_ids": [the
 * caller's devices]}. The device's side, presenting a code, is the control API's
 * POST /sim/devices/:device/claim (routes/control.c).
 *
 * Who may call: developers and customers on the user route (API users: 400 unauthorized, as
 * for POST /v1/devices); only the product's own customers on the product route (404 for an
 * unknown product, 403 for anyone else).
 */
#include <string.h>

#include "model/sim_claims.h"
#include "routes/sim_routes.h"

/* @p s has @p min to @p max decimal digits. */
static bool digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* The ICCID or IMEI the body names ("" for none); NULL when it is malformed. */
static const char *device_key(json_t *body)
{
    json_t *iccid = json_object_get(body, "iccid"), *imei = json_object_get(body, "imei");
    if (iccid && !json_is_null(iccid))
        return json_is_string(iccid) && digits(json_string_value(iccid), 19, 20)
                   ? json_string_value(iccid)
                   : NULL;
    if (imei && !json_is_null(imei))
        return json_is_string(imei) && digits(json_string_value(imei), 15, 15)
                   ? json_string_value(imei)
                   : NULL;
    return "";
}

/* Creates a code for @p user and answers it. Model lock held. */
static void reply_code(sim_model *m, uint32_t user, const char *key, httpd_response *res)
{
    uint32_t c = sim_claim_create(m, user, key);
    json_t *ids = json_array();
    for (uint32_t i = 0; i < m->device_count; i++)
        if (m->devices[i].owner == user)
            json_array_append_new(ids, json_string(m->devices[i].id));
    httpd_response_json(
        res, 200, json_pack("{s:s, s:o}", "claim_code", m->claims[c].code, "device_ids", ids));
}

static void handle_user_code(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const sim_principal *p = sim_caller(req);
    const char *key = device_key(httpd_request_body(req));
    if (p->kind == SIM_TOKEN_PRODUCT) {
        sim_reply_oauth_error(res, 400, "unauthorized",
                              "API users are not allowed to call this endpoint");
        return;
    }
    if (!key) {
        sim_reply_fail(res, 400, "iccid must be 19 or 20 digits, imei 15 digits");
        return;
    }
    sim_model_lock(ctx->model);
    reply_code(ctx->model, p->user, key, res);
    sim_model_unlock(ctx->model);
}

static void handle_product_code(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    const char *key = device_key(httpd_request_body(req));
    sim_model_lock(m);
    const char *slug = httpd_request_param(req, "product");
    uint32_t product = sim_model_find_product(m, slug);
    if (product == SIM_NONE) {
        sim_reply_fail(res, 404, "Product not found");
    } else if (p->kind != SIM_TOKEN_CUSTOMER || p->product != product) {
        httpd_response_json(res, 403,
                            json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                      "A product claim code is created with a customer's token "
                                      "of that product"));
    } else if (!key) {
        sim_reply_fail(res, 400, "iccid must be 19 or 20 digits, imei 15 digits");
    } else {
        reply_code(m, p->user, key, res);
    }
    sim_model_unlock(m);
}

void sim_routes_claims(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/device_claims", 0, handle_user_code, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/device_claims", 0, handle_product_code,
                    ctx);
}
