/* GET /api/v1/reports/variable-values/live?device=ID[&name=VAR]: Get Variable Value read now
 * through the cloud (api/reports_live.h), as JSON or CSV with the variable-values columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/reports.h"
#include "api/reports_live.h"
#include "api/routes/routes.h"
#include "ingest/event_check.h"

static void get_live(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_REPORT_LIVE, &p)) {
        return;
    }
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                             "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    const char *device = bridge_params_text(&p, "device");
    const char *name = bridge_params_text(&p, "name");
    if (device == NULL || !bridge_device_id_valid(device)) {
        bridge_route_bad_parameter(res, "device", "expected a device id (required)");
        return;
    }
    if (api->live == NULL) {
        httpd_response_error(res, 503, "live reads are not configured");
        return;
    }
    json_t *rows = json_array();
    char err[512] = "";
    int status = rows != NULL ? bridge_report_variables_live(api->live, api->store, device, name,
                                                             rows, err, sizeof err)
                              : 500;
    if (status != 0) {
        json_decref(rows);
        httpd_response_error(res, status, err[0] != '\0' ? err : "out of memory");
        return;
    }
    if (f == BRIDGE_FORMAT_JSON) {
        httpd_response_json(res, 200, rows); /* takes the reference */
        return;
    }
    size_t len = 0;
    char *csv = bridge_report_csv_as(bridge_report_find("variable-values"), rows,
                                     bridge_route_csv_raw(req, api), &len);
    json_decref(rows);
    if (csv == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_text(res, 200, "text/csv; charset=utf-8", csv, len);
    free(csv);
}

int bridge_routes_live(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/reports/variable-values/live", 0, get_live, api) ==
                   0
               ? 0
               : -1;
}
