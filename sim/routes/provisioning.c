/*
 * Provisioning and Device Protection (reference/cloud-api.md §5.10, §5.12; model/sim_keys.h):
 *   POST /v1/devices {product_id}           provision a new device into a product
 *                                           (routes/devices.c hands the request over when
 *                                           the body names a product and no device id)
 *   POST /v1/provisioning/:device           send a device's public key (PEM)
 *   PUT  /v1/devices/:device/unprotect      the Device Protection handshake, also under
 *        /v1/products/:product/... and /v1/orgs/:org/...
 *   PUT  /sim/devices/:device/protection    control API: set a device's protection status
 *
 * Access: a device's owner or a team member with the develop right on its product; the
 * organization variant also needs the device to be in one of the organization's products.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_keys.h"
#include "model/sim_tokens.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "routes/sim_routes.h"

/* May the caller change @p dev (owner, or the develop right on its product)? */
static bool may_change(const sim_model *m, const sim_principal *p, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    if (p->kind != SIM_TOKEN_PRODUCT && d->owner == p->user && p->user != SIM_NONE)
        return true;
    return d->product != SIM_NONE && sim_model_product_right(m, p, d->product, SIM_RIGHT_DEVELOP);
}

/* :device (and :product or :org) resolved and checked; SIM_NONE when it replied. */
static uint32_t changeable_device(const sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    uint32_t org = SIM_NONE, product;
    if (httpd_request_param(req, "org") &&
        (org = sim_route_org(ctx, req, res, SIM_RIGHT_DEVELOP)) == SIM_NONE)
        return SIM_NONE;
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev == SIM_NONE)
        return SIM_NONE;
    const sim_model *m = ctx->model;
    uint32_t in = m->devices[dev].product;
    if ((org != SIM_NONE && (in == SIM_NONE || m->products[in].org != org)) ||
        !may_change(m, sim_caller(req), dev)) {
        sim_reply_permission_denied(res);
        return SIM_NONE;
    }
    return dev;
}

/* A string field of the body or absent; false (replied 400) when it is another type. */
static bool body_text(const httpd_request *req, httpd_response *res, const char *name,
                      const char **out)
{
    json_t *v = json_object_get(httpd_request_body(req), name);
    if (v && !json_is_string(v)) {
        sim_reply_fail(res, 400, "fields must be strings");
        return false;
    }
    *out = v ? json_string_value(v) : NULL;
    return true;
}

