/* Device routes, user and /v1/products/:product variants (reference/cloud-api.md §5). */
#include <stdlib.h>
#include <string.h>

#include "model/sim_behaviour.h"
#include "model/sim_firmware.h"
#include "pu_buf.h"
#include "pu_hash.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "routes/device_render.h"
#include "routes/sim_routes.h"

#define DEFAULT_PER_PAGE 25
#define MAX_PER_PAGE 100 /* UNVERIFIED for the real cloud; documented in docs/SIM.md */

/* Sends @p body (a pu_buf holding JSON) as the response; the buffer is left empty. */
static void reply_buf(httpd_response *res, unsigned int status, pu_buf *body)
{
    size_t len;
    char *text = pu_buf_take(body, &len);
    httpd_response_json_take(res, status, text, len);
}

/* The hot route of every client: rendered from the device cache, no jansson tree. */
static void handle_list_user(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    pu_buf body;
    pu_buf_xinit(&body);
    pu_buf_reserve(&body, 16 * 1024); /* a typical list: fewer reallocations */
    pu_buf_append_char(&body, '[');
    bool first = true;
    sim_model_lock(m);
    int64_t now = sim_model_now(m);
    for (uint32_t i = 0; i < m->device_count; i++) {
        if (!sim_model_lists_device(m, p, i))
            continue;
        if (!first)
            pu_buf_append_char(&body, ',');
        first = false;
        sim_render_device(ctx->render, m, i, false, false, now, &body);
    }
    sim_model_unlock(m);
    pu_buf_append_char(&body, ']');
    reply_buf(res, 200, &body);
}

/* ---- product list: filters, sort, pages ---- */

typedef struct sort_item {
    uint32_t dev;
    const char *text; /* name or id */
    int64_t num;      /* firmware version or last connection */
} sort_item;

static int cmp_text(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->dev > y->dev) - (x->dev < y->dev);
}

static int cmp_num(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return (x->dev > y->dev) - (x->dev < y->dev);
}

/* groups=a,b: the device must be in at least one of the listed groups. */
static bool in_groups(const sim_model *m, const sim_device *d, const char *groups)
{
    if (!groups || !*groups)
        return true;
    const sim_product *p = &m->products[d->product];
    const char *s = groups;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        for (uint32_t g = 0; g < p->group_count; g++)
            if ((d->groups & (1u << g)) && strlen(p->groups[g]) == len &&
                memcmp(p->groups[g], s, len) == 0)
                return true;
        s += len + (comma ? 1 : 0);
    }
    return false;
}

static void customer_id(const char *username, char out[25])
{
    uint64_t h = pu_fnv1a64(username), h2 = pu_fnv1a64_from(0x9e3779b97f4a7c15ull, username);
    snprintf(out, 25, "%016llx%08x", (unsigned long long)h, (unsigned)(h2 & 0xffffffffu));
}

