/*
 * The firmware reports (reports_firmware.c) for the report table of reports.c:
 *
 *   product-firmware  List Product Firmwares: one row per firmware version of a product
 *   firmware-rollout  one row per product and firmware version (listed, or targeted by a
 *                     device): the devices targeted at it, updated, failed, pending, and
 *                     those running it (docs/BRIDGE.md defines each count)
 *   device-firmware   one row per device of a stored product that the store knows the
 *                     firmware of: its versions, update flags and last flash status
 *
 * Each takes the request's product filter (an id or a slug).
 */
#ifndef BRIDGE_REPORTS_FIRMWARE_H
#define BRIDGE_REPORTS_FIRMWARE_H

#include <jansson.h>

#include "store/store.h"

int bridge_report_product_firmware(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_firmware_rollout(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_device_firmware(bridge_store *st, const bridge_query *q, json_t *rows);

#endif
