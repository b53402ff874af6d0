/* claim-code: a claim code for the user, or for a product's customer
 * (particle_claim_code_create in particle/customers.h). */
#include <stdlib.h>
#include <string.h>

#include "particle/customers.h"

#include "cli.h"
#include "commands.h"
#include "secrets.h"
#include "value_json.h"

enum {
    OPT_PRODUCT = 8100,
    OPT_ICCID,
    OPT_IMEI,
    OPT_CUSTOMER,
    OPT_CLIENT_ID,
    OPT_CLIENT_SECRET_FILE
};

typedef struct claim_opts {
    const char *product;
    const char *iccid;
    const char *imei;
    const char *customer;
    const char *client_id;
    const char *client_secret_file;
} claim_opts;

static const struct option claim_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"iccid", required_argument, NULL, OPT_ICCID},
    {"imei", required_argument, NULL, OPT_IMEI},
    {"customer", required_argument, NULL, OPT_CUSTOMER},
    {"client-id", required_argument, NULL, OPT_CLIENT_ID},
    {"client-secret-file", required_argument, NULL, OPT_CLIENT_SECRET_FILE},
    {NULL, 0, NULL, 0},
};

static int claim_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    claim_opts *o = payload;
    const char **slot = NULL;
    switch (opt) {
    case OPT_PRODUCT:
        slot = &o->product;
        break;
    case OPT_ICCID:
        slot = &o->iccid;
        break;
    case OPT_IMEI:
        slot = &o->imei;
        break;
    case OPT_CUSTOMER:
        slot = &o->customer;
        break;
    case OPT_CLIENT_ID:
        slot = &o->client_id;
        break;
    case OPT_CLIENT_SECRET_FILE:
        slot = &o->client_secret_file;
        break;
    default:
        return CLI_EXIT_USAGE;
    }
    if (arg[0] == '\0') {
        return cli_usage(ctx->command, "empty value for an option");
    }
    *slot = arg;
    return 0;
}

/* With --customer: logs the client in as that customer of the product (client_credentials,
 * scope=customer=EMAIL); the claim code is then the customer's. Returns 0 or an exit
 * status. */
static int become_customer(cli_ctx *ctx, const claim_opts *o, particle_client *client)
{
    cli_oauth_creds creds;
    bool given;
    int status = cli_oauth_creds_read(ctx, o->client_id, o->client_secret_file, &creds, &given);
    if (status != 0) {
        return status;
    }
    if (!given) {
        return cli_usage(ctx->command, "--customer needs the product's OAuth client: "
                                       "--client-id or PARTICLE_CLIENT_ID, and its secret");
    }
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    int rc = particle_customer_token(NULL, client, creds.id, creds.secret, o->customer, &lo);
    cli_oauth_creds_dispose(&creds);
    return rc != 0 ? cli_report(rc, "customer token") : 0;
}

int cli_cmd_claim_code(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"claim_code", "device_ids"};
    claim_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("claim-code"), argc, argv, claim_options,
                                   claim_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (pos < argc) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[pos]);
    }
    if (o.customer != NULL && o.product == NULL) {
        return cli_usage(ctx->command, "--customer needs --product");
    }
    if (o.customer == NULL && (o.client_id != NULL || o.client_secret_file != NULL)) {
        return cli_usage(ctx->command, "--client-id and --client-secret-file go with --customer");
    }
    if ((status = cli_client(ctx, &client, o.customer == NULL)) != 0 ||
        (o.customer != NULL && (status = become_customer(ctx, &o, client)) != 0)) {
        return status;
    }
    particle_claim_code_options co = PARTICLE_CLAIM_CODE_OPTIONS_INIT;
    co.product = o.product;
    co.iccid = o.iccid;
    co.imei = o.imei;
    int rc = particle_claim_code_create(&doc, client, &co);
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
    cli_output_set_plain(out, 0); /* the table format prints the bare code */
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, particle_claim_code_text(root)) ||
        cli_output_set_value(out, 1, particle_value_get(root, "device_ids"))) {
        cli_output_free(out);
        particle_doc_free(doc);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    particle_doc_free(doc);
    return cli_emit(ctx, out);
}
