/*
 * --state for three small registries: the API users' scopes (model/sim_api_users.h), the
 * configuration schemas (model/sim_config_schemas.h) and the product and device
 * configurations (model/sim_configs.h, part of the model), each as one JSON document row
 * (persist_doc.h) in the tables `api_users`, `config_schemas` and `configs` of the
 * simulator's state file, rewritten after each change.
 *
 * Threads: model lock held.
 */
#ifndef SIM_PERSIST_SETTINGS_H
#define SIM_PERSIST_SETTINGS_H

#include <stddef.h>

#include "model/sim_api_users.h"
#include "model/sim_config_schemas.h"
#include "model/sim_model.h"

typedef struct sim_settings_persist sim_settings_persist;

/* Opens (creating the tables) the state file at @p path, adds what it stored to @p users,
 * @p schemas and the configurations of @p m (whose fleet and stored devices must be loaded:
 * configurations name products and devices) and from now on stores every change of them.
 * 0, or -1 with a message in @p err. */
int sim_settings_persist_open(sim_settings_persist **out, const char *path, sim_model *m,
                              sim_api_users *users, sim_config_schemas *schemas, char *err,
                              size_t err_size);
void sim_settings_persist_close(sim_settings_persist *p); /* NULL-safe */

#endif
