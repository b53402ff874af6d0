/* POST /oauth/token and the token and user routes (reference/cloud-api.md §4, §11). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/sim_tokens.h"
#include "model/sim_users.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

#define DEFAULT_EXPIRES_IN_S 7776000 /* 90 days, as the real cloud */

static bool password_ok(const sim_user *u, const char *password)
{
    return sim_user_password_ok(u, password);
}

#define MAX_LIFETIME_S (100LL * 365 * 24 * 3600)

/* expires_in (seconds, 0 = never) or expires_at (ISO-8601); -1 when malformed. */
static int64_t requested_lifetime_s(const httpd_request *req)
{
    const char *in = httpd_request_arg(req, "expires_in");
    const char *at = httpd_request_arg(req, "expires_at");
    if (in && *in) {
        int64_t v;
        /* Beyond a century is a mistake, not a wish for a token that never expires. */
        return pu_parse_int64(in, 0, MAX_LIFETIME_S, &v) == 0 ? v : -1;
    }
    if (at && *at) {
        int64_t ms;
        if (pu_time_parse_iso8601(at, &ms) < 0)
            return -1;
        int64_t left = (ms - pu_time_now_ms()) / 1000;
        return left > 0 ? left : 1;
    }
    return DEFAULT_EXPIRES_IN_S;
}

static void reply_token(httpd_response *res, const sim_model *m, uint32_t t, int64_t lifetime_s)
{
    const sim_token *tok = &m->tokens[t];
    httpd_response_json(res, 200,
                        json_pack("{s:s, s:s, s:I, s:s}", "token_type", "bearer", "access_token",
                                  tok->token, "expires_in", (json_int_t)lifetime_s, "refresh_token",
                                  tok->refresh));
}

static void grant_password(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                           const char *client)
{
    sim_model *m = ctx->model;
    const char *username = httpd_request_arg(req, "username");
    const char *password = httpd_request_arg(req, "password");
    int64_t life = requested_lifetime_s(req);
    if (life < 0) {
        sim_reply_oauth_error(res, 400, "invalid_request", "Invalid expires_in or expires_at");
        return;
    }
    uint32_t u = username ? sim_model_find_user(m, username) : SIM_NONE;
    if (u == SIM_NONE || !password_ok(&m->users[u], password)) {
        sim_reply_oauth_error(res, 400, "invalid_grant", "User credentials are invalid");
        return;
    }
    if (sim_user_has_mfa(&m->users[u])) {
        httpd_response_json(res, 403,
                            json_pack("{s:s, s:s, s:s}", "error", "mfa_required",
                                      "error_description", "Multifactor authentication required",
                                      "mfa_token", sim_mfa_begin(m, u)));
        return;
    }
    const sim_user *usr = &m->users[u];
    sim_token_kind kind = usr->customer_of == SIM_NONE ? SIM_TOKEN_USER : SIM_TOKEN_CUSTOMER;
    uint32_t t = sim_token_create(m, kind, u, usr->customer_of, client, life);
    reply_token(res, m, t, life);
}

static void grant_mfa(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                      const char *client)
{
    sim_model *m = ctx->model;
    const char *mfa_token = httpd_request_arg(req, "mfa_token");
    const char *otp = httpd_request_arg(req, "otp");
    uint32_t u = mfa_token && otp ? sim_mfa_complete(m, mfa_token, otp) : SIM_NONE;
    if (u == SIM_NONE) {
        sim_reply_oauth_error(res, 400, "invalid_grant", "Invalid MFA token or one-time password");
        return;
    }
    int64_t life = requested_lifetime_s(req);
    if (life < 0)
        life = DEFAULT_EXPIRES_IN_S;
    uint32_t t = sim_token_create(m, SIM_TOKEN_USER, u, SIM_NONE, client, life);
    reply_token(res, m, t, life);
}

