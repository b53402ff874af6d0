/* The configuration schemas' registry (sim_config_schemas.h): a JSON object {key: schema}. */
#include "model/sim_config_schemas.h"

#include <stdlib.h>

struct sim_config_schemas {
    json_t *schemas;
    sim_config_schemas_saver *saver;
    void *saver_payload;
};

static void changed(const sim_config_schemas *s)
{
    if (s->saver)
        s->saver(s->schemas, s->saver_payload);
}

sim_config_schemas *sim_config_schemas_new(void)
{
    sim_config_schemas *s = calloc(1, sizeof(*s));
    if (!s || !(s->schemas = json_object()))
        abort();
    return s;
}

void sim_config_schemas_free(sim_config_schemas *s)
{
    if (!s)
        return;
    json_decref(s->schemas);
    free(s);
}

void sim_config_schemas_clear(sim_config_schemas *s)
{
    json_object_clear(s->schemas);
    changed(s);
}

const json_t *sim_config_schema_get(const sim_config_schemas *s, const char *key)
{
    return json_object_get(s->schemas, key);
}

void sim_config_schema_set(sim_config_schemas *s, const char *key, const json_t *schema)
{
    json_object_set_new(s->schemas, key, json_deep_copy(schema));
    changed(s);
}

int sim_config_schemas_restore(sim_config_schemas *s, const json_t *stored,
                               sim_config_schemas_saver *saver, void *payload)
{
    const char *key;
    const json_t *schema;
    if (stored && !json_is_object(stored))
        return -1;
    json_object_foreach((json_t *)stored, key, schema)
    {
        if (!json_is_object(schema))
            return -1;
    }
    json_object_foreach((json_t *)stored, key, schema)
    {
        json_object_set_new(s->schemas, key, json_deep_copy(schema));
    }
    s->saver = saver;
    s->saver_payload = payload;
    return 0;
}
