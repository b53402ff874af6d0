/* The API users' scopes, the configuration schemas and the configurations in the --state file
 * (persist_settings.h). */
#include "persist_settings.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/sim_configs.h"
#include "persist_doc.h"

struct sim_settings_persist {
    sim_doc_persist *api_users;
    sim_doc_persist *config_schemas;
    sim_doc_persist *configs;
};

int sim_settings_persist_open(sim_settings_persist **out, const char *path, sim_model *m,
                              sim_api_users *users, sim_config_schemas *schemas, char *err,
                              size_t err_size)
{
    sim_settings_persist *p = calloc(1, sizeof(*p));
    json_t *stored_users = NULL, *stored_schemas = NULL, *stored_configs = NULL;
    *out = NULL;
    if (!p) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    if (sim_doc_persist_open(&p->api_users, path, "api_users", "store", "API users", &stored_users,
                             err, err_size) < 0 ||
        sim_doc_persist_open(&p->config_schemas, path, "config_schemas", "store",
                             "configuration schemas", &stored_schemas, err, err_size) < 0 ||
        sim_doc_persist_open(&p->configs, path, "configs", "store", "configurations",
                             &stored_configs, err, err_size) < 0)
        goto fail;
    if (sim_api_users_restore(users, stored_users, sim_doc_persist_save, p->api_users) < 0) {
        snprintf(err, err_size, "%s: the stored API users do not read", path);
        goto fail;
    }
    if (sim_config_schemas_restore(schemas, stored_schemas, sim_doc_persist_save,
                                   p->config_schemas) < 0) {
        snprintf(err, err_size, "%s: the stored configuration schemas do not read", path);
        goto fail;
    }
    if (sim_configs_restore(m, stored_configs, sim_doc_persist_save, p->configs) < 0) {
        snprintf(err, err_size, "%s: the stored configurations do not read", path);
        goto fail;
    }
    json_decref(stored_users);
    json_decref(stored_schemas);
    json_decref(stored_configs);
    *out = p;
    return 0;
fail:
    json_decref(stored_users);
    json_decref(stored_schemas);
    json_decref(stored_configs);
    sim_settings_persist_close(p);
    return -1;
}

void sim_settings_persist_close(sim_settings_persist *p)
{
    if (!p)
        return;
    sim_doc_persist_close(p->api_users);
    sim_doc_persist_close(p->config_schemas);
    sim_doc_persist_close(p->configs);
    free(p);
}
