/*
 * Products (reference/cloud-api.md §9.1): GET /v1/products (particle-api-js listProducts),
 * GET /v1/user/products (the documented path, particle-cli) and GET /v1/products/:product.
 * A developer lists the products whose team (or whose organization's team) they are on, a
 * product token its own product; a customer is refused (403).
 */
#include "routes/sim_routes.h"

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    if (p->kind == SIM_TOKEN_CUSTOMER) {
        sim_reply_denied(res, "Customers have no access to products");
        return;
    }
    sim_model_lock(m);
    json_t *list = json_array();
    for (uint32_t i = 0; i < m->product_count; i++)
        if (sim_model_product_right(m, p, i, SIM_RIGHT_READ))
            json_array_append_new(list, sim_render_product(m, i));
    sim_model_unlock(m);
    httpd_response_json(res, 200, json_pack("{s:o}", "products", list));
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t p = sim_route_product_right(ctx, req, res, SIM_RIGHT_READ);
    if (p != SIM_NONE)
        httpd_response_json(res, 200,
                            json_pack("{s:o}", "product", sim_render_product(ctx->model, p)));
    sim_model_unlock(ctx->model);
}

void sim_routes_products(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/products", 0, handle_list, ctx);
    httpd_route_add(srv, "GET", "/v1/user/products", 0, handle_list, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product", 0, handle_get, ctx);
}
