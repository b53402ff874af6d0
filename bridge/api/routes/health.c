/* GET /healthz: the database answers. */
#include <stdio.h>

#include "api/routes/routes.h"

static void get_healthz(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    bridge_api *api = payload;
    bridge_store_counts c;
    if (bridge_store_stats(api->store, &c) != 0) {
        char msg[320];
        snprintf(msg, sizeof msg, "database: %s", bridge_store_errmsg(api->store));
        httpd_response_json(res, 503, json_pack("{s:b, s:s}", "ok", 0, "error", msg));
        return;
    }
    httpd_response_json(
        res, 200,
        json_pack("{s:b, s:s, s:I}", "ok", 1, "database", "ok", "devices", (json_int_t)c.devices));
}

int bridge_routes_health(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/healthz", HTTPD_ROUTE_PUBLIC, get_healthz, api) == 0 ? 0
                                                                                              : -1;
}
