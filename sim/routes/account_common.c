/* What the account route groups (products, orgs, team, clients, customers) share: access
 * checks with rights, refusal replies and the product object. */
#include <string.h>

#include "routes/sim_routes.h"

void sim_reply_denied(httpd_response *res, const char *info)
{
    httpd_response_json(res, 403,
                        json_pack("{s:s, s:s}", "error", "Permission Denied", "info", info));
}

void sim_reply_result(httpd_response *res, sim_result r, const char *why)
{
    unsigned int status = r == SIM_NOT_FOUND ? 404 : r == SIM_CONFLICT ? 409 : 400;
    sim_reply_fail(res, status, why);
}

uint32_t sim_route_product_right(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                                 sim_right right)
{
    uint32_t p = sim_route_product(ctx, req, res);
    if (p != SIM_NONE && !sim_model_product_right(ctx->model, sim_caller(req), p, right)) {
        sim_reply_denied(res, "Your role on this product does not allow this");
        return SIM_NONE;
    }
    return p;
}

uint32_t sim_route_org(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                       sim_right right)
{
    const char *key = httpd_request_param(req, "org");
    uint32_t o = key ? sim_model_find_org(ctx->model, key) : SIM_NONE;
    if (o == SIM_NONE) {
        sim_reply_fail(res, 404, "Organization not found");
        return SIM_NONE;
    }
    const sim_principal *p = sim_caller(req);
    if (!sim_model_can_access_org(ctx->model, p, o)) {
        sim_reply_denied(res, "You do not have access to this organization");
        return SIM_NONE;
    }
    if (!sim_model_org_right(ctx->model, p, o, right)) {
        sim_reply_denied(res, "Your role in this organization does not allow this");
        return SIM_NONE;
    }
    return o;
}

/* The first Administrator of the product's own team: the "user" field. */
static const char *product_user(const sim_model *m, const sim_product *p)
{
    for (uint32_t i = 0; i < p->team.count; i++)
        if (p->team.roles[i] == SIM_ROLE_ADMINISTRATOR)
            return m->users[p->team.users[i]].username;
    return NULL;
}

json_t *sim_render_product(const sim_model *m, uint32_t product)
{
    const sim_product *p = &m->products[product];
    json_int_t devices = 0;
    bool quarantine = false;
    for (uint32_t i = 0; i < m->device_count; i++) {
        const sim_device *d = &m->devices[i];
        if (d->product != product || d->denied)
            continue;
        devices++;
        quarantine |= d->quarantined;
    }
    json_t *groups = json_array();
    for (uint32_t g = 0; g < p->group_count; g++)
        json_array_append_new(groups, json_string(p->groups[g]));
    const char *user = product_user(m, p);
    const sim_org *org = p->org != SIM_NONE ? &m->orgs[p->org] : NULL;
    return json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:o, s:{s:{}, s:{s:b}, s:b}, s:s, s:o, s:o, "
                     "s:o, s:b, s:I, s:I}",
                     "id", (json_int_t)p->id, "platform_id", (int)p->platform_id, "name", p->name,
                     "slug", p->slug, "description", p->description ? p->description : "", "user",
                     user ? json_string(user) : json_null(), "groups", groups, "settings",
                     "location", "known_application", "opt_in", 1, "quarantine", quarantine,
                     "device_protection", "disabled", "organization",
                     org ? json_string(org->id) : json_null(), "organization_id",
                     org ? json_string(org->id) : json_null(), "org",
                     org ? json_string(org->name) : json_null(), "requires_activation_codes", 0,
                     "device_count", devices, "group_count", (json_int_t)p->group_count);
}
