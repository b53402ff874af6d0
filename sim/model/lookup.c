/* The model's lookups by name or id: users, products, templates, clients, devices. The
 * lowest floor of the model: the access rules (access.c) and the teams (teams.c) use them. */
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_model.h"
#include "pu_parse.h"

uint32_t sim_model_find_user(const sim_model *m, const char *username)
{
    for (uint32_t i = 0; i < m->user_count; i++)
        if (!m->users[i].deleted && strcmp(m->users[i].username, username) == 0)
            return i;
    return SIM_NONE;
}

uint32_t sim_model_find_product(const sim_model *m, const char *id_or_slug)
{
    int64_t id;
    bool numeric = pu_parse_int64(id_or_slug, 0, UINT32_MAX, &id) == 0;
    for (uint32_t i = 0; i < m->product_count; i++) {
        if (numeric && m->products[i].id == id)
            return i;
        if (strcmp(m->products[i].slug, id_or_slug) == 0)
            return i;
    }
    return SIM_NONE;
}

uint32_t sim_model_find_template(const sim_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->template_count; i++)
        if (strcmp(m->templates[i].name, name) == 0)
            return i;
    return SIM_NONE;
}

uint32_t sim_model_find_client(const sim_model *m, const char *id)
{
    for (uint32_t i = 0; i < m->client_count; i++)
        if (strcmp(m->clients[i].id, id) == 0)
            return i;
    return SIM_NONE;
}

uint32_t sim_model_find_device_id(const sim_model *m, const char *id)
{
    uint32_t v;
    return sim_index_get(&m->device_ix, id, &v) ? v : SIM_NONE;
}
