/* Helpers shared by the route groups: error replies, query arguments, lookups, times. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pu_base64.h"
#include "pu_hash.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

const sim_principal *sim_caller(const httpd_request *req)
{
    return httpd_request_user(req);
}

void sim_reply_oauth_error(httpd_response *res, unsigned int status, const char *error,
                           const char *description)
{
    httpd_response_json(res, status,
                        json_pack("{s:s, s:s}", "error", error, "error_description", description));
}

/* @p text as a JSON string. A message may quote the client's bytes (a function name in the
 * path); bytes that are not UTF-8 become '?', so the answer stays JSON instead of a 500. */
static json_t *json_text(const char *text)
{
    json_t *s = json_string(text);
    if (s == NULL) {
        char *copy = strdup(text);
        if (copy == NULL) {
            return NULL;
        }
        for (char *c = copy; *c != '\0'; c++) {
            if ((unsigned char)*c >= 0x80) {
                *c = '?';
            }
        }
        s = json_string(copy);
        free(copy);
    }
    return s;
}

void sim_reply_fail(httpd_response *res, unsigned int status, const char *message)
{
    httpd_response_json(res, status, json_pack("{s:b, s:o}", "ok", 0, "error", json_text(message)));
}

void sim_reply_permission_denied(httpd_response *res)
{
    httpd_response_json(res, 403,
                        json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                  "I didn't recognize that device name or ID, try opening "
                                  "https://api.particle.io/v1/devices?access_token=undefined"));
}

void sim_reply_timed_out(const sim_ctx *ctx, httpd_response *res)
{
    sim_reply_fail(res, 400, "Timed out.");
    if (ctx->offline_delay_ms)
        httpd_response_delay(res, ctx->offline_delay_ms);
}

void sim_reply_after_round_trip(const sim_ctx *ctx, httpd_response *res)
{
    if (ctx->device_latency_ms)
        httpd_response_delay(res, ctx->device_latency_ms);
}

long sim_query_long(const httpd_request *req, const char *name, const char *alias, long dflt)
{
    const char *v = httpd_request_query(req, name);
    if (!v && alias)
        v = httpd_request_query(req, alias);
    if (!v || !*v)
        return dflt;
    int64_t n;
    return pu_parse_int64(v, LONG_MIN, LONG_MAX, &n) == 0 ? (long)n : -1;
}

int sim_parse_bool(const char *s)
{
    bool v;
    return pu_parse_bool(s, &v) == 0 ? v : -1;
}

uint32_t sim_route_product(const sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    const char *key = httpd_request_param(req, "product");
    uint32_t p = key ? sim_model_find_product(ctx->model, key) : SIM_NONE;
    if (p == SIM_NONE) {
        httpd_response_json(res, 404,
                            json_pack("{s:b, s:s}", "ok", 0, "error", "Product not found"));
        return SIM_NONE;
    }
    if (!sim_model_can_access_product(ctx->model, sim_caller(req), p)) {
        httpd_response_json(res, 403,
                            json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                      "You do not have access to this product"));
        return SIM_NONE;
    }
    return p;
}

uint32_t sim_route_device(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                          uint32_t *product_out)
{
    uint32_t product = SIM_NONE;
    *product_out = SIM_NONE;
    if (httpd_request_param(req, "product")) {
        const char *key = httpd_request_param(req, "product");
        product = sim_model_find_product(ctx->model, key);
        if (product == SIM_NONE) {
            httpd_response_json(res, 404,
                                json_pack("{s:b, s:s}", "ok", 0, "error", "Product not found"));
            return SIM_NONE;
        }
    }
    const char *id = httpd_request_param(req, "device");
    uint32_t dev =
        id ? sim_model_resolve_device(ctx->model, sim_caller(req), id, product) : SIM_NONE;
    if (dev == SIM_NONE) {
        sim_reply_permission_denied(res);
        return SIM_NONE;
    }
    *product_out = product;
    return dev;
}

json_t *sim_json_time(int64_t ms)
{
    char buf[PU_ISO8601_SIZE];
    return ms ? json_string(pu_time_iso8601(ms, buf)) : json_null();
}

bool sim_basic_auth(const httpd_request *req, sim_basic_creds *out)
{
    const char *h = httpd_request_header(req, "Authorization");
    if (!h || strncasecmp(h, "Basic ", 6) != 0)
        return false;
    if (!pu_base64_decode(h + 6, out->buf, sizeof(out->buf), NULL))
        return false;
    char *colon = strchr(out->buf, ':');
    if (!colon)
        return false;
    *colon = '\0';
    out->user = out->buf;
    out->secret = colon + 1;
    return true;
}
