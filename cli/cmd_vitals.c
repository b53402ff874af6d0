/* vitals DEVICE [--history [--from T] [--to T]] [--refresh]: a device's diagnostics. */
#include <stdio.h>
#include <string.h>

#include "particle/diagnostics.h"

#include "cli.h"
#include "commands.h"
#include "pu_time.h"
#include "resource_cmd.h"
#include "value_json.h"

enum { OPT_PRODUCT = 7700, OPT_HISTORY, OPT_FROM, OPT_TO, OPT_REFRESH };

typedef struct vitals_opts {
    const char *product;
    bool history;
    bool refresh;
    int64_t from_ms;
    int64_t to_ms;
} vitals_opts;

/* An ISO 8601 time, or a date alone (midnight UTC), into epoch milliseconds. */
static int parse_time(const char *text, int64_t *ms)
{
    char full[64];
    if (strlen(text) == 10) {
        snprintf(full, sizeof(full), "%sT00:00:00Z", text);
        text = full;
    }
    return pu_time_parse_iso8601(text, ms) == 0 && *ms > 0 ? 0 : -1;
}

static const struct option vitals_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT}, {"history", no_argument, NULL, OPT_HISTORY},
    {"from", required_argument, NULL, OPT_FROM},       {"to", required_argument, NULL, OPT_TO},
    {"refresh", no_argument, NULL, OPT_REFRESH},       {NULL, 0, NULL, 0},
};

static int vitals_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    vitals_opts *o = payload;
    switch (opt) {
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    case OPT_HISTORY:
        o->history = true;
        return 0;
    case OPT_REFRESH:
        o->refresh = true;
        return 0;
    case OPT_FROM:
    case OPT_TO: {
        int64_t *ms = opt == OPT_FROM ? &o->from_ms : &o->to_ms;
        if (parse_time(arg, ms) != 0) {
            return cli_usage(ctx->command,
                             "bad --%s '%s' (use e.g. 2026-11-01 or an ISO 8601 time)",
                             opt == OPT_FROM ? "from" : "to", arg);
        }
        return 0;
    }
    default:
        return CLI_EXIT_USAGE;
    }
}

static const char *const fields[] = {"updated_at", "vital", "value"};

/* One row per scalar (or array) of @p v, its dotted path as the vital's name. */
static int add_vitals(cli_output *out, const particle_value *updated_at, const char *path,
                      const particle_value *v)
{
    if (particle_value_type_of(v) == PARTICLE_VALUE_OBJECT) {
        for (size_t i = 0; i < particle_value_count(v); i++) {
            char child[256];
            const char *key = particle_value_key_at(v, i);
            snprintf(child, sizeof(child), "%s%s%s", path, path[0] ? "." : "", key);
            if (add_vitals(out, updated_at, child, particle_value_at(v, i)) != 0) {
                return -1;
            }
        }
        return 0;
    }
    return cli_output_add_row(out) || cli_output_set_value(out, 0, updated_at) ||
           cli_output_set_str(out, 1, path) || cli_output_set_value(out, 2, v);
}

static int add_record(cli_output *out, const particle_value *record)
{
    return add_vitals(out, particle_value_get(record, "updated_at"), "",
                      particle_diagnostics_payload(record));
}

int cli_cmd_vitals(cli_ctx *ctx, int argc, char **argv)
{
    vitals_opts o = {0};
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, vitals_options, vitals_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    if ((o.from_ms != 0 || o.to_ms != 0) && !o.history) {
        return cli_usage(ctx->command, "--from and --to go with --history");
    }
    if (o.history && o.refresh) {
        return cli_usage(ctx->command, "give either --history or --refresh, not both");
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    const char *device = argv[pos];
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = o.product;
    int rc;
    if (o.history) {
        particle_diagnostics_history_options hopts = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
        hopts.product = o.product;
        hopts.start_ms = o.from_ms;
        hopts.end_ms = o.to_ms;
        rc = particle_diagnostics_history(&doc, client, device, &hopts);
    } else if (o.refresh) {
        rc = particle_diagnostics_refresh(&doc, client, device, &ropts);
    } else {
        rc = particle_diagnostics_last(&doc, client, device, &ropts);
    }
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = device});
    }
    if (o.refresh) {
        static const char *const done[] = {"device", "refresh_requested"};
        particle_doc_free(doc);
        return cli_emit_done(ctx, done, CLI_COUNT(done), (const char *const[]){device},
                             "Vitals requested; the device sends them when it is online.");
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    int bad = cli_output_set_empty_text(out, "No vitals recorded.");
    const particle_value *root = particle_doc_root(doc);
    const particle_value *list = particle_value_get(root, "diagnostics");
    if (o.history) {
        for (size_t i = 0; !bad && i < particle_value_count(list); i++) {
            bad = add_record(out, particle_value_at(list, i));
        }
    } else if (particle_diagnostics_record(doc) != NULL) {
        bad = add_record(out, particle_diagnostics_record(doc));
    }
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}
