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
 * to Developer (particle-api-js sends none).
 *
 * API users (§4.8): an invite with {friendly_name, scopes} creates one (model/sim_api_users.h)
 * and answers {"ok":true,"created":{username, is_programmatic, tokens:[{token}]}}; POST or PUT
 * .../team/:username with {friendly_name?, scopes} changes its scopes and rotates its token
 * ({"ok":true,"updated":{username, tokens}}), PUT .../team/:username/token rotates it alone,
 * DELETE removes the account. Lists show API users with is_programmatic, friendly_name and
 * scopes.
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_api_users.h"
#include "model/sim_tokens.h"
#include "model/sim_users.h"
#include "pu_str.h"
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

static json_t *member_json(const sim_ctx *ctx, uint32_t user, sim_role role)
{
    const char *name = ctx->model->users[user].username;
    char id[25];
    sim_model_object_id("user", name, id);
    json_t *member = json_pack("{s:s, s:s, s:{s:s, s:s}}", "_id", id, "username", name, "role",
                               "id", sim_role_id(role), "name", sim_role_name(role));
    if (sim_api_user_name(name)) {
        const json_t *api = sim_api_user_get(ctx->api_users, name);
        json_object_set_new(member, "is_programmatic", json_true());
        json_object_set_new(
            member, "friendly_name",
            json_string(api ? json_string_value(json_object_get(api, "friendly_name")) : ""));
        json_t *scopes = json_object_get(api, "scopes");
        json_object_set_new(member, "scopes", scopes ? json_deep_copy(scopes) : json_array());
    }
    return member;
}

/* A new non-expiring token of API user @p user (every earlier one revoked): [{token}]. */
static json_t *fresh_token(sim_model *m, uint32_t user)
{
    sim_user_revoke_tokens(m, user, SIM_NONE);
    uint32_t t = sim_token_create(m, SIM_TOKEN_USER, user, SIM_NONE, NULL, 0);
    return json_pack("[{s:s}]", "token", m->tokens[t].token);
}

/* The friendly name and scopes of an API user's body; false after a 400. */
static bool api_user_body(const httpd_request *req, httpd_response *res, const char **friendly,
                          const json_t **scopes)
{
    *friendly = httpd_request_arg(req, "friendly_name");
    *scopes = json_object_get(httpd_request_body(req), "scopes");
    const char *why = sim_api_scopes_check(*scopes);
    if (!why && *friendly && strlen(*friendly) > 100)
        why = "friendly_name is over 100 characters";
    if (why)
        sim_reply_fail(res, 400, why);
    return why == NULL;
}

