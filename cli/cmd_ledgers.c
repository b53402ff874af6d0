/* ledger list|get|create|update|archive and ledger instance list|get|set|delete|versions|
 * version: ledger definitions and instances in the sandbox or an organization (--org). */
#include <stdio.h>
#include <stdlib.h>

#include "particle/ledgers.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"
#include "resource_cmd.h"

enum {
    OPT_ORG = 7300,
    OPT_SCOPE,
    OPT_DIRECTION,
    OPT_DESCRIPTION,
    OPT_PAGE,
    OPT_PER_PAGE,
    OPT_ARCHIVED,
    OPT_DATA,
    OPT_MERGE,
    OPT_BEFORE,
    OPT_AFTER,
    OPT_YES
};

typedef struct ledger_opts {
    const char *org;
    const char *scope;
    const char *direction;
    const char *description;
    int64_t page;
    int64_t per_page;
    bool archived;
    const char *data;
    bool merge;
    const char *replaced_before;
    const char *replaced_after;
    bool yes;
} ledger_opts;

#define ORG_OPTION                                                                                 \
    {                                                                                              \
        "org", required_argument, NULL, OPT_ORG                                                    \
    }
#define OPTIONS_END                                                                                \
    {                                                                                              \
        NULL, 0, NULL, 0                                                                           \
    }

static const struct option org_options[] = {ORG_OPTION, OPTIONS_END};
static const struct option list_options[] = {
    ORG_OPTION,
    {"scope", required_argument, NULL, OPT_SCOPE},
    {"page", required_argument, NULL, OPT_PAGE},
    {"per-page", required_argument, NULL, OPT_PER_PAGE},
    {"archived", no_argument, NULL, OPT_ARCHIVED},
    OPTIONS_END,
};
static const struct option create_options[] = {
    ORG_OPTION,
    {"scope", required_argument, NULL, OPT_SCOPE},
    {"direction", required_argument, NULL, OPT_DIRECTION},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    OPTIONS_END,
};
static const struct option update_options[] = {
    ORG_OPTION,
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    OPTIONS_END,
};
static const struct option delete_options[] = {
    ORG_OPTION,
    {"yes", no_argument, NULL, OPT_YES},
    OPTIONS_END,
};
static const struct option instance_list_options[] = {
    ORG_OPTION,
    {"page", required_argument, NULL, OPT_PAGE},
    {"per-page", required_argument, NULL, OPT_PER_PAGE},
    OPTIONS_END,
};
static const struct option set_options[] = {
    ORG_OPTION,
    {"data", required_argument, NULL, OPT_DATA},
    {"merge", no_argument, NULL, OPT_MERGE},
    OPTIONS_END,
};
static const struct option versions_options[] = {
    ORG_OPTION,
    {"replaced-before", required_argument, NULL, OPT_BEFORE},
    {"replaced-after", required_argument, NULL, OPT_AFTER},
    OPTIONS_END,
};

static int ledger_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    ledger_opts *o = payload;
    switch (opt) {
    case OPT_ORG:
        o->org = arg;
        return 0;
    case OPT_SCOPE:
        o->scope = arg;
        return 0;
    case OPT_DIRECTION:
        o->direction = arg;
        return 0;
    case OPT_DESCRIPTION:
        o->description = arg;
        return 0;
    case OPT_PAGE:
    case OPT_PER_PAGE:
        if (pu_parse_int64(arg, 1, 100000, opt == OPT_PAGE ? &o->page : &o->per_page) != 0) {
            return cli_usage(ctx->command, "bad --%s '%s' (a whole number from 1)",
                             opt == OPT_PAGE ? "page" : "per-page", arg);
        }
        return 0;
    case OPT_ARCHIVED:
        o->archived = true;
        return 0;
    case OPT_DATA:
        o->data = arg;
        return 0;
    case OPT_MERGE:
        o->merge = true;
        return 0;
    case OPT_BEFORE:
        o->replaced_before = arg;
        return 0;
    case OPT_AFTER:
        o->replaced_after = arg;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* The fields of a ledger definition and of an instance (particle-api-js.md, "Ledgers"). */
static const char *const ledger_fields[] = {"name",       "scope",      "direction",  "description",
                                            "created_at", "updated_at", "archived_at"};
static const char *const instance_fields[] = {"name", "scope",      "size_bytes",
                                              "data", "created_at", "updated_at"};
static const char *const version_fields[] = {"version", "replaced_at", "size_bytes", "data",
                                             "updated_at"};

/* Parses the arguments, then gets the client. Returns 0 or what CLI_DONE_IF handles. */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, ledger_opts *o,
                 int min, int max, int *pos, particle_client **client)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, ledger_option, o, min, max, pos);
    return status != 0 ? status : cli_client(ctx, client, true);
}

/* Prints the object @p key of an answer with @p fields, and frees the answer. */
static int emit_member(cli_ctx *ctx, particle_doc *doc, const char *key, const char *const *fields,
                       size_t nfields)
{
    int status =
        cli_emit_object(ctx, fields, nfields, particle_value_get(particle_doc_root(doc), key));
    particle_doc_free(doc);
    return status;
}

