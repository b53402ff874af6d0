/* The REST API's handlers. Each one validates its input, reads or writes through the store
 * handle and answers in the negotiated format; errors are {"ok":false,"error":"..."}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/formats.h"
#include "api/reports.h"
#include "api/senml.h"
#include "pu_csv.h"
#include "pu_str.h"
#include "pu_time.h"
#include "timespan.h"

#define ROUTE_WEBHOOK 0x100u /* authenticated by the webhook secret, not the API key */
#define MAX_LIMIT 10000u

/* Compares in time independent of where the first difference is. */
static bool secret_equal(const char *given, const char *secret)
{
    size_t a = strlen(given), b = strlen(secret);
    unsigned char diff = (unsigned char)(a != b);
    for (size_t i = 0; i < b; i++) {
        diff |= (unsigned char)(given[i < a ? i : 0] ^ secret[i]);
    }
    return diff == 0 && a == b;
}

static const char *bearer(const httpd_request *req)
{
    const char *auth = httpd_request_header(req, "Authorization");
    if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
        return auth + 7;
    }
    return NULL;
}

bool bridge_api_before(const httpd_request *req, httpd_response *res, unsigned int flags,
                       void *payload)
{
    bridge_api *api = payload;
    if (flags & HTTPD_ROUTE_PUBLIC) {
        return true;
    }
    if (flags & ROUTE_WEBHOOK) {
        const char *given = httpd_request_header(req, "X-Webhook-Secret");
        if (given == NULL) {
            given = bearer(req);
        }
        if (given == NULL || !secret_equal(given, api->webhook_secret)) {
            atomic_fetch_add(&api->metrics->webhook_rejected, 1);
            httpd_response_error(res, 401,
                                 "webhook secret missing or wrong (send X-Webhook-Secret)");
            return false;
        }
        return true;
    }
    const char *key = bearer(req);
    if (key == NULL || !secret_equal(key, api->api_key)) {
        httpd_response_header(res, "WWW-Authenticate", "Bearer realm=\"particle-bridge\"");
        httpd_response_error(res, 401,
                             key == NULL ? "missing API key: send Authorization: Bearer <key>"
                                         : "invalid API key");
        return false;
    }
    return true;
}

/* ---- helpers ---- */

/* The format among @p allowed that the request asks for (Accept, ?format=); NONE after
 * answering 406 with the formats this resource @p offered. */
static bridge_format negotiate(const httpd_request *req, httpd_response *res, unsigned int allowed,
                               const char *offered, const char **xml_type)
{
    bridge_format f = bridge_format_choose(httpd_request_header(req, "Accept"),
                                           httpd_request_query(req, "format"), allowed, xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot answer in the requested format; this resource offers %s",
                 offered);
        httpd_response_error(res, 406, msg);
    }
    return f;
}

static void store_error(httpd_response *res, bridge_store *st)
{
    char msg[320];
    snprintf(msg, sizeof msg, "database error: %s", bridge_store_errmsg(st));
    httpd_response_error(res, 500, msg);
}

/* A valid device id for a path or a filter: letters, digits, '-' and '_', 1-63 chars. */
static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= BRIDGE_ID_SIZE) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_')) {
            return false;
        }
    }
    return true;
}

/* ISO 8601 or epoch milliseconds. */
static bool parse_time(const char *text, int64_t *out)
{
    if (pu_time_parse_iso8601(text, out) == 0) {
        return true;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || v < 0) {
        return false;
    }
    *out = v;
    return true;
}

