/*
 * The reports over the cloud's objects kept whole (store.h bridge_store_objects_*,
 * report_data_sync.h) for the report table of reports.c, and the columns they add to the
 * device and vitals reports:
 *
 *   sim-cards    List Sim Cards: one row per SIM of the listSIMs sweep (user and products)
 *   fleet-usage  Get Data Usage for Product Fleet: one row per product and day
 *
 * Both take the request's product filter (an id).
 */
#ifndef BRIDGE_REPORTS_CLOUD_H
#define BRIDGE_REPORTS_CLOUD_H

#include <jansson.h>

#include "api/report_fields.h"
#include "store/store.h"

/* The Device Information columns read from the device object (after the stored ones). */
extern const bridge_report_field bridge_device_fields[];
extern const size_t bridge_device_field_count;
/* The vitals columns read from the payload (after the seven flattened when stored). */
extern const bridge_report_field bridge_vitals_fields[];
extern const size_t bridge_vitals_field_count;

/* The columns of sim-cards and fleet-usage after ProductId. */
extern const bridge_report_field bridge_sim_card_fields[];
extern const size_t bridge_sim_card_field_count;
extern const bridge_report_field bridge_fleet_usage_fields[];
extern const size_t bridge_fleet_usage_field_count;

int bridge_report_sim_cards(bridge_store *st, const bridge_query *q, json_t *rows);
int bridge_report_fleet_usage(bridge_store *st, const bridge_query *q, json_t *rows);

/* The stored device objects by device id (a new JSON object; NULL with the store's error). */
json_t *bridge_report_device_objects(bridge_store *st);

/* The product filter of @p q as an id: -1 for none, 0 for a filter that is not an id (it
 * matches no product: ids start at 1). */
int bridge_report_product_filter(const bridge_query *q);

#endif