/* Prints every object of the array @p key of an answer, and frees the answer. */
static int emit_list(cli_ctx *ctx, particle_doc *doc, const char *key, const char *const *fields,
                     size_t nfields, const char *empty_text)
{
    int status = cli_emit_objects(ctx, fields, nfields,
                                  particle_value_get(particle_doc_root(doc), key), empty_text);
    particle_doc_free(doc);
    return status;
}

int cli_cmd_ledger_list(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, list_options, &o, 0, 0, &pos, &client);
    CLI_DONE_IF(status);
    particle_ledger_list_options l = PARTICLE_LEDGER_LIST_OPTIONS_INIT;
    l.scope = o.scope;
    l.page = (unsigned int)o.page;
    l.per_page = (unsigned int)o.per_page;
    l.archived = o.archived;
    int rc = particle_ledger_list(&doc, client, o.org, &l);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_list(ctx, doc, "ledger_definitions", ledger_fields,
                               CLI_COUNT(ledger_fields), "No ledgers found.");
}

int cli_cmd_ledger_get(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_ledger_get(&doc, client, o.org, argv[pos]);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "ledger", ledger_fields, CLI_COUNT(ledger_fields));
}

int cli_cmd_ledger_create(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, create_options, ledger_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    if (o.scope == NULL || o.direction == NULL) {
        return cli_usage(ctx->command, "give --scope (Owner, Product or Device) and --direction "
                                       "(Downstream or Upstream)");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.name = argv[pos];
    l.scope = o.scope;
    l.direction = o.direction;
    l.description = o.description;
    int rc = particle_ledger_create(&doc, client, o.org, &l);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "ledger", ledger_fields, CLI_COUNT(ledger_fields));
}

int cli_cmd_ledger_update(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, update_options, ledger_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    if (o.description == NULL) {
        return cli_usage(ctx->command, "nothing to change: give --description");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_ledger_options l = PARTICLE_LEDGER_OPTIONS_INIT;
    l.description = o.description;
    int rc = particle_ledger_update(&doc, client, o.org, argv[pos], &l);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "ledger", ledger_fields, CLI_COUNT(ledger_fields));
}

int cli_cmd_ledger_archive(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"ledger", "archived"};
    ledger_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, delete_options, ledger_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    char text[300];
    snprintf(text, sizeof(text), "Archive ledger %s? Its instances can no longer be set.",
             argv[pos]);
    if ((status = cli_confirm(ctx, o.yes, "archiving a ledger", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_ledger_archive(client, o.org, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Archived ledger %s.", argv[pos]);
    const char *values[] = {argv[pos]};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_ledger_instance_list(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, instance_list_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_ledger_instance_list(&doc, client, o.org, argv[pos], (unsigned int)o.page,
                                           (unsigned int)o.per_page);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_list(ctx, doc, "instances", instance_fields, CLI_COUNT(instance_fields),
                               "No instances found.");
}

int cli_cmd_ledger_instance_get(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 2, 2, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_ledger_instance_get(&doc, client, o.org, argv[pos], argv[pos + 1]);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "instance", instance_fields, CLI_COUNT(instance_fields));
}

int cli_cmd_ledger_instance_set(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char *data = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, set_options, ledger_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    if (o.data == NULL) {
        return cli_usage(ctx->command, "give --data JSON, --data @FILE or --data -");
    }
    if ((status = cli_read_data(ctx, o.data, &data)) != 0) {
        return status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        free(data);
        return status;
    }
    int rc = particle_ledger_instance_set(&doc, client, o.org, argv[pos], argv[pos + 1], data,
                                          o.merge ? PARTICLE_LEDGER_SET_MERGE
                                                  : PARTICLE_LEDGER_SET_REPLACE);
    free(data);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "instance", instance_fields, CLI_COUNT(instance_fields));
}

int cli_cmd_ledger_instance_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"ledger", "scope_value", "deleted"};
    ledger_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, delete_options, ledger_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    char text[400];
    snprintf(text, sizeof(text), "Delete the instance %s of ledger %s?", argv[pos + 1], argv[pos]);
    if ((status = cli_confirm(ctx, o.yes, "deleting a ledger instance", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_ledger_instance_delete(client, o.org, argv[pos], argv[pos + 1]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Deleted the instance %s of ledger %s.", argv[pos + 1], argv[pos]);
    const char *values[] = {argv[pos], argv[pos + 1]};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_ledger_instance_versions(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, versions_options, &o, 2, 2, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_ledger_version_list(&doc, client, o.org, argv[pos], argv[pos + 1],
                                          o.replaced_before, o.replaced_after);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_list(ctx, doc, "versions", version_fields, CLI_COUNT(version_fields),
                               "No earlier versions.");
}

int cli_cmd_ledger_instance_version(cli_ctx *ctx, int argc, char **argv)
{
    ledger_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 3, 3, &pos, &client);
    CLI_DONE_IF(status);
    int rc =
        particle_ledger_version_get(&doc, client, o.org, argv[pos], argv[pos + 1], argv[pos + 2]);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "instance", version_fields, CLI_COUNT(version_fields));
}
