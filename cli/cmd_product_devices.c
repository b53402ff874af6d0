/* product device approve|deny|development|lock|unlock (quarantine, the development flag,
 * the firmware lock) and device lookup SERIAL. */
#include <stdio.h>
#include <string.h>

#include "particle/devices.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"
#include "resource_cmd.h"
#include "value_json.h"

enum { OPT_YES = 7300, OPT_FLASH };

typedef struct pdev_opts {
    bool yes;
    bool flash;
} pdev_opts;

static const struct option deny_options[] = {
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static const struct option lock_options[] = {
    {"flash", no_argument, NULL, OPT_FLASH},
    {NULL, 0, NULL, 0},
};

static int pdev_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    pdev_opts *o = payload;
    (void)ctx;
    (void)arg;
    switch (opt) {
    case OPT_YES:
        o->yes = true;
        return 0;
    case OPT_FLASH:
        o->flash = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* Which of the import answer's refusal lists names @p device; NULL when none does. */
static const char *refusal(const particle_value *root, const char *device)
{
    static const struct {
        const char *key, *why;
    } lists[] = {{"invalidDeviceIds", "invalid"},
                 {"nonmemberDeviceIds", "owned outside the product team"},
                 {"protectedDeviceIds", "protected"}};
    for (size_t i = 0; i < CLI_COUNT(lists); i++) {
        const particle_value *l = particle_value_get(root, lists[i].key);
        for (size_t j = 0; j < particle_value_count(l); j++) {
            const char *id = particle_value_string(particle_value_at(l, j));
            if (id != NULL && strcmp(id, device) == 0) {
                return lists[i].why;
            }
        }
    }
    return NULL;
}

int cli_cmd_product_device_approve(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "device", "approved"};
    pdev_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, pdev_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    const char *product = argv[pos], *device = argv[pos + 1];
    int rc = particle_product_device_approve(&doc, client, product, device);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const char *why = refusal(particle_doc_root(doc), device);
    particle_doc_free(doc);
    if (why != NULL) {
        return cli_fail(CLI_EXIT_API, "%s was not approved into %s: %s", device, product, why);
    }
    char text[400];
    snprintf(text, sizeof(text), "Approved %s into product %s.", device, product);
    const char *values[] = {product, device};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_product_device_deny(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "device", "denied"};
    pdev_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, deny_options, pdev_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    const char *product = argv[pos], *device = argv[pos + 1];
    char text[400];
    snprintf(text, sizeof(text), "Deny %s, quarantined in product %s?", device, product);
    if ((status = cli_confirm(ctx, o.yes, "denying a device", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_product_device_deny(client, product, device);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Denied %s in product %s.", device, product);
    const char *values[] = {product, device};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

/* Prints the update answer's @p key (as the API answered it) for PRODUCT and DEVICE. */
static int emit_update(cli_ctx *ctx, particle_doc *doc, const char *product, const char *device,
                       const char *key, const char *message)
{
    const char *fields[] = {"product", "device", key};
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    int bad = cli_output_add_row(out) || cli_output_set_str(out, 0, product) ||
              cli_output_set_str(out, 1, device) ||
              cli_output_set_json(
                  out, 2, cli_json_from_value(particle_value_get(particle_doc_root(doc), key)));
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "%s", message);
}

int cli_cmd_product_device_development(cli_ctx *ctx, int argc, char **argv)
{
    pdev_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, pdev_option, &o, 3, 3, &pos);
    CLI_DONE_IF(status);
    const char *product = argv[pos], *device = argv[pos + 1], *value = argv[pos + 2];
    bool on = strcmp(value, "on") == 0;
    if (!on && strcmp(value, "off") != 0) {
        return cli_usage(ctx->command, "expected on or off, not '%s'", value);
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_product_device_set_development(&doc, client, product, device, on);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char text[400];
    snprintf(text, sizeof(text), "%s is %s a development device of product %s.", device,
             on ? "now" : "no longer", product);
    return emit_update(ctx, doc, product, device, "development", text);
}

int cli_cmd_product_device_lock(cli_ctx *ctx, int argc, char **argv)
{
    pdev_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int64_t version;
    int status = cli_resource_parse(ctx, argc, argv, lock_options, pdev_option, &o, 3, 3, &pos);
    CLI_DONE_IF(status);
    const char *product = argv[pos], *device = argv[pos + 1];
    if (pu_parse_int64(argv[pos + 2], 1, 2147483647, &version) != 0) {
        return cli_usage(ctx->command, "bad firmware version '%s' (1 or more)", argv[pos + 2]);
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_product_device_lock_firmware(&doc, client, product, device, (long)version,
                                                   o.flash);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char text[400];
    snprintf(text, sizeof(text), "Locked %s to firmware version %lld of product %s%s.", device,
             (long long)version, product, o.flash ? " (flashing now)" : "");
    return emit_update(ctx, doc, product, device, "desired_firmware_version", text);
}

int cli_cmd_product_device_unlock(cli_ctx *ctx, int argc, char **argv)
{
    pdev_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, pdev_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    const char *product = argv[pos], *device = argv[pos + 1];
    int rc = particle_product_device_unlock_firmware(&doc, client, product, device);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char text[400];
    snprintf(text, sizeof(text), "Unlocked the firmware of %s in product %s.", device, product);
    return emit_update(ctx, doc, product, device, "desired_firmware_version", text);
}

int cli_cmd_device_lookup(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"serial_number", "device_id", "iccid"};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, NULL, NULL, 1, 1, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_serial_number_lookup(&doc, client, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *root = particle_doc_root(doc);
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    /* the documented deviceID; particle-api-js's types say device_id (UNVERIFIED) */
    const particle_value *id = particle_value_get(root, "deviceID");
    int bad =
        cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_value(out, 1, id != NULL ? id : particle_value_get(root, "device_id")) ||
        cli_output_set_value(out, 2, particle_value_get(root, "iccid"));
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}
