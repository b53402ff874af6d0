/* Reading particle-cli's profile files (~/.particle/profile.json and <name>.config.json). */
#ifndef PARTICLE_PROFILE_H
#define PARTICLE_PROFILE_H

/* What a particle-cli profile provides; every field is malloc'd or NULL. */
typedef struct particle__profile {
    char *api_url;      /* `apiUrl`, trailing slashes removed */
    char *access_token; /* `access_token`; wiped by particle__profile_dispose() */
    char *username;     /* `username` */
} particle__profile;

/*
 * Reads the profile in @p dir (NULL = $HOME/.particle; no HOME = no profile). Missing
 * files are not an error: the fields stay NULL. Returns 0, or PARTICLE_EIO (unreadable,
 * oversized or malformed file, bad profile name) / PARTICLE_ENOMEM with the error set.
 */
int particle__profile_read(particle__profile *out, const char *dir);

/* Frees the fields (wiping the token) and NULLs them. */
void particle__profile_dispose(particle__profile *p);

#endif
