/*
 * Product firmware (reference/cloud-api.md §9.6):
 *   GET    /v1/products/:product/firmware                  200 [firmware, ...]
 *   POST   /v1/products/:product/firmware                  201 firmware (multipart upload)
 *   PUT    /v1/products/:product/firmware/release          200 firmware (+ intelligent)
 *   GET    /v1/products/:product/firmware/:version         200 firmware
 *   PUT    /v1/products/:product/firmware/:version         200 firmware (title, description)
 *   DELETE /v1/products/:product/firmware/:version         204 (never released only)
 *   GET    /v1/products/:product/firmware/:version/binary  200 the uploaded bytes
 * The upload is multipart/form-data: the binary in part "file" (particle-api-js) or
 * "binary", with "version", "title", "description" and "mandatory" as text parts.
 *
 * Who may call: the product's team members and product tokens (404 unknown product, 403
 * otherwise); changes need a role that develops. Bad input is 400 ({"ok":false,"error"}),
 * a version that exists 409, an unknown version 404; nothing changes.
 */
#include <string.h>

#include "model/sim_firmware.h"
#include "pu_parse.h"
#include "routes/sim_routes.h"

static json_t *firmware_json(const sim_model *m, uint32_t fw, bool with_release)
{
    const sim_firmware *f = sim_firmware_at(m, fw);
    json_t *groups = json_array();
    for (uint32_t g = 0; g < f->group_count; g++)
        json_array_append_new(groups, json_string(f->groups[g]));
    json_t *o = json_pack(
        "{s:s, s:i, s:s, s:s?, s:s, s:I, s:b, s:b, s:o, s:b, s:o, s:I, s:I}", "_id", f->id,
        "version", (int)f->version, "title", f->title, "description", f->description, "name",
        f->filename, "size", (json_int_t)f->size, "product_default", f->product_default, "current",
        f->product_default, "groups", groups, "mandatory", f->mandatory, "uploaded_on",
        sim_json_time(f->uploaded_ms), "product_id", (json_int_t)m->products[f->product].id,
        "device_count", (json_int_t)sim_firmware_device_count(m, f->product, f->version));
    if (f->uploaded_by)
        json_object_set_new(o, "uploaded_by", json_pack("{s:s}", "username", f->uploaded_by));
    if (with_release && f->released_ms) {
        json_object_set_new(o, "updated_at", sim_json_time(f->released_ms));
        json_object_set_new(o, "intelligent", json_false());
    }
    return o;
}

/* :version of :product; replies 404 (or 400 for a version that is not a number) and returns
 * SIM_NONE when there is none. */
static uint32_t route_firmware(const sim_model *m, uint32_t product, const httpd_request *req,
                               httpd_response *res)
{
    int64_t version;
    if (pu_parse_int64(httpd_request_param(req, "version"), 0, INT32_MAX, &version) != 0) {
        sim_reply_fail(res, 400, "The firmware version must be a whole number");
        return SIM_NONE;
    }
    uint32_t fw = sim_firmware_find(m, product, version);
    if (fw == SIM_NONE)
        sim_reply_fail(res, 404, "Firmware version not found");
    return fw;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product != SIM_NONE) {
        json_t *list = json_array();
        for (uint32_t i = 0; i < sim_firmware_count(m); i++)
            if (sim_firmware_at(m, i)->product == product)
                json_array_append_new(list, firmware_json(m, i, true));
        httpd_response_json(res, 200, list);
    }
    sim_model_unlock(m);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    uint32_t fw = product != SIM_NONE ? route_firmware(m, product, req, res) : SIM_NONE;
    if (fw != SIM_NONE)
        httpd_response_json(res, 200, firmware_json(m, fw, true));
    sim_model_unlock(m);
}

static void handle_binary(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    uint32_t fw = product != SIM_NONE ? route_firmware(m, product, req, res) : SIM_NONE;
    if (fw != SIM_NONE) {
        const sim_firmware *f = sim_firmware_at(m, fw);
        httpd_response_text(res, 200, "application/octet-stream", (const char *)f->data, f->size);
    }
    sim_model_unlock(m);
}

/* The uploader's name for uploaded_by: the user, none for a product token. */
static const char *uploader(const sim_model *m, const sim_principal *p)
{
    return p->kind == SIM_TOKEN_USER && p->user != SIM_NONE ? m->users[p->user].username : NULL;
}

