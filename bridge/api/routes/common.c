/* What the route groups share: format negotiation, store errors, the answer to a device
 * change, the csv_raw choice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "pu_parse.h"

/* The format among @p allowed that the request asks for (Accept, ?format=); NONE after
 * answering 406 with the formats this resource @p offered. */
bridge_format bridge_route_negotiate(const httpd_request *req, httpd_response *res,
                                     unsigned int allowed, const char *offered,
                                     const char **xml_type)
{
    bridge_format f = bridge_format_choose(httpd_request_header(req, "Accept"),
                                           httpd_request_query(req, "format"), allowed, xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot answer in the requested format; this resource offers %s",
                 offered);
        httpd_response_error(res, 406, msg);
    }
    return f;
}

void bridge_route_store_error(httpd_response *res, bridge_store *st)
{
    char msg[320];
    snprintf(msg, sizeof msg, "database error: %s", bridge_store_errmsg(st));
    httpd_response_error(res, 500, msg);
}

bool bridge_route_csv_raw(const httpd_request *req, const bridge_api *api)
{
    const char *asked = httpd_request_query(req, "csv_raw");
    bool raw;
    if (asked != NULL && pu_parse_bool(asked, &raw) == 0) {
        return raw;
    }
    return api->csv_raw;
}

void bridge_route_answer_device_written(bridge_api *api, const httpd_request *req,
                                        httpd_response *res, int rc, const char *why,
                                        const char *particle_id)
{
    if (rc == BRIDGE_WRITER_BUSY) { /* the store refuses writes now: come back later */
        httpd_response_header(res, "Retry-After", "5");
        httpd_response_error(res, 503, why);
        return;
    }
    if (rc != 0) {
        char msg[320];
        snprintf(msg, sizeof msg, "database error: %s", why);
        httpd_response_error(res, 500, msg);
        return;
    }
    if (api->on_settings_changed != NULL) {
        api->on_settings_changed(particle_id, api->on_settings_changed_payload);
    }
    bridge_device updated;
    if (bridge_store_device_get(api->store, particle_id, &updated) == 0) {
        bridge_route_answer_dto(api, req, res, 200, &updated);
        bridge_device_dispose(&updated);
    } else {
        bridge_route_store_error(res, api->store);
    }
}