/* Reads device/name/from/to/limit; false after answering 400. */
static bool parse_query(const httpd_request *req, httpd_response *res, bridge_query *q)
{
    memset(q, 0, sizeof *q);
    char msg[256];
    q->device_id = httpd_request_query(req, "device");
    q->name = httpd_request_query(req, "name");
    const char *from = httpd_request_query(req, "from");
    const char *to = httpd_request_query(req, "to");
    const char *limit = httpd_request_query(req, "limit");
    if (q->device_id != NULL && !valid_id(q->device_id)) {
        httpd_response_error(res, 400, "device: expected a device id (letters and digits)");
        return false;
    }
    if (q->name != NULL && (q->name[0] == '\0' || strlen(q->name) >= BRIDGE_NAME_SIZE)) {
        httpd_response_error(res, 400, "name: expected 1 to 127 characters");
        return false;
    }
    if (from != NULL && !parse_time(from, &q->from_ms)) {
        httpd_response_error(res, 400,
                             "from: expected an ISO 8601 time (2025-01-31T12:00:00Z) or epoch ms");
        return false;
    }
    if (to != NULL && !parse_time(to, &q->to_ms)) {
        httpd_response_error(res, 400,
                             "to: expected an ISO 8601 time (2025-01-31T12:00:00Z) or epoch ms");
        return false;
    }
    if (from != NULL && to != NULL && q->to_ms < q->from_ms) {
        httpd_response_error(res, 400, "to is before from");
        return false;
    }
    if (limit != NULL) {
        char *end = NULL;
        errno = 0;
        unsigned long n = strtoul(limit, &end, 10);
        if (end == limit || *end != '\0' || errno != 0 || n == 0 || n > MAX_LIMIT ||
            limit[0] == '-') {
            snprintf(msg, sizeof msg, "limit: expected a whole number from 1 to %u", MAX_LIMIT);
            httpd_response_error(res, 400, msg);
            return false;
        }
        q->limit = (unsigned int)n;
    }
    return true;
}

/* ---- GET /api/v1/devices ---- */

static void devices_csv(httpd_response *res, const bridge_device *devs, size_t n)
{
    pu_csv c;
    pu_csv_init(&c, PU_CSV_CRLF);
    static const char *const head[] = {"particle_id", "name",          "product_id",  "connected",
                                       "enabled",     "faulted",       "fault_count", "gone",
                                       "variables",   "check_interval"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
        pu_csv_field(&c, head[i], i + 1 == sizeof head / sizeof head[0]);
    }
    for (size_t i = 0; i < n; i++) {
        const bridge_device *d = &devs[i];
        char product[16], faults[16], vars[16], interval[BRIDGE_TIMESPAN_SIZE];
        snprintf(product, sizeof product, "%d", d->product_id);
        snprintf(faults, sizeof faults, "%d", d->fault_count);
        snprintf(vars, sizeof vars, "%zu", d->variable_count);
        pu_csv_field(&c, d->particle_id, false);
        pu_csv_field(&c, d->name, false);
        pu_csv_field(&c, product, false);
        pu_csv_field(&c, d->connected ? "true" : "false", false);
        pu_csv_field(&c, d->enabled ? "true" : "false", false);
        pu_csv_field(&c, d->faulted ? "true" : "false", false);
        pu_csv_field(&c, faults, false);
        pu_csv_field(&c, d->gone ? "true" : "false", false);
        pu_csv_field(&c, vars, false);
        pu_csv_field(&c, bridge_timespan_format(d->check_interval_ms, interval), true);
    }
    if (pu_buf_error(&c.buf) != 0) {
        httpd_response_error(res, 500, "out of memory");
    } else {
        httpd_response_text(res, 200, "text/csv; charset=utf-8", c.buf.data, c.buf.len);
    }
    pu_csv_dispose(&c);
}

static void get_devices(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    const char *xml_type;
    bridge_format f = negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    bridge_device *devs = NULL;
    size_t n = 0;
    if (bridge_store_device_list(api->store, &devs, &n) != 0) {
        store_error(res, api->store);
        return;
    }
    if (f == BRIDGE_FORMAT_CSV) {
        devices_csv(res, devs, n);
        bridge_device_list_free(devs, n);
        return;
    }
    json_t *list = json_array();
    char href[256], date[BRIDGE_TIMESPAN_SIZE], interval[BRIDGE_TIMESPAN_SIZE];
    for (size_t i = 0; i < n; i++) {
        const bridge_device *d = &devs[i];
        snprintf(href, sizeof href, "/api/v1/devices/%s/particle", d->particle_id);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:i, s:b, s:b, s:s, s:b, s:i, s:b, s:s, s:i, s:s}",
                            "ParticleDeviceId", d->particle_id, "Name", d->name, "ProductId",
                            d->product_id, "Connected", d->connected, "Enabled", d->enabled,
                            "CheckInterval", bridge_timespan_format(d->check_interval_ms, interval),
                            "Faulted", d->faulted, "FaultCount", d->fault_count, "Gone", d->gone,
                            "DateAdded", bridge_date_format(d->date_added_ms, date), "Variables",
                            (int)d->variable_count, "Href", href));
    }
    bridge_device_list_free(devs, n);
    httpd_response_json(res, 200, list);
}

/* ---- GET /api/v1/devices/:id/particle ---- */

typedef struct senml_state {
    json_t *array;
    char prev[BRIDGE_ID_SIZE];
} senml_state;

