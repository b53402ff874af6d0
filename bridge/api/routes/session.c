/*
 * The dashboard's sign-in (api/session.h):
 *   POST   /api/v1/session  {"key":"<API key or read-only key>"} -> 200 the session's CSRF
 *                           token, read_only and expires_at, with the pb_session cookie; 401
 *                           for a wrong key, 400 for a body that is not that JSON, 413 for one
 *                           over 4 KiB, 404 when the bridge has no session table
 *   GET    /api/v1/session  the same answer for the session the cookie names, else 401
 *   DELETE /api/v1/session  204: the session forgotten (with its CSRF token) and the cookie
 *                           cleared
 * The routes are public to the auth hook: POST is how a key becomes a session, GET and DELETE
 * look at the cookie themselves. The cookie is HttpOnly and SameSite=Strict; the bridge serves
 * plain HTTP (TLS is a proxy's job), so it carries no Secure attribute.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/routes/routes.h"
#include "api/session.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "pu_time.h"

#define SESSION_BODY_MAX 4096 /* bytes of a sign-in body */

static void answer_error(httpd_response *res, unsigned int status, const char *error,
                         const char *message)
{
    httpd_response_json(res, status,
                        json_pack("{s:b, s:s, s:s}", "ok", 0, "error", error, "message", message));
}

/* Sets the pb_session cookie to @p id for @p max_age_s seconds ("" and 0: clears it). */
static void set_cookie(httpd_response *res, const char *id, int64_t max_age_s)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie,
             BRIDGE_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%" PRId64, id,
             max_age_s);
    httpd_response_header(res, "Set-Cookie", cookie);
    pu_secure_zero(cookie, sizeof cookie);
}

/* 200 with the session's CSRF token, the cookie set again (its Max-Age restarted, as the
 * session's idle time just was). */
static void answer_session(const bridge_api *api, httpd_response *res, const bridge_session *s)
{
    char expires[PU_ISO8601_SIZE];
    pu_time_iso8601(s->expires_at_ms, expires);
    set_cookie(res, s->id, bridge_sessions_idle_ms(api->sessions) / 1000);
    httpd_response_header(res, "Cache-Control", "no-store");
    httpd_response_json(res, 200,
                        json_pack("{s:s, s:b, s:s}", "csrf_token", s->csrf, "read_only",
                                  s->read_only, "expires_at", expires));
}

static bool is_json(const httpd_request *req)
{
    const char *ct = httpd_request_content_type(req);
    return ct != NULL && strncmp(ct, "application/json", 16) == 0 &&
           (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

static void post_session(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_SESSION_OPEN, &p)) {
        return;
    }
    if (api->sessions == NULL) {
        httpd_response_error(res, 404, "this bridge serves no dashboard sessions");
        return;
    }
    const char *length = httpd_request_header(req, "Content-Length");
    int64_t bytes = 0;
    if (length != NULL && pu_parse_int64(length, 0, INT64_MAX, &bytes) == 0 &&
        bytes > SESSION_BODY_MAX) {
        httpd_response_error(res, 413, "the sign-in body is at most 4 KiB");
        return;
    }
    const char *key = json_string_value(json_object_get(httpd_request_body(req), "key"));
    /* a form post could come from any site's page: only JSON (which needs CORS) signs in */
    if (!is_json(req) || key == NULL || key[0] == '\0' || strlen(key) > SESSION_BODY_MAX) {
        httpd_response_error(res, 400, "send {\"key\":\"<API key>\"} as application/json");
        return;
    }
    bool full = bridge_secret_equal(key, api->api_key);
    bool read = api->read_only_key != NULL && api->read_only_key[0] != '\0' &&
                bridge_secret_equal(key, api->read_only_key);
    if (!full && !read) {
        answer_error(res, 401, "unauthorized", "wrong key: give the API key or the read-only key");
        return;
    }
    bridge_session s;
    if (bridge_sessions_open(api->sessions, !full, &s) != 0) {
        httpd_response_error(res, 500, "the system gave no random bytes for the session");
        return;
    }
    answer_session(api, res, &s);
    pu_secure_zero(&s, sizeof s);
}

static void get_session(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_SESSION_GET, &p)) {
        return;
    }
    char id[BRIDGE_SESSION_TOKEN_HEX + 1];
    bridge_session s;
    if (api->sessions == NULL || !bridge_session_cookie(httpd_request_header(req, "Cookie"), id) ||
        !bridge_sessions_use(api->sessions, id, &s)) {
        answer_error(res, 401, "unauthorized", "no live session: sign in with POST");
        return;
    }
    answer_session(api, res, &s);
    pu_secure_zero(&s, sizeof s);
}

static void delete_session(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_SESSION_CLOSE, &p)) {
        return;
    }
    char id[BRIDGE_SESSION_TOKEN_HEX + 1];
    bridge_session s;
    if (api->sessions != NULL && bridge_session_cookie(httpd_request_header(req, "Cookie"), id) &&
        bridge_sessions_use(api->sessions, id, &s)) {
        /* signing out is a change too: another site's page must not end the session */
        const char *token = httpd_request_header(req, "X-CSRF-Token");
        bool csrf_ok = token != NULL && bridge_secret_equal(token, s.csrf);
        pu_secure_zero(&s, sizeof s);
        if (!csrf_ok) {
            answer_error(res, 403, "csrf", "signing out needs the session's X-CSRF-Token");
            return;
        }
        bridge_sessions_close(api->sessions, id);
    }
    set_cookie(res, "", 0);
    httpd_response_empty(res, 204);
}

int bridge_routes_session(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= httpd_route_add(srv, "POST", "/api/v1/session", HTTPD_ROUTE_PUBLIC, post_session, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/session", HTTPD_ROUTE_PUBLIC, get_session, api);
    rc |=
        httpd_route_add(srv, "DELETE", "/api/v1/session", HTTPD_ROUTE_PUBLIC, delete_session, api);
    return rc == 0 ? 0 : -1;
}
