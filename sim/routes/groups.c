/*
 * Device groups of a product (reference/cloud-api.md §9.5):
 *   GET    /v1/products/:product/groups[?name=part]   200 {"groups":[group, ...]}
 *   POST   /v1/products/:product/groups               201 {"group":group}
 *   GET    /v1/products/:product/groups/:group        200 {"group":group}
 *   PUT    /v1/products/:product/groups/:group        200 {"group":group}
 *   DELETE /v1/products/:product/groups/:group        204 (its devices leave it)
 * A group object is {"name","description"(when set),"color","fw_version","device_count"};
 * fw_version is the product firmware version released to the group (the highest), left out,
 * as the reference does, when none is.
 * Membership changes go through PUT /v1/products/:product/devices[/:device].
 *
 * Who may call: the product's team members and product tokens (sim_route_product: 404 for an
 * unknown product, 403 otherwise); changes need a role that develops (not View-only or
 * Support: 403). An unknown group is 404; bad input is 400 with nothing
 * changed ({"ok":false,"error"}).
 */
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_firmware.h"
#include "model/sim_groups.h"
#include "pu_str.h"
#include "routes/sim_routes.h"

static json_t *group_json(const sim_model *m, uint32_t product, uint32_t g)
{
    const sim_product *p = &m->products[product];
    json_t *o = json_pack("{s:s}", "name", p->groups[g]);
    if (p->group_descriptions[g])
        json_object_set_new(o, "description", json_string(p->group_descriptions[g]));
    json_object_set_new(o, "color", json_string(p->group_colors[g]));
    int32_t released = sim_firmware_group_version(m, product, g);
    if (released >= 0)
        json_object_set_new(o, "fw_version", json_integer(released));
    json_object_set_new(o, "device_count", json_integer(sim_group_device_count(m, product, g)));
    return o;
}

/* :group of :product; replies 404 and returns SIM_NONE when there is no such group. */
static uint32_t route_group(const sim_model *m, uint32_t product, const httpd_request *req,
                            httpd_response *res)
{
    uint32_t g = sim_group_find(m, product, httpd_request_param(req, "group"));
    if (g == SIM_NONE)
        sim_reply_fail(res, 404, "Group not found");
    return g;
}

/* A body field that must be a string when present: *out gets it (NULL when absent). Returns
 * false when it is there but not a string. */
static bool string_field(json_t *body, const char *key, const char **out)
{
    json_t *v = json_object_get(body, key);
    *out = json_string_value(v);
    return !v || json_is_string(v);
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *filter = httpd_request_query(req, "name");
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product != SIM_NONE) {
        json_t *groups = json_array();
        const sim_product *p = &m->products[product];
        for (uint32_t g = 0; g < p->group_count; g++)
            if (pu_str_contains_nocase(p->groups[g], filter))
                json_array_append_new(groups, group_json(m, product, g));
        httpd_response_json(res, 200, json_pack("{s:o}", "groups", groups));
    }
    sim_model_unlock(m);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    uint32_t g = product != SIM_NONE ? route_group(m, product, req, res) : SIM_NONE;
    if (g != SIM_NONE)
        httpd_response_json(res, 200, json_pack("{s:o}", "group", group_json(m, product, g)));
    sim_model_unlock(m);
}

static void handle_create(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *body = httpd_request_body(req);
    const char *name, *color, *description;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (product == SIM_NONE)
        goto done;
    if (!string_field(body, "name", &name) || !string_field(body, "color", &color) ||
        !string_field(body, "description", &description) || !name) {
        sim_reply_fail(res, 400, "name (required), color and description must be strings");
        goto done;
    }
    uint32_t g;
    const char *bad = sim_group_create(m, product, name, description, color, &g);
    if (bad)
        sim_reply_fail(res, 400, bad);
    else
        httpd_response_json(res, 201, json_pack("{s:o}", "group", group_json(m, product, g)));
done:
    sim_model_unlock(m);
}

static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *body = httpd_request_body(req);
    sim_group_update u = {.set_description = json_object_get(body, "description") != NULL};
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    uint32_t g = product != SIM_NONE ? route_group(m, product, req, res) : SIM_NONE;
    if (g == SIM_NONE)
        goto done;
    json_t *description = json_object_get(body, "description");
    if (!string_field(body, "name", &u.name) || !string_field(body, "color", &u.color) ||
        (description && !json_is_string(description) && !json_is_null(description))) {
        sim_reply_fail(res, 400, "name, color and description must be strings");
        goto done;
    }
    u.description = json_string_value(description);
    if (!u.name && !u.color && !u.set_description) {
        sim_reply_fail(res, 400, "Nothing to change: send name, color or description");
        goto done;
    }
    const char *bad = sim_group_update_fields(m, product, g, &u);
    if (bad)
        sim_reply_fail(res, 400, bad);
    else
        httpd_response_json(res, 200, json_pack("{s:o}", "group", group_json(m, product, g)));
done:
    sim_model_unlock(m);
}

static void handle_delete(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    uint32_t g = product != SIM_NONE ? route_group(m, product, req, res) : SIM_NONE;
    if (g != SIM_NONE) {
        sim_group_delete(m, product, g);
        httpd_response_empty(res, 204);
    }
    sim_model_unlock(m);
}

void sim_routes_groups(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/products/:product/groups", 0, handle_list, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/groups", 0, handle_create, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/groups/:group", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/groups/:group", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/groups/:group", 0, handle_delete, ctx);
}