/* Creates an API user on team @p index from the body; replies. */
static void create_api_user(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool org,
                            uint32_t index)
{
    const char *friendly, *why = NULL;
    const json_t *scopes;
    if (!api_user_body(req, res, &friendly, &scopes))
        return;
    if (!friendly || !*friendly) {
        sim_reply_fail(res, 400, "friendly_name is required for an API user");
        return;
    }
    char slug[48] = "", suffix[11], username[128], password[33];
    size_t n = 0;
    for (const char *c = friendly; *c && n + 1 < sizeof(slug); c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')
            slug[n++] = *c;
        else if (*c >= 'A' && *c <= 'Z')
            slug[n++] = (char)(*c - 'A' + 'a');
        else if (n > 0 && slug[n - 1] != '-')
            slug[n++] = '-';
    slug[n] = '\0';
    pu_random_hex(suffix, 5, NULL);
    pu_random_hex(password, 16, NULL);
    snprintf(username, sizeof(username), "%s+%s%s", n ? slug : "api-user", suffix,
             SIM_API_USER_DOMAIN);
    uint32_t user;
    sim_result r = sim_user_create(ctx->model, username, password, NULL, &user, &why);
    if (r == SIM_OK)
        r = sim_model_team_invite(ctx->model, org, index, username, SIM_ROLE_ADMINISTRATOR, &why);
    if (r != SIM_OK) {
        sim_reply_result(res, r, why);
        return;
    }
    sim_api_user_set(ctx->api_users, username, friendly, scopes);
    httpd_response_json(res, 200,
                        json_pack("{s:b, s:{s:s, s:b, s:o}}", "ok", 1, "created", "username",
                                  username, "is_programmatic", 1, "tokens",
                                  fresh_token(ctx->model, user)));
}

/* The API user :username on team @p index, or SIM_NONE after a 404. */
static uint32_t api_user_at(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                            bool org, uint32_t index)
{
    const char *username = httpd_request_param(req, "username");
    uint32_t user = sim_model_find_user(ctx->model, username);
    const sim_team *team = org ? &ctx->model->orgs[index].team : &ctx->model->products[index].team;
    if (user == SIM_NONE || !sim_api_user_name(username) || sim_team_find(team, user) == SIM_NONE) {
        sim_reply_fail(res, 404, "No API user of that name on this team");
        return SIM_NONE;
    }
    return user;
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
            json_array_append_new(members, member_json(ctx, u, (sim_role)role));
        }
        uint32_t o = org ? SIM_NONE : m->products[index].org;
        const sim_team *org_team = o != SIM_NONE ? &m->orgs[o].team : NULL;
        for (uint32_t i = 0; org_team && i < org_team->count; i++) {
            uint32_t u = org_team->users[i];
            if (sim_team_find(team, u) == SIM_NONE)
                json_array_append_new(members, member_json(ctx, u, (sim_role)org_team->roles[i]));
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
    bool api_user = httpd_request_arg(req, "friendly_name") ||
                    json_object_get(httpd_request_body(req), "scopes");
    sim_model_lock(m);
    uint32_t index = route_team(ctx, req, res, org, SIM_RIGHT_ADMIN);
    if (index == SIM_NONE)
        goto done;
    if (api_user) {
        create_api_user(req, res, ctx, org, index);
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
    const char *username = httpd_request_param(req, "username");
    if (index != SIM_NONE && sim_api_user_name(username)) {
        const char *friendly;
        const json_t *scopes;
        uint32_t user = api_user_at(ctx, req, res, org, index);
        if (user != SIM_NONE && api_user_body(req, res, &friendly, &scopes)) {
            const json_t *old = sim_api_user_get(ctx->api_users, username);
            if (!friendly)
                friendly = json_string_value(json_object_get(old, "friendly_name"));
            sim_api_user_set(ctx->api_users, username, friendly ? friendly : "", scopes);
            httpd_response_json(res, 200,
                                json_pack("{s:b, s:{s:s, s:o}}", "ok", 1, "updated", "username",
                                          username, "tokens", fresh_token(m, user)));
        }
        sim_model_unlock(m);
        return;
    }
    int role = index != SIM_NONE ? body_role(req, res, -1) : -1;
    if (role >= 0) {
        const char *why = NULL;
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
    const char *username = httpd_request_param(req, "username");
    if (index != SIM_NONE && sim_api_user_name(username)) {
        /* an API user exists only on its team: the account goes with its place */
        uint32_t user = api_user_at(ctx, req, res, org, index);
        if (user != SIM_NONE) {
            sim_user_delete(m, user);
            sim_api_user_forget(ctx->api_users, username);
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
        }
    } else if (index != SIM_NONE) {
        const char *why = NULL;
        sim_result r = sim_model_team_remove(m, org, index, username, &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(m);
}

/* PUT .../team/:username/token: a new token for an API user. */
static void regenerate_token(const httpd_request *req, httpd_response *res, sim_ctx *ctx, bool org)
{
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t index = route_team(ctx, req, res, org, SIM_RIGHT_ADMIN);
    uint32_t user = index != SIM_NONE ? api_user_at(ctx, req, res, org, index) : SIM_NONE;
    if (user != SIM_NONE)
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:{s:s, s:o}}", "ok", 1, "updated", "username",
                                      m->users[user].username, "tokens", fresh_token(m, user)));
    sim_model_unlock(m);
}

static void handle_product_token(const httpd_request *req, httpd_response *res, void *payload)
{
    regenerate_token(req, res, payload, false);
}

static void handle_org_token(const httpd_request *req, httpd_response *res, void *payload)
{
    regenerate_token(req, res, payload, true);
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
    httpd_route_add(srv, "PUT", "/v1/products/:product/team/:username", 0, handle_product_update,
                    ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/team/:username/token", 0,
                    handle_product_token, ctx);
    httpd_route_add(srv, "PUT", "/v1/orgs/:org/team/:username", 0, handle_org_update, ctx);
    httpd_route_add(srv, "PUT", "/v1/orgs/:org/team/:username/token", 0, handle_org_token, ctx);
    httpd_route_add(srv, "GET", "/v1/orgs/:org/team", 0, handle_org_list, ctx);
    httpd_route_add(srv, "POST", "/v1/orgs/:org/team/:username", 0, handle_org_update, ctx);
    httpd_route_add(srv, "POST", "/v1/orgs/:org/team", 0, handle_org_invite, ctx);
    httpd_route_add(srv, "DELETE", "/v1/orgs/:org/team/:username", 0, handle_org_remove, ctx);
}
