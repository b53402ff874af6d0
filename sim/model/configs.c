/* Product and device configuration (sim_configs.h). */
#include "model/sim_configs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_internal.h"
#include "pu_parse.h"
#include "pu_str.h"

static uint32_t find(const sim_model *m, uint32_t product, uint32_t device)
{
    for (uint32_t i = 0; i < m->config_count; i++)
        if (m->configs[i].product == product && m->configs[i].device == device)
            return i;
    return SIM_NONE;
}

/* The key of a configuration in the saved document (the schemas' keys, sim_config_schemas.h). */
static void config_key(const sim_model *m, const sim_config *c, char *out, size_t size)
{
    if (c->device == SIM_NONE)
        snprintf(out, size, "%u", m->products[c->product].id);
    else
        snprintf(out, size, "%u/%s", m->products[c->product].id, m->devices[c->device].id);
}

void sim_configs_changed(const sim_model *m)
{
    if (!m->config_saver)
        return;
    json_t *doc = json_object();
    if (!doc)
        abort();
    for (uint32_t i = 0; i < m->config_count; i++) {
        char key[64];
        json_t *config = json_loads(m->configs[i].json, 0, NULL);
        if (!config) /* the text was dumped by jansson: only memory can fail here */
            abort();
        config_key(m, &m->configs[i], key, sizeof(key));
        json_object_set_new(doc, key, config);
    }
    /* their keys name no product or device of this fleet: none is overwritten */
    if (m->config_orphans && json_object_update_missing(doc, m->config_orphans) != 0)
        abort();
    m->config_saver(doc, m->config_saver_payload);
    json_decref(doc);
}

const char *sim_config_get(const sim_model *m, uint32_t product, uint32_t device)
{
    uint32_t i = find(m, product, device);
    return i == SIM_NONE ? NULL : m->configs[i].json;
}

/* sim_config_set without telling the saver (restoring what it saved). */
static void store(sim_model *m, uint32_t product, uint32_t device, const char *json)
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

void sim_config_set(sim_model *m, uint32_t product, uint32_t device, const char *json)
{
    store(m, product, device, json);
    sim_configs_changed(m);
}

bool sim_config_reset(sim_model *m, uint32_t product, uint32_t device)
{
    uint32_t i = find(m, product, device);
    if (i == SIM_NONE)
        return false;
    free(m->configs[i].json);
    m->configs[i] = m->configs[--m->config_count];
    sim_configs_changed(m);
    return true;
}

void sim_configs_clear(sim_model *m)
{
    for (uint32_t i = 0; i < m->config_count; i++)
        free(m->configs[i].json);
    free(m->configs);
    m->configs = NULL;
    m->config_count = m->config_cap = 0;
    json_decref(m->config_orphans);
    m->config_orphans = NULL;
}

/* The product and device a saved key names: -1 when @p key is not "<product id>" or
 * "<product id>/<device id>"; *product SIM_NONE when the fleet has no such product or
 * device (any more). */
static int parse_key(const sim_model *m, const char *key, uint32_t *product, uint32_t *device)
{
    const char *slash = strchr(key, '/');
    size_t len = slash ? (size_t)(slash - key) : strlen(key);
    char id[16];
    int64_t number;
    if (len == 0 || len >= sizeof(id) || (slash && !slash[1]))
        return -1;
    memcpy(id, key, len);
    id[len] = '\0';
    if (pu_parse_int64(id, 0, UINT32_MAX, &number) < 0)
        return -1;
    *product = *device = SIM_NONE;
    for (uint32_t i = 0; i < m->product_count && *product == SIM_NONE; i++)
        if (m->products[i].id == number)
            *product = i;
    if (slash && (*device = sim_model_find_device_id(m, slash + 1)) == SIM_NONE)
        *product = SIM_NONE;
    return 0;
}

/* What the routes accept as a configuration: a non-empty object of sections (objects). */
static bool is_configuration(const json_t *config)
{
    const char *name;
    const json_t *section;
    if (json_object_size(config) == 0)
        return false;
    json_object_foreach((json_t *)config, name, section)
    {
        if (!json_is_object(section))
            return false;
    }
    return true;
}

int sim_configs_restore(sim_model *m, const json_t *stored, sim_configs_saver *saver, void *payload)
{
    const char *key;
    const json_t *config;
    uint32_t product, device;
    if (stored && !json_is_object(stored))
        return -1;
    json_object_foreach((json_t *)stored, key, config)
    {
        if (parse_key(m, key, &product, &device) < 0 || !is_configuration(config))
            return -1;
    }
    json_object_foreach((json_t *)stored, key, config)
    {
        parse_key(m, key, &product, &device);
        if (product == SIM_NONE) {
            /* kept for a fleet file that has the product or device again, as persist.c
             * keeps the rows of devices that are gone */
            if (!m->config_orphans && !(m->config_orphans = json_object()))
                abort();
            if (json_object_set(m->config_orphans, key, (json_t *)config) != 0)
                abort();
            continue;
        }
        /* the text as the route keeps it, so the GET answers are the same as before */
        char *text = json_dumps(config, JSON_COMPACT | JSON_SORT_KEYS);
        if (!text)
            abort();
        store(m, product, device, text);
        free(text);
    }
    m->config_saver = saver;
    m->config_saver_payload = payload;
    return 0;
}