static void handle_list_product(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    long page = sim_query_long(req, "page", NULL, 1);
    long per_page = sim_query_long(req, "perPage", "per_page", DEFAULT_PER_PAGE);
    const char *sort_attr = httpd_request_query(req, "sortAttr");
    const char *sort_dir = httpd_request_query(req, "sortDir");
    const char *quarantined = httpd_request_query(req, "quarantined");
    int want_q = sim_parse_bool(quarantined);
    if (page < 1 || per_page < 1 || (quarantined && want_q < 0) ||
        (sort_dir && strcmp(sort_dir, "asc") != 0 && strcmp(sort_dir, "desc") != 0) ||
        (sort_attr && strcmp(sort_attr, "deviceName") != 0 && strcmp(sort_attr, "deviceId") != 0 &&
         strcmp(sort_attr, "firmwareVersion") != 0 && strcmp(sort_attr, "lastConnection") != 0)) {
        sim_reply_fail(res, 400, "Invalid page, perPage, sortAttr, sortDir or quarantined");
        return;
    }
    if (per_page > MAX_PER_PAGE)
        per_page = MAX_PER_PAGE;
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product == SIM_NONE) {
        sim_model_unlock(m);
        return;
    }
    const char *f_id = httpd_request_query(req, "deviceId");
    const char *f_name = httpd_request_query(req, "deviceName");
    const char *f_serial = httpd_request_query(req, "serialNumber");
    const char *f_groups = httpd_request_query(req, "groups");
    sort_item *items = malloc(((size_t)m->device_count + 1) * sizeof(*items));
    if (!items)
        abort();
    size_t n = 0;
    bool by_text =
        sort_attr && (strcmp(sort_attr, "deviceName") == 0 || strcmp(sort_attr, "deviceId") == 0);
    for (uint32_t i = 0; i < m->device_count; i++) {
        const sim_device *d = &m->devices[i];
        if (d->product != product || d->denied)
            continue;
        if (!pu_str_contains_nocase(d->id, f_id) || !pu_str_contains_nocase(d->name, f_name) ||
            !pu_str_contains_nocase(d->serial, f_serial) || !in_groups(m, d, f_groups))
            continue;
        if (want_q >= 0 && (bool)d->quarantined != (bool)want_q)
            continue;
        sort_item it = {i, d->id, d->last_handshake_ms};
        if (sort_attr && strcmp(sort_attr, "deviceName") == 0)
            it.text = d->name ? d->name : "";
        else if (sort_attr && strcmp(sort_attr, "firmwareVersion") == 0)
            it.num = d->firmware_version;
        items[n++] = it;
    }
    qsort(items, n, sizeof(*items), by_text ? cmp_text : cmp_num);
    /* Default order: last connection, newest first; explicit sorts default to ascending. */
    bool desc = sort_dir ? strcmp(sort_dir, "desc") == 0 : !sort_attr;
    long total_pages = n ? (long)((n + (size_t)per_page - 1) / (size_t)per_page) : 1;
    /* {"devices":[..],"customers":[..],"meta":{..}}, as json_dumps would write it */
    pu_buf body, customers;
    pu_buf_xinit(&body);
    pu_buf_xinit(&customers);
    pu_buf_append_str(&body, "{\"devices\":[");
    pu_buf_append_char(&customers, '[');
    /* Past the end (checked before multiplying, which could wrap) starts at n: no devices. */
    size_t first =
        (size_t)(page - 1) <= n / (size_t)per_page ? (size_t)(page - 1) * (size_t)per_page : n;
    int64_t now = sim_model_now(m);
    for (size_t k = first; k < n && k < first + (size_t)per_page; k++) {
        uint32_t dev = items[desc ? n - 1 - k : k].dev;
        if (k > first)
            pu_buf_append_char(&body, ',');
        sim_render_device(ctx->render, m, dev, true, true, now, &body);
        uint32_t owner = m->devices[dev].owner;
        if (owner != SIM_NONE && m->users[owner].customer_of == product) {
            char cid[25];
            customer_id(m->users[owner].username, cid);
            if (customers.len > 1)
                pu_buf_append_char(&customers, ',');
            pu_buf_append_str(&customers, "{\"id\":");
            sim_render_string(&customers, cid);
            pu_buf_append_str(&customers, ",\"username\":");
            sim_render_string(&customers, m->users[owner].username);
            pu_buf_append_char(&customers, '}');
        }
    }
    free(items);
    sim_model_unlock(m);
    pu_buf_append_str(&body, "],\"customers\":");
    pu_buf_append(&body, customers.data, customers.len);
    pu_buf_dispose(&customers);
    char meta[160];
    int meta_len = snprintf(meta, sizeof(meta),
                            "],\"meta\":{\"total_pages\":%ld,\"page\":%ld,\"per_page\":%ld,"
                            "\"total\":%zu}}",
                            total_pages, page, per_page, n);
    pu_buf_append(&body, meta, (size_t)meta_len);
    reply_buf(res, 200, &body);
}

static void handle_get(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev != SIM_NONE) {
        pu_buf body;
        pu_buf_xinit(&body);
        sim_render_device(ctx->render, ctx->model, dev, product != SIM_NONE, true,
                          sim_model_now(ctx->model), &body);
        reply_buf(res, 200, &body);
    }
    sim_model_unlock(ctx->model);
}

static void handle_ping(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev != SIM_NONE) {
        bool online = sim_model_ping(ctx->model, dev);
        httpd_response_json(res, 200, json_pack("{s:b, s:b}", "online", online, "ok", 1));
        if (online)
            sim_reply_after_round_trip(ctx, res);
    }
    sim_model_unlock(ctx->model);
}

/* Reads the product-only fields of @p body into @p u (*names_out: the group names, to free).
 * Returns NULL, or why a field does not parse; the model checks the values. */