static int add_senml(const bridge_measurement *m, void *payload)
{
    senml_state *s = payload;
    json_array_append_new(s->array, bridge_senml_record(m, s->prev[0] ? s->prev : NULL));
    pu_strlcpy(s->prev, m->device_id, sizeof s->prev);
    return 0;
}

/* Answers with the device's DTO in the format the client asked for. */
static void answer_dto(bridge_api *api, const httpd_request *req, httpd_response *res,
                       unsigned int status, const bridge_device *d)
{
    const char *xml_type;
    bridge_format f =
        negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_XML | BRIDGE_FORMAT_SENML,
                  "application/json, text/json, application/xml, text/xml, "
                  "application/senml+json",
                  &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    if (f == BRIDGE_FORMAT_SENML) {
        senml_state s = {json_array(), ""};
        if (bridge_store_latest_measurements(api->store, d->particle_id, add_senml, &s) != 0) {
            json_decref(s.array);
            store_error(res, api->store);
            return;
        }
        char *text = json_dumps(s.array, JSON_COMPACT | JSON_REAL_PRECISION(15));
        json_decref(s.array);
        httpd_response_text(res, status, BRIDGE_SENML_TYPE, text, text ? strlen(text) : 0);
        free(text);
        return;
    }
    bridge_sim sim;
    bool has_sim = d->iccid[0] != '\0' && bridge_store_sim_get(api->store, d->iccid, &sim) == 0;
    bridge_dto dto = {d, has_sim ? &sim : NULL, api->cloud_url};
    if (f == BRIDGE_FORMAT_XML) {
        char *xml = bridge_dto_to_xml(&dto);
        char type[64];
        snprintf(type, sizeof type, "%s; charset=utf-8", xml_type);
        if (xml == NULL) {
            httpd_response_error(res, 500, "could not write XML");
        } else {
            httpd_response_text(res, status, type, xml, strlen(xml));
        }
        free(xml);
    } else {
        json_t *body = bridge_dto_to_json(&dto);
        if (body == NULL) {
            httpd_response_error(res, 500, "could not write JSON");
        } else {
            httpd_response_json(res, status, body);
        }
    }
    if (has_sim) {
        bridge_sim_dispose(&sim);
    }
}

/* Loads the device named in the path; false after answering 400/404/500. */
static bool load_device(bridge_api *api, const httpd_request *req, httpd_response *res,
                        bridge_device *d)
{
    const char *id = httpd_request_param(req, "deviceId");
    if (id == NULL || !valid_id(id)) {
        httpd_response_error(res, 400, "deviceId: expected a device id (letters and digits)");
        return false;
    }
    int rc = bridge_store_device_get(api->store, id, d);
    if (rc == BRIDGE_STORE_NOTFOUND) {
        char msg[160];
        snprintf(msg, sizeof msg, "device %s is not known to this bridge", id);
        httpd_response_error(res, 404, msg);
        return false;
    }
    if (rc != 0) {
        store_error(res, api->store);
        return false;
    }
    return true;
}

static void get_device(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_device d;
    if (load_device(api, req, res, &d)) {
        answer_dto(api, req, res, 200, &d);
        bridge_device_dispose(&d);
    }
}

/* ---- PUT /api/v1/devices/:id/particle ---- */

typedef struct put_error {
    char text[512];
} put_error;

static bool fail_field(put_error *e, const char *field, const char *expect)
{
    snprintf(e->text, sizeof e->text, "%s: expected %s", field, expect);
    return false;
}

static bool get_bool(json_t *v, const char *field, bool *out, bool *has, put_error *e)
{
    if (!json_is_boolean(v)) {
        return fail_field(e, field, "true or false");
    }
    *out = json_is_true(v);
    *has = true;
    return true;
}

/* A TimeSpan ("00:05:00") or an ISO 8601 duration ("PT5M"). */
static bool get_interval(json_t *v, const char *field, int64_t *out, bool *has, bool allow_zero,
                         put_error *e)
{
    const char *expect = allow_zero ? "a TimeSpan like \"00:05:00\" (\"00:00:00\" = the "
                                      "device's CheckInterval), 0.1 s or more"
                                    : "a TimeSpan like \"00:05:00\", at least 00:00:00.1";
    if (!json_is_string(v)) {
        return fail_field(e, field, expect);
    }
    const char *s = json_string_value(v);
    int64_t ms;
    if (!bridge_timespan_parse(s, &ms) && !bridge_duration_parse(s, &ms)) {
        return fail_field(e, field, expect);
    }
    if ((ms < 100 && !(allow_zero && ms == 0))) {
        return fail_field(e, field, expect);
    }
    *out = ms;
    *has = true;
    return true;
}

