/*
 * SenML (RFC 8428) in its JSON form: one record per measurement, the device as base name
 * "urn:dev:particle:<id>:" (repeated only when the device changes), the time in seconds
 * since the epoch with millisecond precision.
 */
#include <stdio.h>
#include <string.h>

#include "api/senml.h"

json_t *bridge_senml_record(const bridge_measurement *m, const char *prev_device)
{
    json_t *rec = json_object();
    if (rec == NULL) {
        return NULL;
    }
    if (prev_device == NULL || strcmp(prev_device, m->device_id) != 0) {
        char bn[BRIDGE_ID_SIZE + 32];
        snprintf(bn, sizeof bn, "urn:dev:particle:%s:", m->device_id);
        json_object_set_new(rec, "bn", json_string(bn));
    }
    json_object_set_new(rec, "n", json_string(m->name));
    json_object_set_new(rec, "v", json_real(m->value));
    json_object_set_new(rec, "t", json_real((double)m->ts_ms / 1000.0));
    return rec;
}
