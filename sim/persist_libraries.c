/* Contributed libraries in the --state file (persist_libraries.h): the store as the one row of
 * table `libraries`. */
#include "persist_libraries.h"

#include <stdio.h>

int sim_library_persist_open(sim_library_persist **out, const char *path, sim_libraries *l,
                             char *err, size_t err_size)
{
    json_t *store = NULL;
    if (sim_doc_persist_open(out, path, "libraries", "store", "libraries", &store, err, err_size) <
        0)
        return -1;
    if (sim_libraries_restore(l, store, sim_doc_persist_save, *out) < 0) {
        snprintf(err, err_size, "%s: the stored libraries do not read", path);
        json_decref(store);
        sim_doc_persist_close(*out);
        *out = NULL;
        return -1;
    }
    json_decref(store);
    return 0;
}

void sim_library_persist_close(sim_library_persist *p)
{
    sim_doc_persist_close(p);
}
