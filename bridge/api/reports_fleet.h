/*
 * The fleet-organisation reports (reports_fleet.c) for the report table of reports.c:
 *
 *   products         List Products: one row per product the sync listed
 *   customers        List Customers for a Product: one row per customer of a product
 *   groups           List Device Groups: one row per device group of a product
 *   product-devices  List Devices in a Product: one row per device of a stored product
 *
 * Each takes the request's product filter (an id or a slug); product-devices also its group.
 */
#ifndef BRIDGE_REPORTS_FLEET_H
#define BRIDGE_REPORTS_FLEET_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

int bridge_report_products(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_customers(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_groups(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_product_devices(bridge_store *st, const bridge_query *q, json_t *rows);

/* An ISO date like DateAdded's, or null for "never" (reports.c). */
json_t *bridge_report_date_or_null(int64_t ms);

#endif
