#include "vitals.h"

#include <jansson.h>
#include <math.h>
#include <particle/diagnostics.h>
#include <particle/error.h>
#include <particle/value.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The member at a dotted @p path ("device.system.uptime"), or NULL. */
static json_t *member(json_t *root, const char *path)
{
    char key[64];
    json_t *node = root;
    while (node != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key) {
            return NULL;
        }
        memcpy(key, path, n);
        key[n] = '\0';
        node = json_object_get(node, key);
        path += n + (path[n] == '.');
    }
    return node;
}

static double number_at(json_t *root, const char *path)
{
    json_t *v = member(root, path);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A count: a non-negative number (a fraction is cut to the whole part), else -1 (absent). */
static int64_t count_at(json_t *root, const char *path)
{
    double v = number_at(root, path);
    return isfinite(v) && v >= 0 && v < 9.2e18 ? (int64_t)v : -1;
}

int bridge_vitals_flatten(bridge_vitals *out, const char *device_id, int64_t updated_at_ms,
                          const char *source, const char *payload)
{
    json_t *root = payload != NULL ? json_loads(payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (!json_is_object(root)) {
        json_decref(root);
        return -1;
    }
    out->device_id = device_id;
    out->updated_at_ms = updated_at_ms;
    out->source = source;
    out->payload = payload;
    out->signal_strength_pct = number_at(root, "device.network.signal.strength");
    out->signal_quality_pct = number_at(root, "device.network.signal.quality");
    out->battery_charge_pct = number_at(root, "device.power.battery.charge");
    out->memory_used_bytes = count_at(root, "device.system.memory.used");
    out->memory_total_bytes = count_at(root, "device.system.memory.total");
    out->uptime_s = count_at(root, "device.system.uptime");
    /* The reference lists it at device.cloud.disconnects; its example (and Device OS)
     * put it under connection. */
    out->cloud_disconnects = count_at(root, "device.cloud.connection.disconnects");
    if (out->cloud_disconnects < 0) {
        out->cloud_disconnects = count_at(root, "device.cloud.disconnects");
    }
    json_decref(root);
    return 0;
}

static void describe(char *err, size_t err_size, const char *device_id, const char *what)
{
    const particle_error *e = particle_error_last();
    if (what != NULL) {
        snprintf(err, err_size, "vitals of %s: %s", device_id, what);
    } else if (e->http_status > 0) {
        snprintf(err, err_size, "vitals of %s: %s (HTTP %d)", device_id, e->message,
                 e->http_status);
    } else {
        snprintf(err, err_size, "vitals of %s: %s", device_id, e->message);
    }
}

int bridge_vitals_collect(particle_client *client, bridge_writer *writer, const char *device_id,
                          const char *product, bridge_vitals_outcome *outcome_out, char *err,
                          size_t err_size)
{
    particle_request_options opts = PARTICLE_REQUEST_OPTIONS_INIT;
    opts.product = product;
    particle_doc *doc = NULL;
    char *text = NULL;
    int result = -1;
    int rc = particle_diagnostics_last(&doc, client, device_id, &opts);
    if (rc == PARTICLE_ENOTFOUND) {
        *outcome_out = BRIDGE_VITALS_NONE; /* never sent vitals: nothing to store yet */
        return 0;
    }
    if (rc != 0) {
        describe(err, err_size, device_id, NULL);
        return -1;
    }
    const particle_value *rec = particle_diagnostics_record(doc);
    long long updated = particle_diagnostics_updated_at_ms(rec);
    const particle_value *payload = particle_diagnostics_payload(rec);
    bridge_vitals v;
    bool stored = false;
    char why[256];
    if (updated <= 0 || payload == NULL) {
        describe(err, err_size, device_id, "the answer has no updated_at or payload");
    } else if (particle_value_to_json(&text, payload, 0) != 0) {
        describe(err, err_size, device_id, NULL);
    } else if (bridge_vitals_flatten(&v, device_id, updated, "sync", text) != 0) {
        describe(err, err_size, device_id, "the payload is not a JSON object");
    } else if (bridge_writer_vitals_put(writer, &v, &stored, why, sizeof why) != 0) {
        describe(err, err_size, device_id, why);
    } else {
        *outcome_out = stored ? BRIDGE_VITALS_STORED : BRIDGE_VITALS_DUPLICATE;
        result = 0;
    }
    particle_free(text);
    particle_doc_free(doc);
    return result;
}
