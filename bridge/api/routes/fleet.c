/* GET /api/v1/fleet: the dashboard's fleet summary. The device counts per product come from
 * the store (one GROUP BY, store_dashboard.c) with the same meaning as the filters of
 * GET /api/v1/devices, so the page's numbers add up to what the device list pages show; the
 * last sync and the event streams' states are what /readyz and /metrics read (metrics.h). */
#include <stdio.h>

#include "api/routes/routes.h"
#include "pu_time.h"

/* The name shown for the user's own devices (product id 0, answered as null). */
#define USER_DEVICES_NAME "Your devices"

typedef struct fleet_state {
    json_t *products;
    bridge_fleet_count totals;
} fleet_state;

static json_t *counts_json(const bridge_fleet_count *c)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "online", (json_int_t)c->online, "offline",
                     (json_int_t)c->offline, "faulted", (json_int_t)c->faulted, "gone",
                     (json_int_t)c->gone, "total", (json_int_t)c->total);
}

static int add_product(const bridge_fleet_count *c, void *payload)
{
    fleet_state *s = payload;
    char fallback[64];
    const char *name = c->product_name;
    if (c->product_id == 0) {
        name = USER_DEVICES_NAME;
    } else if (name == NULL || name[0] == '\0') {
        snprintf(fallback, sizeof fallback, "product %d", c->product_id); /* not listed yet */
        name = fallback;
    }
    json_t *p = counts_json(c);
    json_object_set_new(p, "product_id",
                        c->product_id == 0 ? json_null() : json_integer(c->product_id));
    json_object_set_new(p, "name", json_string(name));
    json_array_append_new(s->products, p);
    s->totals.online += c->online;
    s->totals.offline += c->offline;
    s->totals.faulted += c->faulted;
    s->totals.gone += c->gone;
    s->totals.total += c->total;
    return 0;
}

/* An epoch-ms time as ISO 8601, or null for 0 (never). */
static json_t *time_or_null(int64_t ms)
{
    char when[PU_ISO8601_SIZE];
    return ms > 0 ? json_string(pu_time_iso8601(ms, when)) : json_null();
}

static json_t *streams_json(bridge_metrics *m)
{
    json_t *streams = json_array();
    unsigned int slots = atomic_load(&m->stream_slots);
    for (unsigned int i = 0; i < slots && i < BRIDGE_METRICS_STREAMS; i++) {
        bridge_stream_gauges *g = &m->streams[i];
        if (!atomic_load(&g->registered)) {
            continue; /* a slot being filled */
        }
        const char *state = atomic_load(&g->connected) ? "connected"
                            : atomic_load(&g->stopped) ? "stopped"
                                                       : "connecting";
        json_array_append_new(streams, json_pack("{s:s, s:s, s:o, s:I}", "name", g->key, "state",
                                                 state, "last_event_at",
                                                 time_or_null(atomic_load(&g->last_event_ms)),
                                                 "events", (json_int_t)atomic_load(&g->events)));
    }
    return streams;
}

static void get_fleet(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_FLEET, &p)) {
        return;
    }
    fleet_state s = {.products = json_array()};
    if (bridge_store_fleet_counts(api->store, add_product, &s) != 0) {
        json_decref(s.products);
        bridge_route_store_error(res, api->store);
        return;
    }
    httpd_response_json(res, 200,
                        json_pack("{s:o, s:o, s:o, s:o}", "products", s.products, "totals",
                                  counts_json(&s.totals), "last_sync",
                                  time_or_null(atomic_load(&api->metrics->last_sync_ms)), "streams",
                                  streams_json(api->metrics)));
}

int bridge_routes_fleet(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/fleet", 0, get_fleet, api) == 0 ? 0 : -1;
}
