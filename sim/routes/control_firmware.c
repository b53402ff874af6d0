/*
 * The control API's firmware part (docs/SIM.md):
 *   POST /sim/devices/:device/firmware {"fail": bool, "updates_enabled": bool}
 *        marks the device to fail every update (or not), and sets its own
 *        firmware_updates_enabled; 200 {"ok","id","fail","firmware_updates_enabled",
 *        "firmware_version","updating"}. Either field may be left out.
 *   POST /sim/products/:product/firmware/failures {"every": N}
 *        marks every Nth device of the product (0 = none) to fail, the others not.
 *   POST /sim/binaries (multipart: "source" text, "file" binary)
 *        a prepared compile result, like the fleet file's "compile" entries: compiling or
 *        flashing a source file of that name gives this binary; 201 {"ok","binary_id",
 *        "source","platform_id"}.
 * Like the rest of /sim/, it needs a developer (user) token.
 */
#include <string.h>

#include "model/sim_firmware.h"
#include "routes/sim_routes.h"

static bool allowed(const httpd_request *req, httpd_response *res)
{
    if (sim_caller(req)->kind == SIM_TOKEN_USER)
        return true;
    sim_reply_fail(res, 403, "The control API needs a developer (user) token");
    return false;
}

/* A boolean field: 1, 0, -1 absent, -2 not a boolean. */
static int bool_field(json_t *body, const char *key)
{
    json_t *v = json_object_get(body, key);
    if (!v)
        return -1;
    int b = json_is_boolean(v) ? json_is_true(v) : sim_parse_bool(json_string_value(v));
    return b < 0 ? -2 : b;
}

static void handle_device(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *body = httpd_request_body(req);
    int fail = bool_field(body, "fail"), enabled = bool_field(body, "updates_enabled");
    if (!allowed(req, res))
        return;
    if (fail == -2 || enabled == -2) {
        sim_reply_fail(res, 400, "fail and updates_enabled must be true or false");
        return;
    }
    sim_model_lock(m);
    uint32_t dev = sim_model_find_device_id(m, httpd_request_param(req, "device"));
    if (dev == SIM_NONE) {
        sim_reply_fail(res, 404, "Device not found");
    } else {
        if (fail >= 0)
            sim_firmware_set_fail(m, dev, fail == 1);
        if (enabled >= 0)
            sim_firmware_set_updates_enabled(m, dev, enabled == 1);
        const sim_device *d = &m->devices[dev];
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s, s:b, s:b, s:i, s:b}", "ok", 1, "id", d->id,
                                      "fail", sim_firmware_fails(m, dev),
                                      "firmware_updates_enabled", d->updates_enabled,
                                      "firmware_version", (int)d->firmware_version, "updating",
                                      sim_firmware_updating(m, dev)));
    }
    sim_model_unlock(m);
}

static void handle_failures(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    long every = -1;
    json_t *v = json_object_get(httpd_request_body(req), "every");
    if (json_is_integer(v))
        every = (long)json_integer_value(v);
    if (!allowed(req, res))
        return;
    if (every < 0 || every > 1000000) {
        sim_reply_fail(res, 400, "every must be a whole number (0 = no device fails)");
        return;
    }
    sim_model_lock(m);
    uint32_t product = sim_model_find_product(m, httpd_request_param(req, "product"));
    if (product == SIM_NONE) {
        sim_reply_fail(res, 404, "Product not found");
    } else {
        json_int_t marked = 0, seen = 0;
        for (uint32_t d = 0; d < m->device_count; d++) {
            if (m->devices[d].product != product)
                continue;
            bool fail = every > 0 && seen++ % every == 0;
            sim_firmware_set_fail(m, d, fail);
            marked += fail;
        }
        httpd_response_json(res, 200, json_pack("{s:b, s:I}", "ok", 1, "failing", marked));
    }
    sim_model_unlock(m);
}

static void handle_prepare_binary(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *source = httpd_request_arg(req, "source");
    httpd_file file;
    if (!allowed(req, res))
        return;
    if (httpd_request_file(req, "file", &file) != 1 || !source || !*source) {
        sim_reply_fail(res, 400, "Send multipart/form-data with \"source\" and \"file\"");
        return;
    }
    uint32_t bin;
    sim_model_lock(ctx->model);
    const char *bad = sim_binary_add_prepared(ctx->model, source, (const unsigned char *)file.data,
                                              file.len, &bin);
    if (bad) {
        sim_reply_fail(res, 400, bad);
    } else {
        const sim_binary *b = sim_binary_at(ctx->model, bin);
        httpd_response_json(res, 201,
                            json_pack("{s:b, s:s, s:s, s:i}", "ok", 1, "binary_id", b->id, "source",
                                      b->source, "platform_id", (int)b->platform_id));
    }
    sim_model_unlock(ctx->model);
    httpd_file_dispose(&file);
}

void sim_routes_control_firmware(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/sim/binaries", 0, handle_prepare_binary, ctx);
    httpd_route_add(srv, "POST", "/sim/devices/:device/firmware", 0, handle_device, ctx);
    httpd_route_add(srv, "POST", "/sim/products/:product/firmware/failures", 0, handle_failures,
                    ctx);
}
