/* product firmware list|get|upload|release|download: a product's firmware versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "particle/firmware.h"
#include "pu_parse.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"
#include "transfer_ui.h"

enum {
    OPT_VERSION = 9400,
    OPT_TITLE,
    OPT_DESCRIPTION,
    OPT_MANDATORY,
    OPT_GROUPS,
    OPT_PRODUCT_DEFAULT,
    OPT_INTELLIGENT,
    OPT_SAVE_TO
};

typedef struct product_firmware_opts {
    const char *version;
    const char *title;
    const char *description;
    bool mandatory;
    const char *groups;
    bool product_default;
    bool intelligent;
    const char *save_to;
} product_firmware_opts;

static const struct option upload_options[] = {
    {"version", required_argument, NULL, OPT_VERSION},
    {"title", required_argument, NULL, OPT_TITLE},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {"mandatory", no_argument, NULL, OPT_MANDATORY},
    {NULL, 0, NULL, 0},
};

static const struct option release_options[] = {
    {"groups", required_argument, NULL, OPT_GROUPS},
    {"product-default", no_argument, NULL, OPT_PRODUCT_DEFAULT},
    {"intelligent", no_argument, NULL, OPT_INTELLIGENT},
    {NULL, 0, NULL, 0},
};

static const struct option download_options[] = {
    {"saveTo", required_argument, NULL, OPT_SAVE_TO},
    {NULL, 0, NULL, 0},
};

static int product_firmware_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    product_firmware_opts *o = payload;
    (void)ctx;
    switch (opt) {
    case OPT_VERSION:
        o->version = arg;
        return 0;
    case OPT_TITLE:
        o->title = arg;
        return 0;
    case OPT_DESCRIPTION:
        o->description = arg;
        return 0;
    case OPT_MANDATORY:
        o->mandatory = true;
        return 0;
    case OPT_GROUPS:
        o->groups = arg;
        return 0;
    case OPT_PRODUCT_DEFAULT:
        o->product_default = true;
        return 0;
    case OPT_INTELLIGENT:
        o->intelligent = true;
        return 0;
    case OPT_SAVE_TO:
        o->save_to = arg;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* The fields of a firmware object (cloud-api.md §9.6), in output order. */
static const char *const firmware_fields[] = {
    "version",   "title",       "description", "name",   "size",        "product_default",
    "mandatory", "uploaded_on", "uploaded_by", "groups", "device_count"};

/* A firmware version argument (a positive number). Returns it, or 0 after a usage error. */
static int version_arg(const char *command, const char *text)
{
    int64_t v = 0;
    if (pu_parse_int64(text, 1, INT32_MAX, &v) != 0) {
        cli_usage(command, "firmware version must be a positive number, not %s", text);
        return 0;
    }
    return (int)v;
}

static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts,
                 product_firmware_opts *o, int count, int *pos, particle_client **client)
{
    int status =
        cli_resource_parse(ctx, argc, argv, opts, product_firmware_option, o, count, count, pos);
    return status != 0 ? status : cli_client(ctx, client, true);
}

int cli_cmd_product_firmware_list(cli_ctx *ctx, int argc, char **argv)
{
    product_firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, NULL, &o, 1, &pos, &client);
    CLI_DONE_IF(status);
    particle_doc *doc = NULL;
    int rc = particle_product_firmware_list(&doc, client, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = cli_emit_objects(ctx, firmware_fields, CLI_COUNT(firmware_fields),
                              particle_doc_root(doc), "No firmware found.");
    particle_doc_free(doc);
    return status;
}

static int emit_firmware(cli_ctx *ctx, particle_doc *doc)
{
    int status =
        cli_emit_object(ctx, firmware_fields, CLI_COUNT(firmware_fields), particle_doc_root(doc));
    particle_doc_free(doc);
    return status;
}

