/* logic-function list|get|create|update|enable|disable|delete|runs|run|logs|execute: logic
 * functions in the sandbox or an organization (--org), named as particle-cli's
 * `logic-function` commands. FUNCTION JSON (--data) is the `logic_function` object. */
#include <stdio.h>
#include <stdlib.h>

#include "particle/logic.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"

enum { OPT_ORG = 7400, OPT_DATA, OPT_TODAY_STATS, OPT_YES };

typedef struct logic_opts {
    const char *org;
    const char *data;
    bool today_stats;
    bool yes;
} logic_opts;

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
    {"today-stats", no_argument, NULL, OPT_TODAY_STATS},
    OPTIONS_END,
};
static const struct option data_options[] = {
    ORG_OPTION,
    {"data", required_argument, NULL, OPT_DATA},
    OPTIONS_END,
};
static const struct option delete_options[] = {
    ORG_OPTION,
    {"yes", no_argument, NULL, OPT_YES},
    OPTIONS_END,
};

static int logic_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    (void)ctx;
    logic_opts *o = payload;
    switch (opt) {
    case OPT_ORG:
        o->org = arg;
        return 0;
    case OPT_DATA:
        o->data = arg;
        return 0;
    case OPT_TODAY_STATS:
        o->today_stats = true;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* The fields of a function, a run and a log line (particle-api-js.md, "Logic functions"). */
static const char *const function_fields[] = {"id",      "name",           "description",
                                              "enabled", "version",        "owner_id",
                                              "source",  "logic_triggers", "updated_at"};
static const char *const list_fields[] = {"id",      "name",       "enabled",
                                          "version", "updated_at", "today_stats"};
static const char *const enabled_fields[] = {"id", "name", "enabled", "version", "updated_at"};
static const char *const run_fields[] = {"id",     "logic_trigger_type", "logic_trigger_id",
                                         "status", "started_at",         "finished_at"};
static const char *const log_fields[] = {"level", "timestamp", "args"};

/* Parses the arguments, then gets the client. Returns 0 or what CLI_DONE_IF handles. */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, logic_opts *o,
                 int min, int max, int *pos, particle_client **client)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, logic_option, o, min, max, pos);
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

/* Parses, reads --data (required) and gets the client. Returns 0 or an exit status; on 0
 * *data is the text (free()). */
static int begin_with_data(cli_ctx *ctx, int argc, char **argv, logic_opts *o, int count, int *pos,
                           char **data, particle_client **client)
{
    *data = NULL;
    int status =
        cli_resource_parse(ctx, argc, argv, data_options, logic_option, o, count, count, pos);
    if (status != 0) {
        return status;
    }
    if (o->data == NULL) {
        return cli_usage(ctx->command, "give --data JSON, --data @FILE or --data -");
    }
    if ((status = cli_read_data(ctx, o->data, data)) != 0) {
        return status;
    }
    if ((status = cli_client(ctx, client, true)) != 0) {
        free(*data);
        *data = NULL;
    }
    return status;
}

int cli_cmd_logic_list(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, list_options, &o, 0, 0, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_function_list(&doc, client, o.org, o.today_stats);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_list(ctx, doc, "logic_functions", list_fields, CLI_COUNT(list_fields),
                               "No logic functions found.");
}

int cli_cmd_logic_get(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_function_get(&doc, client, o.org, argv[pos]);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "logic_function", function_fields,
                                 CLI_COUNT(function_fields));
}

int cli_cmd_logic_create(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char *data;
    int pos;
    int status = begin_with_data(ctx, argc, argv, &o, 0, &pos, &data, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_function_create(&doc, client, o.org, data);
    free(data);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "logic_function", function_fields,
                                 CLI_COUNT(function_fields));
}

int cli_cmd_logic_update(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char *data;
    int pos;
    int status = begin_with_data(ctx, argc, argv, &o, 1, &pos, &data, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_function_update(&doc, client, o.org, argv[pos], data);
    free(data);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "logic_function", function_fields,
                                 CLI_COUNT(function_fields));
}

/* enable and disable: an update of `enabled` alone. */
static int set_enabled(cli_ctx *ctx, int argc, char **argv, bool enabled)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_function_update(&doc, client, o.org, argv[pos],
                                            enabled ? "{\"enabled\":true}" : "{\"enabled\":false}");
    return rc != 0
               ? cli_report(rc, NULL)
               : emit_member(ctx, doc, "logic_function", enabled_fields, CLI_COUNT(enabled_fields));
}

int cli_cmd_logic_enable(cli_ctx *ctx, int argc, char **argv)
{
    return set_enabled(ctx, argc, argv, true);
}

int cli_cmd_logic_disable(cli_ctx *ctx, int argc, char **argv)
{
    return set_enabled(ctx, argc, argv, false);
}

int cli_cmd_logic_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"id", "deleted"};
    logic_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, delete_options, logic_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    char text[300];
    snprintf(text, sizeof(text), "Delete logic function %s and its runs?", argv[pos]);
    if ((status = cli_confirm(ctx, o.yes, "deleting a logic function", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_logic_function_delete(client, o.org, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Deleted logic function %s.", argv[pos]);
    const char *values[] = {argv[pos]};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_logic_runs(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_run_list(&doc, client, o.org, argv[pos]);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_list(ctx, doc, "logic_runs", run_fields, CLI_COUNT(run_fields),
                               "No runs found.");
}

int cli_cmd_logic_run(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 2, 2, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_run_get(&doc, client, o.org, argv[pos], argv[pos + 1]);
    return rc != 0 ? cli_report(rc, NULL)
                   : emit_member(ctx, doc, "logic_run", run_fields, CLI_COUNT(run_fields));
}

int cli_cmd_logic_logs(cli_ctx *ctx, int argc, char **argv)
{
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, org_options, &o, 2, 2, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_run_logs(&doc, client, o.org, argv[pos], argv[pos + 1]);
    return rc != 0
               ? cli_report(rc, NULL)
               : emit_list(ctx, doc, "logs", log_fields, CLI_COUNT(log_fields), "No log lines.");
}

int cli_cmd_logic_execute(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"result"};
    logic_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char *data;
    int pos;
    int status = begin_with_data(ctx, argc, argv, &o, 0, &pos, &data, &client);
    CLI_DONE_IF(status);
    int rc = particle_logic_execute(&doc, client, o.org, data);
    free(data);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = cli_emit_object(ctx, fields, CLI_COUNT(fields), particle_doc_root(doc));
    particle_doc_free(doc);
    return status;
}
