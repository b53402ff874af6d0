/* env list|set|delete|render|rollout: environment variables of a sandbox, organization,
 * product or device (particle-cli's `config env` commands, plus render and rollout). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "particle/env.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"

enum { OPT_SANDBOX = 7100, OPT_ORG, OPT_PRODUCT, OPT_DEVICE, OPT_WHEN, OPT_REVIEW };

typedef struct env_opts {
    particle_env_scope scope;
    int scopes_given;
    const char *when;
    bool review;
} env_opts;

#define SCOPE_OPTIONS                                                                              \
    {"sandbox", no_argument, NULL, OPT_SANDBOX}, {"org", required_argument, NULL, OPT_ORG},        \
        {"product", required_argument, NULL, OPT_PRODUCT},                                         \
    {                                                                                              \
        "device", required_argument, NULL, OPT_DEVICE                                              \
    }

static const struct option scope_options[] = {
    SCOPE_OPTIONS,
    {NULL, 0, NULL, 0},
};

static const struct option rollout_options[] = {
    SCOPE_OPTIONS,
    {"when", required_argument, NULL, OPT_WHEN},
    {"review", no_argument, NULL, OPT_REVIEW},
    {NULL, 0, NULL, 0},
};

static int env_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    env_opts *o = payload;
    (void)ctx;
    static const particle_env_scope_kind kinds[] = {PARTICLE_ENV_SANDBOX, PARTICLE_ENV_ORG,
                                                    PARTICLE_ENV_PRODUCT, PARTICLE_ENV_DEVICE};
    switch (opt) {
    case OPT_SANDBOX:
    case OPT_ORG:
    case OPT_PRODUCT:
    case OPT_DEVICE:
        o->scope.kind = kinds[opt - OPT_SANDBOX];
        o->scope.id = arg;
        o->scopes_given++;
        return 0;
    case OPT_WHEN:
        o->when = arg;
        return 0;
    case OPT_REVIEW:
        o->review = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* Parses the arguments, checks that one scope was given, then gets the client. */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, env_opts *o,
                 int min, int max, int *pos, particle_client **client)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, env_option, o, min, max, pos);
    if (status != 0) {
        return status;
    }
    if (o->scopes_given == 0) {
        return cli_usage(ctx->command, "give one of --sandbox, --org, --product or --device");
    }
    if (o->scopes_given > 1) {
        return cli_usage(ctx->command, "give only one of --sandbox, --org, --product, --device");
    }
    return cli_client(ctx, client, true);
}

static const char *const var_fields[] = {"name", "value", "from"};

/* One record per variable of @p set (NAME -> {value, from?}); @p from_default when the
 * entry has no `from` (own variables). Skips names in @p skip (overridden ones). */
static int add_vars(cli_output *out, const particle_value *set, const char *from_default,
                    const particle_value *skip)
{
    for (size_t i = 0; i < particle_value_count(set); i++) {
        const char *name = particle_value_key_at(set, i);
        if (skip != NULL && particle_value_get(skip, name) != NULL) {
            continue;
        }
        const particle_value *v = particle_value_at(set, i);
        const char *from = particle_value_string(particle_value_get(v, "from"));
        if (cli_output_add_row(out) != 0 || cli_output_set_str(out, 0, name) != 0 ||
            cli_output_set_str(out, 1, particle_value_string(particle_value_get(v, "value"))) !=
                0 ||
            cli_output_set_str(out, 2, from != NULL ? from : from_default) != 0) {
            return -1;
        }
    }
    return 0;
}

