/* Command-line parsing shared by the top level and every command: global options
 * accepted anywhere, command options merged in, usage errors reported uniformly. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "pu_parse.h"
#include "suggest.h"

enum {
    OPT_JSON = 1000,
    OPT_NDJSON,
    OPT_CSV,
    OPT_CSV_RAW,
    OPT_TABLE,
    OPT_NO_COLOR,
    OPT_API_URL,
    OPT_TOKEN_FILE,
    OPT_TOKEN_STDIN,
    OPT_TIMEOUT,
    OPT_PROFILE
};

const struct option cli_global_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"quiet", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, OPT_JSON},
    {"ndjson", no_argument, NULL, OPT_NDJSON},
    {"csv", no_argument, NULL, OPT_CSV},
    {"csv-raw", no_argument, NULL, OPT_CSV_RAW},
    {"table", no_argument, NULL, OPT_TABLE},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"api-url", required_argument, NULL, OPT_API_URL},
    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
    {"token-stdin", no_argument, NULL, OPT_TOKEN_STDIN},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {NULL, 0, NULL, 0},
};

static int set_format(cli_ctx *ctx, cli_format f)
{
    if (ctx->format_given && ctx->format != f) {
        return cli_usage(ctx->command,
                         "choose one of --json, --ndjson, --csv, --csv-raw and --table");
    }
    ctx->format = f;
    ctx->format_given = true;
    cli_errors_set_json(f == CLI_FORMAT_JSON || f == CLI_FORMAT_NDJSON);
    return 1;
}

int cli_global_option(cli_ctx *ctx, int opt, const char *arg)
{
    switch (opt) {
    case 'q':
        ctx->quiet = true;
        return 1;
    case OPT_JSON:
        return set_format(ctx, CLI_FORMAT_JSON);
    case OPT_NDJSON:
        return set_format(ctx, CLI_FORMAT_NDJSON);
    case OPT_CSV:
        return set_format(ctx, CLI_FORMAT_CSV);
    case OPT_CSV_RAW:
        return set_format(ctx, CLI_FORMAT_CSV_RAW);
    case OPT_TABLE:
        return set_format(ctx, CLI_FORMAT_TABLE);
    case OPT_NO_COLOR:
        ctx->color = false;
        return 1;
    case OPT_API_URL:
        if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0) {
            return cli_usage(ctx->command, "--api-url needs an http:// or https:// URL");
        }
        ctx->api_url = arg;
        return 1;
    case OPT_TOKEN_FILE:
        ctx->token_file = arg;
        return 1;
    case OPT_TOKEN_STDIN:
        ctx->token_stdin = true;
        return 1;
    case OPT_PROFILE:
        if (arg[0] == '\0' || strchr(arg, '/') != NULL || strcmp(arg, ".") == 0 ||
            strcmp(arg, "..") == 0) {
            return cli_usage(ctx->command, "bad --profile '%s' (a profile name)", arg);
        }
        ctx->profile = arg;
        return 1;
    case OPT_TIMEOUT:
        if (pu_parse_duration_ms(arg, &ctx->timeout_ms) != 0 || ctx->timeout_ms <= 0 ||
            ctx->timeout_ms > 86400000LL) {
            return cli_usage(ctx->command, "bad --timeout '%s' (use e.g. 30s, 2m)", arg);
        }
        return 1;
    default:
        return 0;
    }
}

static size_t count_options(const struct option *o)
{
    size_t n = 0;
    while (o != NULL && o[n].name != NULL) {
        n++;
    }
    return n;
}

/* ":" first (missing arguments reported as ':'), then every short option of both tables. */
static char *short_options(const struct option *merged, size_t n)
{
    char *s = malloc(n * 2 + 2);
    size_t k = 0;
    if (s == NULL) {
        return NULL;
    }
    s[k++] = ':';
    for (size_t i = 0; i < n; i++) {
        int v = merged[i].val;
        if (merged[i].flag == NULL && v > 0 && v < 128 && v != ':' && v != '?') {
            s[k++] = (char)v;
            if (merged[i].has_arg == required_argument) {
                s[k++] = ':';
            }
        }
    }
    s[k] = '\0';
    return s;
}

/* "unknown option '--jsno'", with the closest option of @p opts when one is close. */
int cli_unknown_option(const char *command, const char *typed, const struct option *opts, size_t n)
{
    char word[128];
    /* compare the name alone: "--jsno=x" -> "jsno" */
    snprintf(word, sizeof(word), "%s", typed + strspn(typed, "-"));
    word[strcspn(word, "=")] = '\0';
    const char **names = calloc(n + 1, sizeof(*names));
    const char *best = NULL;
    if (names != NULL) {
        for (size_t i = 0; i < n; i++) {
            names[i] = opts[i].name;
        }
        best = cli_suggest(word, names, n);
    }
    int status = best != NULL
                     ? cli_usage(command, "unknown option '%s' (did you mean '--%s'?)", typed, best)
                     : cli_usage(command, "unknown option '%s'", typed);
    free(names);
    return status;
}

int cli_parse_options(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                      const struct option *opts, cli_option_fn *fn, void *payload, int *first_pos)
{
    size_t ng = count_options(cli_global_options);
    size_t nc = count_options(opts);
    struct option *merged = calloc(ng + nc + 1, sizeof(*merged));
    char *shorts = NULL;
    int status = 0;
    if (merged == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    memcpy(merged, cli_global_options, ng * sizeof(*merged));
    if (nc > 0) {
        memcpy(merged + ng, opts, nc * sizeof(*merged));
    }
    shorts = short_options(merged, ng + nc);
    if (shorts == NULL) {
        free(merged);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    opterr = 0;
    optind = 0; /* full reset of GNU getopt's state for this new argv */
    int c;
    while (status == 0 && (c = getopt_long(argc, argv, shorts, merged, NULL)) != -1) {
        if (c == 'h') {
            cli_help_command(cmd, stdout);
            status = CLI_HELP_SHOWN;
        } else if (c == '?') {
            if (optopt != 0) {
                status = cli_usage(cmd->name, "unknown option '-%c'", optopt);
            } else {
                status = cli_unknown_option(cmd->name, argv[optind - 1], merged, ng + nc);
            }
        } else if (c == ':') {
            status = cli_usage(cmd->name, "option '%s' needs a value", argv[optind - 1]);
        } else {
            int g = cli_global_option(ctx, c, optarg);
            if (g > 1) {
                status = g;
            } else if (g == 0) {
                status = fn != NULL ? fn(ctx, c, optarg, payload) : CLI_EXIT_USAGE;
            }
        }
    }
    *first_pos = optind;
    free(shorts);
    free(merged);
    return status;
}
