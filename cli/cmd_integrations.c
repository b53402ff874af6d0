/* integration list|get|create|edit|delete|test (and, through cmd_webhooks.c, the webhook
 * family): integrations of the user, a product (--product) or an organization (--org),
 * with particle-cli's arguments (src/cli/integration.js). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "particle/integrations.h"

#include "cli.h"
#include "commands.h"
#include "integration_cmd.h"
#include "resource_cmd.h"

/* particle-cli's integration types, in the spelling the API wants (`--type` ignores case). */
static const char *const hook_types[] = {"Webhook", "GoogleMaps", "GoogleCloudPubSub",
                                         "AzureIotHub"};

static int canonical_type(cli_ctx *ctx, const char *given, const char **out)
{
    *out = NULL;
    if (given == NULL) {
        return 0;
    }
    for (size_t i = 0; i < CLI_COUNT(hook_types); i++) {
        if (strcasecmp(given, hook_types[i]) == 0) {
            *out = hook_types[i];
            return 0;
        }
    }
    return cli_usage(ctx->command,
                     "unknown integration type '%s' (Webhook, GoogleMaps, GoogleCloudPubSub, "
                     "AzureIotHub)",
                     given);
}

static const char *family_noun(bool webhook, bool plural)
{
    return webhook ? (plural ? "webhooks" : "webhook") : (plural ? "integrations" : "integration");
}

/* The family's integrations in scope, into *out. Returns 0 or an exit status. */
static int family_list(cli_hook_opts *o, particle_client *client, particle_integrations **out)
{
    int rc = particle_integration_list(out, client, &o->scope);
    return rc != 0 ? cli_report(rc, NULL) : 0;
}

int cli_hook_list(cli_ctx *ctx, int argc, char **argv, bool webhook)
{
    cli_hook_opts o = {.webhook = webhook};
    particle_client *client;
    particle_integrations *list = NULL;
    int pos;
    int status = cli_hook_begin(ctx, argc, argv, cli_hook_scope_options, &o, 0, 0, &pos, &client);
    CLI_DONE_IF(status);
    if ((status = canonical_type(ctx, o.type, &o.type)) != 0 ||
        (status = family_list(&o, client, &list)) != 0) {
        return status;
    }
    cli_output *out = cli_output_or_fail(cli_hook_list_fields, cli_hook_list_field_count);
    if (out == NULL) {
        particle_integrations_free(list);
        return CLI_EXIT_API;
    }
    int bad =
        cli_output_set_empty_text(out, webhook ? "No webhooks found." : "No integrations found.");
    for (size_t i = 0; !bad && i < particle_integrations_count(list); i++) {
        const particle_integration *it = particle_integrations_at(list, i);
        if (cli_hook_in_family(&o, it)) {
            bad = cli_hook_add(out, it, false);
        }
    }
    particle_integrations_free(list);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_hook_get(cli_ctx *ctx, int argc, char **argv, bool webhook)
{
    cli_hook_opts o = {.webhook = webhook};
    particle_client *client;
    particle_integration *it = NULL;
    int pos;
    int status = cli_hook_begin(ctx, argc, argv, cli_hook_scope_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_integration_get(&it, client, &o.scope, argv[pos]);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    status = cli_hook_emit_one(ctx, it);
    particle_integration_free(it);
    return status;
}

/* A positional setting and its option, at most one of them. */
static int one_of(cli_ctx *ctx, const char *positional, const char *option, const char *what,
                  const char **out)
{
    if (positional != NULL && option != NULL) {
        return cli_usage(ctx->command, "%s given twice (argument and option)", what);
    }
    *out = positional != NULL ? positional : option;
    return 0;
}

/* True for "x.json" (any case), particle-cli's sign of a template file in the event's place. */
static bool is_json_file(const char *arg)
{
    size_t n = strlen(arg);
    return n > 5 && strcasecmp(arg + n - 5, ".json") == 0;
}

/* Prints the created or edited integration: a sentence in table format, the record
 * otherwise. */
static int emit_changed(cli_ctx *ctx, const particle_integration *it, const char *done,
                        bool webhook)
{
    cli_output *out = cli_output_or_fail(cli_hook_get_fields, cli_hook_get_field_count);
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_hook_add(out, it, true) != 0) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "%s %s %s for event %s.", done, family_noun(webhook, false),
                            it->id != NULL ? it->id : "(no id)",
                            it->event != NULL ? it->event : "?");
}

