/*
 * Organizations (reference/cloud-api.md §9.2): GET /v1/orgs (the caller's), GET
 * /v1/orgs/:org and GET /v1/orgs/:org/products, by id or slug. Only members of the
 * organization's team see it; customers and product tokens are refused (403). The org team
 * routes are in routes/team.c.
 */
#include "routes/sim_routes.h"

static json_t *render_org(const sim_org *o)
{
    return json_pack("{s:s, s:s, s:s}", "id", o->id, "slug", o->slug, "name", o->name);
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    if (p->kind != SIM_TOKEN_USER) {
        sim_reply_denied(res, "Only developers belong to organizations");
        return;
    }
    sim_model_lock(m);
    json_t *list = json_array();
    for (uint32_t i = 0; i < m->org_count; i++)
        if (sim_model_can_access_org(m, p, i))
            json_array_append_new(list, render_org(&m->orgs[i]));
    sim_model_unlock(m);
    httpd_response_json(res, 200, json_pack("{s:o}", "organizations", list));
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t o = sim_route_org(ctx, req, res, SIM_RIGHT_READ);
    if (o != SIM_NONE)
        httpd_response_json(res, 200,
                            json_pack("{s:o}", "organization", render_org(&ctx->model->orgs[o])));
    sim_model_unlock(ctx->model);
}

static void handle_products(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t o = sim_route_org(ctx, req, res, SIM_RIGHT_READ);
    if (o != SIM_NONE) {
        json_t *list = json_array();
        for (uint32_t i = 0; i < m->product_count; i++)
            if (m->products[i].org == o)
                json_array_append_new(list, sim_render_product(m, i));
        httpd_response_json(res, 200, json_pack("{s:o}", "products", list));
    }
    sim_model_unlock(m);
}

void sim_routes_orgs(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/orgs", 0, handle_list, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org", 0, handle_get, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/products", 0, handle_products, ctx);
}
