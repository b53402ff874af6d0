/* list, get, call and device rename|notes|ping|signal|remove|claim. */
#include <stdlib.h>
#include <string.h>

#include "particle/devices.h"

#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "prompt.h"
#include "pu_parse.h"
#include "value_json.h"

enum { OPT_PRODUCT = 4000, OPT_YES, OPT_REQUEST_TRANSFER };

/* The options of commands that accept --product (and device remove's --yes). */
typedef struct device_opts {
    const char *product;
    bool yes;
    bool request_transfer;
} device_opts;

static const struct option product_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {NULL, 0, NULL, 0},
};

static const struct option remove_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static const struct option claim_options[] = {
    {"request-transfer", no_argument, NULL, OPT_REQUEST_TRANSFER},
    {NULL, 0, NULL, 0},
};

static int device_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    device_opts *o = payload;
    (void)ctx;
    switch (opt) {
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    case OPT_REQUEST_TRANSFER:
        o->request_transfer = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/*
 * Parses a device command's argv and checks the number of positional arguments is in
 * [min, max]. *pos gets the first one. Returns 0, an exit status, or CLI_HELP_SHOWN.
 */
static int parse(cli_ctx *ctx, int argc, char **argv, const struct option *opts, device_opts *o,
                 int min, int max, int *pos)
{
    const cli_command *cmd = cli_find_command(ctx->command);
    int status = cli_parse_options(ctx, cmd, argc, argv, opts, device_option, o, pos);
    if (status != 0) {
        return status;
    }
    int n = argc - *pos;
    if (n < min) {
        return cli_usage(ctx->command, "missing argument: %s %s", cmd->name, cmd->args);
    }
    if (n > max) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[*pos + max]);
    }
    if (n > 0 && argv[*pos][0] == '\0') {
        return cli_usage(ctx->command, "the device must not be empty");
    }
    return 0;
}

#define DONE_IF(status)                                                                            \
    do {                                                                                           \
        if ((status) != 0) {                                                                       \
            return (status) == CLI_HELP_SHOWN ? CLI_EXIT_OK : (status);                            \
        }                                                                                          \
    } while (0)

/*
 * What most device commands do first: parse() their arguments, then get the client (a
 * token is needed) and the request options for --product. Returns 0 to go on, else what
 * parse() or cli_client() returned (DONE_IF turns it into the exit status).
 */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, device_opts *o,
                 int min, int max, int *pos, particle_client **client,
                 particle_request_options *ropts)
{
    int status = parse(ctx, argc, argv, opts, o, min, max, pos);
    if (status == 0) {
        status = cli_client(ctx, client, true);
    }
    *ropts = (particle_request_options)PARTICLE_REQUEST_OPTIONS_INIT;
    ropts->product = o->product;
    return status;
}

static int oom(cli_output *out)
{
    cli_output_free(out);
    return cli_fail(CLI_EXIT_API, "out of memory");
}

/* ---- list ---- */

enum { L_ID, L_NAME, L_PLATFORM, L_PLATFORM_ID, L_ONLINE, L_LAST_HEARD, L_FIELDS };
static const char *const list_fields[L_FIELDS] = {"id",          "name",   "platform",
                                                  "platform_id", "online", "last_heard"};

/* Fills the current record with the list fields of @p dev. */
static int set_list_fields(cli_output *out, const particle_value *dev)
{
    long long platform = particle_device_platform_id(dev);
    const char *pname = cli_platform_name((int)platform);
    return cli_output_set_str(out, L_ID, particle_device_id(dev)) ||
           cli_output_set_str(out, L_NAME, particle_device_name(dev)) ||
           (pname != NULL ? cli_output_set_str(out, L_PLATFORM, pname) : 0) ||
           (platform >= 0 ? cli_output_set_int(out, L_PLATFORM_ID, platform) : 0) ||
           cli_output_set_bool(out, L_ONLINE, particle_device_online(dev) != 0) ||
           cli_output_set_value(out, L_LAST_HEARD, particle_value_get(dev, "last_heard"));
}

