/* flash, compile and binary download: putting firmware on a device, building it in the
 * cloud, and fetching compiled binaries. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "particle/firmware.h"
#include "pu_parse.h"

#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "resource_cmd.h"
#include "transfer_ui.h"

enum { OPT_PRODUCT = 9300, OPT_TARGET, OPT_SAVE_TO };

typedef struct firmware_opts {
    const char *product;
    const char *target;
    const char *save_to;
} firmware_opts;

static const struct option flash_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"target", required_argument, NULL, OPT_TARGET},
    {NULL, 0, NULL, 0},
};

static const struct option compile_options[] = {
    {"saveTo", required_argument, NULL, OPT_SAVE_TO},
    {"target", required_argument, NULL, OPT_TARGET},
    {NULL, 0, NULL, 0},
};

static const struct option download_options[] = {
    {"saveTo", required_argument, NULL, OPT_SAVE_TO},
    {NULL, 0, NULL, 0},
};

static int firmware_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    firmware_opts *o = payload;
    (void)ctx;
    switch (opt) {
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    case OPT_TARGET:
        o->target = arg;
        return 0;
    case OPT_SAVE_TO:
        o->save_to = arg;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* What `flash DEVICE ARG...` means: a released product firmware version (one number that is
 * not a file, with --product), one .bin binary, or source files. Returns 0 or a usage
 * status. */
static int flash_what(particle_flash_options *f, const firmware_opts *o, int count, char **args)
{
    int64_t version = 0;
    if (count == 1 && !is_file(args[0]) && pu_parse_int64(args[0], 1, INT32_MAX, &version) == 0) {
        if (o->product == NULL) {
            return cli_usage("flash", "flashing product firmware version %s needs --product",
                             args[0]);
        }
        f->firmware_version = (int)version;
        return 0;
    }
    for (int i = 0; i < count; i++) {
        if (!is_file(args[i])) {
            return cli_usage("flash", "%s is neither a file nor a firmware version", args[i]);
        }
    }
    if (count == 1 && ends_with(args[0], ".bin")) {
        f->binary_path = args[0];
    } else {
        f->source_paths = (const char *const *)args;
        f->source_count = (size_t)count;
    }
    return 0;
}

int cli_cmd_flash(cli_ctx *ctx, int argc, char **argv)
{
    firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, flash_options, firmware_option, &o, 2, 64, &pos);
    CLI_DONE_IF(status);
    particle_flash_options f = PARTICLE_FLASH_OPTIONS_INIT;
    f.product = o.product;
    f.target_version = o.target;
    if ((status = flash_what(&f, &o, argc - pos - 1, argv + pos + 1)) != 0) {
        return status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    cli_transfer_progress bar;
    if (f.firmware_version == 0 && cli_transfer_progress_init(&bar, ctx, "Uploading", true)) {
        f.progress = cli_transfer_progress_cb;
        f.progress_payload = &bar;
    }
    particle_doc *doc = NULL;
    int rc = particle_device_flash(&doc, client, argv[pos], &f);
    if (f.progress != NULL) {
        cli_transfer_progress_end(&bar);
    }
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    particle_doc_free(doc);
    static const char *const fields[] = {"device", "flash_started"};
    const char *values[] = {argv[pos]};
    char message[256];
    snprintf(message, sizeof(message), "Flashing %s started.", argv[pos]);
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, message);
}

/* A platform name ("argon", any case) or id ("12"); -1 when it is neither. */
static int platform_arg(const char *arg)
{
    int64_t id = -1;
    if (pu_parse_int64(arg, 0, 1000000, &id) == 0) {
        return (int)id;
    }
    return cli_platform_id(arg);
}

/* Downloads binary @p binary_id to @p file with a bar on a terminal. Returns 0 or an exit
 * status after a message; *size gets the byte count. */
static int download_binary(cli_ctx *ctx, particle_client *client, const char *binary_id,
                           const char *file, size_t *size)
{
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = file;
    cli_transfer_progress bar;
    if (cli_transfer_progress_init(&bar, ctx, "Downloading", false)) {
        dl.progress = cli_transfer_progress_cb;
        dl.progress_payload = &bar;
    }
    particle_response *resp = NULL;
    int rc = particle_binary_download(&resp, client, binary_id, &dl);
    cli_transfer_progress_end(&bar);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    *size = particle_response_size(resp);
    particle_response_free(resp);
    return 0;
}

int cli_cmd_compile(cli_ctx *ctx, int argc, char **argv)
{
    firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, compile_options, firmware_option, &o, 2, 64, &pos);
    CLI_DONE_IF(status);
    int platform = platform_arg(argv[pos]);
    if (platform < 0) {
        return cli_usage("compile", "unknown platform %s (a name such as argon, or an id)",
                         argv[pos]);
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_doc *doc = NULL;
    int rc = particle_compile_code(&doc, client, platform, (const char *const *)argv + pos + 1,
                                   (size_t)(argc - pos - 1), o.target);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char default_file[128];
    const char *name = cli_platform_name(platform);
    /* particle-cli's default name: <platform>_firmware_<milliseconds>.bin */
    snprintf(default_file, sizeof(default_file), "%s_firmware_%lld.bin",
             name != NULL ? name : argv[pos], (long long)time(NULL) * 1000);
    const char *file = o.save_to != NULL ? o.save_to : default_file;
    size_t size = 0;
    status = download_binary(ctx, client, particle_compile_binary_id(particle_doc_root(doc)), file,
                             &size);
    particle_doc_free(doc);
    return status != 0 ? status : cli_emit_saved(ctx, file, size);
}

int cli_cmd_binary_download(cli_ctx *ctx, int argc, char **argv)
{
    firmware_opts o = {0};
    particle_client *client;
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, download_options, firmware_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    char default_file[256];
    snprintf(default_file, sizeof(default_file), "%s.bin", argv[pos]);
    const char *file = o.save_to != NULL ? o.save_to : default_file;
    size_t size = 0;
    status = download_binary(ctx, client, argv[pos], file, &size);
    return status != 0 ? status : cli_emit_saved(ctx, file, size);
}
