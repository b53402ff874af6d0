/*
 * The device reports that read the device list and each device's polled values
 * (reports_devices.c) for the report table of reports.c:
 *
 *   list-devices     List Devices: one short row per device (id, name, product, state)
 *   variable-values  Get Variable Value: the latest polled value of each numeric variable of
 *                    each device (or the one ?device=), with when it was read (numbers
 *                    events carried are left out: they are no variable's value)
 *
 * list-devices takes the request's product filter (an id); variable-values its device.
 */
#ifndef BRIDGE_REPORTS_DEVICES_H
#define BRIDGE_REPORTS_DEVICES_H

#include <jansson.h>

#include "store/store.h"

int bridge_report_list_devices(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_variable_values(bridge_store *st, const bridge_query *q, json_t *rows);

#endif