static int compare_by_name(const void *a, const void *b)
{
    const particle_value *da = *(const particle_value *const *)a;
    const particle_value *db = *(const particle_value *const *)b;
    const char *na = particle_device_name(da);
    const char *nb = particle_device_name(db);
    int c = strcmp(na ? na : "", nb ? nb : "");
    if (c != 0) {
        return c;
    }
    const char *ia = particle_device_id(da);
    const char *ib = particle_device_id(db);
    return strcmp(ia ? ia : "", ib ? ib : "");
}

int cli_cmd_list(cli_ctx *ctx, int argc, char **argv)
{
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = parse(ctx, argc, argv, NULL, &o, 0, 1, &pos);
    DONE_IF(status);
    const char *filter = pos < argc ? argv[pos] : NULL;
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_device_list(&doc, client, NULL);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *root = particle_doc_root(doc);
    size_t n = particle_value_count(root);
    const particle_value **sorted = calloc(n ? n : 1, sizeof(*sorted));
    cli_output *out = cli_output_new(list_fields, L_FIELDS);
    if (sorted == NULL || out == NULL) {
        free(sorted);
        particle_doc_free(doc);
        return oom(out);
    }
    for (size_t i = 0; i < n; i++) {
        sorted[i] = particle_value_at(root, i);
    }
    qsort(sorted, n, sizeof(*sorted), compare_by_name);
    status = cli_output_set_empty_text(out, "No devices found.");
    for (size_t i = 0; status == 0 && i < n; i++) {
        const particle_value *dev = sorted[i];
        if (cli_filter_match(filter, particle_device_name(dev), particle_device_id(dev),
                             (int)particle_device_platform_id(dev),
                             particle_device_online(dev) != 0)) {
            status = cli_output_add_row(out) || set_list_fields(out, dev) ||
                     cli_output_set_all(out, cli_json_from_value(dev));
        }
    }
    free(sorted);
    particle_doc_free(doc);
    return status != 0 ? oom(out) : cli_emit(ctx, out);
}

/* ---- get ---- */

enum {
    G_ID,
    G_NAME,
    G_PLATFORM,
    G_PLATFORM_ID,
    G_ONLINE,
    G_LAST_HEARD,
    G_PRODUCT_ID,
    G_SERIAL,
    G_FIRMWARE,
    G_CELLULAR,
    G_NOTES,
    G_VARIABLES,
    G_FUNCTIONS,
    G_FIELDS
};
static const char *const device_fields[G_FIELDS] = {
    "id",          "name",          "platform",
    "platform_id", "online",        "last_heard",
    "product_id",  "serial_number", "system_firmware_version",
    "cellular",    "notes",         "variables",
    "functions"};

static int get_device(cli_ctx *ctx, particle_client *client, const char *device,
                      const particle_request_options *ropts)
{
    particle_doc *doc = NULL;
    int rc = particle_device_get(&doc, client, device, ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = device});
    }
    const particle_value *dev = particle_doc_root(doc);
    cli_output *out = cli_output_new(device_fields, G_FIELDS);
    if (out == NULL) {
        particle_doc_free(doc);
        return oom(out);
    }
    cli_output_set_single(out, true);
    int bad = cli_output_add_row(out) || set_list_fields(out, dev);
    static const struct {
        size_t field;
        const char *key;
    } extra[] = {{G_PRODUCT_ID, "product_id"},
                 {G_SERIAL, "serial_number"},
                 {G_FIRMWARE, "system_firmware_version"},
                 {G_CELLULAR, "cellular"},
                 {G_NOTES, "notes"},
                 {G_VARIABLES, "variables"},
                 {G_FUNCTIONS, "functions"}};
    for (size_t i = 0; i < CLI_COUNT(extra); i++) {
        bad |= cli_output_set_value(out, extra[i].field, particle_value_get(dev, extra[i].key));
    }
    bad |= cli_output_set_all(out, cli_json_from_value(dev));
    particle_doc_free(doc);
    return bad ? oom(out) : cli_emit(ctx, out);
}

