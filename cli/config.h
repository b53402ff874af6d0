/*
 * cli_config: particle-cli compatible profile files.
 *
 *   ~/.particle/profile.json            {"name": "<profile>"}   (absent: profile "particle")
 *   ~/.particle/<profile>.config.json   {"apiUrl": ..., "access_token": ..., "username": ...}
 *
 * These are the files particle-cli 3.x reads and writes, so a particle-cli login works here
 * and particlectl's login is visible to particle-cli. Reading is the SDK's (the public
 * particle_profile_read(), the reader particle_client_new() uses); this file adds the
 * writing, which keeps every key we do not know,
 * go to a temporary file in the same directory created 0600, and are renamed into place, so
 * a crash never leaves a half-written file and the token is never world-readable.
 *
 * Ownership: a cli_config owns its directory string and profile; cli_config_dispose() frees
 * them (particle_profile_free() wipes the token). Not thread-safe; one thread.
 */
#ifndef CLI_CONFIG_H
#define CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "particle/profile.h"

#define CLI_CONFIG_ERR_SIZE 320

typedef struct cli_config {
    char *dir;                 /* "<home>/.particle" */
    particle_profile *profile; /* name, config path, apiUrl, access_token, username */
    const char *chosen;        /* --profile NAME (borrowed), or NULL: the active profile */
} cli_config;

/* One change for cli_config_update(): set @c key to @c value, or remove it if value is NULL. */
typedef struct cli_config_change {
    const char *key;
    const char *value;
} cli_config_change;

/*
 * Reads the profile of the user whose home directory is @p home (NULL: $HOME, then the
 * password database). Missing files are not an error. Returns 0, or -1 with a message in
 * @p err (a file that is not a JSON object, a profile name that would leave the directory,
 * out of memory).
 */
int cli_config_load(cli_config *cfg, const char *home, char err[CLI_CONFIG_ERR_SIZE]);

/* cli_config_load() for profile @p profile (--profile) instead of the active one; NULL =
 * the active one. */
int cli_config_load_profile(cli_config *cfg, const char *home, const char *profile,
                            char err[CLI_CONFIG_ERR_SIZE]);

/* Frees the strings of @p cfg (the token wiped first) and zeroes it. NULL-safe. */
void cli_config_dispose(cli_config *cfg);

/*
 * Applies @p n changes to the profile's config file, keeping every other key, creating the
 * directory (0700) and profile.json when missing. The file is written 0600 through a
 * temporary file and rename(2). @p cfg->profile is read again to match. Returns 0, or -1 with a
 * message in @p err.
 */
int cli_config_update(cli_config *cfg, const cli_config_change *changes, size_t n,
                      char err[CLI_CONFIG_ERR_SIZE]);

/*
 * Makes @p name the active profile, as `particle config NAME` does: profile.json becomes
 * {"name": NAME} (0600, through a temporary file), the directory is created when missing,
 * and @p cfg->profile is read again. A name must be 1-64 letters, digits, '-', '_' or '.'
 * and not start with '.'. Returns 0, or -1 with a message in @p err.
 */
int cli_config_switch(cli_config *cfg, const char *name, char err[CLI_CONFIG_ERR_SIZE]);

/*
 * Reads a token from the first line of file @p path (or of standard input when @p path is
 * NULL), trimming whitespace; at most 1023 bytes. Returns a malloc'd string the caller wipes
 * and frees, or NULL with a message in @p err (unreadable, empty, too long).
 */
char *cli_config_read_token(const char *path, char err[CLI_CONFIG_ERR_SIZE]);

#endif
