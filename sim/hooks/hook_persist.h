/*
 * --state for integrations: their settings in the table `integrations` of the simulator's
 * state file (the same SQLite file as sim/persist.c, through its own connection). Owners are
 * stored by name (username, product id, organization id), so a stored integration finds its
 * owner again after a restart. Delivery counters and logs are not stored: they start again
 * at zero. Prepared statements only.
 *
 * Threads: model lock held.
 */
#ifndef SIM_HOOK_PERSIST_H
#define SIM_HOOK_PERSIST_H

#include <stddef.h>

#include "hooks/hooks.h"

typedef struct sim_hook_persist sim_hook_persist;

int sim_hook_persist_open(sim_hook_persist **out, const char *path, char *err, size_t err_size);
void sim_hook_persist_close(sim_hook_persist *p); /* NULL-safe */
/* Puts every stored integration back into @p h (sim_hooks_restore). -1 on a database error. */
int sim_hook_persist_load(sim_hook_persist *p, sim_hooks *h);
/* Keeps the table in step with @p h from now on (sim_hooks_observe). */
void sim_hook_persist_observe(sim_hook_persist *p, sim_hooks *h);

#endif
