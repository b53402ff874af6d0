/*
 * Product and device configuration (reference/cloud-api.md §13 "Tracker configuration",
 * particle-api-js get/setProductConfiguration and the device variants): one JSON object per
 * product, and per device of a product that was given its own. A device without its own
 * configuration has its product's. The text is kept as the route checked it (compact JSON),
 * so the model needs no JSON library. Not kept in --state files (docs/SIM.md).
 *
 * Threads: model lock held.
 */
#ifndef SIM_CONFIGS_H
#define SIM_CONFIGS_H

#include <stdint.h>

#include "model/sim_model.h"

typedef struct sim_config {
    uint32_t product;
    uint32_t device; /* SIM_NONE = the product's own configuration */
    char *json;      /* a JSON object, compact */
} sim_config;

/* The configuration of @p product (@p device SIM_NONE) or of one of its devices (its own
 * only); NULL when none is set. Borrowed until the next change. */
const char *sim_config_get(const sim_model *m, uint32_t product, uint32_t device);

/* Replaces (or sets) that configuration with a copy of @p json. */
void sim_config_set(sim_model *m, uint32_t product, uint32_t device, const char *json);

/* Forgets a device's own configuration (it has its product's again); false when it had none. */
bool sim_config_reset(sim_model *m, uint32_t product, uint32_t device);

/* Frees every configuration (sim_model_clear, sim_model_free). */
void sim_configs_clear(sim_model *m);

#endif
