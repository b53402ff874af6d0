/* customer list|get|create|password|delete: a product's customers (particle/customers.h). */
#include <stdlib.h>
#include <string.h>

#include "particle/customers.h"

#include "cli.h"
#include "commands.h"
#include "prompt.h"
#include "pu_parse.h"
#include "secrets.h"
#include "value_json.h"

enum {
    OPT_PER_PAGE = 8000,
    OPT_NO_PASSWORD,
    OPT_PASSWORD_STDIN,
    OPT_CLIENT_ID,
    OPT_CLIENT_SECRET_FILE,
    OPT_YES
};

typedef struct customer_opts {
    int64_t per_page;
    bool no_password;
    bool password_stdin;
    const char *client_id;
    const char *client_secret_file;
    bool yes;
} customer_opts;

static const struct option list_options[] = {
    {"per-page", required_argument, NULL, OPT_PER_PAGE},
    {NULL, 0, NULL, 0},
};

static const struct option create_options[] = {
    {"no-password", no_argument, NULL, OPT_NO_PASSWORD},
    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
    {"client-id", required_argument, NULL, OPT_CLIENT_ID},
    {"client-secret-file", required_argument, NULL, OPT_CLIENT_SECRET_FILE},
    {NULL, 0, NULL, 0},
};

static const struct option delete_options[] = {
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static int customer_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    customer_opts *o = payload;
    switch (opt) {
    case OPT_PER_PAGE:
        if (pu_parse_int64(arg, 1, 1000, &o->per_page) != 0) {
            return cli_usage(ctx->command, "bad --per-page '%s' (1 to 1000)", arg);
        }
        return 0;
    case OPT_NO_PASSWORD:
        o->no_password = true;
        return 0;
    case OPT_PASSWORD_STDIN:
        o->password_stdin = true;
        return 0;
    case OPT_CLIENT_ID:
        o->client_id = arg;
        return 0;
    case OPT_CLIENT_SECRET_FILE:
        o->client_secret_file = arg;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* Parses the options and checks that exactly @p nargs non-empty arguments follow, named
 * @p names in the usage error. Returns 0 with *pos set, CLI_HELP_SHOWN, or an exit status. */
static int parse(cli_ctx *ctx, const char *command, int argc, char **argv,
                 const struct option *opts, customer_opts *o, int nargs, const char *names,
                 int *pos)
{
    int status = cli_parse_options(ctx, cli_find_command(command), argc, argv, opts,
                                   customer_option, o, pos);
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

enum { C_ID, C_USERNAME, C_FULL_NAME, C_DEVICES, C_N };
static const char *const customer_fields[C_N] = {"id", "username", "full_name", "devices"};

static int add_customer(cli_output *out, const particle_value *cust)
{
    return cli_output_add_row(out) ||
           cli_output_set_value(out, C_ID, particle_value_get(cust, "id")) ||
           cli_output_set_str(out, C_USERNAME, particle_customer_username(cust)) ||
           cli_output_set_value(out, C_FULL_NAME, particle_value_get(cust, "full_name")) ||
           cli_output_set_value(out, C_DEVICES, particle_value_get(cust, "devices"));
}

int cli_cmd_customer_list(cli_ctx *ctx, int argc, char **argv)
{
    customer_opts o = {0};
    particle_client *client;
    particle_customer_iter *it = NULL;
    int pos;
    int status = parse(ctx, "customer list", argc, argv, list_options, &o, 1, "PRODUCT", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_customer_list_options lopts = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    lopts.per_page = (unsigned int)o.per_page;
    int rc = particle_customer_iter_new(&it, client, argv[pos], &lopts);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(customer_fields, C_N);
    if (out == NULL) {
        particle_customer_iter_free(it);
        return CLI_EXIT_API;
    }
    status = cli_output_set_empty_text(out, "No customers found.") ? CLI_EXIT_API : 0;
    while (status == 0) {
        const particle_value *cust = NULL;
        if ((rc = particle_customer_iter_next(&cust, it)) != 0) {
            status = cli_report(rc, NULL);
        } else if (cust == NULL) {
            break;
        } else if (add_customer(out, cust)) {
            status = cli_fail(CLI_EXIT_API, "out of memory");
        }
    }
    particle_customer_iter_free(it);
    if (status != 0) {
        cli_output_free(out);
        return status;
    }
    return cli_emit(ctx, out);
}

/* ---- customer create ---- */

/* The creation options: the client credentials when given, the password unless
 * --no-password. The strings stay owned by @p creds and *password. */
static int create_credentials(cli_ctx *ctx, const customer_opts *o, cli_oauth_creds *creds,
                              char **password, particle_customer_create_options *co)
{
    bool with_client;
    int status =
        cli_oauth_creds_read(ctx, o->client_id, o->client_secret_file, creds, &with_client);
    if (status != 0) {
        return status;
    }
    if (o->no_password && o->password_stdin) {
        return cli_usage(ctx->command, "--no-password and --password-stdin exclude each other");
    }
    if (!o->no_password &&
        (status = cli_read_secret(ctx, o->password_stdin, "Customer password",
                                  "--password-stdin or --no-password", password)) != 0) {
        return status;
    }
    co->client_id = with_client ? creds->id : NULL;
    co->client_secret = with_client ? creds->secret : NULL;
    co->password = *password;
    co->no_password = o->no_password;
    return 0;
}

int cli_cmd_customer_create(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "username", "shadow", "created"};
    customer_opts o = {0};
    cli_oauth_creds creds = {0};
    char *password = NULL;
    particle_client *client;
    int pos;
    int status =
        parse(ctx, "customer create", argc, argv, create_options, &o, 2, "PRODUCT EMAIL", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    particle_customer_create_options co = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    if ((status = create_credentials(ctx, &o, &creds, &password, &co)) != 0 ||
        /* the access token authenticates only when no client credentials were given */
        (status = cli_client(ctx, &client, co.client_id == NULL)) != 0) {
        cli_wipe_free(password);
        cli_oauth_creds_dispose(&creds);
        return status;
    }
    /* the answer is the customer's token: not printed, only wiped */
    int rc = particle_customer_create(NULL, client, argv[pos], argv[pos + 1], &co);
    cli_wipe_free(password);
    cli_oauth_creds_dispose(&creds);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_str(out, 1, argv[pos + 1]) || cli_output_set_bool(out, 2, o.no_password) ||
        cli_output_set_bool(out, 3, true)) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Created customer %s of product %s.", argv[pos + 1],
                            argv[pos]);
}

int cli_cmd_customer_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "username", "deleted"};
    customer_opts o = {0};
    particle_client *client;
    int pos;
    int status =
        parse(ctx, "customer delete", argc, argv, delete_options, &o, 2, "PRODUCT EMAIL", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (!o.yes) {
        if (!cli_prompt_interactive()) {
            return cli_usage(ctx->command,
                             "deleting a customer needs --yes when not on a terminal");
        }
        char question[300];
        snprintf(question, sizeof(question),
                 "Delete customer %s of product %s (its tokens and claim codes too)?",
                 argv[pos + 1], argv[pos]);
        if (!cli_prompt_yes(question)) {
            return cli_fail(CLI_EXIT_USAGE, "not deleted");
        }
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_customer_delete(client, argv[pos], argv[pos + 1]);
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
    return cli_emit_message(ctx, out, "Deleted customer %s of product %s.", argv[pos + 1],
                            argv[pos]);
}

/* ---- customer get, customer password ---- */

static const struct option password_options[] = {
    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
    {NULL, 0, NULL, 0},
};

int cli_cmd_customer_get(cli_ctx *ctx, int argc, char **argv)
{
    customer_opts o = {0};
    particle_client *client;
    int pos;
    int status = parse(ctx, "customer get", argc, argv, NULL, &o, 2, "PRODUCT EMAIL", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_doc *doc = NULL;
    int rc = particle_customer_get(&doc, client, argv[pos], argv[pos + 1]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(customer_fields, C_N);
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    status =
        add_customer(out, particle_doc_root(doc)) ? cli_fail(CLI_EXIT_API, "out of memory") : 0;
    particle_doc_free(doc);
    if (status != 0) {
        cli_output_free(out);
        return status;
    }
    return cli_emit(ctx, out);
}

int cli_cmd_customer_password(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "username", "password_changed"};
    customer_opts o = {0};
    particle_client *client;
    char *password = NULL;
    int pos;
    int status =
        parse(ctx, "customer password", argc, argv, password_options, &o, 2, "PRODUCT EMAIL", &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if ((status = cli_read_secret(ctx, o.password_stdin, "New customer password",
                                  "--password-stdin", &password)) != 0) {
        return status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        cli_wipe_free(password);
        return status;
    }
    int rc = particle_customer_set_password(client, argv[pos], argv[pos + 1], password);
    cli_wipe_free(password);
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
    return cli_emit_message(ctx, out, "Changed the password of customer %s of product %s.",
                            argv[pos + 1], argv[pos]);
}
