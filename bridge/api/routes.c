/* The API's route table and its auth hook: each group of routes lives in api/routes/ and
 * registers itself; the before hook checks the API key, the read-only key or the dashboard's
 * session cookie and its CSRF token (or the webhook secret). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/routes/routes.h"
#include "api/session.h"
#include "pu_str.h"
#include "pu_time.h"

#define ROUTE_WEBHOOK 0x100u /* authenticated by the webhook secret, not the API key */

static const char *bearer(const httpd_request *req)
{
    const char *auth = httpd_request_header(req, "Authorization");
    if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
        return auth + 7;
    }
    return NULL;
}

/* GET and HEAD change nothing: a read-only caller may send them, and a session needs no CSRF
 * token for them. */
static bool reads_only(const httpd_request *req)
{
    const char *m = httpd_request_method(req);
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static void answer_error(httpd_response *res, unsigned int status, const char *error,
                         const char *message)
{
    httpd_response_json(res, status,
                        json_pack("{s:b, s:s, s:s}", "ok", 0, "error", error, "message", message));
}

typedef enum access_level { ACCESS_NONE, ACCESS_READ, ACCESS_FULL } access_level;

/* What a Bearer key may do: both keys are compared every time, so the answer's timing does
 * not say which one came near. */
static access_level key_access(const bridge_api *api, const char *key)
{
    bool full = bridge_secret_equal(key, api->api_key);
    bool read = api->read_only_key != NULL && api->read_only_key[0] != '\0' &&
                bridge_secret_equal(key, api->read_only_key);
    return full ? ACCESS_FULL : read ? ACCESS_READ : ACCESS_NONE;
}

/* The access the pb_session cookie gives; ACCESS_NONE after answering 401 (no live session)
 * or 403 (a change without the session's CSRF token). */
static access_level session_access(const bridge_api *api, const httpd_request *req,
                                   httpd_response *res, const char *session_id)
{
    bridge_session s;
    if (api->sessions == NULL || !bridge_sessions_use(api->sessions, session_id, &s)) {
        httpd_response_error(res, 401, "session expired or unknown: sign in again");
        return ACCESS_NONE;
    }
    const char *token = httpd_request_header(req, "X-CSRF-Token");
    bool csrf_ok = reads_only(req) || (token != NULL && bridge_secret_equal(token, s.csrf));
    bool read_only = s.read_only;
    pu_secure_zero(&s, sizeof s);
    if (!csrf_ok) {
        answer_error(res, 403, "csrf",
                     "a change through a session needs its X-CSRF-Token (GET /api/v1/session)");
        return ACCESS_NONE;
    }
    return read_only ? ACCESS_READ : ACCESS_FULL;
}

bool bridge_api_before(const httpd_request *req, httpd_response *res, unsigned int flags,
                       void *payload)
{
    bridge_api *api = payload;
    if (flags & HTTPD_ROUTE_PUBLIC) {
        return true;
    }
    if (flags & ROUTE_WEBHOOK) {
        const char *given = httpd_request_header(req, "X-Webhook-Secret");
        if (given == NULL) {
            given = bearer(req);
        }
        if (given == NULL || !bridge_secret_equal(given, api->webhook_secret)) {
            atomic_fetch_add(&api->metrics->webhook_rejected, 1);
            httpd_response_error(res, 401,
                                 "webhook secret missing or wrong (send X-Webhook-Secret)");
            return false;
        }
        return true;
    }
    const char *key = bearer(req);
    /* the read-only key and sessions are for /api/v1; health and metrics keep the API key */
    bool api_route = strncmp(httpd_request_path(req), "/api/v1/", 8) == 0;
    char session_id[BRIDGE_SESSION_TOKEN_HEX + 1];
    access_level access;
    if (key == NULL && api_route &&
        bridge_session_cookie(httpd_request_header(req, "Cookie"), session_id)) {
        access = session_access(api, req, res, session_id);
        if (access == ACCESS_NONE) {
            return false;
        }
    } else {
        access = key != NULL ? key_access(api, key) : ACCESS_NONE;
        if (access == ACCESS_NONE || (access == ACCESS_READ && !api_route)) {
            httpd_response_header(res, "WWW-Authenticate", "Bearer realm=\"particle-bridge\"");
            httpd_response_error(res, 401,
                                 key == NULL ? "missing API key: send Authorization: Bearer <key>"
                                             : "invalid API key");
            return false;
        }
    }
    if (access == ACCESS_READ && !reads_only(req)) {
        answer_error(res, 403, "read_only", "this key may read but not change anything");
        return false;
    }
    return true;
}

int bridge_api_register(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= bridge_routes_health(srv, api);
    rc |= bridge_routes_metrics(srv, api);
    rc |= bridge_routes_devices(srv, api);
    rc |= bridge_routes_settings(srv, api);
    rc |= bridge_routes_readings(srv, api);
    rc |= bridge_routes_reports(srv, api);
    rc |= bridge_routes_events(srv, api);
    rc |= bridge_routes_openapi(srv, api);
    rc |= bridge_routes_exports(srv, api);
    rc |= bridge_routes_live(srv, api);
    rc |= bridge_routes_session(srv, api);
    rc |= bridge_routes_dashboard(srv, api);
    rc |= bridge_routes_fleet(srv, api);
    rc |= bridge_routes_stream(srv, api);
    rc |= bridge_routes_breaker(srv, api);
    if (api->writer != NULL && api->webhook_secret != NULL && api->webhook_secret[0] != '\0') {
        api->webhook = (bridge_webhook){api->writer, api->metrics};
        rc |= httpd_route_add(srv, "POST", "/api/v1/webhook", ROUTE_WEBHOOK, bridge_webhook_post,
                              &api->webhook);
    }
    return rc == 0 ? 0 : -1;
}
