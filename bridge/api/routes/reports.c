/* GET /api/v1/reports/{name}: the fleet reports of api/reports.c as JSON or CSV, with the
 * readings filters (device, from, to, limit) and the fleet ones (product, group). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/reports.h"
#include "api/routes/routes.h"

/* The readings filters (device, name, from, to, limit) and the fleet ones (product, group);
 * false after answering 400. */
static bool report_query(const httpd_request *req, httpd_response *res, bridge_query *q)
{
    bridge_params p;
    memset(q, 0, sizeof *q);
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_REPORT, &p) ||
        !bridge_route_time_range(&p, res, &q->from_ms, &q->to_ms)) {
        return false;
    }
    const bridge_param_value *limit = bridge_params_get(&p, "limit");
    q->limit = limit->text != NULL ? (unsigned int)limit->num : 0;
    q->device_id = bridge_params_text(&p, "device");
    q->name = bridge_params_text(&p, "name");
    q->product = bridge_params_text(&p, "product");
    q->group = bridge_params_text(&p, "group");
    return true;
}

static void get_report(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    const bridge_report *report = bridge_report_find(httpd_request_param(req, "name"));
    if (report == NULL) {
        char msg[256];
        snprintf(msg, sizeof msg, "unknown report; the reports are: %s", bridge_report_names());
        httpd_response_error(res, 404, msg);
        return;
    }
    bridge_query q;
    if (!report_query(req, res, &q)) {
        return;
    }
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                             "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    json_t *rows = NULL;
    if (bridge_report_run(report, api->store, &q, &rows) != 0) {
        bridge_route_store_error(res, api->store);
        return;
    }
    if (f == BRIDGE_FORMAT_JSON) {
        httpd_response_json(res, 200, rows); /* takes the reference */
        return;
    }
    size_t len = 0;
    char *csv = bridge_report_csv_as(report, rows, bridge_route_csv_raw(req, api), &len);
    json_decref(rows);
    if (csv == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_text(res, 200, "text/csv; charset=utf-8", csv, len);
    free(csv);
}

int bridge_routes_reports(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/reports/:name", 0, get_report, api) == 0 ? 0 : -1;
}
