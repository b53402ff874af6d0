/*
 * Environment variables in the --state file: the whole store (model/sim_env.h) as one JSON
 * document in table env_state, rewritten after every change and read back at start.
 * Prepared statements only. Called with the model lock held.
 */
#ifndef SIM_PERSIST_ENV_H
#define SIM_PERSIST_ENV_H

#include <stddef.h>

#include "model/sim_env.h"

typedef struct sim_env_persist sim_env_persist;

/* Opens (creating) the table in the database at @p path: 0, or -1 with a message in @p err. */
int sim_env_persist_open(sim_env_persist **out, const char *path, char *err, size_t err_size);
void sim_env_persist_close(sim_env_persist *p); /* NULL-safe */
/* Loads the stored variables into @p env (none stored: left as it is): 0, or -1. */
int sim_env_persist_load(sim_env_persist *p, sim_env *env);
/* A sim_env_save_fn (payload: the sim_env_persist): stores @p env. */
void sim_env_persist_save(const sim_env *env, void *payload);

#endif