int cli_cmd_product_firmware_get(cli_ctx *ctx, int argc, char **argv)
{
    product_firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, product_firmware_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    int version = version_arg("product firmware get", argv[pos + 1]);
    if (version == 0) {
        return CLI_EXIT_USAGE;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_doc *doc = NULL;
    int rc = particle_product_firmware_get(&doc, client, argv[pos], version);
    return rc != 0 ? cli_report(rc, NULL) : emit_firmware(ctx, doc);
}

int cli_cmd_product_firmware_upload(cli_ctx *ctx, int argc, char **argv)
{
    product_firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, upload_options, product_firmware_option, &o, 2,
                                    2, &pos);
    CLI_DONE_IF(status);
    if (o.version == NULL || o.title == NULL) {
        return cli_usage("product firmware upload", "--version and --title are required");
    }
    particle_firmware_upload fw = PARTICLE_FIRMWARE_UPLOAD_INIT;
    if ((fw.firmware_version = version_arg("product firmware upload", o.version)) == 0) {
        return CLI_EXIT_USAGE;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    fw.title = o.title;
    fw.description = o.description;
    fw.mandatory = o.mandatory ? PARTICLE_YES : PARTICLE_UNSET;
    fw.path = argv[pos + 1];
    cli_transfer_progress bar;
    if (cli_transfer_progress_init(&bar, ctx, "Uploading", true)) {
        fw.progress = cli_transfer_progress_cb;
        fw.progress_payload = &bar;
    }
    particle_doc *doc = NULL;
    int rc = particle_product_firmware_upload(&doc, client, argv[pos], &fw);
    cli_transfer_progress_end(&bar);
    return rc != 0 ? cli_report(rc, NULL) : emit_firmware(ctx, doc);
}

/* Splits "a,b,c" into @p names (pointers into @p text, which is changed). Returns the count,
 * or -1 for an empty name or more than @p max. */
static int split_groups(char *text, const char **names, int max)
{
    int n = 0;
    for (char *s = text;; s++) {
        char *comma = strchr(s, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        if (*s == '\0' || n == max) {
            return -1;
        }
        names[n++] = s;
        if (comma == NULL) {
            return n;
        }
        s = comma;
    }
}

int cli_cmd_product_firmware_release(cli_ctx *ctx, int argc, char **argv)
{
    product_firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, release_options, product_firmware_option, &o,
                                    2, 2, &pos);
    CLI_DONE_IF(status);
    particle_firmware_release rel = PARTICLE_FIRMWARE_RELEASE_INIT;
    if ((rel.firmware_version = version_arg("product firmware release", argv[pos + 1])) == 0) {
        return CLI_EXIT_USAGE;
    }
    if (o.groups == NULL && !o.product_default) {
        return cli_usage("product firmware release",
                         "release to whom: give --product-default, --groups or both");
    }
    const char *groups[64];
    char *group_text = NULL;
    if (o.groups != NULL) {
        if ((group_text = strdup(o.groups)) == NULL) {
            return cli_fail(CLI_EXIT_API, "out of memory");
        }
        int n = split_groups(group_text, groups, (int)CLI_COUNT(groups));
        if (n < 0) {
            free(group_text);
            return cli_usage("product firmware release",
                             "--groups takes up to 64 comma-separated names, none empty");
        }
        rel.groups = groups;
        rel.group_count = (size_t)n;
    }
    rel.product_default = o.product_default ? PARTICLE_YES : PARTICLE_UNSET;
    rel.intelligent = o.intelligent ? PARTICLE_YES : PARTICLE_UNSET;
    particle_doc *doc = NULL;
    status = cli_client(ctx, &client, true);
    if (status == 0) {
        int rc = particle_product_firmware_release(&doc, client, argv[pos], &rel);
        status = rc != 0 ? cli_report(rc, NULL) : emit_firmware(ctx, doc);
    }
    free(group_text);
    return status;
}

int cli_cmd_product_firmware_download(cli_ctx *ctx, int argc, char **argv)
{
    product_firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, download_options, product_firmware_option, &o,
                                    2, 2, &pos);
    CLI_DONE_IF(status);
    int version = version_arg("product firmware download", argv[pos + 1]);
    if (version == 0) {
        return CLI_EXIT_USAGE;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    char default_file[64];
    snprintf(default_file, sizeof(default_file), "firmware_v%d.bin", version);
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = o.save_to != NULL ? o.save_to : default_file;
    cli_transfer_progress bar;
    if (cli_transfer_progress_init(&bar, ctx, "Downloading", false)) {
        dl.progress = cli_transfer_progress_cb;
        dl.progress_payload = &bar;
    }
    particle_response *resp = NULL;
    int rc = particle_product_firmware_download(&resp, client, argv[pos], version, &dl);
    cli_transfer_progress_end(&bar);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    size_t size = particle_response_size(resp);
    particle_response_free(resp);
    return cli_emit_saved(ctx, dl.save_to, size);
}
