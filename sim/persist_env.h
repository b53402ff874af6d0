/*
 * Environment variables in the --state file: the whole store (model/sim_env.h) as one JSON
 * document row (persist_doc.h) in table env_state, column doc, rewritten after every change
 * and read back at start. Prepared statements only.
 *
 * Threads: model lock held.
 */
#ifndef SIM_PERSIST_ENV_H
#define SIM_PERSIST_ENV_H

#include <stddef.h>

#include "model/sim_env.h"
#include "persist_doc.h"

/* The store's document row (persist_doc.h). */
typedef sim_doc_persist sim_env_persist;

/* Opens (creating the table) the state file at @p path, loads the stored variables into
 * @p env (none stored: left as it is) and from now on stores every change of @p env.
 * 0, or -1 with a message in @p err. */
int sim_env_persist_open(sim_env_persist **out, const char *path, sim_env *env, char *err,
                         size_t err_size);
void sim_env_persist_close(sim_env_persist *p); /* NULL-safe */

#endif
