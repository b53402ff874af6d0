/*
 * Team members of a product or an organization (reference/cloud-api.md §9.3): list, invite
 * with a role, change a member's role (POST .../team/:username with `role`; the reference
 * leaves the body open: UNVERIFIED), remove. Products: /v1/products/:product/team[/:username];
 * organizations: /v1/orgs/:org/team[/:username], with the same shapes.
 *
 * A product's list shows everyone with access: its own team, then the members of its
 * organization's team who are not on it, with the role in effect (the stronger when on both;
 * reference §9.2-9.3 give the org team the product team's shapes, not how they combine:
 * UNVERIFIED). Inviting, changing and removing act on the team the route names: an
 * organization member is changed through the organization (the product route answers 404
 * saying so).
 *
 * Listing needs read access (any team role, or the product's token); inviting and removing
 * and changing roles need an Administrator (model/sim_accounts.h). The invitee must be a developer
 * the simulator knows (404 otherwise: the simulator sends no invitation e-mail); the role defaults
 * to Developer (particle-api-js sends none). API users (friendly_name/scopes) are not simulated:
 * 400.
 */
#include <string.h>

#include "routes/sim_routes.h"

/* The team the route names, after the access check; SIM_NONE (replied) otherwise. */
static uint32_t route_team(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                           bool org, sim_right right)
{
    return org ? sim_route_org(ctx, req, res, right)
               : sim_route_product_right(ctx, req, res, right);
}

static const sim_team *team_at(const sim_model *m, bool org, uint32_t index)
{
    return org ? &m->orgs[index].team : &m->products[index].team;
}

static json_t *member_json(const sim_model *m, uint32_t user, sim_role role)
{
    const char *name = m->users[user].username;
    char id[25];
    sim_model_object_id("user", name, id);
    return json_pack("{s:s, s:s, s:{s:s, s:s}}", "_id", id, "username", name, "role", "id",
                     sim_role_id(role), "name", sim_role_name(role));
}

/* An organization's team, or everyone with access to a product: its own team, then the
 * members of its organization's team who are not on it, each with the role in effect (the
 * stronger of the two when on both). */
static void list(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool org)
{
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t index = route_team(ctx, req, res, org, SIM_RIGHT_READ);
    if (index != SIM_NONE) {
        const sim_team *team = team_at(m, org, index);
        json_t *members = json_array();
        for (uint32_t i = 0; i < team->count; i++) {
            uint32_t u = team->users[i];
            int role = org ? team->roles[i] : sim_model_team_role(m, index, u);
            json_array_append_new(members, member_json(m, u, (sim_role)role));
        }
        uint32_t o = org ? SIM_NONE : m->products[index].org;
        const sim_team *org_team = o != SIM_NONE ? &m->orgs[o].team : NULL;
        for (uint32_t i = 0; org_team && i < org_team->count; i++) {
            uint32_t u = org_team->users[i];
            if (sim_team_find(team, u) == SIM_NONE)
                json_array_append_new(members, member_json(m, u, (sim_role)org_team->roles[i]));
        }
        httpd_response_json(res, 200, json_pack("{s:b, s:o}", "ok", 1, "team", members));
    }
    sim_model_unlock(m);
}

/* The role the body names; replies 400 and returns -1 when it is not one. */
static int body_role(const httpd_request *req, httpd_response *res, int dflt)
{
    const char *name = httpd_request_arg(req, "role");
    int role = name ? sim_role_parse(name) : dflt;
    if (role < 0)
        sim_reply_fail(res, 400, "role must be Administrator, Developer, View-only or Support");
    return role;
}

static void invite(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool org)
{
    sim_model *m = ctx->model;
    const char *username = httpd_request_arg(req, "username");
    bool api_user = httpd_request_arg(req, "friendly_name") || httpd_request_arg(req, "scopes");
    sim_model_lock(m);
    uint32_t index = route_team(ctx, req, res, org, SIM_RIGHT_ADMIN);
    if (index == SIM_NONE)
        goto done;
    if (api_user) {
        sim_reply_fail(res, 400, "API users are not simulated by particle-sim");
        goto done;
    }
    if (!username || !*username) {
        sim_reply_fail(res, 400, "username is required");
        goto done;
    }
    int role = body_role(req, res, SIM_ROLE_DEVELOPER);
    if (role < 0)
        goto done;
    const char *why = NULL;
    sim_result r = sim_model_team_invite(m, org, index, username, (sim_role)role, &why);
    if (r != SIM_OK)
        sim_reply_result(res, r, why);
    else
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:{s:s}}", "ok", 1, "invited", "username", username));
done:
    sim_model_unlock(m);
}

static void update_member(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool org)
{
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t index = route_team(ctx, req, res, org, SIM_RIGHT_ADMIN);
    int role = index != SIM_NONE ? body_role(req, res, -1) : -1;
    if (role >= 0) {
        const char *username = httpd_request_param(req, "username"), *why = NULL;
        sim_result r = sim_model_team_set_role(m, org, index, username, (sim_role)role, &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(res, 200,
                                json_pack("{s:b, s:{s:s, s:{s:s, s:s}}}", "ok", 1, "updated",
                                          "username", username, "role", "id",
                                          sim_role_id((sim_role)role), "name",
                                          sim_role_name((sim_role)role)));
    }
    sim_model_unlock(m);
}

static void remove_member(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool org)
{
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t index = route_team(ctx, req, res, org, SIM_RIGHT_ADMIN);
    if (index != SIM_NONE) {
        const char *why = NULL;
        sim_result r =
            sim_model_team_remove(m, org, index, httpd_request_param(req, "username"), &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(m);
}

static void handle_product_list(const httpd_request *req, httpd_response *res, void *payload)
{
    list(req, res, payload, false);
}

static void handle_product_invite(const httpd_request *req, httpd_response *res, void *payload)
{
    invite(req, res, payload, false);
}

static void handle_product_remove(const httpd_request *req, httpd_response *res, void *payload)
{
    remove_member(req, res, payload, false);
}

static void handle_product_update(const httpd_request *req, httpd_response *res, void *payload)
{
    update_member(req, res, payload, false);
}

static void handle_org_update(const httpd_request *req, httpd_response *res, void *payload)
{
    update_member(req, res, payload, true);
}

static void handle_org_list(const httpd_request *req, httpd_response *res, void *payload)
{
    list(req, res, payload, true);
}

static void handle_org_invite(const httpd_request *req, httpd_response *res, void *payload)
{
    invite(req, res, payload, true);
}

static void handle_org_remove(const httpd_request *req, httpd_response *res, void *payload)
{
    remove_member(req, res, payload, true);
}

void sim_routes_team(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/products/:product/team", 0, handle_product_list, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/team", 0, handle_product_invite, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/team/:username", 0, handle_product_remove,
                    ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/team/:username", 0, handle_product_update,
                    ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/team", 0, handle_org_list, ctx);
    httpd_route_add(srv, "POST", "/v1/orgs/:org/team/:username", 0, handle_org_update, ctx);
    httpd_route_add(srv, "POST", "/v1/orgs/:org/team", 0, handle_org_invite, ctx);
    httpd_route_add(srv, "DELETE", "/v1/orgs/:org/team/:username", 0, handle_org_remove, ctx);
}
