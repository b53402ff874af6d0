/*
 * Tracker locations of a product (reference/cloud-api.md §13 "Location",
 * particle-api-js.md §2.7), from the positions of model/sim_locations.h:
 *   GET /v1/products/:product/locations[?date_range=ISO,ISO&rect_bl=LAT,LON&rect_tr=LAT,LON
 *       &device_id=&device_name=&groups=a,b&page=&per_page=]
 *       200 {"locations":[{device_id, product_id, device_name, groups, gps_lock, last_heard,
 *            timestamps, online, geometry:{type:"Point"|"LineString", coordinates}}],
 *            "meta":{page, per_page, total_pages, devices_found}}
 *   GET /v1/products/:product/locations/:device[?date_range&rect_bl&rect_tr]
 *       200 {"location":{… , properties:[{hd, acc_h, speed, temp}]}, "meta":{}}
 * Without date_range each device gives its last position (a Point); with one, every
 * position in the range (a LineString when there are several). Coordinates are GeoJSON
 * [lon, lat]. rect_bl/rect_tr keep the positions inside the rectangle; device_id and
 * device_name match a part (any case), groups any of the listed groups: a comma-separated
 * string, or the array form particle-api-js sends for an array (groups[0]=a&groups[1]=b, or
 * groups[]=a). Devices without a
 * position left are not listed; per_page is 1 to 100 (default 20). A device without one is
 * 404. Who may call: the product's team and product tokens (sim_route_product: 404 for an
 * unknown product, 403 for others, customers too), then a device of it (403 otherwise); bad
 * arguments are 400 with nothing changed (these routes change nothing).
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_locations.h"
#include "pu_buf.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

/* The filters of a request. */
typedef struct loc_query {
    bool ranged;
    int64_t from_ms, to_ms;
    bool rect;
    double bl_lat, bl_lon, tr_lat, tr_lon;
} loc_query;

/* "LAT,LON" into @p lat / @p lon; false when malformed. */
static bool parse_point(const char *text, double *lat, double *lon)
{
    char buf[64];
    const char *comma = strchr(text, ',');
    if (!comma || (size_t)(comma - text) >= sizeof(buf))
        return false;
    memcpy(buf, text, (size_t)(comma - text));
    buf[comma - text] = '\0';
    return pu_parse_double(buf, -90, 90, lat) == 0 &&
           pu_parse_double(comma + 1, -180, 180, lon) == 0;
}

/* date_range, rect_bl and rect_tr; replies 400 and returns false when one is malformed. */
static bool parse_query(const httpd_request *req, httpd_response *res, loc_query *q)
{
    memset(q, 0, sizeof(*q));
    const char *range = httpd_request_query(req, "date_range");
    if (range && range[0]) {
        char buf[128];
        const char *comma = strchr(range, ',');
        q->ranged = comma && (size_t)(comma - range) < sizeof(buf);
        if (q->ranged) {
            memcpy(buf, range, (size_t)(comma - range));
            buf[comma - range] = '\0';
            q->ranged = pu_time_parse_iso8601(buf, &q->from_ms) == 0 &&
                        pu_time_parse_iso8601(comma + 1, &q->to_ms) == 0 && q->from_ms <= q->to_ms;
        }
        if (!q->ranged) {
            sim_reply_fail(res, 400, "date_range must be START,END (ISO 8601, START <= END)");
            return false;
        }
    }
    const char *bl = httpd_request_query(req, "rect_bl");
    const char *tr = httpd_request_query(req, "rect_tr");
    if ((bl && bl[0]) || (tr && tr[0])) {
        q->rect = bl && tr && parse_point(bl, &q->bl_lat, &q->bl_lon) &&
                  parse_point(tr, &q->tr_lat, &q->tr_lon) && q->bl_lat <= q->tr_lat &&
                  q->bl_lon <= q->tr_lon;
        if (!q->rect) {
            sim_reply_fail(res, 400,
                           "rect_bl and rect_tr must both be LAT,LON (bottom-left, "
                           "top-right)");
            return false;
        }
    }
    return true;
}

