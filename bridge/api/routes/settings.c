/* PUT /api/v1/devices/{deviceId}/particle: validates the body field by field (each error
 * names the field and what it expects), stores the patch and answers with the updated DTO. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "api/senml_units.h"
#include "pu_str.h"
#include "timespan.h"

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

/* A SenML unit name from RFC 8428's registry (api/senml_units.c), or "" for none. */
static bool get_unit(json_t *v, const char *field, bridge_variable_patch *out, put_error *e)
{
    const char *unit = json_string_value(v);
    if (unit == NULL || (unit[0] != '\0' && !bridge_senml_unit_known(unit))) {
        return fail_field(e, field,
                          "a SenML unit name of RFC 8428 section 12.1 (\"Cel\", \"%RH\", \"V\", "
                          "\"m/s\", ...; case-sensitive) or \"\" for none");
    }
    out->unit = unit;
    out->has_unit = true;
    return true;
}

static bool parse_variables(json_t *arr, const bridge_device *d, bridge_variable_patch **out,
                            size_t *count, put_error *e)
{
    if (!json_is_array(arr)) {
        return fail_field(e, "Variables", "an array of {Name, Enabled, CheckInterval, Unit}");
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
            return fail_field(e, path, "an object {Name, Enabled, CheckInterval, Unit}");
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
            } else if (strcmp(key, "Unit") == 0) {
                if (!get_unit(value, field, &vp[i], e)) {
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
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_DEVICE_PUT, &p)) {
        return;
    }
    const char *type = httpd_request_content_type(req);
    if (type == NULL || strncmp(type, "application/json", 16) != 0) {
        httpd_response_error(res, 415, "send the settings as application/json");
        return;
    }
    bridge_device d;
    if (!bridge_route_load_device(api, req, res, &d)) {
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
    bridge_route_answer_device_written(api, req, res, rc, why, d.particle_id);
    bridge_device_dispose(&d);
}

int bridge_routes_settings(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "PUT", "/api/v1/devices/:deviceId/particle", 0, put_device, api) ==
                   0
               ? 0
               : -1;
}
