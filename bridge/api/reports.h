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

/* "devices, fleet-status, sims, data-usage", for error messages. */
const char *bridge_report_names(void);

/* Builds the rows into *@p out (a new JSON array; caller decrefs).
 * 0, or a BRIDGE_STORE_* error (bridge_store_errmsg has the text). */
int bridge_report_run(const bridge_report *r, bridge_store *st, json_t **out);

/* The rows as RFC 4180 CSV with a header line (malloc'd; caller frees), NULL on OOM. */
char *bridge_report_csv(const bridge_report *r, const json_t *rows, size_t *len_out);

#endif
