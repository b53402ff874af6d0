/* List Devices and Get Variable Value: rows built from the store's device list and each
 * device's latest measurements, keys in the order of the report's columns (reports.c). */
#include "api/reports_devices.h"

#include <stdint.h>
#include <string.h>

#include "api/reports_fleet.h"
#include "pu_parse.h"

/* Whether device @p d passes the product filter (an id; a slug matches no device row). */
static bool in_product(const bridge_device *d, const char *product)
{
    if (product == NULL) {
        return true;
    }
    int64_t id = 0;
    return pu_parse_int64(product, 0, INT32_MAX, &id) == 0 && id == d->product_id;
}

int bridge_report_list_devices(bridge_store *st, const bridge_query *q, json_t *rows)
{
    bridge_device *devs = NULL;
    size_t n = 0;
    int rc = bridge_store_device_list(st, &devs, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const bridge_device *d = &devs[i];
        if (!in_product(d, q->product)) {
            continue;
        }
        json_array_append_new(rows,
                              json_pack("{s:s, s:s, s:i, s:i, s:b, s:o, s:s, s:b}", "DeviceId",
                                        d->particle_id, "Name", d->name, "ProductId", d->product_id,
                                        "PlatformId", d->platform_id, "Connected", d->connected,
                                        "LastHeard", bridge_report_date_or_null(d->last_heard_ms),
                                        "Iccid", d->iccid, "Gone", d->gone));
    }
    bridge_device_list_free(devs, n);
    return rc;
}

/* The rows of one device's latest values. */
typedef struct value_rows {
    json_t *rows;
    const bridge_device *device;
} value_rows;

static int add_value_row(const bridge_measurement *m, void *payload)
{
    value_rows *vr = payload;
    if (strcmp(m->source, "poll") != 0) {
        return 0; /* a number an event carried: not a variable's value */
    }
    json_array_append_new(vr->rows,
                          json_pack("{s:s, s:s, s:s, s:f, s:o, s:s}", "DeviceId", m->device_id,
                                    "DeviceName", vr->device->name, "Variable", m->name, "Value",
                                    m->value, "UpdatedAt", bridge_report_date_or_null(m->ts_ms),
                                    "Source", m->source));
    return 0;
}

int bridge_report_variable_values(bridge_store *st, const bridge_query *q, json_t *rows)
{
    bridge_device *devs = NULL;
    size_t n = 0;
    int rc = bridge_store_device_list(st, &devs, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (q->device_id != NULL && strcmp(q->device_id, devs[i].particle_id) != 0) {
            continue;
        }
        value_rows vr = {rows, &devs[i]};
        rc = bridge_store_latest_measurements(st, devs[i].particle_id, add_value_row, &vr);
    }
    bridge_device_list_free(devs, n);
    return rc;
}
