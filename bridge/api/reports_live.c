#include "api/reports_live.h"

#include <particle/client.h>
#include <particle/devices.h>
#include <particle/error.h>
#include <stdio.h>
#include <string.h>

#include "api/reports_fleet.h"
#include "pu_time.h"

/* The reading's result as a report value: a number, a text or a flag (null otherwise). */
static json_t *value_of(const particle_variable *var)
{
    switch (particle_variable_type(var)) {
    case PARTICLE_VALUE_INT:
        return json_integer((json_int_t)particle_variable_int(var));
    case PARTICLE_VALUE_DOUBLE:
        return json_real(particle_variable_double(var));
    case PARTICLE_VALUE_STRING:
        return json_string(particle_variable_string(var));
    case PARTICLE_VALUE_BOOL:
        return json_boolean(particle_variable_int(var) != 0);
    default:
        return json_null();
    }
}

static int read_one(const bridge_live_reads *live, particle_client *client, const bridge_device *d,
                    const char *name, json_t *rows, char *err, size_t err_size)
{
    if (!bridge_budget_take(live->budget, NULL)) {
        snprintf(err, err_size, "the request budget is spent; try again later");
        return 429;
    }
    particle_variable *var = NULL;
    if (particle_variable_get(&var, client, d->particle_id, name, NULL) != 0) {
        const particle_error *e = particle_error_last();
        snprintf(err, err_size, "reading %s of %s: %s", name, d->particle_id, e->message);
        return 502;
    }
    json_array_append_new(
        rows, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "DeviceId", d->particle_id, "DeviceName",
                        d->name, "Variable", name, "Value", value_of(var), "UpdatedAt",
                        bridge_report_date_or_null(pu_time_now_ms()), "Source", "live"));
    particle_variable_free(var);
    return 0;
}

int bridge_report_variables_live(const bridge_live_reads *live, bridge_store *st,
                                 const char *device, const char *name, json_t *rows, char *err,
                                 size_t err_size)
{
    bridge_device d;
    int got = bridge_store_device_get(st, device, &d);
    if (got != 0) {
        snprintf(err, err_size, got == BRIDGE_STORE_NOTFOUND ? "unknown device" : "database error");
        return got == BRIDGE_STORE_NOTFOUND ? 404 : 500;
    }
    bool known = name == NULL;
    for (size_t i = 0; !known && i < d.variable_count; i++) {
        known = strcmp(d.variables[i].name, name) == 0;
    }
    int rc = 0;
    particle_client *client = NULL;
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = live->cloud_url;
    o.access_token = live->access_token;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = live->timeout_ms;
    if (!known) {
        snprintf(err, err_size, "the device has no variable of that name");
        rc = 404;
    } else if (particle_client_new(&client, &o) != 0) {
        snprintf(err, err_size, "cloud client: %s", particle_error_last()->message);
        rc = 500;
    }
    for (size_t i = 0; rc == 0 && i < d.variable_count; i++) {
        if (name == NULL || strcmp(d.variables[i].name, name) == 0) {
            rc = read_one(live, client, &d, d.variables[i].name, rows, err, err_size);
        }
    }
    particle_client_free(client);
    bridge_device_dispose(&d);
    return rc;
}
