/*
 * cli_resource_cmd: what the product, group and team commands share. They parse options
 * and a range of positional arguments, ask before destructive changes, and print API
 * objects as records whose fields are the objects' own keys.
 */
#ifndef CLI_RESOURCE_CMD_H
#define CLI_RESOURCE_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "particle/value.h"

#include "cli.h"

/* Turns what cli_resource_parse() returned into the command's exit status. */
#define CLI_DONE_IF(status)                                                                        \
    do {                                                                                           \
        if ((status) != 0) {                                                                       \
            return (status) == CLI_HELP_SHOWN ? CLI_EXIT_OK : (status);                            \
        }                                                                                          \
    } while (0)

/*
 * Parses ctx->command's argv with @p opts (handled by @p fn with @p payload; NULL for none)
 * and checks that there are between @p min and @p max positional arguments (none empty);
 * *pos gets the first. Returns 0, CLI_HELP_SHOWN or a usage exit status.
 */
int cli_resource_parse(cli_ctx *ctx, int argc, char **argv, const struct option *opts,
                       cli_option_fn *fn, void *payload, int min, int max, int *pos);

/*
 * Asks @p question on a terminal unless @p yes (--yes); elsewhere @p doing ("deleting a
 * group") needs --yes. Returns 0 to go ahead, or an exit status (usage) after a message.
 */
int cli_confirm(cli_ctx *ctx, bool yes, const char *doing, const char *question);

/* Adds one record to @p out: field i is @p obj's member fields[i] (null when absent), and
 * the whole of @p obj for the machine formats (cli_output_set_all). Returns 0 or -1. */
int cli_add_object(cli_output *out, const char *const *fields, size_t nfields,
                   const particle_value *obj);

/*
 * Prints every object of the array @p list as a record (cli_add_object), or @p empty_text
 * in table format when there is none. Returns an exit status.
 */
int cli_emit_objects(cli_ctx *ctx, const char *const *fields, size_t nfields,
                     const particle_value *list, const char *empty_text);

/* Prints @p obj as one record (field: value lines in table format). Returns an exit status. */
int cli_emit_object(cli_ctx *ctx, const char *const *fields, size_t nfields,
                    const particle_value *obj);

/*
 * Prints the outcome of a change: one record whose first @p nfields - 1 fields are the
 * strings @p values and whose last field is true; in table format only @p message (a
 * sentence). Returns an exit status.
 */
int cli_emit_done(cli_ctx *ctx, const char *const *fields, size_t nfields,
                  const char *const *values, const char *message);

/* The largest --data cli_read_data() reads. */
#define CLI_DATA_MAX (1024 * 1024)

/* Reads a --data value: inline JSON text, "@FILE" or "-" (standard input), at most
 * CLI_DATA_MAX bytes, into *out (free()). Returns 0 or an exit status after a message. */
int cli_read_data(cli_ctx *ctx, const char *spec, char **out);

#endif
