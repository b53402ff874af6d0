/*
 * The account routes (reference/cloud-api.md §4.9, §11): GET and PUT /v1/user (account
 * information, username, password), DELETE /v1/user, sign-up (POST /v1/users), password
 * reset, MFA enrolment (GET and POST /v1/user/mfa-enable, PUT /v1/user/mfa-disable) and the
 * tracking identity (GET /v1/user/identify).
 *
 * Only a developer's own token changes an account: product tokens are refused like GET
 * /v1/user refuses them, and customers (whose accounts their product manages) get 403.
 * A change that needs the current password and gets a wrong one is 403, with nothing
 * changed. Shapes the documentation leaves open follow particle-api-js's types (choices in
 * docs/COMPATIBILITY.md).
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_tokens.h"
#include "model/sim_users.h"
#include "pu_buf.h"
#include "pu_str.h"
#include "routes/sim_routes.h"

/* The caller as a developer account, or SIM_NONE when it replied. Model lock held. */
static uint32_t caller_developer(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                                 bool changes)
{
    const sim_principal *p = sim_caller(req);
    if (p->kind == SIM_TOKEN_PRODUCT) {
        sim_reply_oauth_error(res, 400, "unauthorized",
                              "API users are not allowed to call this endpoint");
        return SIM_NONE;
    }
    if (sim_token_find(ctx->model, p->token, NULL) == SIM_NONE) {
        sim_reply_oauth_error(res, 401, "invalid_token", "The access token provided is invalid.");
        return SIM_NONE;
    }
    if (changes && p->kind == SIM_TOKEN_CUSTOMER) {
        sim_reply_denied(res, "A product's customer account is managed by its product");
        return SIM_NONE;
    }
    return p->user;
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *render_user(const sim_model *m, uint32_t user)
{
    json_int_t wifi = 0, cellular = 0;
    for (uint32_t i = 0; i < m->device_count; i++)
        if (m->devices[i].owner == user)
            *(m->devices[i].cellular ? &cellular : &wifi) += 1;
    const sim_user *u = &m->users[user];
    /* A fleet user that never set its names shows the simulator's placeholder ones. */
    bool named = u->first_name || u->last_name || u->signed_up;
    json_t *info =
        json_pack("{s:o, s:o, s:b, s:o}", "first_name",
                  named ? text_or_null(u->first_name) : json_string("Simulated"), "last_name",
                  named ? text_or_null(u->last_name) : json_string("User"), "business_account",
                  u->business_account, "company_name", text_or_null(u->company_name));
    return json_pack("{s:s, s:[], s:o, s:b, s:b, s:{s:b}, s:I, s:I, s:[], s:i}", "username",
                     u->username, "subscription_ids", "account_info", info, "scim_provisioned", 0,
                     "no_password", u->no_password, "mfa", "enabled", sim_user_has_mfa(u),
                     "wifi_device_count", wifi, "cellular_device_count", cellular, "memberships",
                     "tos", 1);
}

static void handle_get_user(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t u = caller_developer(ctx, req, res, false);
    if (u != SIM_NONE)
        httpd_response_json(res, 200, render_user(ctx->model, u));
    sim_model_unlock(ctx->model);
}

/* account_info as an object (JSON) or bracketed form fields (account_info[first_name]);
 * false (replied 400) when it is something else or a field is not text. */
static bool read_info(const httpd_request *req, httpd_response *res, sim_account_info *info,
                      bool *given)
{
    *info = (sim_account_info){.business_account = -1};
    json_t *body = httpd_request_body(req);
    json_t *obj = json_object_get(body, "account_info");
    *given = obj != NULL;
    if (!obj)
        return true;
    if (!json_is_object(obj)) {
        sim_reply_fail(res, 400, "account_info must be an object");
        return false;
    }
    const char **fields[] = {&info->first_name, &info->last_name, &info->company_name};
    const char *names[] = {"first_name", "last_name", "company_name"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(obj, names[i]);
        if (v && !json_is_string(v) && !json_is_null(v)) {
            sim_reply_fail(res, 400, "account_info fields must be strings");
            return false;
        }
        *fields[i] = json_is_string(v) ? json_string_value(v) : v ? "" : NULL;
    }
    json_t *b = json_object_get(obj, "business_account");
    int flag = json_is_boolean(b)  ? json_is_true(b)
               : json_is_string(b) ? sim_parse_bool(json_string_value(b))
               : b                 ? -2
                                   : -1;
    if (flag == -2 || (b && flag < 0)) {
        sim_reply_fail(res, 400, "account_info.business_account must be a boolean");
        return false;
    }
    info->business_account = flag;
    return true;
}

/* A text field or absent; false (replied 400) when present but not a string. */
static bool read_text(const httpd_request *req, httpd_response *res, const char *name,
                      const char **out)
{
    json_t *v = json_object_get(httpd_request_body(req), name);
    if (v && !json_is_string(v)) {
        char msg[96];
        snprintf(msg, sizeof(msg), "%s must be a string", name);
        sim_reply_fail(res, 400, msg);
        return false;
    }
    *out = v ? json_string_value(v) : httpd_request_query(req, name);
    return true;
}

static void reply_wrong_password(httpd_response *res)
{
    sim_reply_fail(res, 403, "Invalid current password");
}

/* PUT /v1/user: account_info, and/or username or password with current_password. */
static void handle_put_user(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_account_info info;
    bool info_given;
    const char *username = NULL, *password = NULL, *current = NULL, *why = NULL;
    if (!read_info(req, res, &info, &info_given) || !read_text(req, res, "username", &username) ||
        !read_text(req, res, "password", &password) ||
        !read_text(req, res, "current_password", &current))
        return;
    int invalidate = sim_parse_bool(httpd_request_arg(req, "invalidate_tokens"));
    if (httpd_request_arg(req, "invalidate_tokens") && invalidate < 0) {
        sim_reply_fail(res, 400, "invalidate_tokens must be a boolean");
        return;
    }
    if (!info_given && !username && !password) {
        sim_reply_fail(res, 400, "Nothing to change: give account_info, username or password");
        return;
    }
    sim_model_lock(m);
    uint32_t u = caller_developer(ctx, req, res, true);
    if (u == SIM_NONE)
        goto out;
    if ((username || password) && !sim_user_password_ok(&m->users[u], current)) {
        reply_wrong_password(res);
        goto out;
    }
    /* Everything is checked before anything changes. */
    sim_result r = sim_user_check_change(m, u, username, password, info_given ? &info : NULL, &why);
    if (r == SIM_OK && username)
        r = sim_user_set_username(m, u, username, &why);
    if (r == SIM_OK && password)
        r = sim_user_set_password(m, u, password, &why);
    if (r == SIM_OK && info_given)
        r = sim_user_set_info(m, u, &info, &why);
    if (r != SIM_OK) {
        sim_reply_result(res, r, why);
        goto out;
    }
    if (invalidate == 1) {
        uint32_t mine = sim_token_find(m, sim_caller(req)->token, NULL);
        sim_user_revoke_tokens(m, u, mine);
    }
    if (password)
        httpd_response_json(
            res, 200, json_pack("{s:b, s:s}", "ok", 1, "message", "User's password updated."));
    else if (username)
        httpd_response_json(
            res, 200, json_pack("{s:b, s:s}", "ok", 1, "message", "User's username updated."));
    else
        httpd_response_json(res, 200, render_user(m, u));
out:
    sim_model_unlock(m);
}

/* DELETE /v1/user {password}. */
static void handle_delete_user(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *password = NULL;
    if (!read_text(req, res, "password", &password))
        return;
    sim_model_lock(ctx->model);
    uint32_t u = caller_developer(ctx, req, res, true);
    if (u != SIM_NONE && !sim_user_password_ok(&ctx->model->users[u], password)) {
        reply_wrong_password(res);
    } else if (u != SIM_NONE) {
        sim_user_delete(ctx->model, u);
        httpd_response_json(
            res, 200,
            json_pack("{s:b, s:s}", "ok", 1, "message", "User's account has been deleted."));
    }
    sim_model_unlock(ctx->model);
}

/* POST /v1/users {username, password, account_info?, utm?}: public, like the sign-up page. */
static void handle_create_user(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_account_info info;
    bool info_given;
    const char *username = NULL, *password = NULL, *why = NULL;
    if (!read_info(req, res, &info, &info_given) || !read_text(req, res, "username", &username) ||
        !read_text(req, res, "password", &password))
        return;
    json_t *utm = json_object_get(httpd_request_body(req), "utm");
    if (utm && !json_is_object(utm) && !json_is_null(utm)) {
        sim_reply_fail(res, 400, "utm must be an object");
        return;
    }
    sim_model_lock(ctx->model);
    uint32_t u;
    sim_result r =
        sim_user_create(ctx->model, username, password, info_given ? &info : NULL, &u, &why);
    if (r != SIM_OK)
        sim_reply_result(res, r, why);
    else
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    sim_model_unlock(ctx->model);
}

/* POST /v1/user/password-reset {username}: the same answer whether or not the account
 * exists (it must not tell who has one). The simulator sends no email. */
static void handle_password_reset(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    const char *username = NULL;
    if (!read_text(req, res, "username", &username))
        return;
    if (!username || !*username) {
        sim_reply_fail(res, 400, "username is required");
        return;
    }
    httpd_response_json(res, 200,
                        json_pack("{s:b, s:s}", "ok", 1, "message", "Password reset email sent."));
}

/* GET /v1/user/mfa-enable: a new secret for an authenticator app. */
static void handle_mfa_begin(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t u = caller_developer(ctx, req, res, true);
    const char *secret, *token, *why;
    if (u != SIM_NONE) {
        sim_result r = sim_user_mfa_begin(ctx->model, u, &secret, &token, &why);
        if (r != SIM_OK) {
            sim_reply_result(res, r, why);
        } else {
            pu_buf url;
            pu_buf_xinit(&url);
            pu_buf_append_str(&url, "otpauth://totp/Particle:");
            pu_buf_append_percent_encoded(&url, ctx->model->users[u].username);
            pu_buf_append_str(&url, "?secret=");
            pu_buf_append_str(&url, secret);
            pu_buf_append_str(&url, "&issuer=Particle");
            httpd_response_json(res, 200,
                                json_pack("{s:s, s:s, s:s}", "mfa_token", token, "qr_url",
                                          pu_buf_str(&url), "secret", secret));
            pu_buf_dispose(&url);
        }
    }
    sim_model_unlock(ctx->model);
}

/* POST /v1/user/mfa-enable {mfa_token, otp, invalidate_tokens?}. */
static void handle_mfa_confirm(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *token = NULL, *otp = NULL, *why;
    if (!read_text(req, res, "mfa_token", &token))
        return;
    otp = httpd_request_arg(req, "otp"); /* a number in JSON is fine: its digits */
    int invalidate = sim_parse_bool(httpd_request_arg(req, "invalidate_tokens"));
    if (!token || !otp) {
        sim_reply_fail(res, 400, "mfa_token and otp are required");
        return;
    }
    sim_model_lock(ctx->model);
    uint32_t u = caller_developer(ctx, req, res, true);
    if (u != SIM_NONE) {
        sim_result r = sim_user_mfa_confirm(ctx->model, u, token, otp, &why);
        if (r != SIM_OK) {
            sim_reply_result(res, r, why);
        } else {
            if (invalidate == 1)
                sim_user_revoke_tokens(ctx->model, u,
                                       sim_token_find(ctx->model, sim_caller(req)->token, NULL));
            httpd_response_json(res, 200, json_pack("{s:b}", "enrolled", 1));
        }
    }
    sim_model_unlock(ctx->model);
}

/* PUT /v1/user/mfa-disable {current_password}. */
static void handle_mfa_disable(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    const char *current = NULL, *why;
    if (!read_text(req, res, "current_password", &current))
        return;
    sim_model_lock(ctx->model);
    uint32_t u = caller_developer(ctx, req, res, true);
    if (u != SIM_NONE && !sim_user_password_ok(&ctx->model->users[u], current)) {
        reply_wrong_password(res);
    } else if (u != SIM_NONE) {
        sim_result r = sim_user_mfa_disable(ctx->model, u, &why);
        if (r != SIM_OK)
            sim_reply_result(res, r, why);
        else
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(ctx->model);
}

/* GET /v1/user/identify[?tracking=1]: a stable id for analytics, and the email. */
static void handle_identify(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model_lock(ctx->model);
    uint32_t u = caller_developer(ctx, req, res, false);
    if (u != SIM_NONE) {
        const sim_user *usr = &ctx->model->users[u];
        char id[25];
        sim_model_object_id("user", usr->origin ? usr->origin : usr->username, id);
        httpd_response_json(res, 200, json_pack("{s:s, s:s}", "id", id, "email", usr->username));
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_user(httpd_server *srv, sim_ctx *ctx)
{
    const unsigned int open = HTTPD_ROUTE_PUBLIC | SIM_ROUTE_RL_AUTH;
    httpd_route_add(srv, "GET", "/v1/user", 0, handle_get_user, ctx);
    httpd_route_add(srv, "PUT", "/v1/user", 0, handle_put_user, ctx);
    httpd_route_add(srv, "DELETE", "/v1/user", 0, handle_delete_user, ctx);
    httpd_route_add(srv, "POST", "/v1/users", open, handle_create_user, ctx);
    httpd_route_add(srv, "POST", "/v1/user/password-reset", open, handle_password_reset, ctx);
    httpd_route_add(srv, "GET", "/v1/user/mfa-enable", 0, handle_mfa_begin, ctx);
    httpd_route_add(srv, "POST", "/v1/user/mfa-enable", 0, handle_mfa_confirm, ctx);
    httpd_route_add(srv, "PUT", "/v1/user/mfa-disable", 0, handle_mfa_disable, ctx);
    httpd_route_add(srv, "GET", "/v1/user/identify", 0, handle_identify, ctx);
}
