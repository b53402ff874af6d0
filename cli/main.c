/* particlectl: finds the command in argv, sets up the shared context, runs the command. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "particle/client.h"
#include "particle/version.h"

#include "cli.h"
#include "commands.h"
#include "curl_lazy.h"
#include "suggest.h"

enum { OPT_VERSION = 2000, OPT_HELP_MAN };

/* The words that make up a command name ("product device list") at argv[start...]. */
static const cli_command *find_in_argv(int argc, char **argv, int start, int *words)
{
    char name[64] = "";
    const cli_command *found = NULL;
    for (int i = start; i < argc && i < start + 3; i++) {
        size_t len = strlen(name);
        if (argv[i][0] == '-' || (size_t)snprintf(name + len, sizeof(name) - len, "%s%s",
                                                  len ? " " : "", argv[i]) >= sizeof(name) - len) {
            break;
        }
        const cli_command *c = cli_find_command(name);
        if (c != NULL) {
            found = c;
            *words = i - start + 1;
        }
    }
    return found;
}

/* Whether some command's name starts with the words "@p prefix " (a group like "token"). */
static bool is_group(const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < cli_command_count; i++) {
        if (strncmp(cli_commands[i].name, prefix, n) == 0 && cli_commands[i].name[n] == ' ') {
            return true;
        }
    }
    return false;
}

static void group_help(const char *group, FILE *fp)
{
    size_t n = strlen(group);
    fprintf(fp, "Usage: %s %s COMMAND [arguments] [options]\n\nCommands:\n", CLI_PROG, group);
    for (size_t i = 0; i < cli_command_count; i++) {
        if (strncmp(cli_commands[i].name, group, n) == 0 && cli_commands[i].name[n] == ' ') {
            fprintf(fp, "  %-22s  %s\n", cli_commands[i].name, cli_commands[i].summary);
        }
    }
}

