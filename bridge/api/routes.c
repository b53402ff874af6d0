/* The API's route table and its auth hook: each group of routes lives in api/routes/ and
 * registers itself; the before hook checks the API key (or the webhook secret). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/routes/routes.h"
#include "pu_time.h"

#define ROUTE_WEBHOOK 0x100u /* authenticated by the webhook secret, not the API key */
#define MAX_EVENT_NAME 64
#define MAX_EVENT_DATA (16 * 1024)

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

/* ---- POST /api/v1/webhook ---- */

/* A field of a webhook body: Particle's default names first, then the alternatives. */
static const char *body_field(json_t *body, const char *a, const char *b)
{
    json_t *v = json_object_get(body, a);
    if (v == NULL && b != NULL) {
        v = json_object_get(body, b);
    }
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void post_webhook(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    atomic_fetch_add(&api->metrics->webhook_requests, 1);
    json_t *body = httpd_request_body(req);
    const char *reason = NULL;
    const char *event = body_field(body, "event", "name");
    const char *coreid = body_field(body, "coreid", "device_id");
    const char *published = body_field(body, "published_at", NULL);
    json_t *data_v = json_object_get(body, "data");
    const char *data = json_is_string(data_v) ? json_string_value(data_v) : NULL;
    int64_t published_ms = 0;
    if (json_object_size(body) == 0) {
        reason = "empty body: send the event as JSON or form fields "
                 "(event, data, published_at, coreid)";
    } else if (event == NULL || event[0] == '\0' || strlen(event) > MAX_EVENT_NAME) {
        reason = "event: required, a name of 1 to 64 characters";
    } else if (coreid == NULL || !bridge_route_valid_id(coreid)) {
        reason = "coreid: required, the device id";
    } else if (data_v != NULL && !json_is_null(data_v) && data == NULL) {
        reason = "data: must be a string (Particle sends event data as text)";
    } else if (data != NULL && strlen(data) > MAX_EVENT_DATA) {
        reason = "data: longer than 16384 bytes";
    } else if (published != NULL && pu_time_parse_iso8601(published, &published_ms) != 0) {
        reason = "published_at: expected an ISO 8601 time like 2025-01-31T12:00:00.000Z";
    }
    if (reason != NULL) {
        atomic_fetch_add(&api->metrics->webhook_rejected, 1);
        httpd_response_error(res, 400, reason);
        return;
    }
    bridge_event_in ev = {coreid, event, data, published_ms, pu_time_now_ms(), "webhook"};
    if (bridge_writer_push_event(api->writer, &ev, NULL, NULL) != 0) {
        httpd_response_error(res, 503, "the bridge is shutting down; retry later");
        return;
    }
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
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
    if (api->writer != NULL && api->webhook_secret != NULL && api->webhook_secret[0] != '\0') {
        rc |= httpd_route_add(srv, "POST", "/api/v1/webhook", ROUTE_WEBHOOK, post_webhook, api);
    }
    return rc == 0 ? 0 : -1;
}
