/*
 * sim_persist: --state FILE. Keeps what users change at run time across restarts in SQLite:
 * tokens created (until they are revoked or expire: then their row goes), revocations of
 * fixture tokens, device renames, notes and claims (owner changes), and SIM card state
 * (status, data limit, release, product import). The fleet fixture is
 * loaded first, then sim_persist_apply() replays the stored changes on top. Prepared
 * statements only.
 *
 * Threads: called with the model lock held (the model serialises all writes).
 */
#ifndef SIM_PERSIST_H
#define SIM_PERSIST_H

#include <stddef.h>

#include "model/sim_model.h"
#include "model/sim_sims.h"

typedef struct sim_persist sim_persist;

/* Opens (creating) the database at @p path. Returns 0, or -1 with a message in @p err. */
int sim_persist_open(sim_persist **out, const char *path, char *err, size_t err_size);
void sim_persist_close(sim_persist *p); /* NULL-safe */

/* Replays stored tokens, revocations and device changes onto @p m (lock held). Returns the
 * number of changes applied, or -1 on a database error. */
int sim_persist_apply(sim_persist *p, sim_model *m);
/* Forgets everything stored (used by the control API's reset). */
void sim_persist_wipe(sim_persist *p);

void sim_persist_token_saved(sim_persist *p, const sim_model *m, const sim_token *t);
/* A token created at run time is deleted; a fixture token (not stored) is remembered as
 * revoked, so the fixture cannot bring it back. */
void sim_persist_token_revoked(sim_persist *p, const char *token);
/* An expired token is deleted. */
void sim_persist_token_expired(sim_persist *p, const char *token);
void sim_persist_device_saved(sim_persist *p, const sim_model *m, const sim_device *d);
void sim_persist_sim_saved(sim_persist *p, const sim_model *m, const sim_card *s);

#endif
