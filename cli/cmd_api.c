/* api METHOD PATH: the raw escape hatch, still with the profile's token, retries and the
 * usual error line and exit status. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "particle/request.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"
#include "value_json.h"

enum { OPT_DATA = 7000, OPT_QUERY };

typedef struct api_opts {
    const char *data;  /* JSON text, @FILE or - (stdin) */
    const char *query; /* encoded query string */
} api_opts;

static const struct option api_options[] = {
    {"data", required_argument, NULL, OPT_DATA},
    {"query", required_argument, NULL, OPT_QUERY},
    {NULL, 0, NULL, 0},
};

static int api_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    api_opts *o = payload;
    (void)ctx;
    if (opt == OPT_DATA) {
        o->data = arg;
    } else if (opt == OPT_QUERY) {
        o->query = arg;
    } else {
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* Adds @p obj's keys not yet in @p keys (first-seen order). */
static int collect_keys(json_t *keys, json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool seen = false;
        size_t i;
        json_t *k;
        json_array_foreach(keys, i, k)
        {
            seen = seen || strcmp(json_string_value(k), key) == 0;
        }
        if (!seen && json_array_append_new(keys, json_string(key)) != 0) {
            return -1;
        }
    }
    return 0;
}

/*
 * CSV (and a table on request): an object becomes one record, an array of objects one
 * record each, with the union of their keys as fields in first-seen order.
 */
static int emit_records(cli_ctx *ctx, json_t *root)
{
    json_t *items = json_is_array(root) ? json_incref(root) : json_pack("[O]", root);
    json_t *keys = json_array();
    const char **fields = NULL;
    cli_output *out = NULL;
    int status = CLI_EXIT_API;
    size_t i;
    json_t *item;
    if (items == NULL || keys == NULL) {
        goto done;
    }
    json_array_foreach(items, i, item)
    {
        if (!json_is_object(item)) {
            status = cli_fail(CLI_EXIT_USAGE,
                              "the answer is not an object or a list of objects: use --json");
            goto done;
        }
        if (collect_keys(keys, item) != 0) {
            goto done;
        }
    }
    size_t nf = json_array_size(keys);
    fields = calloc(nf ? nf : 1, sizeof(*fields));
    if (fields == NULL) {
        goto done;
    }
    for (size_t f = 0; f < nf; f++) {
        fields[f] = json_string_value(json_array_get(keys, f));
    }
    out = cli_output_new(fields, nf);
    if (out == NULL) {
        goto done;
    }
    cli_output_set_single(out, !json_is_array(root));
    json_array_foreach(items, i, item)
    {
        if (cli_output_add_row(out) != 0) {
            goto done;
        }
        for (size_t f = 0; f < nf; f++) {
            json_t *v = json_object_get(item, fields[f]);
            if (v != NULL && cli_output_set_json(out, f, json_incref(v)) != 0) {
                goto done;
            }
        }
    }
    status = cli_emit(ctx, out);
    out = NULL;
done:
    if (status == CLI_EXIT_API && out != NULL) {
        cli_fail(CLI_EXIT_API, "out of memory");
    }
    cli_output_free(out);
    free(fields);
    json_decref(keys);
    json_decref(items);
    return status;
}

/* --ndjson: the elements of an array answer one per line; any other answer on one line. */
static int emit_raw(cli_ctx *ctx, json_t *root)
{
    int rc = 0;
    if (ctx->format == CLI_FORMAT_NDJSON && json_is_array(root)) {
        size_t i;
        json_t *item;
        json_array_foreach(root, i, item)
        {
            rc |= json_dumpf(item, stdout, JSON_COMPACT | JSON_ENCODE_ANY) != 0 ||
                  putchar('\n') == EOF;
        }
    } else {
        size_t flags = ctx->format == CLI_FORMAT_NDJSON ? JSON_COMPACT : JSON_INDENT(2);
        rc = json_dumpf(root, stdout, flags | JSON_ENCODE_ANY) != 0 || putchar('\n') == EOF;
    }
    return rc != 0 || fflush(stdout) != 0 ? cli_fail(CLI_EXIT_API, "cannot write the output")
                                          : CLI_EXIT_OK;
}

int cli_cmd_api(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    api_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    char *body = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("api"), argc, argv, api_options,
                                   api_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (argc - pos != 2) {
        return argc - pos < 2 ? cli_usage(ctx->command, "missing argument: api METHOD PATH")
                              : cli_usage(ctx->command, "unexpected argument '%s'", argv[pos + 2]);
    }
    const char *method = argv[pos];
    const char *path = argv[pos + 1];
    bool known = false;
    for (size_t i = 0; i < CLI_COUNT(methods); i++) {
        known = known || strcasecmp(method, methods[i]) == 0;
    }
    if (!known) {
        return cli_usage(ctx->command, "unknown method '%s' (GET, POST, PUT, PATCH, DELETE)",
                         method);
    }
    if (path[0] != '/') {
        return cli_usage(ctx->command, "the path must start with /, e.g. /v1/devices");
    }
    if (o.data != NULL && (status = cli_read_data(ctx, o.data, &body)) != 0) {
        return status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        free(body);
        return status;
    }
    int rc = particle_request(&doc, client, method, path, o.query, body, NULL);
    free(body);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    json_t *root = cli_json_from_value(particle_doc_root(doc));
    particle_doc_free(doc);
    if (root == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    if (ctx->format == CLI_FORMAT_CSV || ctx->format == CLI_FORMAT_CSV_RAW ||
        (ctx->format == CLI_FORMAT_TABLE && ctx->format_given)) {
        status = emit_records(ctx, root);
    } else {
        status = emit_raw(ctx, root);
    }
    json_decref(root);
    return status;
}
