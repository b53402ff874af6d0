/*
 * The sync steps that keep the cloud's objects whole for the reports (store.h
 * bridge_store_objects_put, migration 0009; docs/BRIDGE.md "Reports"):
 *   - each device object of a device listing (its mobile_secret left out);
 *   - the listSIMs sweep of the user and of each product (GET /v1/sims, GET /v1/products/:p/
 *     sims, every page), replacing the SIMs that listing held before;
 *   - a product fleet's data usage per day (GET /v1/products/:p/sims/data_usage), replacing
 *     the product's days.
 * Writes go through the writer's commands. Returns 0; BRIDGE_REPORT_DATA_STORE_FAILED with
 * @p err when the writer refused (or out of memory); a failed cloud request returns its
 * PARTICLE_E* code (negative), @p err untouched, for the caller to log and count.
 *
 * Threads: the caller's (the sync thread), with the client it is given.
 */
#ifndef BRIDGE_REPORT_DATA_SYNC_H
#define BRIDGE_REPORT_DATA_SYNC_H

#include <particle/client.h>
#include <particle/value.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/writer.h"

#define BRIDGE_REPORT_DATA_STORE_FAILED 1

int bridge_report_data_device(bridge_writer *w, const particle_value *device, int product_id,
                              int64_t now_ms, char *err, size_t err_size);

/* @p product NULL = the user's SIMs (stored with product 0), else an id or slug whose id is
 * @p product_id. *count_out gets the SIMs stored. */
int bridge_report_data_sims(particle_client *client, bridge_writer *w, const char *product,
                            int product_id, int64_t now_ms, size_t *count_out, char *err,
                            size_t err_size);

/* *count_out gets the days stored. */
int bridge_report_data_fleet_usage(particle_client *client, bridge_writer *w, const char *product,
                                   int product_id, int64_t now_ms, size_t *count_out, char *err,
                                   size_t err_size);

#endif
