/*
 * Device vitals (remote diagnostics, reference/cloud-api.md §7): a record is taken when a
 * device connects (also for devices online when the fleet loads, at their handshake) and
 * when a client asks for a refresh; the payload of §7.2 is rendered from the record on
 * demand, deterministically from the model seed, the device and the record (its time, how
 * many connects and records the device had), so the same seed and clock moves give the same
 * vitals. A record costs 32 bytes; a device keeps its newest SIM_VITALS_KEPT records (a
 * new one takes the oldest one's place) until the model is cleared (they are not written to
 * --state).
 *
 * Threads: model lock held for every call.
 */
#ifndef SIM_VITALS_H
#define SIM_VITALS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "model/sim_model.h"

#define SIM_VITALS_KEPT 64 /* records kept per device: history beyond them is forgotten */

/* Records the vitals of @p dev at @p at_ms; @p connect marks a (re)connect. Returns the new
 * record. Aborts on OOM (server policy). */
uint32_t sim_vitals_record(sim_model *m, uint32_t dev, int64_t at_ms, bool connect);

/* A refresh of an online device: records its vitals now and makes it publish
 * spark/device/diagnostics/update (private, data = the payload as JSON text). */
void sim_vitals_refresh(sim_model *m, uint32_t dev);

/* The newest record of @p dev, or SIM_NONE when it has none. */
uint32_t sim_vitals_last(const sim_model *m, uint32_t dev);
/* The record of the same device before @p rec, or SIM_NONE. */
uint32_t sim_vitals_prev(const sim_model *m, uint32_t rec);
/* When @p rec was taken (epoch ms). */
int64_t sim_vitals_at(const sim_model *m, uint32_t rec);

/* The §7.2 payload of @p rec (a new reference). */
json_t *sim_vitals_payload(const sim_model *m, uint32_t rec);
/* {"updated_at", "deviceID", "payload"} of @p rec (a new reference), the §7.3 record. */
json_t *sim_vitals_record_json(const sim_model *m, uint32_t rec);
/* {"device": {...}, "service": {...}}: titles, units and ranges of the vitals (§7.5). */
json_t *sim_vitals_metadata(void);

/* Frees every record (sim_model_clear / sim_model_free). NULL-safe. */
void sim_vitals_free(struct sim_vitals *v);

#endif