static void grant_client_credentials(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                                     const char *client_id, const char *secret)
{
    sim_model *m = ctx->model;
    uint32_t c = client_id ? sim_model_find_client(m, client_id) : SIM_NONE;
    if (c == SIM_NONE || !secret || strcmp(m->clients[c].secret, secret) != 0) {
        sim_reply_oauth_error(res, 401, "invalid_client", "Invalid client credentials");
        return;
    }
    const sim_client *cl = &m->clients[c];
    int64_t life = requested_lifetime_s(req);
    if (life < 0) {
        sim_reply_oauth_error(res, 400, "invalid_request", "Invalid expires_in or expires_at");
        return;
    }
    const char *scope = httpd_request_arg(req, "scope");
    uint32_t t;
    if (scope && strncmp(scope, "customer=", 9) == 0) {
        uint32_t u = sim_model_find_user(m, scope + 9);
        if (cl->product == SIM_NONE || u == SIM_NONE || m->users[u].customer_of != cl->product) {
            sim_reply_oauth_error(res, 400, "invalid_grant",
                                  "Customer not found for this product client");
            return;
        }
        t = sim_token_create(m, SIM_TOKEN_CUSTOMER, u, cl->product, client_id, life);
    } else if (scope && *scope) {
        sim_reply_oauth_error(res, 400, "invalid_scope", "Unsupported scope");
        return;
    } else if (cl->product != SIM_NONE) {
        t = sim_token_create(m, SIM_TOKEN_PRODUCT, SIM_NONE, cl->product, client_id, life);
    } else {
        t = sim_token_create(m, SIM_TOKEN_USER, cl->owner, SIM_NONE, client_id, life);
    }
    reply_token(res, m, t, life);
}

static void grant_refresh(sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                          const char *client)
{
    sim_model *m = ctx->model;
    const char *refresh = httpd_request_arg(req, "refresh_token");
    uint32_t old = refresh ? sim_token_find_refresh(m, refresh) : SIM_NONE;
    if (old == SIM_NONE) {
        sim_reply_oauth_error(res, 400, "invalid_grant", "Invalid refresh token");
        return;
    }
    sim_token prev = m->tokens[old];
    int64_t life = requested_lifetime_s(req);
    if (life < 0)
        life = DEFAULT_EXPIRES_IN_S;
    /* The refresh token is single-use: it goes with the token it belonged to. */
    sim_token_revoke(m, old);
    uint32_t t =
        sim_token_create(m, (sim_token_kind)prev.kind, prev.user, prev.product, client, life);
    reply_token(res, m, t, life);
}

static void handle_oauth_token(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_basic_creds basic;
    const char *client_id = httpd_request_arg(req, "client_id");
    const char *secret = httpd_request_arg(req, "client_secret");
    if (sim_basic_auth(req, &basic)) {
        client_id = basic.user;
        secret = basic.secret;
    }
    const char *grant = httpd_request_arg(req, "grant_type");
    if (!grant) {
        sim_reply_oauth_error(res, 400, "invalid_request",
                              "Invalid or missing grant_type parameter");
        return;
    }
    const char *client = client_id ? client_id : "particle";
    sim_model_lock(ctx->model);
    if (strcmp(grant, "password") == 0)
        grant_password(ctx, req, res, client);
    else if (strcmp(grant, "client_credentials") == 0)
        grant_client_credentials(ctx, req, res, client_id, secret);
    else if (strcmp(grant, "refresh_token") == 0)
        grant_refresh(ctx, req, res, client);
    else if (strcmp(grant, "urn:custom:mfa-otp") == 0)
        grant_mfa(ctx, req, res, client);
    else
        sim_reply_oauth_error(res, 400, "unsupported_grant_type",
                              "Invalid or missing grant_type parameter");
    sim_model_unlock(ctx->model);
    pu_secure_zero(&basic, sizeof(basic));
}

