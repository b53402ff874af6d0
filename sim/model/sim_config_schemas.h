/*
 * The JSON Schemas that product and device configurations are validated against
 * (particle-api-js getProductConfigurationSchema / setProductConfigurationSchema; the routes
 * are sim/routes/product_config.c, the validator model/json_schema.c). Keyed by
 * "<product id>" or "<product id>/<device id>"; with --state a saver keeps the registry
 * (persist_settings.c).
 *
 * Threads: model lock held.
 */
#ifndef SIM_CONFIG_SCHEMAS_H
#define SIM_CONFIG_SCHEMAS_H

#include <jansson.h>

typedef struct sim_config_schemas sim_config_schemas;

sim_config_schemas *sim_config_schemas_new(void);    /* aborts on OOM */
void sim_config_schemas_free(sim_config_schemas *s); /* NULL-safe */
/* Forgets every schema (the control API's reset); saves the empty registry. */
void sim_config_schemas_clear(sim_config_schemas *s);

/* The schema stored under @p key (borrowed), or NULL. */
const json_t *sim_config_schema_get(const sim_config_schemas *s, const char *key);
/* Stores a copy of @p schema under @p key, replacing any. */
void sim_config_schema_set(sim_config_schemas *s, const char *key, const json_t *schema);

/* Called after every change with the whole registry {key: schema}. */
typedef void sim_config_schemas_saver(const json_t *registry, void *payload);
/* Adds the registry @p stored (as the saver got it; borrowed; NULL = none yet) without saving
 * it back, and from now on calls @p saver after each change. -1 when @p stored is not an
 * object of objects (nothing added). */
int sim_config_schemas_restore(sim_config_schemas *s, const json_t *stored,
                               sim_config_schemas_saver *saver, void *payload);

#endif
