/* GET /api/v1/reports/{name}: the fleet reports of api/reports.c as JSON or CSV, with the
 * readings filters (device, name, from, to) and the fleet ones (product, group), paged with
 * limit and cursor like the other lists. A report is a computed set of rows in a fixed order:
 * its cursor holds the position after the page's last row (and the row's key column, so a
 * cursor of one report is refused by another). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/reports.h"
#include "api/routes/routes.h"

/* The readings filters (device, name, from, to, limit) and the fleet ones (product, group);
 * false after answering 400. */
static bool report_query(const httpd_request *req, httpd_response *res, bridge_params *p,
                         bridge_query *q)
{
    memset(q, 0, sizeof *q);
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_REPORT, p) ||
        !bridge_route_time_range(p, res, &q->from_ms, &q->to_ms)) {
        return false;
    }
    q->device_id = bridge_params_text(p, "device");
    q->name = bridge_params_text(p, "name");
    q->product = bridge_params_text(p, "product");
    q->group = bridge_params_text(p, "group");
    return true;
}

/* The rows of @p all from the page's start, at most page->limit, counted into @p page (a
 * new array; caller decrefs). */
static json_t *page_of(json_t *all, bridge_route_page *page)
{
    json_t *rows = json_array();
    size_t start = page->after ? (size_t)page->key.n1 : 0;
    for (size_t i = start; rows != NULL && i < json_array_size(all); i++) {
        if (!bridge_route_page_take(page, (int64_t)i + 1, 0, NULL, NULL)) {
            break;
        }
        json_array_append(rows, json_array_get(all, i));
    }
    return rows;
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
    bridge_params p;
    bridge_query q;
    if (!report_query(req, res, &p, &q)) {
        return;
    }
    char list[96];
    snprintf(list, sizeof list, "report:%s", bridge_report_name(report));
    bridge_route_page page;
    if (!bridge_route_page_start(&p, res, list, &page)) {
        return;
    }
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                             "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    /* every row: a report is computed whole and paged by position (a limited query, as the
     * vitals reports read, would keep the newest rows and shift the positions) */
    q.limit = UINT32_MAX;
    json_t *all = NULL;
    if (bridge_report_run(report, api->store, &q, &all) != 0) {
        bridge_route_store_error(res, api->store);
        return;
    }
    json_t *rows = page_of(all, &page);
    json_decref(all);
    if (rows == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    size_t len = 0;
    char *text = f == BRIDGE_FORMAT_JSON
                     ? json_dumps(rows, JSON_COMPACT)
                     : bridge_report_csv_as(report, rows, bridge_route_csv_raw(req, api), &len);
    if (text != NULL && f == BRIDGE_FORMAT_JSON) {
        len = strlen(text);
    }
    json_decref(rows);
    bridge_route_send_list(req, res, &page, f, text, len,
                           f == BRIDGE_FORMAT_JSON ? "application/json"
                                                   : "text/csv; charset=utf-8");
}

int bridge_routes_reports(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/reports/:name", 0, get_report, api) == 0 ? 0 : -1;
}
