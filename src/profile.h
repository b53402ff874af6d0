/* Reading particle-cli's profile files (~/.particle/profile.json and <name>.config.json):
 * the one reader, behind particle_client_new() and the public particle_profile_read(). */
#ifndef PARTICLE_PROFILE_INTERNAL_H
#define PARTICLE_PROFILE_INTERNAL_H

#include "particle/profile.h"

/* What a particle-cli profile provides; every field comes from particle__malloc or is NULL. */
typedef struct particle_profile {
    char *name;         /* the active profile's name */
    char *config_path;  /* "<dir>/<name>.config.json"; NULL without a directory */
    char *api_url;      /* `apiUrl`, trailing slashes removed */
    char *access_token; /* `access_token`; wiped by particle__profile_dispose() */
    char *username;     /* `username` */
} particle__profile;

/*
 * Reads the profile in @p dir (NULL = $HOME/.particle; no HOME = no profile). Missing
 * files are not an error: the fields stay NULL. Returns 0, or PARTICLE_EIO (unreadable,
 * oversized or malformed file, bad profile name) / PARTICLE_ENOMEM with the error set.
 */
int particle__profile_read(particle__profile *out, const char *dir, const char *wanted);

/* Frees the fields (wiping the token) and NULLs them. */
void particle__profile_dispose(particle__profile *p);

#endif
