/*
 * particlectl's shared state: the global flags, the profile, the SDK client, and the
 * command table every command group adds to. Single-threaded except for subscribe's
 * signal-watching thread, which only ever calls particle_stream_cancel().
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "particle/client.h"

#include "config.h"
#include "errors.h"
#include "output.h"

typedef struct cli_ctx {
    cli_format format;      /* table unless --json/--ndjson/--csv */
    bool format_given;      /* a format flag was on the command line */
    bool color;             /* stdout is a terminal, NO_COLOR unset, no --no-color */
    bool quiet;             /* --quiet: no notes on stderr */
    bool stderr_tty;        /* progress lines only on a terminal */
    const char *api_url;    /* --api-url */
    const char *profile;    /* --profile: a particle-cli profile instead of the active one */
    const char *token_file; /* --token-file */
    bool token_stdin;       /* --token-stdin */
    int64_t timeout_ms;     /* --timeout; 0 = the SDK's default */
    const char *command;    /* the command's full name, for messages ("token list") */

    cli_config config;
    bool config_loaded;
    particle_client *client; /* created on first use by cli_client() */
    bool token_from_profile; /* the client's token is the profile's access_token */
    char *explicit_token;    /* from --token-file/--token-stdin, read once; wiped at exit */
    bool explicit_token_read;
} cli_ctx;

/* A command: its help text (also the source of the man page) and its entry point. */
typedef struct cli_command {
    const char *name;    /* "list", "token create", "product device list" */
    const char *args;    /* positional synopsis, e.g. "DEVICE [VARIABLE]"; "" for none */
    const char *summary; /* one line */
    const char *details; /* longer description, may be NULL */
    const char *options; /* option lines "  --ttl N   ...\n", may be NULL */
    const char *example; /* one or more example command lines */
    /* argv[0] is the last word of the command name; returns the exit status */
    int (*run)(cli_ctx *ctx, int argc, char **argv);
} cli_command;

/* Every command, in help order (commands.c). */
extern const cli_command cli_commands[];
extern const size_t cli_command_count;

/* Returned by cli_parse_options() when --help was handled: exit 0 now. */
#define CLI_HELP_SHOWN (-1)

/* Handles a command-specific option; returns 0 or an exit status (e.g. CLI_EXIT_USAGE). */
typedef int cli_option_fn(cli_ctx *ctx, int opt, const char *arg, void *payload);

/*
 * Parses argv of a command: the global options (anywhere on the line) plus @p opts
 * (a table ending with a zeroed entry; may be NULL) handed to @p fn. Positional arguments
 * are permuted to the end; *first_pos receives the index of the first one.
 * Returns 0, CLI_HELP_SHOWN after printing the command's help, or an exit status.
 */
int cli_parse_options(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                      const struct option *opts, cli_option_fn *fn, void *payload, int *first_pos);

/* The handling of one global option; returns 1 if @p opt was global, 0 if not, or an
 * exit status > 1 on a bad value. Shared by the top level and every command. */
int cli_global_option(cli_ctx *ctx, int opt, const char *arg);

/* Reports an unknown option @p typed ("--jsno"), suggesting the closest of the @p n options
 * @p opts when one is close (cli_suggest); returns CLI_EXIT_USAGE. */
int cli_unknown_option(const char *command, const char *typed, const struct option *opts, size_t n);

/* The global options for getopt_long, and their short letters. */
extern const struct option cli_global_options[];
#define CLI_GLOBAL_SHORT "hq"

/* Finds a command by name; NULL when unknown. */
const cli_command *cli_find_command(const char *name);

/* Prints a command's help to @p fp. */
void cli_help_command(const cli_command *cmd, FILE *fp);

/* Prints the top-level help to @p fp. */
void cli_help_main(FILE *fp);

/* Prints the man page (troff) built from the help text to @p fp. */
void cli_help_man(FILE *fp);

/* Loads the profile once; returns 0 or an exit status after printing the error. */
int cli_load_config(cli_ctx *ctx);

/* The API base URL in effect: --api-url, PARTICLE_API_BASE_URL, the profile, the default. */
const char *cli_api_url(cli_ctx *ctx);

/*
 * Returns the SDK client, creating it on first use with the base URL in effect and the
 * token from --token-file, --token-stdin, PARTICLE_ACCESS_TOKEN or the profile (in that
 * order). With @p need_token, a missing token is an authentication error (exit 4).
 * Returns 0 or an exit status after printing the error.
 */
int cli_client(cli_ctx *ctx, particle_client **out, bool need_token);

/*
 * The token given with --token-file or --token-stdin, read once (*out NULL when neither
 * was given). Borrowed from @p ctx. Returns 0 or an exit status.
 */
int cli_explicit_token(cli_ctx *ctx, const char **out);

/* Frees what the context holds (client, profile, token). */
void cli_ctx_dispose(cli_ctx *ctx);

/* Renders @p out on stdout in the chosen format and frees it. Returns an exit status. */
int cli_emit(cli_ctx *ctx, cli_output *out);

/*
 * For commands whose answer is a confirmation: in table format prints the message line on
 * stdout; in the machine formats renders @p out. Frees @p out. Returns an exit status.
 */
int cli_emit_message(cli_ctx *ctx, cli_output *out, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Creates an output or exits with an error message; returns NULL after printing on OOM. */
cli_output *cli_output_or_fail(const char *const *fields, size_t nfields);

/* A note on stderr (suppressed by --quiet). */
void cli_note(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define CLI_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