static bool get_notify(json_t *v, const char *field, const bridge_notify_option *current,
                       bridge_notify_option *out, bool *has, put_error *e)
{
    if (!json_is_object(v)) {
        return fail_field(e, field, "an object {\"PostStatusMessage\": bool, \"Message\": text}");
    }
    *out = *current;
    const char *key;
    json_t *value;
    json_object_foreach(v, key, value)
    {
        char path[128];
        snprintf(path, sizeof path, "%s.%s", field, key);
        if (strcmp(key, "PostStatusMessage") == 0) {
            bool ignored;
            if (!get_bool(value, path, &out->post_status_message, &ignored, e)) {
                return false;
            }
        } else if (strcmp(key, "Message") == 0) {
            if (!json_is_string(value) ||
                !pu_strlcpy(out->message, json_string_value(value), sizeof out->message)) {
                return fail_field(e, path, "text of at most 255 bytes");
            }
        } else {
            snprintf(e->text, sizeof e->text, "%s: unknown field", path);
            return false;
        }
    }
    *has = true;
    return true;
}

static bool has_variable(const bridge_device *d, const char *name)
{
    for (size_t i = 0; i < d->variable_count; i++) {
        if (strcmp(d->variables[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

/* The fields the DTO shows but a PUT cannot change; accepted so GET-edit-PUT works. */
static bool read_only_field(const char *key)
{
    static const char *const fields[] = {
        "DateAdded", "Connected",  "LastApp", "Functions",
        "Links",     "FaultCount", "Faulted", "CircuitBreakerResetAt",
        "Sim"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(key, fields[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool parse_variables(json_t *arr, const bridge_device *d, bridge_variable_patch **out,
                            size_t *count, put_error *e)
{
    if (!json_is_array(arr)) {
        return fail_field(e, "Variables", "an array of {Name, Enabled, CheckInterval}");
    }
    size_t n = json_array_size(arr);
    bridge_variable_patch *vp = calloc(n ? n : 1, sizeof *vp);
    if (vp == NULL) {
        snprintf(e->text, sizeof e->text, "out of memory");
        return false;
    }
    *out = vp;
    *count = n;
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        char path[160];
        snprintf(path, sizeof path, "Variables[%zu]", i);
        if (!json_is_object(item)) {
            return fail_field(e, path, "an object {Name, Enabled, CheckInterval}");
        }
        json_t *name = json_object_get(item, "Name");
        if (!json_is_string(name)) {
            snprintf(e->text, sizeof e->text, "%s.Name: required, the variable's name", path);
            return false;
        }
        vp[i].name = json_string_value(name);
        if (!has_variable(d, vp[i].name)) {
            snprintf(e->text, sizeof e->text, "%s.Name: device %s has no variable \"%.64s\"", path,
                     d->particle_id, vp[i].name);
            return false;
        }
        const char *key;
        json_t *value;
        json_object_foreach(item, key, value)
        {
            char field[200];
            snprintf(field, sizeof field, "%s.%s", path, key);
            if (strcmp(key, "Name") == 0 || strcmp(key, "Type") == 0) {
                continue; /* Type is the cloud's; read-only */
            }
            if (strcmp(key, "Enabled") == 0) {
                if (!get_bool(value, field, &vp[i].enabled, &vp[i].has_enabled, e)) {
                    return false;
                }
            } else if (strcmp(key, "CheckInterval") == 0) {
                if (!get_interval(value, field, &vp[i].check_interval_ms, &vp[i].has_check_interval,
                                  true, e)) {
                    return false;
                }
            } else {
                snprintf(e->text, sizeof e->text, "%s: unknown field", field);
                return false;
            }
        }
    }
    return true;
}

/* Turns the body into a patch; false with the reason in @p e. */
static bool parse_patch(json_t *body, const bridge_device *d, bridge_settings_patch *p,
                        bridge_variable_patch **vars, put_error *e)
{
    const char *key;
    json_t *v;
    memset(p, 0, sizeof *p);
    if (json_object_size(body) == 0) {
        snprintf(e->text, sizeof e->text, "empty body: send the settings to change as JSON");
        return false;
    }
    json_object_foreach(body, key, v)
    {
        bool ok = true;
        if (strcmp(key, "CheckInterval") == 0) {
            ok = get_interval(v, key, &p->check_interval_ms, &p->has_check_interval, false, e);
        } else if (strcmp(key, "Enabled") == 0) {
            ok = get_bool(v, key, &p->enabled, &p->has_enabled, e);
        } else if (strcmp(key, "PublishUnknownEventsAsMeasurements") == 0) {
            ok = get_bool(v, key, &p->publish_unknown_as_measurements, &p->has_publish_measurements,
                          e);
        } else if (strcmp(key, "PublishUnknownEventsAsStatusPosts") == 0) {
            ok = get_bool(v, key, &p->publish_unknown_as_status_posts, &p->has_publish_status_posts,
                          e);
        } else if (strcmp(key, "IgnoreRename") == 0) {
            ok = get_bool(v, key, &p->ignore_rename, &p->has_ignore_rename, e);
        } else if (strcmp(key, "OnlineNotificationOption") == 0) {
            ok = get_notify(v, key, &d->online_notify, &p->online_notify, &p->has_online_notify, e);
        } else if (strcmp(key, "OfflineNotificationOption") == 0) {
            ok = get_notify(v, key, &d->offline_notify, &p->offline_notify, &p->has_offline_notify,
                            e);
        } else if (strcmp(key, "Variables") == 0) {
            ok = parse_variables(v, d, vars, &p->variable_count, e);
            p->variables = *vars;
        } else if (strcmp(key, "ParticleDeviceId") == 0) {
            if (!json_is_string(v) || strcmp(json_string_value(v), d->particle_id) != 0) {
                snprintf(e->text, sizeof e->text,
                         "ParticleDeviceId: must be %s, the device in the path (or left out)",
                         d->particle_id);
                ok = false;
            }
        } else if (!read_only_field(key)) {
            snprintf(e->text, sizeof e->text, "unknown field \"%.64s\"", key);
            ok = false;
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

static void put_device(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    const char *type = httpd_request_content_type(req);
    if (type == NULL || strncmp(type, "application/json", 16) != 0) {
        httpd_response_error(res, 415, "send the settings as application/json");
        return;
    }
    bridge_device d;
    if (!load_device(api, req, res, &d)) {
        return;
    }
    bridge_settings_patch patch;
    bridge_variable_patch *vars = NULL;
    put_error e = {""};
    if (!parse_patch(httpd_request_body(req), &d, &patch, &vars, &e)) {
        httpd_response_error(res, 400, e.text);
        free(vars);
        bridge_device_dispose(&d);
        return;
    }
    char why[256];
    int rc =
        bridge_writer_device_update_settings(api->writer, d.particle_id, &patch, why, sizeof why);
    free(vars);
    if (rc != 0) {
        if (rc == BRIDGE_WRITER_BUSY) { /* the store refuses writes now: come back later */
            httpd_response_header(res, "Retry-After", "5");
            httpd_response_error(res, 503, why);
        } else {
            char msg[320];
            snprintf(msg, sizeof msg, "database error: %s", why);
            httpd_response_error(res, 500, msg);
        }
        bridge_device_dispose(&d);
        return;
    }
    if (api->on_settings_changed) {
        api->on_settings_changed(d.particle_id, api->on_settings_changed_payload);
    }
    bridge_device updated;
    if (bridge_store_device_get(api->store, d.particle_id, &updated) == 0) {
        answer_dto(api, req, res, 200, &updated);
        bridge_device_dispose(&updated);
    } else {
        store_error(res, api->store);
    }
    bridge_device_dispose(&d);
}

/* ---- measurements and status posts ---- */

static void list_rows(const httpd_request *req, httpd_response *res, bridge_api *api, bool posts)
{
    bridge_query q;
    if (!parse_query(req, res, &q)) {
        return;
    }
    const char *xml_type;
    unsigned int allowed = BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV;
    if (!posts) {
        allowed |= BRIDGE_FORMAT_SENML;
    }
    bridge_format f = negotiate(req, res, allowed,
                                posts ? "application/json, text/csv"
                                      : "application/json, text/csv, application/senml+json",
                                &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    bridge_rows *rows = bridge_rows_new(f, posts);
    if (rows == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    int rc =
        posts ? bridge_store_status_posts_query(api->store, &q, bridge_rows_add_post, rows)
              : bridge_store_measurements_query(api->store, &q, bridge_rows_add_measurement, rows);
    if (rc != 0) {
        store_error(res, api->store);
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

/* ---- GET /api/v1/reports/:name ---- */

static void get_report(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    const bridge_report *report = bridge_report_find(httpd_request_param(req, "name"));
    if (report == NULL) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown report; the reports are: %s", bridge_report_names());
        httpd_response_error(res, 404, msg);
        return;
    }
    const char *xml_type;
    bridge_format f = negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    bridge_query q;
    if (!parse_query(req, res, &q)) {
        return;
    }
    json_t *rows = NULL;
    if (bridge_report_run(report, api->store, &q, &rows) != 0) {
        store_error(res, api->store);
        return;
    }
    if (f == BRIDGE_FORMAT_JSON) {
        httpd_response_json(res, 200, rows); /* takes the reference */
        return;
    }
    size_t len = 0;
    char *csv = bridge_report_csv(report, rows, &len);
    json_decref(rows);
    if (csv == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_text(res, 200, "text/csv; charset=utf-8", csv, len);
    free(csv);
}

/* ---- /metrics and /healthz ---- */

static void get_metrics(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    bridge_api *api = payload;
    bridge_store_counts c;
    char extra[1024] = "";
    if (bridge_store_stats(api->store, &c) == 0) {
        snprintf(extra, sizeof extra,
                 "# HELP particle_bridge_devices Devices known to the bridge.\n"
                 "# TYPE particle_bridge_devices gauge\nparticle_bridge_devices %llu\n"
                 "# HELP particle_bridge_devices_faulted Devices whose circuit breaker is open.\n"
                 "# TYPE particle_bridge_devices_faulted gauge\n"
                 "particle_bridge_devices_faulted %llu\n"
                 "# HELP particle_bridge_devices_gone Devices no longer listed by the cloud.\n"
                 "# TYPE particle_bridge_devices_gone gauge\nparticle_bridge_devices_gone %llu\n"
                 "# HELP particle_bridge_rows Rows stored, by table.\n"
                 "# TYPE particle_bridge_rows gauge\n"
                 "particle_bridge_rows{table=\"events\"} %llu\n"
                 "particle_bridge_rows{table=\"measurements\"} %llu\n"
                 "particle_bridge_rows{table=\"status_posts\"} %llu\n",
                 (unsigned long long)c.devices, (unsigned long long)c.devices_faulted,
                 (unsigned long long)c.devices_gone, (unsigned long long)c.events,
                 (unsigned long long)c.measurements, (unsigned long long)c.status_posts);
    }
    char *text = bridge_metrics_render(api->metrics, extra);
    if (text == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_text(res, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
}

static void get_healthz(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    bridge_api *api = payload;
    bridge_store_counts c;
    if (bridge_store_stats(api->store, &c) != 0) {
        char msg[320];
        snprintf(msg, sizeof msg, "database: %s", bridge_store_errmsg(api->store));
        httpd_response_json(res, 503, json_pack("{s:b, s:s}", "ok", 0, "error", msg));
        return;
    }
    if (atomic_load(&api->metrics->writer_stalled) != 0) {
        httpd_response_json(res, 503,
                            json_pack("{s:b, s:s}", "ok", 0, "error",
                                      "database: writes are failing and being retried"));
        return;
    }
    httpd_response_json(
        res, 200,
        json_pack("{s:b, s:s, s:I}", "ok", 1, "database", "ok", "devices", (json_int_t)c.devices));
}

int bridge_api_register(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= httpd_route_add(srv, "GET", "/healthz", HTTPD_ROUTE_PUBLIC, get_healthz, api);
    rc |= httpd_route_add(srv, "GET", "/metrics", HTTPD_ROUTE_PUBLIC, get_metrics, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/devices", 0, get_devices, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/devices/:deviceId/particle", 0, get_device, api);
    rc |= httpd_route_add(srv, "PUT", "/api/v1/devices/:deviceId/particle", 0, put_device, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/measurements", 0, get_measurements, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/status-posts", 0, get_status_posts, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/reports/:name", 0, get_report, api);
    if (api->writer != NULL && api->webhook_secret != NULL && api->webhook_secret[0] != '\0') {
        api->webhook = (bridge_webhook){api->writer, api->metrics};
        rc |= httpd_route_add(srv, "POST", "/api/v1/webhook", ROUTE_WEBHOOK, bridge_webhook_post,
                              &api->webhook);
    }
    return rc == 0 ? 0 : -1;
}
