/*
 * --state for logic functions: the whole logic store (model/sim_logic.h: functions and
 * their runs) as one JSON document in the table `logic` of the simulator's state file (the same
 * SQLite file as sim/persist.c, through its own connection), rewritten after each change.
 * Namespaces are stored by name (username, organization id), so they find their owner again after a
 * restart. Prepared statements only.
 *
 * Threads: model lock held.
 */
#ifndef SIM_PERSIST_LOGIC_H
#define SIM_PERSIST_LOGIC_H

#include <stddef.h>

#include "model/sim_logic.h"
#include "persist_doc.h"

/* The model's document row (persist_doc.h). */
typedef sim_doc_persist sim_logic_persist;

/* Opens (creating the table) the state file at @p path, loads what it stored into @p l and
 * from now on stores every change of @p l. Returns 0, or -1 with a message in @p err. */
int sim_logic_persist_open(sim_logic_persist **out, const char *path, sim_logic *l, char *err,
                           size_t err_size);
void sim_logic_persist_close(sim_logic_persist *p); /* NULL-safe */

#endif
