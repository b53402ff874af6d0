/*
 * Environment variables (reference/cloud-api.md §13, particle-api-js.md §2.11): the
 * variables kept at each scope (a user's sandbox, an organization, a product, a device), the
 * snapshot the last rollout took, and what each device was sent.
 *
 * Precedence: a device renders its owner's variables (the organization of its product, or
 * for a user's product the sandbox of the product's first Administrator, or for a developer
 * device its owner's sandbox; "from":"Owner"), then its product's ("from":"Product"), then
 * its own. Changes go to `latest`; a rollout copies a scope's `latest` into its snapshot and
 * sends each affected device its rendered snapshot set: at once when the rollout is
 * Immediate and the device is online, else on the device's next connect (a handshake later
 * than the rollout on the simulation clock).
 *
 * Scopes are keyed by stable names (username, organization id, product id, device id), so
 * the whole store is one JSON document (sim_env_dump / sim_env_load) for --state files.
 * Every function runs under the model lock.
 */
#ifndef SIM_ENV_H
#define SIM_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "model/sim_model.h"

/* Limits the simulator enforces (the real ones are not documented; docs/SIM.md). */
#define SIM_ENV_KEY_MAX 64     /* bytes in a name: [A-Za-z_][A-Za-z0-9_]* */
#define SIM_ENV_VALUE_MAX 4096 /* bytes in a value */
#define SIM_ENV_VARS_MAX 100   /* variables a scope may own */
#define SIM_ENV_OPS_MAX 100    /* operations in one batch */

typedef enum sim_env_kind {
    SIM_ENV_SANDBOX,
    SIM_ENV_ORG,
    SIM_ENV_PRODUCT,
    SIM_ENV_DEVICE
} sim_env_kind;

typedef struct sim_env_scope {
    sim_env_kind kind;
    uint32_t index; /* user, organization, product or device index */
} sim_env_scope;

typedef struct sim_env sim_env;

sim_env *sim_env_new(void);
void sim_env_free(sim_env *env);
/* Forgets every variable (the control API's reset). */
void sim_env_clear(sim_env *env);

/* Called after each change a caller makes (sim_env_changed), e.g. to write --state. */
typedef void sim_env_save_fn(const sim_env *env, void *payload);
void sim_env_on_change(sim_env *env, sim_env_save_fn *fn, void *payload);
/* Tells the sim_env_on_change() callback, if any, that the store changed. */
void sim_env_changed(sim_env *env);

/* The whole store as JSON (new reference) / replaced by @p doc (borrowed): 0 or -1. */
json_t *sim_env_dump(const sim_env *env);
int sim_env_load(sim_env *env, json_t *doc);

/* {last_snapshot:{own, inherited, rollout_at, rollout_by}, latest:{own, inherited,
 * created_at, updated_at, created_by, updated_by}, on_device? (devices: {rendered,
 * last_reported_at}), and the four latest times and authors again at the top level, where
 * particle-cli's recorded answers have them. */
json_t *sim_env_list_json(sim_env *env, const sim_model *m, sim_env_scope scope);

/* Checks {"ops":[{op:"Set"|"Unset", key, value?}]}: NULL when good, else why not. */
const char *sim_env_check_ops(json_t *ops);
/* Applies checked @p ops to the scope's latest set, at @p now_ms by @p by (NULL = null).
 * NULL, or why not (too many variables): then nothing changed. */
const char *sim_env_apply(sim_env *env, const sim_model *m, sim_env_scope scope, json_t *ops,
                          int64_t now_ms, const char *by);
/* Whether @p key is one of the scope's own latest variables. */
bool sim_env_has_own(const sim_env *env, const sim_model *m, sim_env_scope scope, const char *key);

/* {env, last_updated_at, rollout_at, rollout_by}: the scope's latest set, precedence
 * applied. */
json_t *sim_env_render_json(sim_env *env, const sim_model *m, sim_env_scope scope);
/* {from_snapshot:{changes, unchanged}, from_device? (devices)}. */
json_t *sim_env_review_json(sim_env *env, const sim_model *m, sim_env_scope scope);
/* Snapshots the scope and sends the devices it reaches their new set (see above). */
void sim_env_rollout(sim_env *env, const sim_model *m, sim_env_scope scope, bool immediate,
                     int64_t now_ms, const char *by);

/* The set device @p dev has been sent ({} when none; new reference), after delivering a
 * pending Connect rollout if the device has connected since. */
json_t *sim_env_on_device(sim_env *env, const sim_model *m, uint32_t dev);

#endif
