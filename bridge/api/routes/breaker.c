/* POST /api/v1/devices/{deviceId}/breaker/reset: closes a device's circuit breaker now
 * (FaultCount 0, not Faulted, no reset time, no trips: a next fault starts again from the
 * first reset delay, as after a success), so the poller reads it again at its next interval
 * instead of waiting out the breaker's delay.
 * Written through the writer like every change; the poller reloads its devices after it
 * (on_settings_changed). Answers the device's details, as the settings PUT does. */
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
    bridge_route_answer_device_written(api, req, res, rc, why, d.particle_id);
    bridge_device_dispose(&d);
}

int bridge_routes_breaker(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "POST", "/api/v1/devices/:deviceId/breaker/reset", 0,
                           post_breaker_reset, api) == 0
               ? 0
               : -1;
}
