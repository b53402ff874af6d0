#include "ingest/vitals_flatten.h"

#include <jansson.h>
#include <math.h>
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