static const char *var_type_name(particle_value_type t)
{
    switch (t) {
    case PARTICLE_VALUE_INT:
        return "int";
    case PARTICLE_VALUE_DOUBLE:
        return "double";
    case PARTICLE_VALUE_STRING:
        return "string";
    case PARTICLE_VALUE_BOOL:
        return "bool";
    default: /* null, array or object */
        return "other";
    }
}

static int get_variable(cli_ctx *ctx, particle_client *client, const char *device, const char *name,
                        const particle_request_options *ropts)
{
    static const char *const fields[] = {"device_id", "name", "result", "type"};
    particle_variable *var = NULL;
    int rc = particle_variable_get(&var, client, device, name, ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = device, .variable = name});
    }
    cli_output *out = cli_output_new(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_variable_free(var);
        return oom(out);
    }
    cli_output_set_single(out, true);
    cli_output_set_plain(out, 2);
    const particle_value *core = particle_value_get(particle_variable_root(var), "coreInfo");
    const char *vname = particle_variable_name(var);
    int bad = cli_output_add_row(out) ||
              cli_output_set_value(out, 0, particle_value_get(core, "deviceID")) ||
              cli_output_set_str(out, 1, vname != NULL ? vname : name) ||
              cli_output_set_value(out, 2, particle_variable_result(var)) ||
              cli_output_set_str(out, 3, var_type_name(particle_variable_type(var)));
    particle_variable_free(var);
    return bad ? oom(out) : cli_emit(ctx, out);
}

int cli_cmd_get(cli_ctx *ctx, int argc, char **argv)
{
    device_opts o = {0};
    particle_client *client;
    int pos;
    particle_request_options ropts;
    int status = begin(ctx, argc, argv, product_options, &o, 1, 2, &pos, &client, &ropts);
    DONE_IF(status);
    if (argc - pos == 1) {
        return get_device(ctx, client, argv[pos], &ropts);
    }
    return get_variable(ctx, client, argv[pos], argv[pos + 1], &ropts);
}

/* ---- call ---- */

int cli_cmd_call(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"device", "function", "return_value"};
    device_opts o = {0};
    particle_client *client;
    int pos;
    particle_request_options ropts;
    int status = begin(ctx, argc, argv, product_options, &o, 2, 3, &pos, &client, &ropts);
    DONE_IF(status);
    int value = 0;
    int rc = particle_function_call(&value, client, argv[pos], argv[pos + 1],
                                    argc - pos == 3 ? argv[pos + 2] : "", &ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos], .function = argv[pos + 1]});
    }
    cli_output *out = cli_output_new(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return oom(out);
    }
    cli_output_set_single(out, true);
    cli_output_set_plain(out, 2);
    int bad = cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
              cli_output_set_str(out, 1, argv[pos + 1]) || cli_output_set_int(out, 2, value);
    return bad ? oom(out) : cli_emit(ctx, out);
}

/* ---- device rename|notes|signal|ping|remove|claim ---- */

/* Emits the API's answer to an update-like call as one record with @p fields. */
static int emit_answer(cli_ctx *ctx, particle_doc *doc, const char *const *fields, size_t n,
                       const char *message)
{
    const particle_value *root = particle_doc_root(doc);
    cli_output *out = cli_output_new(fields, n);
    if (out == NULL) {
        particle_doc_free(doc);
        return oom(out);
    }
    cli_output_set_single(out, true);
    int bad = cli_output_add_row(out);
    for (size_t i = 0; !bad && i < n; i++) {
        bad |= cli_output_set_value(out, i, particle_value_get(root, fields[i]));
    }
    particle_doc_free(doc);
    return bad ? oom(out) : cli_emit_message(ctx, out, "%s", message);
}

int cli_cmd_device_rename(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"id", "name", "updated_at"};
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char msg[300];
    int pos;
    particle_request_options ropts;
    int status = begin(ctx, argc, argv, product_options, &o, 2, 2, &pos, &client, &ropts);
    DONE_IF(status);
    int rc = particle_device_rename(&doc, client, argv[pos], argv[pos + 1], &ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos]});
    }
    snprintf(msg, sizeof(msg), "Renamed %s to %s.", argv[pos], argv[pos + 1]);
    return emit_answer(ctx, doc, fields, CLI_COUNT(fields), msg);
}

