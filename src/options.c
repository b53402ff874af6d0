/* The one rule every options struct of the public API follows (docs/api/CHANGES.md): a
 * zero-initialised struct means the documented defaults, exactly as a NULL pointer does.
 * Every field's zero is its default, and version 0 reads as version 1, the first layout, so
 * a `{0}` struct built against this release keeps its meaning under later ones (new fields
 * are only appended, behind a version bump). */
#include "internal.h"

int particle__options_check(unsigned int version, unsigned int current, const char *what)
{
    if (version > current) {
        return particle__error_set(PARTICLE_EINVAL, "unsupported %s options version %u", what,
                                   version);
    }
    return 0;
}

int particle_request_options_init(particle_request_options *opts, unsigned int version)
{
    if (opts == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "opts is NULL");
    }
    int error = particle__options_check(version, PARTICLE_REQUEST_OPTIONS_VERSION, "request");
    if (error < 0) {
        return error;
    }
    particle_request_options defaults = PARTICLE_REQUEST_OPTIONS_INIT;
    *opts = defaults;
    return 0;
}
