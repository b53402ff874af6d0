/*
 * cli_integration_cmd: what `integration ...` and its alias family `webhook ...` share
 * (particle-cli's `webhook` is an alias of `integration`, scoped to the Webhook type):
 * the options (scope, settings, template file), the settings they make, and the records
 * an integration prints as.
 */
#ifndef CLI_INTEGRATION_CMD_H
#define CLI_INTEGRATION_CMD_H

#include <stdbool.h>

#include "particle/integrations.h"

#include "cli.h"

/* What the options of an integration command gave. */
typedef struct cli_hook_opts {
    particle_integration_scope scope; /* --product / --org */
    const char *type;                 /* --type */
    const char *template_file;        /* --json-template */
    const char *event;                /* --event (edit) */
    const char *url;                  /* --url (edit) */
    const char *request_type;         /* --request-type */
    const char *device;               /* --device */
    const char *name;                 /* --name */
    const char *data;                 /* --data (test) */
    const char *device_id;            /* --device-id (test) */
    bool yes;                         /* --yes */
    bool webhook;                     /* the `webhook` family: the Webhook type only */
} cli_hook_opts;

/* The option tables of each subcommand (the same for both families). */
extern const struct option cli_hook_scope_options[];  /* list, get */
extern const struct option cli_hook_create_options[]; /* create */
extern const struct option cli_hook_edit_options[];   /* edit */
extern const struct option cli_hook_delete_options[]; /* delete */
extern const struct option cli_hook_test_options[];   /* test */

/*
 * Parses argv with @p opts into @p o (between @p min and @p max positional arguments;
 * *pos gets the first), refuses --product with --org, and gets the client. Returns 0,
 * CLI_HELP_SHOWN or an exit status.
 */
int cli_hook_begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, cli_hook_opts *o,
                   int min, int max, int *pos, particle_client **client);

/*
 * Reads the --json-template file (or @p file_arg, a FILE.json given in the place of the
 * event as particle-cli allows) into *text_out: a JSON object, its particle-cli spelling
 * `eventName` read as `event`. *text_out is NULL when there is no file; free() it.
 * Returns 0 or an exit status after a message.
 */
int cli_hook_template(cli_ctx *ctx, const char *file, char **text_out);

/* The fields of an integration record in list output, and in get output. */
extern const char *const cli_hook_list_fields[];
extern const size_t cli_hook_list_field_count;
extern const char *const cli_hook_get_fields[];
extern const size_t cli_hook_get_field_count;

/* Adds @p it as one record of @p out (whose fields are the list or the get fields). Returns
 * 0 or -1 on out of memory. */
int cli_hook_add(cli_output *out, const particle_integration *it, bool full);

/* Prints one integration (the get fields). Returns an exit status. */
int cli_hook_emit_one(cli_ctx *ctx, const particle_integration *it);

/* Whether @p it belongs to the family (the webhook family: the Webhook type only). */
bool cli_hook_in_family(const cli_hook_opts *o, const particle_integration *it);

/* The subcommands, shared by both families (@p webhook: the `webhook` family). Each
 * returns an exit status. */
int cli_hook_list(cli_ctx *ctx, int argc, char **argv, bool webhook);
int cli_hook_get(cli_ctx *ctx, int argc, char **argv, bool webhook);
int cli_hook_create(cli_ctx *ctx, int argc, char **argv, bool webhook);
int cli_hook_edit(cli_ctx *ctx, int argc, char **argv, bool webhook);
int cli_hook_delete(cli_ctx *ctx, int argc, char **argv, bool webhook);
int cli_hook_test(cli_ctx *ctx, int argc, char **argv, bool webhook);

#endif