int cli_cmd_device_notes(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"id", "notes", "updated_at"};
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char msg[300];
    int pos;
    particle_request_options ropts;
    int status = begin(ctx, argc, argv, product_options, &o, 2, 2, &pos, &client, &ropts);
    DONE_IF(status);
    int rc = particle_device_set_notes(&doc, client, argv[pos], argv[pos + 1], &ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos]});
    }
    snprintf(msg, sizeof(msg), "Notes of %s updated.", argv[pos]);
    return emit_answer(ctx, doc, fields, CLI_COUNT(fields), msg);
}

int cli_cmd_device_signal(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"id", "connected", "signaling"};
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    bool on;
    char msg[300];
    int pos;
    int status = parse(ctx, argc, argv, product_options, &o, 2, 2, &pos);
    DONE_IF(status);
    if (pu_parse_bool(argv[pos + 1], &on) != 0) {
        return cli_usage(ctx->command, "signal takes on or off, not '%s'", argv[pos + 1]);
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = o.product;
    int rc = particle_device_signal(&doc, client, argv[pos], on, &ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos]});
    }
    snprintf(msg, sizeof(msg), "%s %s signaling.", argv[pos], on ? "started" : "stopped");
    return emit_answer(ctx, doc, fields, CLI_COUNT(fields), msg);
}

int cli_cmd_device_ping(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"device", "online"};
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    particle_request_options ropts;
    int status = begin(ctx, argc, argv, product_options, &o, 1, 1, &pos, &client, &ropts);
    DONE_IF(status);
    int rc = particle_device_ping(&doc, client, argv[pos], &ropts);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos]});
    }
    bool online = particle_value_bool(particle_value_get(particle_doc_root(doc), "online"), 0);
    particle_doc_free(doc);
    cli_output *out = cli_output_new(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return oom(out);
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_bool(out, 1, online)) {
        return oom(out);
    }
    return cli_emit_message(ctx, out, "%s is %s.", argv[pos], online ? "online" : "offline");
}

/* device remove asks first on a terminal; elsewhere --yes is required. */
static int confirm_remove(cli_ctx *ctx, const device_opts *o, const char *device)
{
    char question[300];
    if (o->yes) {
        return 0;
    }
    if (!cli_prompt_interactive()) {
        return cli_usage(ctx->command, "removing a device needs --yes when not on a terminal");
    }
    snprintf(question, sizeof(question), "Remove %s from %s?", device,
             o->product != NULL ? "the product" : "your account");
    return cli_prompt_yes(question) ? 0 : cli_fail(CLI_EXIT_USAGE, "not removed");
}

int cli_cmd_device_remove(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"device", "removed"};
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = parse(ctx, argc, argv, remove_options, &o, 1, 1, &pos);
    DONE_IF(status);
    if ((status = confirm_remove(ctx, &o, argv[pos])) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = o.product;
    int rc = particle_device_remove(&doc, client, argv[pos], 0, &ropts);
    particle_doc_free(doc);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos]});
    }
    cli_output *out = cli_output_new(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return oom(out);
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_bool(out, 1, true)) {
        return oom(out);
    }
    return cli_emit_message(ctx, out, "Removed %s.", argv[pos]);
}

int cli_cmd_device_claim(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"device", "claimed", "transfer_id"};
    device_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = parse(ctx, argc, argv, claim_options, &o, 1, 1, &pos);
    DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_device_claim(&doc, client, argv[pos], o.request_transfer, NULL);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = argv[pos]});
    }
    const particle_value *transfer = particle_value_get(particle_doc_root(doc), "transfer_id");
    cli_output *out = cli_output_new(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return oom(out);
    }
    cli_output_set_single(out, true);
    int bad = cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
              cli_output_set_bool(out, 1, transfer == NULL) ||
              cli_output_set_value(out, 2, transfer);
    particle_doc_free(doc);
    if (bad) {
        return oom(out);
    }
    if (transfer != NULL) {
        return cli_emit_message(ctx, out, "Transfer of %s requested.", argv[pos]);
    }
    return cli_emit_message(ctx, out, "Claimed %s.", argv[pos]);
}
