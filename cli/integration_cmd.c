/* The options, template files and output records of the integration and webhook commands
 * (integration_cmd.h). */
#include "integration_cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "resource_cmd.h"
#include "value_json.h"

enum {
    OPT_PRODUCT = 8400,
    OPT_ORG,
    OPT_TYPE,
    OPT_TEMPLATE,
    OPT_EVENT,
    OPT_URL,
    OPT_REQUEST_TYPE,
    OPT_DEVICE,
    OPT_NAME,
    OPT_DATA,
    OPT_DEVICE_ID,
    OPT_YES
};

#define SCOPE_OPTIONS                                                                              \
    {"product", required_argument, NULL, OPT_PRODUCT},                                             \
    {                                                                                              \
        "org", required_argument, NULL, OPT_ORG                                                    \
    }
#define SETTING_OPTIONS                                                                            \
    {"type", required_argument, NULL, OPT_TYPE},                                                   \
        {"json-template", required_argument, NULL, OPT_TEMPLATE},                                  \
        {"request-type", required_argument, NULL, OPT_REQUEST_TYPE},                               \
        {"device", required_argument, NULL, OPT_DEVICE},                                           \
    {                                                                                              \
        "name", required_argument, NULL, OPT_NAME                                                  \
    }

const struct option cli_hook_scope_options[] = {
    SCOPE_OPTIONS,
    {"type", required_argument, NULL, OPT_TYPE},
    {NULL, 0, NULL, 0},
};

const struct option cli_hook_create_options[] = {
    SCOPE_OPTIONS,
    SETTING_OPTIONS,
    {NULL, 0, NULL, 0},
};

const struct option cli_hook_edit_options[] = {
    SCOPE_OPTIONS,
    SETTING_OPTIONS,
    {"event", required_argument, NULL, OPT_EVENT},
    {"url", required_argument, NULL, OPT_URL},
    {NULL, 0, NULL, 0},
};

const struct option cli_hook_delete_options[] = {
    SCOPE_OPTIONS,
    {"type", required_argument, NULL, OPT_TYPE},
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

const struct option cli_hook_test_options[] = {
    SCOPE_OPTIONS,
    {"data", required_argument, NULL, OPT_DATA},
    {"device-id", required_argument, NULL, OPT_DEVICE_ID},
    {NULL, 0, NULL, 0},
};

static int hook_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    cli_hook_opts *o = payload;
    if (opt == OPT_YES) {
        o->yes = true;
        return 0;
    }
    const char **slot = opt == OPT_PRODUCT        ? &o->scope.product
                        : opt == OPT_ORG          ? &o->scope.org
                        : opt == OPT_TYPE         ? &o->type
                        : opt == OPT_TEMPLATE     ? &o->template_file
                        : opt == OPT_EVENT        ? &o->event
                        : opt == OPT_URL          ? &o->url
                        : opt == OPT_REQUEST_TYPE ? &o->request_type
                        : opt == OPT_DEVICE       ? &o->device
                        : opt == OPT_NAME         ? &o->name
                        : opt == OPT_DATA         ? &o->data
                        : opt == OPT_DEVICE_ID    ? &o->device_id
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

int cli_hook_begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, cli_hook_opts *o,
                   int min, int max, int *pos, particle_client **client)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, hook_option, o, min, max, pos);
    if (status != 0) {
        return status;
    }
    if (o->scope.product != NULL && o->scope.org != NULL) {
        return cli_usage(ctx->command, "give --product or --org, not both");
    }
    if (o->webhook && o->type != NULL) {
        return cli_usage(ctx->command, "--type is for integration commands; webhooks are "
                                       "integrations of type Webhook");
    }
    return cli_client(ctx, client, true);
}

/* Largest template file read, like the API's own body limits. */
#define TEMPLATE_MAX_BYTES (256 * 1024)

int cli_hook_template(cli_ctx *ctx, const char *file, char **text_out)
{
    *text_out = NULL;
    if (file == NULL) {
        return 0;
    }
    if (access(file, R_OK) != 0) {
        return cli_usage(ctx->command, "%s: cannot read the template: %s", file, strerror(errno));
    }
    json_error_t jerr;
    json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return cli_usage(ctx->command, "%s: not a JSON template (line %d: %s)", file, jerr.line,
                         jerr.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return cli_usage(ctx->command, "%s: the template must be a JSON object", file);
    }
    /* particle-cli reads the event from `event` or `eventName` */
    json_t *event_name = json_object_get(root, "eventName");
    if (json_object_get(root, "event") == NULL && event_name != NULL) {
        json_object_set(root, "event", event_name);
    }
    json_object_del(root, "eventName");
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (text == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    if (strlen(text) > TEMPLATE_MAX_BYTES) {
        free(text);
        return cli_usage(ctx->command, "%s: larger than %d bytes", file, TEMPLATE_MAX_BYTES);
    }
    *text_out = text;
    return 0;
}

const char *const cli_hook_list_fields[] = {"id",           "type",      "event",     "url",
                                            "request_type", "device_id", "created_at"};
const size_t cli_hook_list_field_count = CLI_COUNT(cli_hook_list_fields);
const char *const cli_hook_get_fields[] = {"id",
                                           "type",
                                           "event",
                                           "url",
                                           "request_type",
                                           "device_id",
                                           "created_at",
                                           "name",
                                           "disabled",
                                           "response_topic",
                                           "error_response_topic",
                                           "error_count",
                                           "success_count",
                                           "errors"};
const size_t cli_hook_get_field_count = CLI_COUNT(cli_hook_get_fields);

static int set_tristate(cli_output *out, size_t field, particle_tristate t)
{
    return t == PARTICLE_UNSET ? 0 : cli_output_set_bool(out, field, t == PARTICLE_YES);
}

static int set_count(cli_output *out, size_t field, long long n)
{
    return n < 0 ? 0 : cli_output_set_int(out, field, n);
}

int cli_hook_add(cli_output *out, const particle_integration *it, bool full)
{
    const char *texts[] = {it->id,           it->integration_type, it->event,     it->url,
                           it->request_type, it->device_id,        it->created_at};
    if (cli_output_add_row(out) != 0) {
        return -1;
    }
    for (size_t i = 0; i < CLI_COUNT(texts); i++) {
        if (cli_output_set_str(out, i, texts[i]) != 0) {
            return -1;
        }
    }
    if (!full) {
        return 0;
    }
    size_t f = CLI_COUNT(texts);
    if (cli_output_set_str(out, f, it->name) != 0 || set_tristate(out, f + 1, it->disabled) != 0 ||
        cli_output_set_str(out, f + 2, it->response_topic) != 0 ||
        cli_output_set_str(out, f + 3, it->error_response_topic) != 0 ||
        set_count(out, f + 4, it->error_count) != 0 ||
        set_count(out, f + 5, it->success_count) != 0) {
        return -1;
    }
    return cli_output_set_value(out, f + 6, it->errors);
}

int cli_hook_emit_one(cli_ctx *ctx, const particle_integration *it)
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
    return cli_emit(ctx, out);
}

bool cli_hook_in_family(const cli_hook_opts *o, const particle_integration *it)
{
    const char *type = o->webhook ? "Webhook" : o->type;
    /* an answer without a type is a webhook: the legacy routes send none */
    const char *its = it->integration_type != NULL ? it->integration_type : "Webhook";
    return type == NULL || strcasecmp(its, type) == 0;
}
