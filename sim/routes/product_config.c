/*
 * Product and device configuration (reference/cloud-api.md §13, particle-api-js
 * getProductConfiguration, setProductConfiguration and the device variants):
 *   GET    /v1/products/:product/config            200 {"configuration":{...}}, 404 {} when none
 *   PUT    /v1/products/:product/config            200 {"configuration":{...}}
 *   GET    /v1/products/:product/config/:device    the device's own, else the product's; 404 {}
 *   PUT    /v1/products/:product/config/:device    200 when the device is online (applied),
 *                                                  202 when offline (pending)
 *   DELETE /v1/products/:product/config/:device    204: the device has its product's again
 * The body is the configuration itself: a JSON object of sections, each an object (the
 * Tracker schema's top level). Anything else is refused as the reference shows it: 422
 * {"message":"Invalid Schema",...} (plus "error"); an empty body is 400. The `configuration`
 * wrapper of the answers is UNVERIFIED (docs/COMPATIBILITY.md).
 *
 * Schemas (particle-api-js getProductConfigurationSchema and the device variant): the same
 * paths with Accept: application/schema+json GET the JSON Schema in effect (the device's
 * own, else the product's; 404 {} when none was set), and PUT with Content-Type:
 * application/schema+json sets it (400 for a schema the simulator cannot use). While a
 * schema is in effect every configuration set is validated against it
 * (model/sim_json_schema.h: the draft-07 subset): a violation is the reference's 422
 * "Invalid Schema" body, its violation naming the bad path (dataPath) and keyword.
 *
 * Reading needs read access to the product, changing the develop right (a team
 * Administrator or Developer, or the product's token); customers have neither. A device
 * that is not in the product is 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_config_schemas.h"
#include "model/sim_configs.h"
#include "model/sim_json_schema.h"
#include "routes/sim_routes.h"

/* The :device of the route, which must be in @p product; replies 404 and returns SIM_NONE. */
static uint32_t route_config_device(const sim_model *m, const httpd_request *req,
                                    httpd_response *res, uint32_t product)
{
    const char *id = httpd_request_param(req, "device");
    uint32_t dev = id ? sim_model_find_device_id(m, id) : SIM_NONE;
    if (dev == SIM_NONE || m->devices[dev].product != product) {
        sim_reply_fail(res, 404, "Device not found in this product");
        return SIM_NONE;
    }
    return dev;
}

static bool wants_schema(const httpd_request *req)
{
    const char *accept = httpd_request_header(req, "Accept");
    return accept && strstr(accept, "application/schema+json") != NULL;
}

static bool sends_schema(const httpd_request *req)
{
    const char *type = httpd_request_content_type(req);
    return type && strstr(type, "application/schema+json") != NULL;
}

/* The key of a schema in ctx->config_schemas (model/sim_config_schemas.h): "<product id>" or
 * "<product id>/<device id>". */
static void schema_key(const sim_model *m, uint32_t product, uint32_t dev, char *out, size_t size)
{
    if (dev == SIM_NONE)
        snprintf(out, size, "%u", m->products[product].id);
    else
        snprintf(out, size, "%u/%s", m->products[product].id, m->devices[dev].id);
}

/* The schema in effect for the product (@p dev SIM_NONE) or a device: its own, else the
 * product's; NULL when none. Borrowed. */
static const json_t *schema_in_effect(const sim_ctx *ctx, uint32_t product, uint32_t dev)
{
    char key[64];
    const json_t *schema = NULL;
    if (dev != SIM_NONE) {
        schema_key(ctx->model, product, dev, key, sizeof(key));
        schema = sim_config_schema_get(ctx->config_schemas, key);
    }
    if (!schema) {
        schema_key(ctx->model, product, SIM_NONE, key, sizeof(key));
        schema = sim_config_schema_get(ctx->config_schemas, key);
    }
    return schema;
}

/* 422 "Invalid Schema" (reference §3.2) for violation @p v. */
static void reply_violation(httpd_response *res, const sim_schema_violation *v)
{
    char description[512];
    snprintf(description, sizeof(description), "data%s %s", v->data_path, v->message);
    json_t *violation =
        json_pack("{s:s, s:s, s:s, s:{}, s:s}", "keyword", v->keyword, "dataPath", v->data_path,
                  "schemaPath", v->schema_path, "params", "message", v->message);
    httpd_response_json(res, 422,
                        json_pack("{s:s, s:s, s:s, s:[o]}", "error", "Invalid Schema", "message",
                                  "Invalid Schema", "description", description, "violations",
                                  violation));
}

