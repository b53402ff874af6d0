/**
 * @file profile.h
 * @brief Reading particle-cli's login profile: the reader particle_client_new() uses,
 *        for programs that need the profile's fields themselves (particlectl does).
 *
 * particle-cli keeps its login in a directory (default `$HOME/.particle`): `profile.json`
 * names the active profile (`{"name":"staging"}`; absent, empty or not a string: "particle")
 * and `<name>.config.json` holds `apiUrl`, `access_token` and `username`. This API only
 * reads; writing is left to the program that owns the login.
 *
 * Thread safety: a profile is immutable once read and may be read from several threads.
 */
#ifndef PARTICLE_PROFILE_H
#define PARTICLE_PROFILE_H

#include "particle/common.h"

PARTICLE_BEGIN_DECL

/** Opaque, immutable result of particle_profile_read(). */
typedef struct particle_profile particle_profile;

/**
 * Reads the active particle-cli profile.
 *
 * @param[out] out  the profile; caller frees with particle_profile_free(). NULL on failure.
 * @param dir       the profile directory; NULL = `$HOME/.particle` (no HOME: an empty
 *                  profile named "particle" without a config path).
 * @return 0 (missing files are not an error: the fields are then NULL), PARTICLE_EINVAL
 *         (@p out is NULL), PARTICLE_EIO (a file that cannot be read, is larger than
 *         64 KiB or is not a JSON object; a profile name that would leave @p dir),
 *         PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_profile_read(particle_profile **out, const char *dir);

/**
 * Reads profile @p name (`<dir>/<name>.config.json`) whichever profile is active, as
 * particle-cli's `--profile`-less commands read the active one; NULL @p name = the active
 * profile (particle_profile_read()).
 *
 * @return as particle_profile_read(), and PARTICLE_EINVAL for a name that would leave @p dir
 *         (empty, with '/', or "." or "..").
 */
PARTICLE_API int particle_profile_read_named(particle_profile **out, const char *dir,
                                             const char *name);

/** @return the profile's name ("particle" by default). Borrowed from @p profile. */
PARTICLE_API const char *particle_profile_name(const particle_profile *profile);

/** @return the path of `<name>.config.json` (whether or not it exists), or NULL without a
 *          directory. Borrowed from @p profile. */
PARTICLE_API const char *particle_profile_config_path(const particle_profile *profile);

/** @return `apiUrl` without trailing slashes, or NULL. Borrowed from @p profile. */
PARTICLE_API const char *particle_profile_api_url(const particle_profile *profile);

/** @return `access_token`, or NULL. Borrowed from @p profile, which wipes it when freed.
 *          A secret: never print or log it. */
PARTICLE_API const char *particle_profile_access_token(const particle_profile *profile);

/** @return `username`, or NULL. Borrowed from @p profile. */
PARTICLE_API const char *particle_profile_username(const particle_profile *profile);

/** Wipes the token and frees @p profile. NULL-safe. */
PARTICLE_API void particle_profile_free(particle_profile *profile);

PARTICLE_END_DECL

#endif
