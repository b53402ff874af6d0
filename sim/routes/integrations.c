/*
 * Integration (webhook) list routes. The simulator models no integrations, so every list is
 * empty; the routes exist because real clients call them: `particle webhook list` and
 * `particle integration list` read GET /v1/integrations, particle-api-js listWebhooks reads
 * the legacy GET /v1/webhooks. The real cloud answers a bare array
 * (reference/cloud-api.md §10.2), which is also the shape particle-cli 3.51 reads first.
 * Creating, editing or deleting an integration is not modelled (405 / 404).
 */
#include "routes/sim_routes.h"

static void handle_list_user(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json(res, 200, json_array());
}

/* Product lists check the product first: 404 unknown, 403 not on the team. */
static void handle_list_product(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t product = sim_route_product(ctx, req, res);
    sim_model_unlock(ctx->model);
    if (product != SIM_NONE)
        httpd_response_json(res, 200, json_array());
}

void sim_routes_integrations(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/integrations", 0, handle_list_user, ctx);
    httpd_route_add(srv, "GET", "/v1/webhooks", 0, handle_list_user, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/integrations", 0, handle_list_product, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/webhooks", 0, handle_list_product, ctx);
}
