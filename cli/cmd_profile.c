/* config [PROFILE] [--list]: particle-cli's profile switch. The profiles are the files
 * ~/.particle/NAME.config.json; profile.json names the active one. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"

enum { OPT_LIST = 7900 };

static const struct option config_options[] = {
    {"list", no_argument, NULL, OPT_LIST},
    {NULL, 0, NULL, 0},
};

static int config_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    (void)ctx;
    (void)arg;
    if (opt != OPT_LIST) {
        return CLI_EXIT_USAGE;
    }
    *(bool *)payload = true;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NAME of a NAME.config.json in the profile directory, sorted, with the active one. */
static int list_profiles(cli_ctx *ctx)
{
    static const char *const fields[] = {"profile", "active"};
    static const char suffix[] = ".config.json";
    const char *active = particle_profile_name(ctx->config.profile);
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    char **names = NULL;
    size_t n = 0;
    int bad = out == NULL;
    DIR *dir = bad ? NULL : opendir(ctx->config.dir);
    for (struct dirent *e; dir != NULL && !bad && (e = readdir(dir)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len <= sizeof(suffix) - 1 || e->d_name[0] == '.' ||
            strcmp(e->d_name + len - (sizeof(suffix) - 1), suffix) != 0) {
            continue;
        }
        char **grown = realloc(names, (n + 1) * sizeof(*names));
        char *name = strndup(e->d_name, len - (sizeof(suffix) - 1));
        if (grown == NULL || name == NULL) {
            free(name);
            bad = 1;
            names = grown != NULL ? grown : names;
            break;
        }
        names = grown;
        names[n++] = name;
    }
    if (dir != NULL) {
        closedir(dir);
    }
    if (n > 1) {
        qsort(names, n, sizeof(*names), compare_names);
    }
    bad = bad || cli_output_set_empty_text(out, "No profiles yet.");
    for (size_t i = 0; !bad && i < n; i++) {
        bad = cli_output_add_row(out) || cli_output_set_str(out, 0, names[i]) ||
              cli_output_set_bool(out, 1, active != NULL && strcmp(names[i], active) == 0);
    }
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_cmd_config(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"profile", "config_file"};
    bool list = false;
    char err[CLI_CONFIG_ERR_SIZE];
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, config_options, config_option, &list, 0, 1, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_load_config(ctx)) != 0) {
        return status;
    }
    if (list) {
        return pos < argc ? cli_usage(ctx->command, "give either PROFILE or --list")
                          : list_profiles(ctx);
    }
    if (pos < argc && cli_config_switch(&ctx->config, argv[pos], err) != 0) {
        return cli_fail(CLI_EXIT_USAGE, "%s", err);
    }
    const char *name = particle_profile_name(ctx->config.profile);
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, name) ||
        cli_output_set_str(out, 1, particle_profile_config_path(ctx->config.profile))) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    if (pos < argc) {
        return cli_emit_message(ctx, out, "Switched to profile %s.", name);
    }
    return cli_emit_message(ctx, out, "%s", name);
}
