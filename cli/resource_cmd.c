/* The shared steps of the product, group and team commands (resource_cmd.h). */
#include "resource_cmd.h"
#include "pu_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "value_json.h"

int cli_resource_parse(cli_ctx *ctx, int argc, char **argv, const struct option *opts,
                       cli_option_fn *fn, void *payload, int min, int max, int *pos)
{
    const cli_command *cmd = cli_find_command(ctx->command);
    int status = cli_parse_options(ctx, cmd, argc, argv, opts, fn, payload, pos);
    if (status != 0) {
        return status;
    }
    int n = argc - *pos;
    if (n < min) {
        return cli_usage(ctx->command, "missing argument: %s %s", cmd->name, cmd->args);
    }
    if (n > max) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[*pos + max]);
    }
    for (int i = *pos; i < argc; i++) {
        if (argv[i][0] == '\0') {
            return cli_usage(ctx->command, "empty argument: %s %s", cmd->name, cmd->args);
        }
    }
    return 0;
}

int cli_confirm(cli_ctx *ctx, bool yes, const char *doing, const char *question)
{
    if (yes) {
        return 0;
    }
    if (!cli_prompt_interactive()) {
        return cli_usage(ctx->command, "%s needs --yes when not on a terminal", doing);
    }
    return cli_prompt_yes(question) ? 0 : cli_fail(CLI_EXIT_USAGE, "nothing changed");
}

int cli_add_object(cli_output *out, const char *const *fields, size_t nfields,
                   const particle_value *obj)
{
    if (cli_output_add_row(out) != 0) {
        return -1;
    }
    for (size_t i = 0; i < nfields; i++) {
        if (cli_output_set_value(out, i, particle_value_get(obj, fields[i])) != 0) {
            return -1;
        }
    }
    /* the machine formats carry every member the API sent, not only the table's */
    return cli_output_set_all(out, cli_json_from_value(obj));
}

int cli_emit_objects(cli_ctx *ctx, const char *const *fields, size_t nfields,
                     const particle_value *list, const char *empty_text)
{
    cli_output *out = cli_output_or_fail(fields, nfields);
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    int bad = cli_output_set_empty_text(out, empty_text);
    size_t n = particle_value_count(list);
    for (size_t i = 0; !bad && i < n; i++) {
        bad = cli_add_object(out, fields, nfields, particle_value_at(list, i));
    }
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_emit_object(cli_ctx *ctx, const char *const *fields, size_t nfields,
                    const particle_value *obj)
{
    cli_output *out = cli_output_or_fail(fields, nfields);
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_add_object(out, fields, nfields, obj) != 0) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_emit_done(cli_ctx *ctx, const char *const *fields, size_t nfields,
                  const char *const *values, const char *message)
{
    cli_output *out = cli_output_or_fail(fields, nfields);
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    int bad = cli_output_add_row(out);
    for (size_t i = 0; !bad && i + 1 < nfields; i++) {
        bad = cli_output_set_str(out, i, values[i]);
    }
    if (bad || cli_output_set_bool(out, nfields - 1, true) != 0) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "%s", message);
}

int cli_read_data(cli_ctx *ctx, const char *spec, char **out)
{
    *out = NULL;
    if (spec[0] != '@' && strcmp(spec, "-") != 0) {
        *out = strdup(spec);
        return *out == NULL ? cli_fail(CLI_EXIT_API, "out of memory") : 0;
    }
    char err[512];
    int rc =
        pu_file_read(spec[0] == '@' ? spec + 1 : "-", CLI_DATA_MAX, out, NULL, err, sizeof err);
    if (rc == PU_FILE_ETOOBIG) {
        return cli_usage(ctx->command, "--data is larger than %d bytes", CLI_DATA_MAX);
    }
    return rc == 0 ? 0 : cli_fail(rc == PU_FILE_EOPEN ? CLI_EXIT_USAGE : CLI_EXIT_API, "%s", err);
}
