/*
 * cli_secrets: where particlectl takes secrets from. Never from argv (the process list and
 * shell history would keep them): passwords from a no-echo prompt or standard input, an
 * OAuth client's secret from the environment or a file only its owner can read. Every
 * secret is a malloc'd string the caller releases with cli_wipe_free().
 */
#ifndef CLI_SECRETS_H
#define CLI_SECRETS_H

#include <stdbool.h>

#include "cli.h"

/* Zeroes and frees @p s. NULL-safe. */
void cli_wipe_free(char *s);

/*
 * Reads a secret: the next line of standard input when @p from_stdin, else a no-echo
 * prompt "<prompt>: " on the terminal (a usage error naming @p flag when there is none).
 * Returns 0 with *out set, or an exit status after printing the error (empty answer, no
 * terminal).
 */
int cli_read_secret(cli_ctx *ctx, bool from_stdin, const char *prompt, const char *flag,
                    char **out);

/* An OAuth client to act as: a product client's id and its secret. */
typedef struct cli_oauth_creds {
    const char *id; /* --client-id, else PARTICLE_CLIENT_ID; borrowed */
    char *secret;   /* wiped by cli_oauth_creds_dispose() */
} cli_oauth_creds;

/*
 * Finds the OAuth client credentials: the id from @p id_opt (--client-id) or
 * PARTICLE_CLIENT_ID; the secret from the first line of @p secret_file
 * (--client-secret-file, refused unless only its owner can read it, i.e. mode 0600 or 0400)
 * or PARTICLE_CLIENT_SECRET. *given is false when neither an id nor a secret was given at
 * all (the command then uses the access token); an id without a secret or the other way
 * round is a usage error. Returns 0 or an exit status after printing the error.
 */
int cli_oauth_creds_read(cli_ctx *ctx, const char *id_opt, const char *secret_file,
                         cli_oauth_creds *out, bool *given);

/* Wipes and frees the secret. */
void cli_oauth_creds_dispose(cli_oauth_creds *c);

#endif
