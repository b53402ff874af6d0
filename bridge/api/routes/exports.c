/* GET /api/v1/exports: the status of each scheduled report export (export.h) as JSON; an
 * empty array when the configuration schedules none. */
#include "api/routes/routes.h"
#include "export.h"

static void get_exports(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_EXPORTS, &p)) {
        return;
    }
    json_t *status =
        api->exporter != NULL ? bridge_exporter_status_json(api->exporter) : json_array();
    if (status == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_json(res, 200, status); /* takes the reference */
}

int bridge_routes_exports(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/exports", 0, get_exports, api) == 0 ? 0 : -1;
}
