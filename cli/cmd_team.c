/* team list|invite|update|remove: the team of a product, or of an organization with --org. */
#include <stdio.h>

#include "particle/products.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"
#include "value_json.h"

enum { OPT_ORG = 7100, OPT_ROLE, OPT_YES };

typedef struct team_opts {
    const char *org;
    const char *role;
    bool yes;
} team_opts;

static const struct option list_options[] = {
    {"org", required_argument, NULL, OPT_ORG},
    {NULL, 0, NULL, 0},
};

static const struct option invite_options[] = {
    {"org", required_argument, NULL, OPT_ORG},
    {"role", required_argument, NULL, OPT_ROLE},
    {NULL, 0, NULL, 0},
};

static const struct option remove_options[] = {
    {"org", required_argument, NULL, OPT_ORG},
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static const struct option update_options[] = {
    {"org", required_argument, NULL, OPT_ORG},
    {"role", required_argument, NULL, OPT_ROLE},
    {NULL, 0, NULL, 0},
};

static int team_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    team_opts *o = payload;
    (void)ctx;
    switch (opt) {
    case OPT_ORG:
        o->org = arg;
        return 0;
    case OPT_ROLE:
        o->role = arg;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/*
 * Parses the arguments: PRODUCT then @p rest more positional arguments, or with --org only
 * the @p rest. *owner gets the product or the organization, *pos the first of the rest.
 * Returns 0 or what CLI_DONE_IF handles.
 */
static int parse(cli_ctx *ctx, int argc, char **argv, const struct option *opts, team_opts *o,
                 int rest, const char **owner, int *pos)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, team_option, o, rest, rest + 1, pos);
    if (status != 0) {
        return status;
    }
    int given = argc - *pos;
    if (o->org != NULL && o->org[0] == '\0') {
        return cli_usage(ctx->command, "empty --org");
    }
    if (o->org != NULL && given != rest) {
        return cli_usage(ctx->command, "give a PRODUCT or --org, not both");
    }
    if (o->org == NULL && given != rest + 1) {
        return cli_usage(ctx->command, "missing argument: PRODUCT (or --org ORG)");
    }
    *owner = o->org != NULL ? o->org : argv[(*pos)++];
    return 0;
}

/* A member's record: the role is the name of the API's role object. */
enum { T_USERNAME, T_ROLE, T_API_USER, T_SCOPES, T_N };
static const char *const team_fields[T_N] = {"username", "role", "is_programmatic", "scopes"};

static int add_member(cli_output *out, const particle_value *m)
{
    const particle_value *role = particle_value_get(m, "role");
    const particle_value *role_name = particle_value_get(role, "name");
    return cli_output_add_row(out) ||
           cli_output_set_value(out, T_USERNAME, particle_value_get(m, "username")) ||
           cli_output_set_value(out, T_ROLE, role_name != NULL ? role_name : role) ||
           cli_output_set_bool(out, T_API_USER,
                               particle_value_bool(particle_value_get(m, "is_programmatic"), 0)) ||
           cli_output_set_value(out, T_SCOPES, particle_value_get(m, "scopes"));
}

int cli_cmd_team_list(cli_ctx *ctx, int argc, char **argv)
{
    team_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    const char *owner = NULL;
    int pos;
    int status = parse(ctx, argc, argv, list_options, &o, 0, &owner, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = o.org != NULL ? particle_org_team_list(&doc, client, owner)
                           : particle_team_list(&doc, client, owner);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *team = particle_value_get(particle_doc_root(doc), "team");
    cli_output *out = cli_output_or_fail(team_fields, T_N);
    status = out == NULL ? CLI_EXIT_API : 0;
    if (status == 0 && cli_output_set_empty_text(out, "No team members found.") != 0) {
        status = cli_fail(CLI_EXIT_API, "out of memory");
    }
    for (size_t i = 0; status == 0 && i < particle_value_count(team); i++) {
        if (add_member(out, particle_value_at(team, i)) != 0) {
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

int cli_cmd_team_invite(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"team", "username", "invited"};
    team_opts o = {0};
    particle_client *client;
    const char *owner = NULL;
    int pos;
    int status = parse(ctx, argc, argv, invite_options, &o, 1, &owner, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    const char *user = argv[pos];
    int rc = o.org != NULL ? particle_org_team_invite(NULL, client, owner, user, o.role)
                           : particle_team_invite(NULL, client, owner, user, o.role);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char text[400];
    snprintf(text, sizeof(text), "Invited %s to the team of %s %s.", user,
             o.org != NULL ? "organization" : "product", owner);
    const char *values[] = {owner, user};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_team_remove(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"team", "username", "removed"};
    team_opts o = {0};
    particle_client *client;
    const char *owner = NULL;
    int pos;
    int status = parse(ctx, argc, argv, remove_options, &o, 1, &owner, &pos);
    CLI_DONE_IF(status);
    const char *user = argv[pos];
    const char *kind = o.org != NULL ? "organization" : "product";
    char text[400];
    snprintf(text, sizeof(text), "Remove %s from the team of %s %s?", user, kind, owner);
    if ((status = cli_confirm(ctx, o.yes, "removing a team member", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = o.org != NULL ? particle_org_team_remove(NULL, client, owner, user)
                           : particle_team_remove(NULL, client, owner, user);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Removed %s from the team of %s %s.", user, kind, owner);
    const char *values[] = {owner, user};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_team_update(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"team", "username", "role", "updated"};
    team_opts o = {0};
    particle_client *client;
    const char *owner = NULL;
    int pos;
    int status = parse(ctx, argc, argv, update_options, &o, 1, &owner, &pos);
    CLI_DONE_IF(status);
    if (o.role == NULL || o.role[0] == '\0') {
        return cli_usage(ctx->command, "missing --role ROLE");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    const char *user = argv[pos];
    int rc = o.org != NULL ? particle_org_team_update(NULL, client, owner, user, o.role)
                           : particle_team_update(NULL, client, owner, user, o.role);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char text[400];
    snprintf(text, sizeof(text), "%s is now %s in the team of %s %s.", user, o.role,
             o.org != NULL ? "organization" : "product", owner);
    const char *values[] = {owner, user, o.role};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}
