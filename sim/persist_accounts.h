/*
 * The accounts part of --state (persist.c): customers created, changed or deleted at run
 * time, OAuth clients created, changed or deleted, product and organization teams as
 * they are after an invite or a removal, and developers signed up, changed (account
 * information, username, password, MFA) or deleted. Same rules as persist.c: the fleet loads first,
 * the stored changes replay through the model's change functions, prepared statements only.
 */
#ifndef SIM_PERSIST_ACCOUNTS_H
#define SIM_PERSIST_ACCOUNTS_H

#include <sqlite3.h>

#include "model/sim_model.h"

/* The tables' schema (CREATE TABLE IF NOT EXISTS ...). */
extern const char SIM_PERSIST_ACCOUNTS_SCHEMA[];

/* Writes what the file keeps of @p c, if it is an accounts change. */
void sim_persist_accounts_change(sqlite3 *db, const sim_model *m, const sim_change *c);
/* Replays the stored accounts onto @p m; the number applied, or -1 on a database error. */
int sim_persist_accounts_apply(sqlite3 *db, sim_model *m);
/* Forgets them. */
void sim_persist_accounts_wipe(sqlite3 *db);

#endif