int cli_hook_create(cli_ctx *ctx, int argc, char **argv, bool webhook)
{
    cli_hook_opts o = {.webhook = webhook};
    particle_client *client;
    int pos;
    int status = cli_hook_begin(ctx, argc, argv, cli_hook_create_options, &o, 1, 4, &pos, &client);
    CLI_DONE_IF(status);
    int n = argc - pos;
    const char *event = argv[pos], *file = o.template_file;
    if (n == 1 && is_json_file(event)) {
        if (file != NULL) {
            return cli_usage(ctx->command, "two template files: %s and %s", event, file);
        }
        file = event;
        event = NULL;
    }
    particle_integration_options s = PARTICLE_INTEGRATION_OPTIONS_INIT;
    s.event = event;
    s.url = n > 1 ? argv[pos + 1] : NULL;
    s.name = o.name;
    if ((status = one_of(ctx, n > 2 ? argv[pos + 2] : NULL, o.device, "the device",
                         &s.device_id)) != 0 ||
        (status = one_of(ctx, n > 3 ? argv[pos + 3] : NULL, o.request_type, "the request type",
                         &s.request_type)) != 0 ||
        (status = canonical_type(ctx, o.type, &s.integration_type)) != 0) {
        return status;
    }
    if (webhook) {
        s.integration_type = "Webhook";
    }
    char *template_text = NULL;
    if ((status = cli_hook_template(ctx, file, &template_text)) != 0) {
        return status;
    }
    s.extra = template_text;
    particle_integration *it = NULL;
    int rc = particle_integration_create(&it, client, &o.scope, &s);
    free(template_text);
    if (rc != 0) {
        return rc == PARTICLE_EINVAL ? cli_usage(ctx->command, "%s", particle_error_last()->message)
                                     : cli_report(rc, NULL);
    }
    status = emit_changed(ctx, it, "Created", webhook);
    particle_integration_free(it);
    return status;
}

/* The settings an integration has now, as a JSON object without what only the API sets
 * (id, times, logs, counters), with @p template_text's members laid over them. */
static char *current_settings(const particle_integration *it, const char *template_text)
{
    static const char *const read_only[] = {"id",
                                            "created_at",
                                            "updated_at",
                                            "logs",
                                            "errors",
                                            "counters",
                                            "ok",
                                            "hookUrl",
                                            "errorCount",
                                            "successCount",
                                            "error_count",
                                            "success_count",
                                            "integrationUrl"};
    char *text = NULL;
    if (particle_value_to_json(&text, it->raw, 0) != 0) {
        return NULL;
    }
    json_t *base = json_loads(text, 0, NULL);
    particle_free(text);
    json_t *over = template_text != NULL ? json_loads(template_text, 0, NULL) : json_object();
    char *result = NULL;
    if (json_is_object(base) && json_is_object(over) && json_object_update(base, over) == 0) {
        for (size_t i = 0; i < CLI_COUNT(read_only); i++) {
            json_object_del(base, read_only[i]);
        }
        result = json_dumps(base, JSON_COMPACT);
    }
    json_decref(base);
    json_decref(over);
    return result;
}