static const char *read_product_fields(json_t *body, sim_device_update *u, const char ***names_out)
{
    json_t *v = json_object_get(body, "development");
    if (v) {
        int b = json_is_boolean(v) ? json_is_true(v) : sim_parse_bool(json_string_value(v));
        if (b < 0)
            return "development must be true or false";
        u->fields |= SIM_DEVICE_DEVELOPMENT;
        u->development = b;
    }
    if ((v = json_object_get(body, "desired_firmware_version"))) {
        long fw = -1;
        if (json_is_integer(v))
            fw = (long)json_integer_value(v);
        else if (json_is_string(v)) {
            int64_t n;
            fw = pu_parse_int64(json_string_value(v), -1, INT32_MAX, &n) == 0 ? (long)n : -2;
        } else if (!json_is_null(v))
            fw = -2;
        u->fields |= SIM_DEVICE_DESIRED_FIRMWARE;
        u->desired_firmware_version = fw < -1 || fw > INT32_MAX ? -2 : (int32_t)fw; /* -2: bad */
    }
    if ((v = json_object_get(body, "flash"))) {
        int b = json_is_boolean(v) ? json_is_true(v) : sim_parse_bool(json_string_value(v));
        if (b < 0)
            return "flash must be true or false";
        u->flash = b; /* the model refuses it without a version to lock to */
    }
    if ((v = json_object_get(body, "groups"))) {
        if (!json_is_array(v))
            return "groups must be an array of group names";
        size_t n = json_array_size(v);
        const char **names = malloc((n ? n : 1) * sizeof(*names));
        if (!names)
            abort();
        for (size_t i = 0; i < n; i++) /* NULL for what is not a string: the model refuses it */
            names[i] = json_string_value(json_array_get(v, i));
        u->fields |= SIM_DEVICE_GROUPS;
        u->groups = names;
        u->group_count = n;
        *names_out = names;
    }
    return NULL;
}

/* The answer to an applied update: the fields it changed. */
static json_t *update_answer(const sim_model *m, uint32_t dev, const sim_device_update *u,
                             json_t *body)
{
    const sim_device *d = &m->devices[dev];
    json_t *out = json_pack("{s:s}", "id", d->id);
    if (u->fields & SIM_DEVICE_DEVELOPMENT)
        json_object_set_new(out, "development", json_boolean(u->development));
    if (u->fields & SIM_DEVICE_DESIRED_FIRMWARE)
        json_object_set_new(out, "desired_firmware_version",
                            u->desired_firmware_version < 0
                                ? json_null()
                                : json_integer(u->desired_firmware_version));
    if (u->flash)
        json_object_set_new(out, "flash", json_true());
    if (u->fields & SIM_DEVICE_GROUPS)
        json_object_set(out, "groups", json_object_get(body, "groups"));
    if (u->fields & SIM_DEVICE_NAME)
        json_object_set_new(out, "name", json_string(u->name));
    if (u->fields & SIM_DEVICE_NOTES)
        json_object_set_new(out, "notes", u->notes ? json_string(u->notes) : json_null());
    if (u->fields & SIM_DEVICE_SIGNALING) {
        json_object_set_new(out, "connected", json_boolean(d->online));
        json_object_set_new(out, "signaling", json_boolean(u->signaling && d->online));
    }
    if (u->fields & SIM_DEVICE_UPDATES_FORCED)
        json_object_set_new(out, "firmware_updates_forced", json_boolean(u->updates_forced));
    if (!(u->fields & SIM_DEVICE_SIGNALING))
        json_object_set_new(out, "updated_at", sim_json_time(sim_model_now(m)));
    return out;
}

/* PUT /v1/devices/:device: one route, the body fields choose what changes (§5.9); all of
 * them or, when one is bad, none. */
static void handle_update(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    if (sim_flash_request(ctx, req, res)) /* a binary or source file: flashed */
        return;
    json_t *body = httpd_request_body(req);
    const char *signal = httpd_request_arg(req, "signal");
    const char *forced = httpd_request_arg(req, "firmware_updates_forced");
    int sig = sim_parse_bool(signal), frc = sim_parse_bool(forced);
    if ((signal && sig < 0) || (forced && frc < 0)) {
        sim_reply_fail(res, 400, "signal and firmware_updates_forced must be true or false");
        return;
    }
    sim_device_update u = {.name = httpd_request_arg(req, "name"),
                           .notes = httpd_request_arg(req, "notes"),
                           .signaling = sig == 1,
                           .updates_forced = frc == 1};
    u.fields = (u.name ? SIM_DEVICE_NAME : 0) |
               (u.notes || json_is_null(json_object_get(body, "notes")) ? SIM_DEVICE_NOTES : 0) |
               (signal ? SIM_DEVICE_SIGNALING : 0) | (forced ? SIM_DEVICE_UPDATES_FORCED : 0);
    const char **group_names = NULL;
    uint32_t product;
    sim_model_lock(m);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    const char *bad = NULL;
    if (dev == SIM_NONE)
        goto done;
    if (product != SIM_NONE)
        bad = read_product_fields(body, &u, &group_names);
    /* A customer may rename their device, but its product settings are the team's. */
    if (!bad && sim_caller(req)->kind == SIM_TOKEN_CUSTOMER &&
        (u.fields & (SIM_DEVICE_DEVELOPMENT | SIM_DEVICE_DESIRED_FIRMWARE | SIM_DEVICE_GROUPS))) {
        httpd_response_json(res, 403,
                            json_pack("{s:s, s:s}", "error", "Permission Denied", "info",
                                      "development, desired_firmware_version and groups are set "
                                      "by the product's team"));
        goto done;
    }
    if (!bad && !u.fields)
        bad = "Nothing to do? Send name, notes, signal or another field";
    if (!bad)
        bad = sim_model_update_device(m, dev, &u);
    if (bad)
        sim_reply_fail(res, 400, bad);
    else
        httpd_response_json(res, 200, update_answer(m, dev, &u, body));
    if (!bad && (u.fields & SIM_DEVICE_DESIRED_FIRMWARE)) /* with flash=true: update now */
        sim_firmware_lock_changed(m, dev, sim_parse_bool(httpd_request_arg(req, "flash")) == 1);
done:
    sim_model_unlock(m);
    free(group_names);
}