/* GET /v1/access_tokens: HTTP Basic username:password (plus otp for MFA users). */
static void handle_list_tokens(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_basic_creds basic;
    if (!sim_basic_auth(req, &basic)) {
        sim_reply_oauth_error(res, 400, "invalid_request",
                              "HTTP Basic authentication with username:password is required");
        return;
    }
    sim_model_lock(m);
    uint32_t u = sim_model_find_user(m, basic.user);
    const char *otp = httpd_request_arg(req, "otp");
    if (u == SIM_NONE || !password_ok(&m->users[u], basic.secret)) {
        sim_reply_oauth_error(res, 400, "invalid_grant", "User credentials are invalid");
    } else if (sim_user_has_mfa(&m->users[u]) && !sim_user_otp_ok(m, u, otp)) {
        sim_reply_oauth_error(res, 403, "mfa_required", "Multifactor authentication required");
    } else {
        json_t *list = json_array();
        for (uint32_t i = 0; i < m->token_count; i++) {
            const sim_token *t = &m->tokens[i];
            if (t->user != u || t->kind == SIM_TOKEN_PRODUCT)
                continue;
            if (t->expires_ms && t->expires_ms <= pu_time_now_ms())
                continue;
            json_array_append_new(list,
                                  json_pack("{s:s, s:o, s:s}", "token", t->token, "expires_at",
                                            sim_json_time(t->expires_ms), "client", t->client));
        }
        httpd_response_json(res, 200, list);
    }
    sim_model_unlock(m);
    pu_secure_zero(&basic, sizeof(basic));
}

/* The caller's token, found again under the model lock (another request may have revoked
 * it since the auth hook ran); replies 401 and returns SIM_NONE when it is gone. */
static uint32_t caller_token(const sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    bool expired;
    uint32_t t = sim_token_find(ctx->model, sim_caller(req)->token, &expired);
    if (t == SIM_NONE)
        sim_reply_oauth_error(res, 401, "invalid_token",
                              expired ? "The access token provided has expired."
                                      : "The access token provided is invalid.");
    return t;
}

static void handle_delete_current(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t t = caller_token(ctx, req, res);
    if (t != SIM_NONE) {
        sim_token_revoke(ctx->model, t);
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(ctx->model);
}

static void handle_get_current(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t i = caller_token(ctx, req, res);
    if (i != SIM_NONE) {
        const sim_token *t = &ctx->model->tokens[i];
        httpd_response_json(res, 200,
                            json_pack("{s:o, s:s, s:s, s:[], s:[]}", "expires_at",
                                      sim_json_time(t->expires_ms), "client", t->client,
                                      "client_id", t->client, "scopes", "orgs"));
    }
    sim_model_unlock(ctx->model);
}

/* DELETE /v1/access_tokens/:token: the path token is its own credential (particle-api-js
 * sends none), or Basic username:password / a Bearer token of the same user. */
static void handle_delete_token(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *token = httpd_request_param(req, "token");
    sim_model_lock(m);
    uint32_t t = token ? sim_token_find(m, token, NULL) : SIM_NONE;
    if (t == SIM_NONE)
        sim_reply_oauth_error(res, 401, "invalid_token", "The access token provided is invalid.");
    else {
        sim_token_revoke(m, t);
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(m);
}

static void handle_delete_all(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t t = caller_token(ctx, req, res);
    if (t != SIM_NONE) {
        sim_token_revoke_all_like(ctx->model, t);
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_auth(httpd_server *srv, sim_ctx *ctx)
{
    const unsigned int open = HTTPD_ROUTE_PUBLIC | SIM_ROUTE_RL_AUTH;
    httpd_route_add(srv, "POST", "/oauth/token", open, handle_oauth_token, ctx);
    httpd_route_add(srv, "GET", "/v1/access_tokens", open, handle_list_tokens, ctx);
    httpd_route_add(srv, "DELETE", "/v1/access_tokens", SIM_ROUTE_RL_AUTH, handle_delete_all, ctx);
    httpd_route_add(srv, "GET", "/v1/access_tokens/current", 0, handle_get_current, ctx);
    httpd_route_add(srv, "DELETE", "/v1/access_tokens/current", 0, handle_delete_current, ctx);
    httpd_route_add(srv, "DELETE", "/v1/access_tokens/:token", open, handle_delete_token, ctx);
}
