/* The one rule every options struct of the public API follows (docs/api/CHANGES.md): a
 * zero-initialised struct means the documented defaults, exactly as a NULL pointer does.
 * Every field's zero is its default, and version 0 reads as version 1, the first layout, so
 * a `{0}` struct built against this release keeps its meaning under later ones (new fields
 * are only appended, behind a version bump). */
#include <string.h>

#include "internal.h"

int particle__options_check(unsigned int version, unsigned int current, const char *what)
{
    if (version > current) {
        return particle__error_set(PARTICLE_EINVAL, "unsupported %s options version %u", what,
                                   version);
    }
    return 0;
}

int particle__options_init(void *opts, const void *defaults, size_t size, unsigned int version,
                           unsigned int current, const char *what)
{
    if (opts == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "options are NULL");
    }
    int error = particle__options_check(version, current, what);
    if (error < 0) {
        return error;
    }
    memcpy(opts, defaults, size);
    return 0;
}

int particle_request_options_init(particle_request_options *opts, unsigned int version)
{
    static const particle_request_options defaults = PARTICLE_REQUEST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_REQUEST_OPTIONS_VERSION, "request");
}

const char *particle__request_product(const particle_request_options *opts)
{
    return opts != NULL ? opts->product : NULL;
}

bool particle__request_retry(const particle_request_options *opts)
{
    return opts != NULL && (opts->flags & PARTICLE_REQUEST_RETRY) != 0;
}
