/* GET /api/v1/events (the stored events, as received) and GET /api/v1/connectivity (the
 * devices' online/offline history), JSON or CSV, keyset pages by time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "pu_csv.h"
#include "pu_time.h"

typedef struct list_state {
    bridge_route_page *page;
    bridge_format format;
    json_t *items; /* JSON */
    pu_csv csv;    /* CSV */
    bool failed;
} list_state;

static void csv_head(pu_csv *c, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++) {
        pu_csv_field(c, names[i], names[i + 1] == NULL);
    }
}

static int add_event(const bridge_stored_event *e, list_state *s)
{
    char published[PU_ISO8601_SIZE], received[PU_ISO8601_SIZE], id[24];
    pu_time_iso8601(e->published_at_ms, published);
    pu_time_iso8601(e->received_at_ms, received);
    if (s->format == BRIDGE_FORMAT_CSV) {
        snprintf(id, sizeof id, "%lld", (long long)e->id);
        pu_csv_field(&s->csv, id, false);
        pu_csv_field(&s->csv, e->device_id, false);
        pu_csv_field(&s->csv, e->name, false);
        pu_csv_field(&s->csv, e->data != NULL ? e->data : "", false);
        pu_csv_field(&s->csv, published, false);
        pu_csv_field(&s->csv, e->source, false);
        pu_csv_field(&s->csv, received, true);
        return 0;
    }
    json_t *row = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s}", "Id", (json_int_t)e->id,
                            "DeviceId", e->device_id, "Name", e->name, "Data", e->data,
                            "PublishedAt", published, "Source", e->source, "ReceivedAt", received);
    if (row == NULL || json_array_append_new(s->items, row) != 0) {
        s->failed = true;
        return 1;
    }
    return 0;
}

static int add_connectivity(const bridge_connectivity *c, list_state *s)
{
    char when[PU_ISO8601_SIZE];
    pu_time_iso8601(c->ts_ms, when);
    if (s->format == BRIDGE_FORMAT_CSV) {
        pu_csv_field(&s->csv, c->device_id, false);
        pu_csv_field(&s->csv, when, false);
        pu_csv_field(&s->csv, c->online ? "true" : "false", false);
        pu_csv_field(&s->csv, c->source, true);
        return 0;
    }
    json_t *row = json_pack("{s:s, s:s, s:b, s:s}", "DeviceId", c->device_id, "Date", when,
                            "Online", c->online, "Source", c->source);
    if (row == NULL || json_array_append_new(s->items, row) != 0) {
        s->failed = true;
        return 1;
    }
    return 0;
}

static int add_row(const bridge_page_row *r, void *payload)
{
    list_state *s = payload;
    if (!bridge_route_page_take(s->page, r->key_n1, r->key_n2, r->key_s1, NULL)) {
        return 1;
    }
    return r->event != NULL ? add_event(r->event, s) : add_connectivity(r->connectivity, s);
}

static void list(const httpd_request *req, httpd_response *res, bridge_api *api, bool events)
{
    static const char *const event_head[] = {"id",           "device_id", "name",        "data",
                                             "published_at", "source",    "received_at", NULL};
    static const char *const connectivity_head[] = {"device_id", "time", "online", "source", NULL};
    bridge_params p;
    if (!bridge_route_params(req, res, events ? BRIDGE_ROUTE_EVENTS : BRIDGE_ROUTE_CONNECTIVITY,
                             &p)) {
        return;
    }
    bridge_page_query q = {.device_id = bridge_params_text(&p, "device")};
    if (events) {
        q.name_prefix = bridge_params_text(&p, "name_prefix");
    }
    if (!bridge_route_time_range(&p, res, &q.from_ms, &q.to_ms)) {
        return;
    }
    const char *sort = bridge_params_text(&p, "sort");
    q.descending = sort != NULL && strcmp(sort, "-time") == 0;
    const char *name = events ? (q.descending ? "events:-time" : "events:time")
                              : (q.descending ? "connectivity:-time" : "connectivity:time");
    bridge_route_page page;
    if (!bridge_route_page_start(&p, res, name, &page)) {
        return;
    }
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                             "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    q.after = page.after;
    q.key_n1 = page.key.n1;
    q.key_n2 = page.key.n2;
    q.key_s1 = page.key.s1;
    q.limit = page.limit + 1;
    list_state s = {.page = &page, .format = f};
    pu_csv_init(&s.csv, PU_CSV_CRLF);
    pu_csv_set_raw(&s.csv, bridge_route_csv_raw(req, api));
    if (f == BRIDGE_FORMAT_CSV) {
        csv_head(&s.csv, events ? event_head : connectivity_head);
    } else {
        s.items = json_array();
    }
    int rc = events ? bridge_store_events_page(api->store, &q, add_row, &s)
                    : bridge_store_connectivity_page(api->store, &q, add_row, &s);
    if (rc != 0) {
        bridge_route_store_error(res, api->store);
    } else {
        char *text = NULL;
        size_t len = 0;
        if (f == BRIDGE_FORMAT_CSV) {
            text = pu_buf_error(&s.csv.buf) == 0 ? pu_buf_take(&s.csv.buf, &len) : NULL;
        } else if (!s.failed) {
            text = json_dumps(s.items, JSON_COMPACT);
            len = text != NULL ? strlen(text) : 0;
        }
        bridge_route_send_list(req, res, &page, f, text, len,
                               f == BRIDGE_FORMAT_CSV ? "text/csv; charset=utf-8"
                                                      : "application/json; charset=utf-8");
    }
    json_decref(s.items);
    pu_csv_dispose(&s.csv);
}

static void get_events(const httpd_request *req, httpd_response *res, void *payload)
{
    list(req, res, payload, true);
}

static void get_connectivity(const httpd_request *req, httpd_response *res, void *payload)
{
    list(req, res, payload, false);
}

int bridge_routes_events(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= httpd_route_add(srv, "GET", "/api/v1/events", 0, get_events, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/connectivity", 0, get_connectivity, api);
    return rc == 0 ? 0 : -1;
}
