/*
 * sim_persist: --state FILE. Keeps what users change at run time across restarts in SQLite:
 * tokens created (until they are revoked or expire: then their row goes), revocations of
 * fixture tokens, device renames, notes and claims (owner changes), and SIM card state
 * (status, data limit, release, product import), and accounts: customers, OAuth clients and
 * teams (persist_accounts.h). The fleet fixture is loaded first, then
 * sim_persist_apply() replays the stored changes on top through the model's own change
 * functions, and sim_persist_observe() makes the file an observer of the model
 * (sim_model_observe): the model never calls persistence, it tells its observers. Prepared
 * statements only.
 *
 * Threads: called with the model lock held (the model serialises all writes).
 */
#ifndef SIM_PERSIST_H
#define SIM_PERSIST_H

#include <stddef.h>

#include "model/sim_model.h"

typedef struct sim_persist sim_persist;

/* Opens (creating) the database at @p path. Returns 0, or -1 with a message in @p err. */
int sim_persist_open(sim_persist **out, const char *path, char *err, size_t err_size);

struct sqlite3;
/* Opens a connection to the state file @p path as every part of --state does (waits up to
 * 5 s for another connection's lock, no fsync per change: see persist.c) and runs @p schema
 * (may be NULL). 0, or -1 with @p err naming the file; *db is then closed and NULL. */
int sim_state_db_open(struct sqlite3 **db, const char *path, const char *schema, char *err,
                      size_t err_size);
void sim_persist_close(sim_persist *p); /* NULL-safe */

/* Replays stored tokens, revocations, device and SIM card changes onto @p m (lock held;
 * before sim_persist_observe, or the replay is written back). Returns the number of changes
 * applied, or -1 on a database error. */
int sim_persist_apply(sim_persist *p, sim_model *m);
/* Forgets everything stored (used by the control API's reset). */
void sim_persist_wipe(sim_persist *p);

/* From now on, writes every change of @p m that the file keeps (lock held). */
void sim_persist_observe(sim_persist *p, sim_model *m);

#endif
