/* Ledgers in the --state file (persist_ledgers.h): the store as the one row of table `ledgers`. */
#include "persist_ledgers.h"

int sim_ledger_persist_open(sim_ledger_persist **out, const char *path, sim_ledgers *l, char *err,
                            size_t err_size)
{
    json_t *store = NULL;
    if (sim_doc_persist_open(out, path, "ledgers", "store", "ledgers", &store, err, err_size) < 0)
        return -1;
    sim_ledgers_restore(l, store, sim_doc_persist_save, *out);
    json_decref(store);
    return 0;
}

void sim_ledger_persist_close(sim_ledger_persist *p)
{
    sim_doc_persist_close(p);
}
