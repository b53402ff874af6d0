/* Variable reads (cloud-api.md §5.6): the JSON type of `result` is the variable's type. */
#include <string.h>

#include "http.h"
#include "particle/devices.h"
#include "value_internal.h"
#include "variable_internal.h"

struct particle_variable {
    json_t *root;   /* the whole answer */
    json_t *result; /* borrowed from root */
};

int particle_variable_get(particle_variable **out, particle_client *c, const char *device,
                          const char *name, const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = particle__variable_path(device, name, opts);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *root = NULL;
    particle__request req = {.method = "GET", .path = path};
    int error = particle__http_perform(c, &req, &root);
    particle__free(path);
    if (error < 0) {
        return error;
    }
    return particle__variable_from_json(out, root);
}

char *particle__variable_path(const char *device, const char *name,
                              const particle_request_options *opts)
{
    return particle__device_member_path(opts != NULL ? opts->product : NULL, device, name,
                                        "variable name");
}

int particle__variable_from_json(particle_variable **out, json_t *root)
{
    json_t *result = json_object_get(root, "result");
    if (result == NULL) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "variable answer has no result");
    }
    particle_variable *v = particle__malloc(sizeof(*v));
    if (v == NULL) {
        json_decref(root);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    v->root = root;
    v->result = result;
    *out = v;
    return 0;
}

particle_value_type particle_variable_type(const particle_variable *v)
{
    return particle_value_type_of(v == NULL ? NULL : particle__value(v->result));
}

long long particle_variable_int(const particle_variable *v)
{
    if (v == NULL) {
        return 0;
    }
    if (json_is_boolean(v->result)) {
        return json_is_true(v->result) ? 1 : 0;
    }
    return particle_value_int(particle__value(v->result), 0);
}

double particle_variable_double(const particle_variable *v)
{
    if (v == NULL) {
        return 0.0;
    }
    if (json_is_boolean(v->result)) {
        return json_is_true(v->result) ? 1.0 : 0.0;
    }
    return particle_value_double(particle__value(v->result), 0.0);
}

const char *particle_variable_string(const particle_variable *v)
{
    return v == NULL ? NULL : json_string_value(v->result);
}

int particle_variable_bool(const particle_variable *v)
{
    if (v == NULL) {
        return 0;
    }
    if (json_is_boolean(v->result)) {
        return json_is_true(v->result) ? 1 : 0;
    }
    return json_is_number(v->result) && json_number_value(v->result) != 0.0;
}

const char *particle_variable_name(const particle_variable *v)
{
    return v == NULL ? NULL : json_string_value(json_object_get(v->root, "name"));
}

const particle_value *particle_variable_result(const particle_variable *v)
{
    return v == NULL ? NULL : particle__value(v->result);
}

const particle_value *particle_variable_root(const particle_variable *v)
{
    return v == NULL ? NULL : particle__value(v->root);
}

void particle_variable_free(particle_variable *v)
{
    if (v == NULL) {
        return;
    }
    json_decref(v->root);
    particle__free(v);
}
