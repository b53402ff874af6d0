/*
 * One JSON document kept as the single row of a table in the simulator's --state file (the
 * same SQLite file as sim/persist.c, through its own connection; sim_state_db_open): the
 * store of a model that is small enough to be rewritten whole after each change. The ledgers,
 * logic functions, contributed libraries, API users, configuration schemas and environment
 * variables each keep theirs so (persist_ledgers.c, persist_logic.c, persist_libraries.c,
 * persist_settings.c, persist_env.c). Prepared statements only; @p table and @p column are
 * names from the code, never data.
 *
 * Threads: the caller's (the model lock, for the savers).
 */
#ifndef SIM_PERSIST_DOC_H
#define SIM_PERSIST_DOC_H

#include <jansson.h>
#include <stddef.h>

typedef struct sim_doc_persist sim_doc_persist;

/* Opens (creating) table @p table in @p path, its document in column @p column ("store";
 * environment variables kept theirs in "doc" before this file existed), and reads the
 * document into *@p loaded (a new reference, or NULL for a file that has none yet). @p what
 * names the store in messages ("ledgers"). 0, or -1 with the reason in @p err. */
int sim_doc_persist_open(sim_doc_persist **out, const char *path, const char *table,
                         const char *column, const char *what, json_t **loaded, char *err,
                         size_t err_size);

/* A model's saver: replaces the row with @p doc. A failed write is logged; the running
 * simulator keeps its state. */
void sim_doc_persist_save(const json_t *doc, void *payload);

void sim_doc_persist_close(sim_doc_persist *p); /* NULL-safe */

#endif
