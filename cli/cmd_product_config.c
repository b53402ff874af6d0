/* product config get|set: a product's configuration, or one product device's (particle/
 * products.h). The configuration is an object of sections; it prints as one record whose
 * fields are its sections, so --json gives the configuration itself. */
#include <stdlib.h>

#include "particle/products.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"

enum { OPT_DATA = 7300 };

static const struct option set_options[] = {
    {"data", required_argument, NULL, OPT_DATA},
    {NULL, 0, NULL, 0},
};

static int config_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    (void)ctx;
    if (opt != OPT_DATA) {
        return CLI_EXIT_USAGE;
    }
    *(const char **)payload = arg;
    return 0;
}

/* Prints the `configuration` object of @p doc: one record, a field per section. */
static int emit_configuration(cli_ctx *ctx, const particle_doc *doc)
{
    const particle_value *config = particle_value_get(particle_doc_root(doc), "configuration");
    size_t n = particle_value_count(config);
    if (particle_value_type_of(config) != PARTICLE_VALUE_OBJECT) {
        return cli_fail(CLI_EXIT_API, "the answer has no configuration object");
    }
    const char **fields = calloc(n > 0 ? n : 1, sizeof(*fields));
    if (fields == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        fields[i] = particle_value_key_at(config, i);
    }
    int status = cli_emit_object(ctx, fields, n, config);
    free(fields);
    return status;
}

int cli_cmd_product_config_get(cli_ctx *ctx, int argc, char **argv)
{
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, NULL, NULL, 1, 2, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    const char *device = pos + 1 < argc ? argv[pos + 1] : NULL;
    int rc = particle_product_config_get(&doc, client, argv[pos], device);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = emit_configuration(ctx, doc);
    particle_doc_free(doc);
    return status;
}

int cli_cmd_product_config_set(cli_ctx *ctx, int argc, char **argv)
{
    const char *data = NULL;
    particle_client *client;
    particle_doc *doc = NULL;
    char *text = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, set_options, config_option, &data, 1, 2, &pos);
    CLI_DONE_IF(status);
    if (data == NULL) {
        return cli_usage(ctx->command, "missing --data JSON (or @FILE, or - for standard input)");
    }
    if ((status = cli_read_data(ctx, data, &text)) != 0) {
        return status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        free(text);
        return status;
    }
    const char *device = pos + 1 < argc ? argv[pos + 1] : NULL;
    int rc = particle_product_config_set(&doc, client, argv[pos], device, text);
    free(text);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = emit_configuration(ctx, doc);
    particle_doc_free(doc);
    return status;
}
