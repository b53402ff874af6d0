/* product list|get: the products the user (or an organization) has, and one product. */
#include "particle/products.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"

enum { OPT_ORG = 7200 };

static const struct option list_options[] = {
    {"org", required_argument, NULL, OPT_ORG},
    {NULL, 0, NULL, 0},
};

static int product_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    (void)ctx;
    if (opt != OPT_ORG) {
        return CLI_EXIT_USAGE;
    }
    *(const char **)payload = arg;
    return 0;
}

/* The fields of a product object (cloud-api.md §9.1) in output order; `organization` is the
 * organization's id (an organization's listing names it in `organization_id`). */
static const char *const list_fields[] = {"id", "slug", "name", "platform_id", "description"};
static const char *const get_fields[] = {
    "id",          "slug",         "name",
    "platform_id", "description",  "organization",
    "groups",      "device_count", "requires_activation_codes"};

int cli_cmd_product_list(cli_ctx *ctx, int argc, char **argv)
{
    const char *org = NULL;
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, list_options, product_option, &org, 0, 0, &pos);
    CLI_DONE_IF(status);
    if (org != NULL && org[0] == '\0') {
        return cli_usage(ctx->command, "empty --org");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_product_list_options o = PARTICLE_PRODUCT_LIST_OPTIONS_INIT;
    o.org = org;
    int rc = particle_product_list(&doc, client, &o);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = cli_emit_objects(ctx, list_fields, CLI_COUNT(list_fields),
                              particle_value_get(particle_doc_root(doc), "products"),
                              "No products found.");
    particle_doc_free(doc);
    return status;
}

int cli_cmd_product_get(cli_ctx *ctx, int argc, char **argv)
{
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, NULL, NULL, 1, 1, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_product_get(&doc, client, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = cli_emit_object(ctx, get_fields, CLI_COUNT(get_fields),
                             particle_value_get(particle_doc_root(doc), "product"));
    particle_doc_free(doc);
    return status;
}
