/* POST /api/v1/devices/{deviceId}/breaker/reset: closes a device's circuit breaker now
 * (FaultCount 0, not Faulted, no reset time, no trips: a next fault starts again from the
 * first reset delay, as after a success), so the poller reads it again at its next interval
 * instead of waiting out the breaker's delay.
 * Written through the writer like every change; the poller reloads its devices after it
 * (on_settings_changed). Answers the device's details, as the settings PUT does. */
#include <stdio.h>

#include "api/routes/routes.h"

static void post_breaker_reset(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_BREAKER_RESET, &p)) {
        return;
    }
    if (api->writer == NULL) {
        httpd_response_error(res, 503, "this bridge does not write");
        return;
    }
    bridge_device d;
    if (!bridge_route_load_device(api, req, res, &d)) {
        return;
    }
    bridge_breaker_state closed = {0};
    char why[256];
    int rc = bridge_writer_device_set_breaker(api->writer, d.particle_id, &closed, why, sizeof why);
    if (rc == BRIDGE_WRITER_BUSY) { /* the store refuses writes now: come back later */
        httpd_response_header(res, "Retry-After", "5");
        httpd_response_error(res, 503, why);
    } else if (rc != 0) {
        char msg[320];
        snprintf(msg, sizeof msg, "database error: %s", why);
        httpd_response_error(res, 500, msg);
    } else {
        if (api->on_settings_changed != NULL) {
            api->on_settings_changed(d.particle_id, api->on_settings_changed_payload);
        }
        bridge_device updated;
        if (bridge_store_device_get(api->store, d.particle_id, &updated) == 0) {
            bridge_route_answer_dto(api, req, res, 200, &updated);
            bridge_device_dispose(&updated);
        } else {
            bridge_route_store_error(res, api->store);
        }
    }
    bridge_device_dispose(&d);
}

int bridge_routes_breaker(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "POST", "/api/v1/devices/:deviceId/breaker/reset", 0,
                           post_breaker_reset, api) == 0
               ? 0
               : -1;
}
