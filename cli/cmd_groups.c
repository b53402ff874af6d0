/* group list|get|create|update|delete|add|remove: a product's device groups. */
#include <stdio.h>

#include "particle/groups.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"

enum { OPT_NAME = 7000, OPT_DESCRIPTION, OPT_COLOR, OPT_YES };

typedef struct group_opts {
    const char *name;
    const char *description;
    const char *color;
    bool yes;
} group_opts;

static const struct option list_options[] = {
    {"name", required_argument, NULL, OPT_NAME},
    {NULL, 0, NULL, 0},
};

static const struct option create_options[] = {
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {"color", required_argument, NULL, OPT_COLOR},
    {NULL, 0, NULL, 0},
};

static const struct option update_options[] = {
    {"name", required_argument, NULL, OPT_NAME},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {"color", required_argument, NULL, OPT_COLOR},
    {NULL, 0, NULL, 0},
};

static const struct option delete_options[] = {
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static int group_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    group_opts *o = payload;
    (void)ctx;
    switch (opt) {
    case OPT_NAME:
        o->name = arg;
        return 0;
    case OPT_DESCRIPTION:
        o->description = arg;
        return 0;
    case OPT_COLOR:
        o->color = arg;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* The fields of a group object (cloud-api.md §9.5), in output order. */
static const char *const group_fields[] = {"name", "description", "color", "fw_version",
                                           "device_count"};

/* Parses the arguments, then gets the client. Returns 0 or what CLI_DONE_IF handles. */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, group_opts *o,
                 int min, int max, int *pos, particle_client **client)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, group_option, o, min, max, pos);
    return status != 0 ? status : cli_client(ctx, client, true);
}

int cli_cmd_group_list(cli_ctx *ctx, int argc, char **argv)
{
    group_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, list_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_group_list(&doc, client, argv[pos], o.name);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status =
        cli_emit_objects(ctx, group_fields, CLI_COUNT(group_fields),
                         particle_value_get(particle_doc_root(doc), "groups"), "No groups found.");
    particle_doc_free(doc);
    return status;
}

/* Prints the `group` object of an answer. */
static int emit_group(cli_ctx *ctx, particle_doc *doc)
{
    int status = cli_emit_object(ctx, group_fields, CLI_COUNT(group_fields),
                                 particle_value_get(particle_doc_root(doc), "group"));
    particle_doc_free(doc);
    return status;
}

int cli_cmd_group_get(cli_ctx *ctx, int argc, char **argv)
{
    group_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, NULL, &o, 2, 2, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_group_get(&doc, client, argv[pos], argv[pos + 1]);
    return rc != 0 ? cli_report(rc, NULL) : emit_group(ctx, doc);
}

int cli_cmd_group_create(cli_ctx *ctx, int argc, char **argv)
{
    group_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, create_options, &o, 2, 2, &pos, &client);
    CLI_DONE_IF(status);
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = argv[pos + 1];
    g.description = o.description;
    g.color = o.color;
    int rc = particle_group_create(&doc, client, argv[pos], &g);
    return rc != 0 ? cli_report(rc, NULL) : emit_group(ctx, doc);
}

int cli_cmd_group_update(cli_ctx *ctx, int argc, char **argv)
{
    group_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, update_options, group_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    if (o.name == NULL && o.description == NULL && o.color == NULL) {
        return cli_usage(ctx->command, "nothing to change: give --name, --description or --color");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = o.name;
    g.description = o.description;
    g.color = o.color;
    int rc = particle_group_update(&doc, client, argv[pos], argv[pos + 1], &g);
    return rc != 0 ? cli_report(rc, NULL) : emit_group(ctx, doc);
}

int cli_cmd_group_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"product", "group", "deleted"};
    group_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, delete_options, group_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    char text[400];
    snprintf(text, sizeof(text), "Delete group %s of product %s? Its devices stay in the product.",
             argv[pos + 1], argv[pos]);
    if ((status = cli_confirm(ctx, o.yes, "deleting a group", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_group_delete(client, argv[pos], argv[pos + 1]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Deleted group %s of product %s.", argv[pos + 1], argv[pos]);
    const char *values[] = {argv[pos], argv[pos + 1]};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

/* group add / group remove: one batch call for every DEVICE. */
static int change_members(cli_ctx *ctx, int argc, char **argv, bool add)
{
    static const char *const add_fields[] = {"product", "group", "devices", "added"};
    static const char *const remove_fields[] = {"product", "group", "devices", "removed"};
    group_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, NULL, &o, 3, argc, &pos, &client);
    CLI_DONE_IF(status);
    const char *product = argv[pos], *group = argv[pos + 1];
    const char *const *devices = (const char *const *)(argv + pos + 2);
    size_t count = (size_t)(argc - pos - 2);
    int rc = add ? particle_group_add_devices(NULL, client, product, group, devices, count)
                 : particle_group_remove_devices(NULL, client, product, group, devices, count);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    /* devices is the list given, kept as a list in the machine formats */
    cli_output *out = cli_output_or_fail(add ? add_fields : remove_fields, CLI_COUNT(add_fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    json_t *list = json_array();
    for (size_t i = 0; list != NULL && i < count; i++) {
        if (json_array_append_new(list, json_string(devices[i])) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    bool bad = list == NULL;
    if (cli_output_add_row(out) != 0) {
        json_decref(list);
        bad = true;
    } else if (cli_output_set_json(out, 2, list) != 0 || cli_output_set_str(out, 0, product) ||
               cli_output_set_str(out, 1, group) || cli_output_set_bool(out, 3, true)) {
        bad = true; /* set_json took list either way */
    }
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "%s %zu device%s %s group %s of product %s.",
                            add ? "Added" : "Removed", count, count == 1 ? "" : "s",
                            add ? "to" : "from", group, product);
}

int cli_cmd_group_add(cli_ctx *ctx, int argc, char **argv)
{
    return change_members(ctx, argc, argv, true);
}

int cli_cmd_group_remove(cli_ctx *ctx, int argc, char **argv)
{
    return change_members(ctx, argc, argv, false);
}
