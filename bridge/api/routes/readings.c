/* GET /api/v1/measurements and GET /api/v1/status-posts (JSON, CSV, SenML JSON and CBOR),
 * filtered by device, name, from, to and limit. */
#include <stdlib.h>

#include "api/routes/routes.h"

static void list_rows(const httpd_request *req, httpd_response *res, bridge_api *api, bool posts)
{
    bridge_query q;
    if (!bridge_route_parse_query(req, res, &q)) {
        return;
    }
    const char *xml_type;
    unsigned int allowed =
        BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV | BRIDGE_FORMAT_SENML | BRIDGE_FORMAT_SENML_CBOR;
    bridge_format f = bridge_route_negotiate(
        req, res, allowed,
        "application/json, text/csv, application/senml+json, application/senml+cbor", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    bridge_rows *rows = bridge_rows_new(f, posts);
    if (rows == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    bridge_rows_set_csv_raw(rows, bridge_route_csv_raw(req, api));
    bridge_rows_set_store(rows, api->store);
    int rc =
        posts ? bridge_store_status_posts_query(api->store, &q, bridge_rows_add_post, rows)
              : bridge_store_measurements_query(api->store, &q, bridge_rows_add_measurement, rows);
    if (rc != 0) {
        bridge_route_store_error(res, api->store);
        bridge_rows_free(rows);
        return;
    }
    size_t len = 0;
    const char *ctype = NULL;
    char *text = bridge_rows_finish(rows, &len, &ctype);
    if (text == NULL) {
        httpd_response_error(res, 500, "out of memory");
    } else {
        httpd_response_text(res, 200, ctype, text, len);
    }
    free(text);
    bridge_rows_free(rows);
}

static void get_measurements(const httpd_request *req, httpd_response *res, void *payload)
{
    list_rows(req, res, payload, false);
}

static void get_status_posts(const httpd_request *req, httpd_response *res, void *payload)
{
    list_rows(req, res, payload, true);
}

int bridge_routes_readings(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= httpd_route_add(srv, "GET", "/api/v1/measurements", 0, get_measurements, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/status-posts", 0, get_status_posts, api);
    return rc == 0 ? 0 : -1;
}
