/*
 * Product and device configuration (reference/cloud-api.md §13 "Tracker configuration",
 * particle-api-js get/setProductConfiguration and the device variants): one JSON object per
 * product, and per device of a product that was given its own. A device without its own
 * configuration has its product's. The text is kept as the route checked it (compact JSON,
 * sorted keys). With --state a saver keeps them all as one JSON document
 * (persist_settings.c), keyed as the configuration schemas are: "<product id>" or
 * "<product id>/<device id>".
 *
 * Threads: model lock held.
 */
#ifndef SIM_CONFIGS_H
#define SIM_CONFIGS_H

#include <jansson.h>
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

/* Replaces (or sets) that configuration with a copy of @p json; saves. */
void sim_config_set(sim_model *m, uint32_t product, uint32_t device, const char *json);

/* Forgets a device's own configuration (it has its product's again; saves); false when it had
 * none. */
bool sim_config_reset(sim_model *m, uint32_t product, uint32_t device);

/* Frees every configuration (sim_model_clear, sim_model_free); tells no saver, which stays. */
void sim_configs_clear(sim_model *m);

/* Called after every change with every configuration: {key: configuration}. */
typedef void sim_configs_saver(const json_t *doc, void *payload);
/* Adds the configurations of @p stored (as the saver got it; borrowed; NULL = none yet)
 * without saving them back, and from now on calls @p saver after each change. Keys of a
 * product or device the fleet no longer has are skipped. -1 when @p stored is not such a
 * document (a key that is not a product id or "<product id>/<device id>", a value that is
 * not an object of sections): nothing added. */
int sim_configs_restore(sim_model *m, const json_t *stored, sim_configs_saver *saver,
                        void *payload);
/* Tells the saver the configurations as they are now (the control API's reset, after
 * sim_model_clear: the stored copy is emptied too). */
void sim_configs_changed(const sim_model *m);

#endif
