/*
 * Fleet reports computed from the store, after the connector seed's report list: each is a
 * table with a fixed list of columns, served by GET /api/v1/reports/<name> as JSON (an
 * array of objects with the columns as keys, in order) or CSV (a header line, then a line
 * per row).
 *
 *   devices       Get Device Information: one row per device
 *   fleet-status  devices, online, offline, enabled, faulted and gone per product
 *   sims          Get Sim Information: one row per device SIM the store knows
 *   data-usage    Get Data Usage for Product Fleet: SIM data and base cost per product
 *   vitals-last   Get Last Known Device Vitals: one row per device that sent vitals
 *   vitals-history  Get All Historical Device Vitals: the vitals of a time range
 *   products, customers, groups, product-devices  List Products, List Customers for a
 *                 Product, List Device Groups, List Devices in a Product (api/reports_fleet.h)
 *   product-firmware, firmware-rollout, device-firmware  List Product Firmwares, each
 *                 version's rollout, each product device's firmware (api/reports_firmware.h)
 * (the vitals reports take the request's device, from, to and limit filters; the fleet
 * reports its product, and product-devices its group)
 *
 * Threads: stateless; the store serialises its own calls.
 */
#ifndef BRIDGE_REPORTS_H
#define BRIDGE_REPORTS_H

#include <jansson.h>
#include <stddef.h>

#include "store/store.h"

typedef struct bridge_report bridge_report;

/* The report called @p name, or NULL. */
const bridge_report *bridge_report_find(const char *name);

/* The report's name. */
const char *bridge_report_name(const bridge_report *r);

/* The report names, comma-separated, for error messages. */
const char *bridge_report_names(void);

/* Builds the rows into *@p out (a new JSON array; caller decrefs). @p q (NULL = none)
 * filters the reports that take filters; the others ignore it.
 * 0, or a BRIDGE_STORE_* error (bridge_store_errmsg has the text). */
int bridge_report_run(const bridge_report *r, bridge_store *st, const bridge_query *q,
                      json_t **out);

/* The rows as RFC 4180 CSV with a header line, formulas escaped (pu_csv.h) (malloc'd; caller
 * frees), NULL on OOM. */
char *bridge_report_csv(const bridge_report *r, const json_t *rows, size_t *len_out);
/* bridge_report_csv, with cells @p raw (no formula escaping, pu_csv_set_raw) when asked. */
char *bridge_report_csv_as(const bridge_report *r, const json_t *rows, bool raw, size_t *len_out);

#endif