static bool inside(const loc_query *q, const sim_location *l)
{
    return !q->rect || (l->lat >= q->bl_lat && l->lat <= q->tr_lat && l->lon >= q->bl_lon &&
                        l->lon <= q->tr_lon);
}

static json_t *groups_json(const sim_model *m, const sim_device *d)
{
    json_t *a = json_array();
    const sim_product *p = &m->products[d->product];
    for (uint32_t g = 0; g < p->group_count; g++)
        if (d->groups & (1u << g))
            json_array_append_new(a, json_string(p->groups[g]));
    return a;
}

/* The location object of device @p dev, or NULL when no position passes the filters.
 * @p properties adds the per-position properties (the one-device route). */
static json_t *location_json(const sim_ctx *ctx, uint32_t dev, const loc_query *q, bool properties)
{
    const sim_model *m = ctx->model;
    const sim_device *d = &m->devices[dev];
    int64_t now = sim_clock_now(ctx->clock), first, last;
    int64_t from = q->ranged ? q->from_ms : INT64_MIN, to = q->ranged ? q->to_ms : INT64_MAX;
    if (!sim_location_is_tracker(m, dev) ||
        !sim_location_span(m, dev, from, to, now, &first, &last))
        return NULL;
    if (!q->ranged)
        first = last; /* the last known position only */
    json_t *times = json_array(), *coords = json_array(), *props = json_array();
    for (int64_t t = first; t <= last; t += SIM_LOCATION_PERIOD_MS) {
        sim_location l;
        sim_location_at(m, dev, t, &l);
        if (!inside(q, &l))
            continue;
        json_array_append_new(times, sim_json_time(t));
        json_array_append_new(coords, json_pack("[f, f]", l.lon, l.lat));
        json_array_append_new(props, json_pack("{s:f, s:f, s:f, s:f}", "hd", l.heading, "acc_h",
                                               l.accuracy, "speed", l.speed, "temp", l.temp));
    }
    if (json_array_size(times) == 0) {
        json_decref(times);
        json_decref(coords);
        json_decref(props);
        return NULL;
    }
    json_t *geometry =
        json_array_size(coords) == 1
            ? json_pack("{s:s, s:O}", "type", "Point", "coordinates", json_array_get(coords, 0))
            : json_pack("{s:s, s:O}", "type", "LineString", "coordinates", coords);
    json_decref(coords);
    json_t *o = json_pack("{s:s, s:i, s:o, s:o, s:b, s:o, s:o, s:b, s:o}", "device_id", d->id,
                          "product_id", (int)m->products[d->product].id, "device_name",
                          d->name ? json_string(d->name) : json_null(), "groups", groups_json(m, d),
                          "gps_lock", 1, "last_heard", sim_json_time(d->last_heard_ms),
                          "timestamps", times, "online", (int)d->online, "geometry", geometry);
    if (properties)
        json_object_set(o, "properties", props);
    json_decref(props);
    return o;
}

/* Whether @p d is in any of the comma-separated @p groups. */
static bool in_groups(const sim_model *m, const sim_device *d, const char *groups)
{
    const sim_product *p = &m->products[d->product];
    for (uint32_t g = 0; g < p->group_count; g++) {
        if (!(d->groups & (1u << g)))
            continue;
        size_t n = strlen(p->groups[g]);
        for (const char *at = groups; at && *at; at = strchr(at, ',') ? strchr(at, ',') + 1 : NULL)
            if (strncmp(at, p->groups[g], n) == 0 && (at[n] == ',' || at[n] == '\0'))
                return true;
    }
    return false;
}

/* The groups filter into @p out as a comma-separated list: `groups`, or its array form
 * groups[0], groups[1], ... (or groups[]), as particle-api-js's query string encodes an
 * array. "" when there is none; false (after a 400) when it is too long. */
