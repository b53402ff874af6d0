/* GET /api/v1/measurements and GET /api/v1/status-posts (JSON, CSV, SenML JSON and CBOR):
 * keyset pages by time, filtered by device, name, source (kind), from and to; with ?bucket=
 * the measurements come downsampled instead (buckets.c). */
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"

typedef struct list_state {
    bridge_rows *rows;
    bridge_route_page *page;
} list_state;

static int add_row(const bridge_page_row *r, void *payload)
{
    list_state *s = payload;
    if (!bridge_route_page_take(s->page, r->key_n1, r->key_n2, NULL, NULL)) {
        return 1;
    }
    return r->measurement != NULL ? bridge_rows_add_measurement(r->measurement, s->rows)
                                  : bridge_rows_add_post(r->post, s->rows);
}

/* Sends a finished list: JSON in the {"items", "next"} envelope, the other formats as they
 * are (their next page is in the Link header only). Takes @p text. */
void bridge_route_send_list(const httpd_request *req, httpd_response *res,
                            const bridge_route_page *page, bridge_format f, char *text, size_t len,
                            const char *ctype)
{
    char *next = bridge_route_page_finish(req, res, page);
    if (text != NULL && f == BRIDGE_FORMAT_JSON) {
        size_t env_len = 0;
        char *env = bridge_route_envelope(text, len, next, &env_len);
        free(text);
        text = env;
        len = env_len;
    }
    if (text == NULL) {
        httpd_response_error(res, 500, "out of memory");
    } else {
        httpd_response_text(res, 200, ctype, text, len);
    }
    free(text);
    free(next);
}

static void list_rows(const httpd_request *req, httpd_response *res, bridge_api *api, bool posts)
{
    bridge_params p;
    if (!bridge_route_params(req, res,
                             posts ? BRIDGE_ROUTE_STATUS_POSTS : BRIDGE_ROUTE_MEASUREMENTS, &p)) {
        return;
    }
    if (!posts && bridge_params_text(&p, "bucket") != NULL) {
        bridge_route_measurement_buckets(req, res, api, &p);
        return;
    }
    bridge_page_query q = {
        .device_id = bridge_params_text(&p, "device"),
        .name = bridge_params_text(&p, "name"),
        .source = bridge_params_text(&p, posts ? "kind" : "source"),
    };
    if (!bridge_route_time_range(&p, res, &q.from_ms, &q.to_ms)) {
        return;
    }
    const char *sort = bridge_params_text(&p, "sort");
    q.descending = sort != NULL && strcmp(sort, "-time") == 0;
    const char *list = posts ? (q.descending ? "status-posts:-time" : "status-posts:time")
                             : (q.descending ? "measurements:-time" : "measurements:time");
    bridge_route_page page;
    if (!bridge_route_page_start(&p, res, list, &page)) {
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
    q.after = page.after;
    q.key_n1 = page.key.n1;
    q.key_n2 = page.key.n2;
    q.limit = page.limit + 1;
    bridge_rows *rows = bridge_rows_new(f, posts);
    if (rows == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    bridge_rows_set_csv_raw(rows, bridge_route_csv_raw(req, api));
    bridge_rows_set_store(rows, api->store);
    list_state s = {rows, &page};
    int rc = posts ? bridge_store_status_posts_page(api->store, &q, add_row, &s)
                   : bridge_store_measurements_page(api->store, &q, add_row, &s);
    if (rc != 0) {
        bridge_route_store_error(res, api->store);
        bridge_rows_free(rows);
        return;
    }
    size_t len = 0;
    const char *ctype = NULL;
    char *text = bridge_rows_finish(rows, &len, &ctype);
    bridge_route_send_list(req, res, &page, f, text, len, ctype);
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
