/* Environment variables in the --state file (persist_env.h). */
#include "persist_env.h"

#include <stdio.h>

/* A sim_env_save_fn (payload: the sim_env_persist): stores @p env. */
static void save(const sim_env *env, void *payload)
{
    json_t *doc = sim_env_dump(env);
    sim_doc_persist_save(doc, payload);
    json_decref(doc);
}

int sim_env_persist_open(sim_env_persist **out, const char *path, sim_env *env, char *err,
                         size_t err_size)
{
    json_t *stored = NULL;
    /* Column doc, not store: the table is older than persist_doc.c and files keep it. */
    if (sim_doc_persist_open(out, path, "env_state", "doc", "environment variables", &stored, err,
                             err_size) < 0)
        return -1;
    if (stored && sim_env_load(env, stored) < 0) {
        snprintf(err, err_size, "%s: cannot read the stored environment variables", path);
        json_decref(stored);
        sim_env_persist_close(*out);
        *out = NULL;
        return -1;
    }
    json_decref(stored);
    sim_env_on_change(env, save, *out);
    return 0;
}

void sim_env_persist_close(sim_env_persist *p)
{
    sim_doc_persist_close(p);
}