int cli_hook_edit(cli_ctx *ctx, int argc, char **argv, bool webhook)
{
    cli_hook_opts o = {.webhook = webhook};
    particle_client *client;
    int pos;
    int status = cli_hook_begin(ctx, argc, argv, cli_hook_edit_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    if (o.event == NULL && o.url == NULL && o.request_type == NULL && o.device == NULL &&
        o.name == NULL && o.type == NULL && o.template_file == NULL) {
        return cli_usage(ctx->command, "nothing to change: give --event, --url, --request-type, "
                                       "--device, --name, --type or --json-template");
    }
    particle_integration_options s = PARTICLE_INTEGRATION_OPTIONS_INIT;
    char *template_text = NULL;
    if ((status = canonical_type(ctx, o.type, &s.integration_type)) != 0 ||
        (status = cli_hook_template(ctx, o.template_file, &template_text)) != 0) {
        return status;
    }
    /* the API replaces the whole configuration: start from what the integration has */
    particle_integration *it = NULL;
    int rc = particle_integration_get(&it, client, &o.scope, argv[pos]);
    if (rc != 0) {
        free(template_text);
        return cli_report(rc, NULL);
    }
    char *settings = current_settings(it, template_text);
    particle_integration_free(it);
    free(template_text);
    if (settings == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    s.extra = settings;
    s.event = o.event;
    s.url = o.url;
    s.request_type = o.request_type;
    s.device_id = o.device;
    s.name = o.name;
    if (webhook) {
        s.integration_type = "Webhook";
    }
    rc = particle_integration_edit(&it, client, &o.scope, argv[pos], &s);
    free(settings);
    if (rc != 0) {
        return rc == PARTICLE_EINVAL ? cli_usage(ctx->command, "%s", particle_error_last()->message)
                                     : cli_report(rc, NULL);
    }
    status = emit_changed(ctx, it, "Changed", webhook);
    particle_integration_free(it);
    return status;
}

/* Deletes every integration of the family in scope, after asking. */
static int delete_all(cli_ctx *ctx, cli_hook_opts *o, particle_client *client)
{
    static const char *const fields[] = {"id", "deleted"};
    particle_integrations *list = NULL;
    int status = family_list(o, client, &list);
    if (status != 0) {
        return status;
    }
    size_t count = 0;
    for (size_t i = 0; i < particle_integrations_count(list); i++) {
        count += cli_hook_in_family(o, particle_integrations_at(list, i));
    }
    char question[200];
    snprintf(question, sizeof(question), "Delete all %zu %s%s%s?", count,
             o->type != NULL ? o->type : "", o->type != NULL ? " " : "",
             family_noun(o->webhook, true));
    cli_output *out = NULL;
    if ((status = cli_confirm(ctx, o->yes, "deleting all", question)) != 0 ||
        (out = cli_output_or_fail(fields, CLI_COUNT(fields))) == NULL) {
        particle_integrations_free(list);
        return status != 0 ? status : CLI_EXIT_API;
    }
    size_t deleted = 0;
    for (size_t i = 0; status == 0 && i < particle_integrations_count(list); i++) {
        const particle_integration *it = particle_integrations_at(list, i);
        if (!cli_hook_in_family(o, it) || it->id == NULL) {
            continue;
        }
        int rc = particle_integration_delete(client, &o->scope, it->id);
        if (rc != 0) {
            status = cli_report(rc, it->id);
        } else if (cli_output_add_row(out) != 0 || cli_output_set_str(out, 0, it->id) != 0 ||
                   cli_output_set_bool(out, 1, true) != 0) {
            status = cli_fail(CLI_EXIT_API, "out of memory");
        } else {
            deleted++;
        }
    }
    particle_integrations_free(list);
    if (status != 0) {
        cli_output_free(out);
        return status;
    }
    return cli_emit_message(ctx, out, "Deleted %zu %s.", deleted,
                            family_noun(o->webhook, deleted != 1));
}

int cli_hook_delete(cli_ctx *ctx, int argc, char **argv, bool webhook)
{
    static const char *const fields[] = {"id", "deleted"};
    cli_hook_opts o = {.webhook = webhook};
    particle_client *client;
    int pos;
    int status = cli_hook_begin(ctx, argc, argv, cli_hook_delete_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    if ((status = canonical_type(ctx, o.type, &o.type)) != 0) {
        return status;
    }
    const char *id = argv[pos];
    if (strcmp(id, "all") == 0) {
        return delete_all(ctx, &o, client);
    }
    char text[300];
    snprintf(text, sizeof(text), "Delete %s %s?", family_noun(webhook, false), id);
    if ((status = cli_confirm(ctx, o.yes, "deleting an integration", text)) != 0) {
        return status;
    }
    int rc = particle_integration_delete(client, &o.scope, id);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Deleted %s %s.", family_noun(webhook, false), id);
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), &id, text);
}

int cli_hook_test(cli_ctx *ctx, int argc, char **argv, bool webhook)
{
    static const char *const fields[] = {"id", "pass", "error"};
    cli_hook_opts o = {.webhook = webhook};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_hook_begin(ctx, argc, argv, cli_hook_test_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    int rc = particle_integration_test(&doc, client, &o.scope, argv[pos], o.data, o.device_id);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *root = particle_doc_root(doc);
    bool pass = particle_value_bool(particle_value_get(root, "pass"), 0) == 1;
    const char *error = particle_value_string(particle_value_get(root, "error"));
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) != 0 || cli_output_set_str(out, 0, argv[pos]) != 0 ||
        cli_output_set_bool(out, 1, pass) != 0 || cli_output_set_str(out, 2, error) != 0) {
        particle_doc_free(doc);
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    status = cli_emit_message(ctx, out, "Test event sent through %s %s: %s%s%s",
                              family_noun(webhook, false), argv[pos], pass ? "passed" : "failed",
                              error != NULL ? ": " : ".", error != NULL ? error : "");
    particle_doc_free(doc);
    /* a failed test is the receiver's failure: scripts see it in the status */
    return status != 0 ? status : pass ? CLI_EXIT_OK : CLI_EXIT_API;
}

int cli_cmd_integration_list(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_list(ctx, argc, argv, false);
}

int cli_cmd_integration_get(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_get(ctx, argc, argv, false);
}

int cli_cmd_integration_create(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_create(ctx, argc, argv, false);
}

int cli_cmd_integration_edit(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_edit(ctx, argc, argv, false);
}

int cli_cmd_integration_delete(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_delete(ctx, argc, argv, false);
}

int cli_cmd_integration_test(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_test(ctx, argc, argv, false);
}