int cli_cmd_env_list(cli_ctx *ctx, int argc, char **argv)
{
    env_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, scope_options, &o, 0, 0, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_env_list(&doc, client, &o.scope);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *latest = particle_value_get(particle_doc_root(doc), "latest");
    const particle_value *own = particle_value_get(latest, "own");
    cli_output *out = cli_output_or_fail(var_fields, CLI_COUNT(var_fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    /* own variables first, then the inherited ones they do not override */
    int bad = cli_output_set_empty_text(out, "No environment variables.") != 0 ||
              add_vars(out, own, "Own", NULL) != 0 ||
              add_vars(out, particle_value_get(latest, "inherited"), "", own) != 0;
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

/* NAME=VALUE in one argument, or NAME VALUE in two (particle-cli's forms). */
static int split_pair(cli_ctx *ctx, int argc, char **argv, int pos, char **name, const char **value)
{
    *name = NULL;
    if (pos + 1 < argc) {
        *name = strdup(argv[pos]);
        *value = argv[pos + 1];
    } else {
        const char *eq = strchr(argv[pos], '=');
        if (eq == NULL || eq == argv[pos]) {
            return cli_usage(ctx->command, "give NAME VALUE or NAME=VALUE");
        }
        *name = strndup(argv[pos], (size_t)(eq - argv[pos]));
        *value = eq + 1;
    }
    return *name == NULL ? cli_fail(CLI_EXIT_API, "out of memory") : 0;
}

static const char *const done_fields[] = {"name", "done"};

int cli_cmd_env_set(cli_ctx *ctx, int argc, char **argv)
{
    env_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, scope_options, &o, 1, 2, &pos, &client);
    CLI_DONE_IF(status);
    char *name = NULL;
    const char *value = NULL;
    status = split_pair(ctx, argc, argv, pos, &name, &value);
    if (status != 0) {
        return status;
    }
    /* a batch of one, as particle-cli sends it */
    const particle_env_op op = {0, name, value};
    int rc = particle_env_update(NULL, client, &o.scope, &op, 1);
    char message[256];
    snprintf(message, sizeof(message),
             "Environment variable %s has been set. Start a rollout (particlectl env rollout) "
             "for devices to see it.",
             name);
    const char *values[] = {name};
    status = rc != 0 ? cli_report(rc, NULL)
                     : cli_emit_done(ctx, done_fields, CLI_COUNT(done_fields), values, message);
    free(name);
    return status;
}

int cli_cmd_env_delete(cli_ctx *ctx, int argc, char **argv)
{
    env_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, scope_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_env_delete(NULL, client, &o.scope, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, argv[pos]);
    }
    char message[256];
    snprintf(message, sizeof(message),
             "Environment variable %s has been deleted. Start a rollout (particlectl env "
             "rollout) for devices to see it.",
             argv[pos]);
    const char *values[] = {argv[pos]};
    return cli_emit_done(ctx, done_fields, CLI_COUNT(done_fields), values, message);
}

static const char *const pair_fields[] = {"name", "value"};

int cli_cmd_env_render(cli_ctx *ctx, int argc, char **argv)
{
    env_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, scope_options, &o, 0, 0, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_env_render(&doc, client, &o.scope);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *env = particle_value_get(particle_doc_root(doc), "env");
    cli_output *out = cli_output_or_fail(pair_fields, CLI_COUNT(pair_fields));
    int bad = out == NULL || cli_output_set_empty_text(out, "No environment variables.") != 0;
    for (size_t i = 0; !bad && i < particle_value_count(env); i++) {
        bad = cli_output_add_row(out) != 0 ||
              cli_output_set_str(out, 0, particle_value_key_at(env, i)) != 0 ||
              cli_output_set_str(out, 1, particle_value_string(particle_value_at(env, i))) != 0;
    }
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

static const char *const change_fields[] = {"op", "name", "before", "after"};

/* Prints the changes a rollout would make (GET {env}/rollout). */
static int emit_review(cli_ctx *ctx, particle_client *client, const particle_env_scope *scope)
{
    particle_doc *doc = NULL;
    int rc = particle_env_rollout_review(&doc, client, scope);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *changes =
        particle_value_get(particle_value_get(particle_doc_root(doc), "from_snapshot"), "changes");
    cli_output *out = cli_output_or_fail(change_fields, CLI_COUNT(change_fields));
    int bad = out == NULL || cli_output_set_empty_text(out, "Nothing to roll out.") != 0;
    for (size_t i = 0; !bad && i < particle_value_count(changes); i++) {
        const particle_value *c = particle_value_at(changes, i);
        bad = cli_output_add_row(out) != 0;
        const char *keys[] = {"op", "key", "before", "after"};
        for (size_t f = 0; !bad && f < CLI_COUNT(keys); f++) {
            const char *s = particle_value_string(particle_value_get(c, keys[f]));
            bad = s != NULL && cli_output_set_str(out, f, s) != 0;
        }
    }
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_cmd_env_rollout(cli_ctx *ctx, int argc, char **argv)
{
    env_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, rollout_options, &o, 0, 0, &pos, &client);
    CLI_DONE_IF(status);
    if (o.review) {
        return emit_review(ctx, client, &o.scope);
    }
    particle_env_rollout_when when = PARTICLE_ENV_ROLLOUT_IMMEDIATE;
    if (o.when != NULL && strcmp(o.when, "connect") == 0) {
        when = PARTICLE_ENV_ROLLOUT_CONNECT;
    } else if (o.when != NULL && strcmp(o.when, "immediate") != 0) {
        return cli_usage(ctx->command, "--when is immediate or connect");
    }
    int rc = particle_env_rollout_start(NULL, client, &o.scope, when);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    static const char *const fields[] = {"when", "started"};
    const char *values[] = {when == PARTICLE_ENV_ROLLOUT_CONNECT ? "connect" : "immediate"};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values,
                         when == PARTICLE_ENV_ROLLOUT_CONNECT
                             ? "Rollout started: devices get the variables when they next "
                               "connect."
                             : "Rollout started: online devices have the variables now, the "
                               "others get them when they next connect.");
}
