/*
 * --state for ledgers: the whole ledger store (model/sim_ledgers.h) as one JSON document in
 * the table `ledgers` of the simulator's state file (the same SQLite file as sim/persist.c,
 * through its own connection), rewritten after each change. Namespaces are stored by name
 * (username, organization id), so they find their owner again after a restart. Prepared
 * statements only.
 *
 * Threads: model lock held.
 */
#ifndef SIM_PERSIST_LEDGERS_H
#define SIM_PERSIST_LEDGERS_H

#include <stddef.h>

#include "model/sim_ledgers.h"
#include "persist_doc.h"

/* The model's document row (persist_doc.h). */
typedef sim_doc_persist sim_ledger_persist;

/* Opens (creating the table) the state file at @p path, loads what it stored into @p l and
 * from now on stores every change of @p l. Returns 0, or -1 with a message in @p err. */
int sim_ledger_persist_open(sim_ledger_persist **out, const char *path, sim_ledgers *l, char *err,
                            size_t err_size);
void sim_ledger_persist_close(sim_ledger_persist *p); /* NULL-safe */

#endif
