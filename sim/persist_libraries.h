/*
 * --state for libraries: the contributed libraries (model/sim_libraries.h; the fixture is
 * rebuilt at start) as one JSON document, archives included as hex, in the table
 * `libraries` of the simulator's state file (the same SQLite file as sim/persist.c, through
 * its own connection), rewritten after each change. Owners are stored by username.
 * Prepared statements only.
 *
 * Threads: model lock held.
 */
#ifndef SIM_PERSIST_LIBRARIES_H
#define SIM_PERSIST_LIBRARIES_H

#include <stddef.h>

#include "model/sim_libraries.h"
#include "persist_doc.h"

/* The model's document row (persist_doc.h). */
typedef sim_doc_persist sim_library_persist;

/* Opens (creating the table) the state file at @p path, adds what it stored to @p l and
 * from now on stores every change of @p l. Returns 0, or -1 with a message in @p err. */
int sim_library_persist_open(sim_library_persist **out, const char *path, sim_libraries *l,
                             char *err, size_t err_size);
void sim_library_persist_close(sim_library_persist *p); /* NULL-safe */

#endif