/* POST /v1/devices: claim an unowned device (developers; customers: their product's). */
static void handle_claim(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const sim_principal *p = sim_caller(req);
    const char *id = httpd_request_arg(req, "id");
    if ((!id || !*id) && httpd_request_arg(req, "product_id")) {
        sim_route_provision(req, res, payload); /* provisionDevice, routes/provisioning.c */
        return;
    }
    if (!id || !*id) {
        sim_reply_fail(res, 400, "Missing device id");
        return;
    }
    if (p->kind == SIM_TOKEN_PRODUCT) {
        sim_reply_oauth_error(res, 400, "unauthorized",
                              "API users are not allowed to call this endpoint");
        return;
    }
    sim_model_lock(m);
    uint32_t dev = sim_model_find_device_id(m, id);
    const sim_device *d = dev != SIM_NONE ? &m->devices[dev] : NULL;
    if (!d || (p->kind == SIM_TOKEN_CUSTOMER && d->product != p->product)) {
        sim_reply_fail(res, 404, "Device not found.");
    } else if (d->owner != SIM_NONE && d->owner != p->user) {
        sim_reply_fail(res, 403, "That device belongs to someone else.");
    } else {
        sim_model_set_owner(m, dev, p->user);
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s, s:b, s:s}", "ok", 1, "id", d->id, "connected",
                                      d->online, "user_id", m->users[p->user].username));
    }
    sim_model_unlock(m);
}

/* DELETE /v1/devices/:device: the owner releases it. */
static void handle_unclaim(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev != SIM_NONE) {
        if (ctx->model->devices[dev].owner != sim_caller(req)->user) {
            sim_reply_permission_denied(res);
        } else {
            sim_model_set_owner(ctx->model, dev, SIM_NONE);
            httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
        }
    }
    sim_model_unlock(ctx->model);
}

/* DELETE /v1/products/:product/devices/:device ({"deny": true} denies a quarantined one;
 * denying any other device is 400, as is a deny that is not a boolean). */
static void handle_product_remove(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product;
    const char *deny_arg = httpd_request_arg(req, "deny");
    int deny = sim_parse_bool(deny_arg);
    if (deny_arg && deny < 0) {
        sim_reply_fail(res, 400, "deny must be true or false");
        return;
    }
    sim_model_lock(m);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev == SIM_NONE) {
        /* answered */
    } else if (deny == 1 && !m->devices[dev].quarantined) {
        sim_reply_fail(res, 400, "Only a quarantined device can be denied");
    } else {
        if (deny == 1)
            sim_model_deny(m, dev);
        else
            sim_model_leave_product(m, dev);
        httpd_response_empty(res, 204);
    }
    sim_model_unlock(m);
}

static void handle_remove_owner(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev != SIM_NONE) {
        sim_model_set_owner(ctx->model, dev, SIM_NONE);
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
    }
    sim_model_unlock(ctx->model);
}

void sim_routes_device_list(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/devices", 0, handle_list_user, ctx);
}

void sim_routes_devices(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/devices", 0, handle_claim, ctx);
    httpd_route_add(srv, "GET", "/v1/devices/:device", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/devices/:device/ping", 0, handle_ping, ctx);
    httpd_route_add(srv, "PUT", "/v1/devices/:device", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/devices/:device", 0, handle_unclaim, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/devices", 0, handle_list_product, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/devices/:device", 0, handle_get, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/devices/:device/ping", 0, handle_ping, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/devices/:device", 0, handle_update, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/devices/:device/owner", 0,
                    handle_remove_owner, ctx);
    httpd_route_add(srv, "DELETE", "/v1/products/:product/devices/:device", 0,
                    handle_product_remove, ctx);
}
