/* The API's route table and its auth hook: each group of routes lives in api/routes/ and
 * registers itself; the before hook checks the API key (or the webhook secret). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/routes/routes.h"
#include "pu_time.h"

#define ROUTE_WEBHOOK 0x100u /* authenticated by the webhook secret, not the API key */

/* Compares in time independent of where the first difference is. */
static bool secret_equal(const char *given, const char *secret)
{
    size_t a = strlen(given), b = strlen(secret);
    unsigned char diff = (unsigned char)(a != b);
    for (size_t i = 0; i < b; i++) {
        diff |= (unsigned char)(given[i < a ? i : 0] ^ secret[i]);
    }
    return diff == 0 && a == b;
}

static const char *bearer(const httpd_request *req)
{
    const char *auth = httpd_request_header(req, "Authorization");
    if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
        return auth + 7;
    }
    return NULL;
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
        if (given == NULL || !secret_equal(given, api->webhook_secret)) {
            atomic_fetch_add(&api->metrics->webhook_rejected, 1);
            httpd_response_error(res, 401,
                                 "webhook secret missing or wrong (send X-Webhook-Secret)");
            return false;
        }
        return true;
    }
    const char *key = bearer(req);
    if (key == NULL || !secret_equal(key, api->api_key)) {
        httpd_response_header(res, "WWW-Authenticate", "Bearer realm=\"particle-bridge\"");
        httpd_response_error(res, 401,
                             key == NULL ? "missing API key: send Authorization: Bearer <key>"
                                         : "invalid API key");
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
