/* product device list|remove. */
#include <stdlib.h>
#include <string.h>

#include "particle/devices.h"

#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "parse.h"
#include "prompt.h"
#include "value_json.h"

enum { OPT_NAME = 6000, OPT_GROUPS, OPT_PER_PAGE, OPT_YES };

typedef struct product_opts {
    const char *name;
    const char *groups;
    long long per_page;
    bool yes;
} product_opts;

static const struct option list_options[] = {
    {"name", required_argument, NULL, OPT_NAME},
    {"groups", required_argument, NULL, OPT_GROUPS},
    {"per-page", required_argument, NULL, OPT_PER_PAGE},
    {NULL, 0, NULL, 0},
};

static const struct option remove_options[] = {
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static int product_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    product_opts *o = payload;
    switch (opt) {
    case OPT_NAME:
        o->name = arg;
        return 0;
    case OPT_GROUPS:
        o->groups = arg;
        return 0;
    case OPT_PER_PAGE:
        if (cli_parse_long(arg, 1, 1000, &o->per_page) != 0) {
            return cli_usage(ctx->command, "bad --per-page '%s' (1 to 1000)", arg);
        }
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

enum { P_ID, P_NAME, P_PLATFORM, P_PLATFORM_ID, P_ONLINE, P_LAST_HEARD, P_SERIAL, P_GROUPS, P_N };
static const char *const product_device_fields[P_N] = {
    "id", "name", "platform", "platform_id", "online", "last_heard", "serial_number", "groups"};

static int add_device(cli_output *out, const particle_value *dev)
{
    long long platform = particle_device_platform_id(dev);
    const char *pname = cli_platform_name((int)platform);
    return cli_output_add_row(out) || cli_output_set_str(out, P_ID, particle_device_id(dev)) ||
           cli_output_set_str(out, P_NAME, particle_device_name(dev)) ||
           (pname != NULL && cli_output_set_str(out, P_PLATFORM, pname)) ||
           (platform >= 0 && cli_output_set_int(out, P_PLATFORM_ID, platform)) ||
           cli_output_set_bool(out, P_ONLINE, particle_device_online(dev) != 0) ||
           cli_output_set_value(out, P_LAST_HEARD, particle_value_get(dev, "last_heard")) ||
           cli_output_set_str(out, P_SERIAL, particle_device_serial_number(dev)) ||
           cli_output_set_value(out, P_GROUPS, particle_device_groups(dev));
}

int cli_cmd_product_device_list(cli_ctx *ctx, int argc, char **argv)
{
    product_opts o = {0};
    particle_client *client;
    particle_device_iter *it = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("product device list"), argc, argv,
                                   list_options, product_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (argc - pos != 1 || argv[pos][0] == '\0') {
        return argc - pos < 1 ? cli_usage(ctx->command, "missing argument: PRODUCT")
                              : cli_usage(ctx->command, "unexpected argument '%s'", argv[pos + 1]);
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_device_list_options lopts = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    lopts.product = argv[pos];
    lopts.device_name = o.name;
    lopts.groups = o.groups;
    lopts.per_page = (unsigned int)o.per_page;
    int rc = particle_device_iter_new(&it, client, &lopts);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(product_device_fields, P_N);
    if (out == NULL) {
        particle_device_iter_free(it);
        return CLI_EXIT_API;
    }
    bool progress = ctx->stderr_tty && !ctx->quiet;
    size_t count = 0;
    status = cli_output_set_empty_text(out, "No devices found.") ? CLI_EXIT_API : 0;
    while (status == 0) {
        const particle_value *dev = NULL;
        rc = particle_device_iter_next(&dev, it);
        if (rc != 0) {
            if (progress) {
                fputc('\n', stderr);
            }
            status = cli_report(rc, NULL);
            break;
        }
        if (dev == NULL) {
            break;
        }
        if (add_device(out, dev)) {
            status = cli_fail(CLI_EXIT_API, "out of memory");
            break;
        }
        count++;
        if (progress && count % 25 == 0) {
            fprintf(stderr, "\rFetched %zu devices (%u pages)...", count,
                    particle_device_iter_total_pages(it));
        }
    }
    if (progress && count >= 25) {
        fputs("\r\033[K", stderr); /* erase the progress line */
    }
    particle_device_iter_free(it);
    if (status != 0) {
        cli_output_free(out);
        return status;
    }
    return cli_emit(ctx, out);
}

int cli_cmd_product_device_remove(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "device", "removed"};
    product_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("product device remove"), argc, argv,
                                   remove_options, product_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (argc - pos != 2 || argv[pos][0] == '\0' || argv[pos + 1][0] == '\0') {
        return argc - pos > 2 ? cli_usage(ctx->command, "unexpected argument '%s'", argv[pos + 2])
                              : cli_usage(ctx->command, "missing argument: PRODUCT DEVICE");
    }
    if (!o.yes) {
        if (!cli_prompt_interactive()) {
            return cli_usage(ctx->command, "removing a device needs --yes when not on a terminal");
        }
        char prompt[300];
        snprintf(prompt, sizeof(prompt), "Remove %s from product %s? [y/N] ", argv[pos + 1],
                 argv[pos]);
        char *answer = cli_prompt_line(prompt, false);
        bool ok = answer != NULL && (strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0);
        free(answer);
        if (!ok) {
            return cli_fail(CLI_EXIT_USAGE, "not removed");
        }
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = argv[pos];
    int rc = particle_device_remove(&doc, client, argv[pos + 1], 0, &ropts);
    particle_doc_free(doc);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_str(out, 1, argv[pos + 1]) || cli_output_set_bool(out, 2, true)) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Removed %s from product %s.", argv[pos + 1], argv[pos]);
}
