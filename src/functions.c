/* Cloud function calls (cloud-api.md §5.7). The body is {"args": argument}, as
 * particle-api-js sends it; the cloud also accepts "arg". */
#include <string.h>

#include "http.h"
#include "particle/devices.h"

int particle_function_call(int *return_value_out, particle_client *c, const char *device,
                           const char *name, const char *argument,
                           const particle_request_options *opts)
{
    if (return_value_out != NULL) {
        *return_value_out = 0;
    }
    int error;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = particle__device_member_path(opts != NULL ? opts->product : NULL, device, name,
                                              "function name");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *body = json_object();
    json_t *answer = NULL;
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL)
                         : particle__json_add_text(body, "args", argument != NULL ? argument : "",
                                                   "argument");
    if (error < 0) {
        goto done;
    }
    bool retry = opts != NULL && (opts->flags & PARTICLE_REQUEST_RETRY) != 0;
    if ((error = particle__http_json(c, "POST", path, body, retry, &answer)) < 0) {
        goto done;
    }
    json_t *rv = json_object_get(answer, "return_value");
    if (!json_is_integer(rv)) {
        error = particle__error_set(PARTICLE_EPROTO, "function answer has no integer return_value");
        goto done;
    }
    if (return_value_out != NULL) {
        *return_value_out = (int)json_integer_value(rv);
    }
    error = 0;
done:
    json_decref(answer);
    json_decref(body);
    particle__free(path);
    return error;
}
