/* product device list|add|remove. */
#include <stdlib.h>
#include <string.h>

#include "particle/devices.h"
#include "pu_file.h"

#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "prompt.h"
#include "pu_parse.h"
#include "value_json.h"

enum { OPT_NAME = 6000, OPT_GROUPS, OPT_PER_PAGE, OPT_YES, OPT_FILE };

typedef struct product_opts {
    const char *name;
    const char *groups;
    int64_t per_page;
    bool yes;
    const char *file; /* add --file: a list file for the multipart import, "-" = stdin */
} product_opts;

static const struct option list_options[] = {
    {"name", required_argument, NULL, OPT_NAME},
    {"groups", required_argument, NULL, OPT_GROUPS},
    {"per-page", required_argument, NULL, OPT_PER_PAGE},
    {NULL, 0, NULL, 0},
};

static const struct option add_options[] = {
    {"file", required_argument, NULL, OPT_FILE},
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
        if (pu_parse_int64(arg, 1, 1000, &o->per_page) != 0) {
            return cli_usage(ctx->command, "bad --per-page '%s' (1 to 1000)", arg);
        }
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    case OPT_FILE:
        o->file = arg;
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

/* ---- product device add ---- */

#define ID_FILE_MAX (1024 * 1024)

/* Reads --file (at most ID_FILE_MAX bytes) into *text and its length into *len. Returns 0
 * or an exit status. */
static int read_id_file(cli_ctx *ctx, const char *path, char **text, size_t *len)
{
    char err[512];
    int rc = pu_file_read(path, ID_FILE_MAX, text, len, err, sizeof err);
    if (rc == PU_FILE_ETOOBIG) {
        return cli_usage(ctx->command, "--file is larger than %d bytes", ID_FILE_MAX);
    }
    return rc == 0 ? 0 : cli_fail(CLI_EXIT_API, "%s", err);
}

/* The identifiers a list file holds: its lines that are not blank. */
static size_t count_id_lines(const char *text)
{
    size_t count = 0;
    bool blank = true;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n') {
            count += blank ? 0 : 1;
            blank = true;
        } else if (*p != ' ' && *p != '\t' && *p != '\r') {
            blank = false;
        }
    }
    return count + (blank ? 0 : 1);
}

/* Imports the ids of @p argc arguments from @p argv (JSON {id} or {ids}), or --file as the
 * API's multipart list-file import. *asked gets the number of identifiers sent. */
static int import_devices(cli_ctx *ctx, particle_client **client, const product_opts *o,
                          const char *product, int argc, char **argv, particle_doc **doc,
                          size_t *asked)
{
    int status;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '\0') {
            return cli_usage(ctx->command, "empty device id");
        }
    }
    if (o->file != NULL && argc > 0) {
        return cli_usage(ctx->command, "give DEVICE arguments or --file, not both");
    }
    if (o->file == NULL && argc == 0) {
        return cli_usage(ctx->command, "missing argument: DEVICE (or --file F)");
    }
    if (o->file == NULL) {
        if ((status = cli_client(ctx, client, true)) != 0) {
            return status;
        }
        *asked = (size_t)argc;
        int rc = particle_product_devices_add(doc, *client, product, (const char *const *)argv,
                                              (size_t)argc, NULL);
        return rc != 0 ? cli_report(rc, NULL) : 0;
    }
    char *text = NULL;
    size_t len = 0;
    if ((status = read_id_file(ctx, o->file, &text, &len)) != 0) {
        return status;
    }
    *asked = count_id_lines(text);
    if (*asked == 0) {
        free(text);
        return cli_usage(ctx->command, "no device ids in %s", o->file);
    }
    if ((status = cli_client(ctx, client, true)) != 0) {
        free(text);
        return status;
    }
    const char *slash = strrchr(o->file, '/');
    const char *filename = strcmp(o->file, "-") == 0 ? NULL : slash != NULL ? slash + 1 : o->file;
    int rc = particle_product_devices_import_file(doc, *client, product, text, len, filename, NULL);
    free(text);
    return rc != 0 ? cli_report(rc, NULL) : 0;
}

enum { A_PRODUCT, A_UPDATED, A_UPDATED_IDS, A_EXISTING, A_NONMEMBER, A_INVALID, A_PROTECTED, A_N };
static const char *const add_fields[A_N] = {"product",
                                            "updated",
                                            "updatedDeviceIds",
                                            "existingDeviceIds",
                                            "nonmemberDeviceIds",
                                            "invalidDeviceIds",
                                            "protectedDeviceIds"};

/* After the record: one stderr line when the API refused some devices (exit 1), since a
 * script must not take a partial import for success. */
static int report_refused(const char *product, const particle_value *root, size_t asked)
{
    size_t invalid = particle_value_count(particle_value_get(root, "invalidDeviceIds"));
    size_t nonmember = particle_value_count(particle_value_get(root, "nonmemberDeviceIds"));
    size_t protect = particle_value_count(particle_value_get(root, "protectedDeviceIds"));
    size_t refused = invalid + nonmember + protect;
    if (refused == 0) {
        return CLI_EXIT_OK;
    }
    char detail[160] = "";
    size_t len = 0;
    const struct {
        size_t n;
        const char *what;
    } parts[] = {{invalid, "invalid"},
                 {nonmember, "owned outside the product team"},
                 {protect, "protected"}};
    for (size_t i = 0; i < CLI_COUNT(parts); i++) {
        if (parts[i].n > 0 && len < sizeof(detail)) {
            int w = snprintf(detail + len, sizeof(detail) - len, "%s%zu %s", len ? ", " : "",
                             parts[i].n, parts[i].what);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    return cli_fail(CLI_EXIT_API, "%zu of %zu device%s not added to %s: %s", refused, asked,
                    asked == 1 ? "" : "s", product, detail);
}

int cli_cmd_product_device_add(cli_ctx *ctx, int argc, char **argv)
{
    product_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("product device add"), argc, argv,
                                   add_options, product_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (argc - pos < 1 || argv[pos][0] == '\0') {
        return cli_usage(ctx->command, "missing argument: PRODUCT");
    }
    const char *product = argv[pos];
    size_t asked = 0;
    if ((status = import_devices(ctx, &client, &o, product, argc - pos - 1, argv + pos + 1, &doc,
                                 &asked)) != 0) {
        return status;
    }
    const particle_value *root = particle_doc_root(doc);
    cli_output *out = cli_output_or_fail(add_fields, A_N);
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    const particle_value *updated = particle_value_get(root, "updated");
    if (cli_output_add_row(out) || cli_output_set_str(out, A_PRODUCT, product) ||
        cli_output_set_value(out, A_UPDATED, updated) ||
        cli_output_set_value(out, A_UPDATED_IDS, particle_value_get(root, "updatedDeviceIds")) ||
        cli_output_set_value(out, A_EXISTING, particle_value_get(root, "existingDeviceIds")) ||
        cli_output_set_value(out, A_NONMEMBER, particle_value_get(root, "nonmemberDeviceIds")) ||
        cli_output_set_value(out, A_INVALID, particle_value_get(root, "invalidDeviceIds")) ||
        cli_output_set_value(out, A_PROTECTED, particle_value_get(root, "protectedDeviceIds"))) {
        cli_output_free(out);
        particle_doc_free(doc);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    status = cli_emit(ctx, out);
    if (status == CLI_EXIT_OK) {
        status = report_refused(product, root, asked);
    }
    particle_doc_free(doc);
    return status;
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
        char question[300];
        snprintf(question, sizeof(question), "Remove %s from product %s?", argv[pos + 1],
                 argv[pos]);
        if (!cli_prompt_yes(question)) {
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