static void handle_upload(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    httpd_file file;
    int found = httpd_request_file(req, "file", &file);
    if (found == 0)
        found = httpd_request_file(req, "binary", &file);
    if (found < 0) {
        sim_reply_fail(res, 400, "Malformed multipart/form-data body");
        return;
    }
    const char *version_text = httpd_request_arg(req, "version");
    const char *mandatory = httpd_request_arg(req, "mandatory");
    int64_t version = 0;
    sim_firmware_upload u = {.title = httpd_request_arg(req, "title"),
                             .description = httpd_request_arg(req, "description"),
                             .filename = file.filename,
                             .data = (const unsigned char *)file.data,
                             .size = file.len,
                             .mandatory = sim_parse_bool(mandatory) == 1};
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (product == SIM_NONE)
        goto done;
    if (!found) {
        sim_reply_fail(res, 400, "Send the binary as multipart/form-data part \"file\"");
        goto done;
    }
    if (pu_parse_int64(version_text, 1, INT32_MAX, &version) != 0) {
        sim_reply_fail(res, 400, "version is required: a whole number from 1");
        goto done;
    }
    if (mandatory && sim_parse_bool(mandatory) < 0) {
        sim_reply_fail(res, 400, "mandatory must be true or false");
        goto done;
    }
    u.version = version;
    u.uploaded_by = uploader(m, sim_caller(req));
    uint32_t fw;
    sim_result r;
    const char *bad = sim_firmware_upload_add(m, product, &u, &fw, &r);
    if (bad)
        sim_reply_result(res, r, bad);
    else
        httpd_response_json(res, 201, firmware_json(m, fw, false));
done:
    sim_model_unlock(m);
    httpd_file_dispose(&file);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *body = httpd_request_body(req);
    json_t *title = json_object_get(body, "title"),
           *description = json_object_get(body, "description");
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    uint32_t fw = product != SIM_NONE ? route_firmware(m, product, req, res) : SIM_NONE;
    if (fw == SIM_NONE)
        goto done;
    if ((title && !json_is_string(title)) ||
        (description && !json_is_string(description) && !json_is_null(description))) {
        sim_reply_fail(res, 400, "title and description must be strings");
        goto done;
    }
    if (!title && !description) {
        sim_reply_fail(res, 400, "Nothing to change: send title or description");
        goto done;
    }
    const char *bad = sim_firmware_edit(m, fw, json_string_value(title), description != NULL,
                                        json_string_value(description));
    if (bad)
        sim_reply_fail(res, 400, bad);
    else
        httpd_response_json(res, 200, firmware_json(m, fw, true));
done:
    sim_model_unlock(m);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    uint32_t fw = product != SIM_NONE ? route_firmware(m, product, req, res) : SIM_NONE;
    const char *bad = fw != SIM_NONE ? sim_firmware_delete(m, fw) : NULL;
    if (bad)
        sim_reply_fail(res, 400, bad);
    else if (fw != SIM_NONE)
        httpd_response_empty(res, 204);
    sim_model_unlock(m);
}

/* A boolean body field (JSON or form text): 1, 0, @p dflt when absent, -1 when not a bool. */
static int bool_field(json_t *body, const char *key, int dflt)
{
    json_t *v = json_object_get(body, key);
    if (!v)
        return dflt;
    return json_is_boolean(v) ? json_is_true(v) : sim_parse_bool(json_string_value(v));
}

static void handle_release(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *body = httpd_request_body(req);
    json_t *groups = json_object_get(body, "groups");
    int product_default = bool_field(body, "product_default", 0);
    int intelligent = bool_field(body, "intelligent", 0);
    const char *version_text = httpd_request_arg(req, "version");
    int64_t version;
    size_t n = json_array_size(groups);
    const char **names = calloc(n ? n : 1, sizeof(*names));
    if (!names)
        abort();
    for (size_t i = 0; i < n; i++) /* NULL for what is not a string: refused below */
        names[i] = json_string_value(json_array_get(groups, i));
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (product == SIM_NONE)
        goto done;
    if (pu_parse_int64(version_text, 1, INT32_MAX, &version) != 0) {
        sim_reply_fail(res, 400, "version is required: a whole number from 1");
        goto done;
    }
    if (product_default < 0 || intelligent < 0 ||
        (groups && !json_is_array(groups) && !json_is_null(groups))) {
        sim_reply_fail(res, 400,
                       "product_default and intelligent must be true or false, groups an array");
        goto done;
    }
    uint32_t fw = sim_firmware_find(m, product, version);
    if (fw == SIM_NONE) {
        sim_reply_fail(res, 404, "Firmware version not found");
        goto done;
    }
    const char *bad = sim_firmware_release(m, fw, product_default == 1, names, n);
    if (bad) {
        sim_reply_fail(res, 400, bad);
        goto done;
    }
    json_t *out = firmware_json(m, fw, true);
    json_object_set_new(out, "intelligent", json_boolean(intelligent == 1));
    httpd_response_json(res, 200, out);
done:
    sim_model_unlock(m);
    free(names);
}

void sim_routes_firmware(httpd_server *srv, sim_ctx *ctx)
{
    const char *base = "/v1/products/:product/firmware";
    httpd_route_add(srv, "GET", base, 0, handle_list, ctx);
    httpd_route_add(srv, "POST", base, 0, handle_upload, ctx);
    /* "release" before ":version" (reference §14.1) */
    httpd_route_add(srv, "PUT", "/v1/products/:product/firmware/release", 0, handle_release, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/firmware/:version", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/firmware/:version", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/firmware/:version", 0, handle_delete,
                    ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/firmware/:version/binary", 0, handle_binary,
                    ctx);
}