/* Joins argv[start..start+n) with spaces into @p buf; false when it does not fit. */
static bool join_words(char *buf, size_t size, int argc, char **argv, int start, int n)
{
    buf[0] = '\0';
    for (int i = start; i < start + n; i++) {
        size_t len = strlen(buf);
        if (i >= argc || (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", argv[i]) >=
                             size - len) {
            return false;
        }
    }
    return true;
}

/* The first @p n words of @p name into @p buf (all of it when it has fewer). */
static void first_words(const char *name, int n, char *buf, size_t size)
{
    size_t len = 0;
    while (name[len] != '\0' && (name[len] != ' ' || --n > 0)) {
        len++;
    }
    snprintf(buf, size, "%.*s", (int)len, name);
}

/*
 * "no such command: WORDS", with the closest command name of as many words when one is
 * close; with none, the commands of @p group (when not NULL) are listed first.
 */
static int unknown_command(int argc, char **argv, int start, int n, const char *group)
{
    enum { NAME_MAX_LEN = 64 };
    char typed[NAME_MAX_LEN * 4];
    if (!join_words(typed, sizeof(typed), argc, argv, start, n)) {
        return cli_usage(NULL, "no such command: %s", argv[start]);
    }
    char(*names)[NAME_MAX_LEN] = calloc(cli_command_count + 1, sizeof(*names));
    const char **candidates = calloc(cli_command_count + 1, sizeof(*candidates));
    const char *best = NULL;
    if (names != NULL && candidates != NULL) {
        for (size_t i = 0; i < cli_command_count; i++) {
            first_words(cli_commands[i].name, n, names[i], sizeof(names[i]));
            candidates[i] = names[i];
        }
        candidates[cli_command_count] = n == 1 ? "help" : NULL;
        best = cli_suggest(typed, candidates, cli_command_count + 1);
    }
    if (best == NULL && group != NULL) {
        group_help(group, stderr);
    }
    int status = best != NULL
                     ? cli_usage(NULL, "no such command: %s (did you mean '%s'?)", typed, best)
                     : cli_usage(NULL, "no such command: %s", typed);
    free(candidates);
    free(names);
    return status;
}

/* `particlectl help [COMMAND...]` */
static int run_help(int argc, char **argv, int start)
{
    int words = 0;
    if (start >= argc) {
        cli_help_main(stdout);
        return CLI_EXIT_OK;
    }
    const cli_command *c = find_in_argv(argc, argv, start, &words);
    if (c != NULL && start + words == argc) {
        cli_help_command(c, stdout);
        return CLI_EXIT_OK;
    }
    if (start + 1 == argc && is_group(argv[start])) {
        group_help(argv[start], stdout);
        return CLI_EXIT_OK;
    }
    return unknown_command(argc, argv, start, 1, NULL);
}

/* Parses the options before the command word (stops at the first non-option). */
static int parse_leading(cli_ctx *ctx, int argc, char **argv, int *next)
{
    static const struct option extra[] = {
        {"version", no_argument, NULL, OPT_VERSION},
        {"help-man", no_argument, NULL, OPT_HELP_MAN},
    };
    struct option opts[32];
    size_t n = 0;
    while (cli_global_options[n].name != NULL && n < CLI_COUNT(opts) - 3) {
        opts[n] = cli_global_options[n];
        n++;
    }
    opts[n++] = extra[0];
    opts[n++] = extra[1];
    memset(&opts[n], 0, sizeof(opts[n]));
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:" CLI_GLOBAL_SHORT, opts, NULL)) != -1) {
        if (c == 'h') {
            cli_help_main(stdout);
            return CLI_HELP_SHOWN;
        }
        if (c == OPT_VERSION) {
            printf("%s %s (libparticle %s)\n", CLI_PROG, PARTICLE_VERSION_STRING,
                   particle_version());
            return CLI_HELP_SHOWN;
        }
        if (c == OPT_HELP_MAN) {
            cli_help_man(stdout);
            return CLI_HELP_SHOWN;
        }
        if (c == '?') {
            return cli_unknown_option(NULL, argv[optind - 1], opts, n);
        }
        if (c == ':') {
            return cli_usage(NULL, "option '%s' needs a value", argv[optind - 1]);
        }
        int g = cli_global_option(ctx, c, optarg);
        if (g > 1) {
            return g;
        }
    }
    *next = optind;
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    int next = 0;
    int words = 0;
    int status = parse_leading(ctx, argc, argv, &next);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (next >= argc) {
        fprintf(stderr, "Usage: %s [global options] COMMAND [arguments] [options]\n", CLI_PROG);
        return cli_usage(NULL, "no command given");
    }
    if (strcmp(argv[next], "help") == 0) {
        return run_help(argc, argv, next + 1);
    }
    if (strcmp(argv[next], "__complete") == 0) {
        /* hidden: the completion scripts' helper, quiet on every failure */
        cli_errors_set_quiet(1);
        return cli_cmd_complete(ctx, argc - next, argv + next);
    }
    const cli_command *cmd = find_in_argv(argc, argv, next, &words);
    if (cmd == NULL) {
        if (is_group(argv[next])) {
            bool asked = next + 1 < argc && (strcmp(argv[next + 1], "--help") == 0 ||
                                             strcmp(argv[next + 1], "-h") == 0);
            if (asked || next + 1 >= argc) {
                group_help(argv[next], asked ? stdout : stderr);
                return asked ? CLI_EXIT_OK : CLI_EXIT_USAGE;
            }
            /* the deepest group typed ("product device"), then the word after it */
            int depth = 1;
            char group[256];
            while (next + depth + 1 < argc &&
                   join_words(group, sizeof(group), argc, argv, next, depth + 1) &&
                   is_group(group)) {
                depth++;
            }
            return unknown_command(argc, argv, next, depth + 1, argv[next]);
        }
        return unknown_command(argc, argv, next, 1, NULL);
    }
    ctx->command = cmd->name;
    /* the command sees argv[0] = its last word, then its own arguments */
    int first = next + words - 1;
    return cmd->run(ctx, argc - first, argv + first);
}

int main(int argc, char **argv)
{
    cli_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    const char *no_color = getenv("NO_COLOR");
    ctx.color = isatty(STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0');
    ctx.stderr_tty = isatty(STDERR_FILENO);
    ctx.format = CLI_FORMAT_TABLE;

    if (particle_global_init() != 0) {
        return cli_fail(CLI_EXIT_API, "cannot initialise libparticle");
    }
    int status = run(&ctx, argc, argv);
    if (status != CLI_EXIT_OK && cli_curl_load_error() != NULL) {
        /* the command's error said only that a request could not start: say why */
        cli_fail(status, "%s", cli_curl_load_error());
    }
    cli_ctx_dispose(&ctx);
    particle_global_cleanup();
    return status;
}