static void handle_send_key(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *key, *algorithm, *why;
    if (!body_text(req, res, "publicKey", &key) || !body_text(req, res, "algorithm", &algorithm))
        return;
    sim_model_lock(ctx->model);
    uint32_t dev = changeable_device(ctx, req, res);
    if (dev != SIM_NONE) {
        sim_result r = sim_key_set(ctx->model, dev, key, algorithm, &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(
                res, 200,
                json_pack("{s:b, s:s}", "ok", 1, "device_id", ctx->model->devices[dev].id));
    }
    sim_model_unlock(ctx->model);
}

static void reply_unprotect_error(httpd_response *res, sim_result r, const char *why)
{
    sim_reply_result(res, r, why);
}

static void handle_unprotect(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *action, *server_nonce, *device_nonce, *signature, *fp, *why;
    if (!body_text(req, res, "action", &action) ||
        !body_text(req, res, "server_nonce", &server_nonce) ||
        !body_text(req, res, "device_nonce", &device_nonce) ||
        !body_text(req, res, "device_signature", &signature) ||
        !body_text(req, res, "device_public_key_fingerprint", &fp))
        return;
    bool prepare = action && strcmp(action, "prepare") == 0;
    if (!prepare && !(action && strcmp(action, "confirm") == 0)) {
        sim_reply_fail(res, 400, "action must be prepare or confirm");
        return;
    }
    sim_model_lock(ctx->model);
    uint32_t dev = changeable_device(ctx, req, res);
    if (dev != SIM_NONE && prepare) {
        char nonce[SIM_NONCE_B64];
        sim_result r = sim_unprotect_prepare(ctx->model, dev, nonce, &why);
        if (r != SIM_OK)
            reply_unprotect_error(res, r, why);
        else
            httpd_response_json(res, 200, json_pack("{s:s}", "server_nonce", nonce));
    } else if (dev != SIM_NONE) {
        char *sig = NULL, *own_fp = NULL;
        sim_result r = sim_unprotect_confirm(ctx->model, dev, server_nonce, device_nonce, signature,
                                             fp, &sig, &own_fp, &why);
        if (r != SIM_OK)
            reply_unprotect_error(res, r, why);
        else
            httpd_response_json(res, 200,
                                json_pack("{s:s, s:s}", "server_signature", sig,
                                          "server_public_key_fingerprint", own_fp));
        free(sig);
        free(own_fp);
    }
    sim_model_unlock(ctx->model);
}

/* POST /v1/devices {product_id}: a new, never-connected device in that product, owned by
 * the caller (self-provisioning; the develop right on the product is needed). */
void sim_route_provision(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    const char *key = httpd_request_arg(req, "product_id");
    if (p->kind != SIM_TOKEN_USER) {
        sim_reply_denied(res, "Only a developer's token can provision a device");
        return;
    }
    sim_model_lock(m);
    uint32_t product = key && *key ? sim_model_find_product(m, key) : SIM_NONE;
    if (product == SIM_NONE) {
        sim_reply_fail(res, 404, "Product not found");
    } else if (!sim_model_product_right(m, p, product, SIM_RIGHT_DEVELOP) ||
               m->template_count == 0) {
        sim_reply_denied(res, "You cannot provision devices into this product");
    } else {
        uint32_t dev = sim_model_add_device(m, NULL, 0);
        sim_device *d = &m->devices[dev];
        d->product = product;
        d->owner = p->user;
        d->platform_id = m->products[product].platform_id;
        d->cellular = m->products[product].cellular;
        d->online = false;
        d->updates_enabled = true;
        d->desired_firmware_version = -1;
        d->firmware_version = 1;
        d->system_firmware = sim_model_intern(m, "5.5.0");
        /* a name as clients that list devices expect one (the real cloud's is UNVERIFIED) */
        char name[32];
        snprintf(name, sizeof(name), "provisioned-%s", d->id + SIM_DEVICE_ID_LEN - 6);
        d->name = pu_xstrdup(name);
        sim_model_device_ready(m, dev);
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s, s:s, s:I, s:i}", "ok", 1, "id", d->id,
                                      "device_id", d->id, "product_id",
                                      (json_int_t)m->products[product].id, "platform_id",
                                      (int)d->platform_id));
    }
    sim_model_unlock(m);
}

/* PUT /sim/devices/:device/protection {"status": "active" | "disabled" | "service_mode"}. */
static void handle_set_protection(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    if (sim_caller(req)->kind != SIM_TOKEN_USER) {
        sim_reply_fail(res, 403, "The control API needs a developer (user) token");
        return;
    }
    int status = sim_protection_parse(httpd_request_arg(req, "status"));
    if (status < 0) {
        sim_reply_fail(res, 400, "status must be active, disabled or service_mode");
        return;
    }
    sim_model_lock(ctx->model);
    const char *id = httpd_request_param(req, "device");
    uint32_t dev = id ? sim_model_find_device_id(ctx->model, id) : SIM_NONE;
    if (dev == SIM_NONE) {
        sim_reply_fail(res, 404, "Device not found");
    } else {
        sim_protection_set(ctx->model, dev, (sim_protection)status);
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s, s:s}", "ok", 1, "id", ctx->model->devices[dev].id,
                                      "status", sim_protection_name((sim_protection)status)));
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_provisioning(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/provisioning/:device", 0, handle_send_key, ctx);
    httpd_route_add(srv, "PUT", "/v1/devices/:device/unprotect", 0, handle_unprotect, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/devices/:device/unprotect", 0,
                    handle_unprotect, ctx);
    httpd_route_add(srv, "PUT", "/v1/orgs/:org/devices/:device/unprotect", 0, handle_unprotect,
                    ctx);
    httpd_route_add(srv, "PUT", "/sim/devices/:device/protection", 0, handle_set_protection, ctx);
}