/* 422 as the reference's "Invalid Schema" example, naming the member that is not a section. */
static void reply_invalid(httpd_response *res, const char *key)
{
    char path[160];
    snprintf(path, sizeof(path), ".%.140s", key);
    json_t *violation = json_pack("{s:s, s:s, s:s, s:{s:s}, s:s}", "keyword", "type", "dataPath",
                                  path, "schemaPath", "#/additionalProperties/type", "params",
                                  "type", "object", "message", "should be object");
    /* the reference's body, plus the "error" every other failure of the simulator carries */
    httpd_response_json(res, 422,
                        json_pack("{s:s, s:s, s:s, s:[o]}", "error", "Invalid Schema", "message",
                                  "Invalid Schema", "description",
                                  "every section of a configuration should be object", "violations",
                                  violation));
}

/* The body as compact configuration text (free()), or NULL after replying 400/422. */
static char *checked_config(const httpd_request *req, httpd_response *res)
{
    json_t *body = httpd_request_body(req);
    if (json_object_size(body) == 0) {
        sim_reply_fail(res, 400, "A configuration is required: a JSON object of sections");
        return NULL;
    }
    const char *key;
    json_t *section;
    json_object_foreach(body, key, section)
    {
        if (!json_is_object(section)) {
            reply_invalid(res, key);
            return NULL;
        }
    }
    return json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
}

static void reply_config(httpd_response *res, unsigned int status, const char *text)
{
    json_t *config = json_loads(text, 0, NULL);
    httpd_response_json(res, status, json_pack("{s:o}", "configuration", config));
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_READ);
    uint32_t dev = SIM_NONE;
    if (product == SIM_NONE || (httpd_request_param(req, "device") &&
                                (dev = route_config_device(m, req, res, product)) == SIM_NONE))
        goto done;
    if (wants_schema(req)) {
        const json_t *schema = schema_in_effect(ctx, product, dev);
        httpd_response_json(res, schema ? 200 : 404,
                            schema ? json_deep_copy(schema) : json_object());
        goto done;
    }
    const char *text = dev != SIM_NONE ? sim_config_get(m, product, dev) : NULL;
    if (!text)
        text = sim_config_get(m, product, SIM_NONE);
    if (!text)
        httpd_response_json(res, 404, json_object()); /* §3.2: "config not set" is 404 {} */
    else
        reply_config(res, 200, text);
done:
    sim_model_unlock(m);
}

static void handle_set(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    uint32_t dev = SIM_NONE;
    char *text = NULL;
    if (product == SIM_NONE || (httpd_request_param(req, "device") &&
                                (dev = route_config_device(m, req, res, product)) == SIM_NONE))
        goto done;
    if (sends_schema(req)) {
        json_t *schema = httpd_request_body(req);
        const char *why = json_object_size(schema) ? sim_schema_check(schema)
                                                   : "A schema is required: a JSON object";
        char key[64];
        if (why) {
            sim_reply_fail(res, 400, why);
        } else {
            schema_key(m, product, dev, key, sizeof(key));
            sim_config_schema_set(ctx->config_schemas, key, schema);
            httpd_response_json(res, 200, json_deep_copy(schema));
        }
        goto done;
    }
    if ((text = checked_config(req, res)) == NULL)
        goto done;
    const json_t *schema = schema_in_effect(ctx, product, dev);
    sim_schema_violation v;
    if (schema && !sim_schema_validate(schema, httpd_request_body(req), &v)) {
        reply_violation(res, &v);
        goto done;
    }
    sim_config_set(m, product, dev, text);
    /* a device takes its configuration when it is online; an offline one later (202) */
    reply_config(res, dev == SIM_NONE || m->devices[dev].online ? 200 : 202, text);
done:
    free(text);
    sim_model_unlock(m);
}

static void handle_reset(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    uint32_t dev = product == SIM_NONE ? SIM_NONE : route_config_device(m, req, res, product);
    if (dev != SIM_NONE) {
        sim_config_reset(m, product, dev);
        httpd_response_empty(res, 204);
    }
    sim_model_unlock(m);
}

void sim_routes_product_config(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/products/:product/config", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/config", 0, handle_set, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/config/:device", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/config/:device", 0, handle_set, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/config/:device", 0, handle_reset, ctx);
}
