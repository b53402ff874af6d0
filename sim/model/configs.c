/* Product and device configuration (sim_configs.h). */
#include "model/sim_configs.h"

#include <stdlib.h>

#include "model/sim_internal.h"
#include "pu_str.h"

static uint32_t find(const sim_model *m, uint32_t product, uint32_t device)
{
    for (uint32_t i = 0; i < m->config_count; i++)
        if (m->configs[i].product == product && m->configs[i].device == device)
            return i;
    return SIM_NONE;
}

const char *sim_config_get(const sim_model *m, uint32_t product, uint32_t device)
{
    uint32_t i = find(m, product, device);
    return i == SIM_NONE ? NULL : m->configs[i].json;
}

void sim_config_set(sim_model *m, uint32_t product, uint32_t device, const char *json)
{
    uint32_t i = find(m, product, device);
    if (i == SIM_NONE) {
        sim_model_reserve((void **)&m->configs, m->config_count + 1, &m->config_cap,
                          sizeof(sim_config));
        i = m->config_count++;
        m->configs[i] = (sim_config){.product = product, .device = device};
    } else {
        free(m->configs[i].json);
    }
    m->configs[i].json = pu_xstrdup(json);
}

bool sim_config_reset(sim_model *m, uint32_t product, uint32_t device)
{
    uint32_t i = find(m, product, device);
    if (i == SIM_NONE)
        return false;
    free(m->configs[i].json);
    m->configs[i] = m->configs[--m->config_count];
    return true;
}

void sim_configs_clear(sim_model *m)
{
    for (uint32_t i = 0; i < m->config_count; i++)
        free(m->configs[i].json);
    free(m->configs);
    m->configs = NULL;
    m->config_count = m->config_cap = 0;
}
