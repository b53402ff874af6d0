#include "value_json.h"

json_t *cli_json_from_value(const particle_value *v)
{
    switch (particle_value_type_of(v)) {
    case PARTICLE_VALUE_BOOL:
        return json_boolean(particle_value_bool(v, 0));
    case PARTICLE_VALUE_INT:
        return json_integer(particle_value_int(v, 0));
    case PARTICLE_VALUE_DOUBLE:
        return json_real(particle_value_double(v, 0));
    case PARTICLE_VALUE_STRING:
        return json_string(particle_value_string(v));
    case PARTICLE_VALUE_ARRAY: {
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < particle_value_count(v); i++) {
            if (json_array_append_new(a, cli_json_from_value(particle_value_at(v, i))) != 0) {
                json_decref(a);
                a = NULL;
            }
        }
        return a;
    }
    case PARTICLE_VALUE_OBJECT: {
        json_t *o = json_object();
        for (size_t i = 0; o != NULL && i < particle_value_count(v); i++) {
            const char *key = particle_value_key_at(v, i);
            if (key == NULL ||
                json_object_set_new(o, key, cli_json_from_value(particle_value_at(v, i))) != 0) {
                json_decref(o);
                o = NULL;
            }
        }
        return o;
    }
    case PARTICLE_VALUE_NULL:
    case PARTICLE_VALUE_ABSENT:
    default:
        return json_null();
    }
}

int cli_output_set_value(cli_output *out, size_t field, const particle_value *v)
{
    json_t *j = cli_json_from_value(v);
    return j == NULL ? -1 : cli_output_set_json(out, field, j);
}