static bool groups_filter(const httpd_request *req, httpd_response *res, char *out, size_t size)
{
    const char *plain = httpd_request_query(req, "groups");
    const char *brackets = httpd_request_query(req, "groups[]");
    pu_buf b;
    pu_buf_init(&b, size - 1, NULL);
    if (plain || brackets)
        pu_buf_append_str(&b, plain ? plain : brackets);
    for (unsigned int i = 0; i < SIM_MAX_GROUPS * 4 && !plain && !brackets; i++) {
        char key[24];
        snprintf(key, sizeof(key), "groups[%u]", i);
        const char *g = httpd_request_query(req, key);
        if (!g)
            break;
        if (b.len)
            pu_buf_append_char(&b, ',');
        pu_buf_append_str(&b, g);
    }
    bool ok = pu_buf_error(&b) == 0;
    snprintf(out, size, "%s", ok && b.data ? b.data : "");
    pu_buf_dispose(&b);
    if (!ok)
        sim_reply_fail(res, 400, "groups is too long");
    return ok;
}

static void handle_list(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    loc_query q;
    long page = sim_query_long(req, "page", NULL, 1);
    long per_page = sim_query_long(req, "per_page", NULL, 20);
    const char *id = httpd_request_query(req, "device_id");
    const char *name = httpd_request_query(req, "device_name");
    char groups[1024];
    if (!groups_filter(req, res, groups, sizeof(groups)) || !parse_query(req, res, &q))
        return;
    if (page < 1 || per_page < 1 || per_page > 100) {
        sim_reply_fail(res, 400, "page must be 1 or more and per_page 1 to 100");
        return;
    }
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product == SIM_NONE)
        goto done;
    json_t *all = json_array();
    for (uint32_t i = 0; i < m->device_count; i++) {
        const sim_device *d = &m->devices[i];
        if (d->product != product || d->quarantined || d->denied ||
            (id && id[0] && !pu_str_contains_nocase(d->id, id)) ||
            (name && name[0] && !(d->name && pu_str_contains_nocase(d->name, name))) ||
            (groups[0] && !in_groups(m, d, groups)))
            continue;
        json_t *o = location_json(ctx, i, &q, false);
        if (o)
            json_array_append_new(all, o);
    }
    size_t found = json_array_size(all);
    long total_pages = found == 0 ? 1 : (long)((found + (size_t)per_page - 1) / (size_t)per_page);
    json_t *slice = json_array();
    for (size_t i = (size_t)(page - 1) * (size_t)per_page;
         i < found && i < (size_t)page * (size_t)per_page; i++)
        json_array_append(slice, json_array_get(all, i));
    json_decref(all);
    httpd_response_json(res, 200,
                        json_pack("{s:o, s:{s:i, s:i, s:i, s:i}}", "locations", slice, "meta",
                                  "page", (int)page, "per_page", (int)per_page, "total_pages",
                                  (int)total_pages, "devices_found", (int)found));
done:
    sim_model_unlock(m);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    loc_query q;
    if (!parse_query(req, res, &q))
        return;
    sim_model_lock(m);
    /* the product's team or its token first (customers are not given locations), then the
     * device within the product */
    uint32_t product = sim_route_product(ctx, req, res);
    uint32_t dev = product != SIM_NONE ? sim_route_device(ctx, req, res, &product) : SIM_NONE;
    if (dev != SIM_NONE) {
        json_t *o = location_json(ctx, dev, &q, true);
        if (o)
            httpd_response_json(res, 200, json_pack("{s:o, s:{}}", "location", o, "meta"));
        else
            sim_reply_fail(res, 404, "No location for this device in the range asked");
    }
    sim_model_unlock(m);
}

void sim_routes_locations(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/products/:product/locations", 0, handle_list, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/locations/:device", 0, handle_get, ctx);
}
