/* Logic functions in the --state file (persist_logic.h): the store as the one row of table `logic`.
 */
#include "persist_logic.h"

int sim_logic_persist_open(sim_logic_persist **out, const char *path, sim_logic *l, char *err,
                           size_t err_size)
{
    json_t *store = NULL;
    if (sim_doc_persist_open(out, path, "logic", "store", "logic functions", &store, err,
                             err_size) < 0)
        return -1;
    sim_logic_restore(l, store, sim_doc_persist_save, *out);
    json_decref(store);
    return 0;
}

void sim_logic_persist_close(sim_logic_persist *p)
{
    sim_doc_persist_close(p);
}
