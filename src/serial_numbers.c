/* Serial-number lookup (cloud-api.md §5.11). */
#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "particle/devices.h"

int particle_serial_number_lookup(particle_doc **out, particle_client *c, const char *serial)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(serial, "serial number");
    if (error < 0) {
        return error;
    }
    char *path = particle__api_path(NULL, "serial_numbers", serial, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__request req = {.method = "GET", .path = path};
    error = particle__http_doc(out, c, &req);
    particle__free(path);
    return error;
}
