/* oauth-client list|create|update|delete: OAuth clients of the user or of a product
 * (particle/oauth_clients.h). */
#include <stdlib.h>
#include <string.h>

#include "particle/oauth_clients.h"

#include "cli.h"
#include "commands.h"
#include "prompt.h"
#include "value_json.h"

enum { OPT_PRODUCT = 8200, OPT_TYPE, OPT_REDIRECT_URI, OPT_SCOPE, OPT_NAME, OPT_YES };

typedef struct client_opts {
    const char *product;
    const char *type;
    const char *redirect_uri;
    const char *scope;
    const char *name;
    bool yes;
} client_opts;

static const struct option list_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {NULL, 0, NULL, 0},
};

static const struct option create_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"type", required_argument, NULL, OPT_TYPE},
    {"redirect-uri", required_argument, NULL, OPT_REDIRECT_URI},
    {"scope", required_argument, NULL, OPT_SCOPE},
    {NULL, 0, NULL, 0},
};

static const struct option update_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"name", required_argument, NULL, OPT_NAME},
    {"scope", required_argument, NULL, OPT_SCOPE},
    {NULL, 0, NULL, 0},
};

static const struct option delete_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static int client_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    client_opts *o = payload;
    if (opt == OPT_YES) {
        o->yes = true;
        return 0;
    }
    const char **slot = opt == OPT_PRODUCT        ? &o->product
                        : opt == OPT_TYPE         ? &o->type
                        : opt == OPT_REDIRECT_URI ? &o->redirect_uri
                        : opt == OPT_SCOPE        ? &o->scope
                        : opt == OPT_NAME         ? &o->name
                                                  : NULL;
    if (slot == NULL) {
        return CLI_EXIT_USAGE;
    }
    if (arg[0] == '\0') {
        return cli_usage(ctx->command, "empty value for an option");
    }
    *slot = arg;
    return 0;
}

/* Parses the options and checks that exactly @p nargs non-empty arguments follow. */
static int parse(cli_ctx *ctx, const char *command, int argc, char **argv,
                 const struct option *opts, client_opts *o, int nargs, const char *names, int *pos)
{
    int status =
        cli_parse_options(ctx, cli_find_command(command), argc, argv, opts, client_option, o, pos);
    if (status != 0) {
        return status;
    }
    if (argc - *pos > nargs) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[*pos + nargs]);
    }
    for (int i = 0; i < nargs; i++) {
        if (*pos + i >= argc || argv[*pos + i][0] == '\0') {
            return cli_usage(ctx->command, "missing argument: %s", names);
        }
    }
    return 0;
}

/* The fields of a client, named as the API names them; "secret" only in a create answer. */
/* K_PUBLIC_N: the fields without the secret (listings, updates); K_N: all of them. */
enum { K_ID, K_NAME, K_TYPE, K_REDIRECT_URI, K_SCOPE, K_PUBLIC_N, K_N = K_PUBLIC_N + 1 };
static const char *const client_fields[K_N] = {"id",           "name",  "type",
                                               "redirect_uri", "scope", "secret"};

static int add_client(cli_output *out, const particle_value *c, size_t nfields)
{
    if (cli_output_add_row(out)) {
        return -1;
    }
    for (size_t i = 0; i < nfields; i++) {
        if (cli_output_set_value(out, i, particle_value_get(c, client_fields[i]))) {
            return -1;
        }
    }
    return 0;
}

int cli_cmd_oauth_client_list(cli_ctx *ctx, int argc, char **argv)
{
    client_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = parse(ctx, "oauth-client list", argc, argv, list_options, &o, 0, "", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_oauth_client_list(&doc, client, o.product);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    /* a listing never holds secrets: no secret column */
    cli_output *out = cli_output_or_fail(client_fields, K_PUBLIC_N);
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    status = cli_output_set_empty_text(out, "No OAuth clients found.") ? CLI_EXIT_API : 0;
    const particle_value *clients = particle_value_get(particle_doc_root(doc), "clients");
    for (size_t i = 0; status == 0 && i < particle_value_count(clients); i++) {
        if (add_client(out, particle_value_at(clients, i), K_PUBLIC_N)) {
            status = cli_fail(CLI_EXIT_API, "out of memory");
        }
    }
    particle_doc_free(doc);
    if (status != 0) {
        cli_output_free(out);
        return status;
    }
    return cli_emit(ctx, out);
}

/* Renders one client answer (@p nfields fields) as a single record and frees @p doc. */
static int emit_client(cli_ctx *ctx, particle_doc *doc, size_t nfields)
{
    cli_output *out = cli_output_or_fail(client_fields, nfields);
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    int failed = add_client(out, particle_doc_root(doc), nfields);
    particle_doc_free(doc); /* wipes a new client's secret */
    if (failed) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_cmd_oauth_client_create(cli_ctx *ctx, int argc, char **argv)
{
    client_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = parse(ctx, "oauth-client create", argc, argv, create_options, &o, 1, "NAME", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (o.type == NULL) {
        return cli_usage(ctx->command, "missing option: --type installed|web");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_oauth_client_options co = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    co.name = argv[pos];
    co.type = o.type;
    co.redirect_uri = o.redirect_uri;
    co.scope = o.scope;
    int rc = particle_oauth_client_create(&doc, client, o.product, &co);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    /* the one place the secret is printed: the API shows it in this answer only */
    return emit_client(ctx, doc, K_N);
}

int cli_cmd_oauth_client_update(cli_ctx *ctx, int argc, char **argv)
{
    client_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status =
        parse(ctx, "oauth-client update", argc, argv, update_options, &o, 1, "CLIENT_ID", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (o.name == NULL && o.scope == NULL) {
        return cli_usage(ctx->command, "nothing to change: give --name or --scope");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_oauth_client_options uo = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    uo.name = o.name;
    uo.scope = o.scope;
    int rc = particle_oauth_client_update(&doc, client, o.product, argv[pos], &uo);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    return emit_client(ctx, doc, K_PUBLIC_N);
}

int cli_cmd_oauth_client_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"id", "product", "deleted"};
    client_opts o = {0};
    particle_client *client;
    int pos;
    int status =
        parse(ctx, "oauth-client delete", argc, argv, delete_options, &o, 1, "CLIENT_ID", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (!o.yes) {
        if (!cli_prompt_interactive()) {
            return cli_usage(ctx->command,
                             "deleting an OAuth client needs --yes when not on a terminal");
        }
        char question[300];
        snprintf(question, sizeof(question),
                 "Delete OAuth client %s? Whatever uses its secret stops working.", argv[pos]);
        if (!cli_prompt_yes(question)) {
            return cli_fail(CLI_EXIT_USAGE, "not deleted");
        }
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_oauth_client_delete(client, o.product, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_str(out, 1, o.product) || cli_output_set_bool(out, 2, true)) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Deleted OAuth client %s.", argv[pos]);
}
