/* sim list|get|usage|activate|deactivate|reactivate|release and fleet-usage: cellular SIM
 * cards, the user's or a product's (--product), and their data usage. */
#include <stdio.h>

#include "particle/sims.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"
#include "resource_cmd.h"

enum { OPT_PRODUCT = 7600, OPT_ICCID, OPT_DEVICE_ID, OPT_DEVICE_NAME, OPT_MB_LIMIT, OPT_YES };

typedef struct sim_opts {
    const char *product;
    const char *iccid;
    const char *device_id;
    const char *device_name;
    long mb_limit; /* -1: not given */
    bool yes;
} sim_opts;

static const struct option product_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {NULL, 0, NULL, 0},
};

static const struct option list_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"iccid", required_argument, NULL, OPT_ICCID},
    {"device-id", required_argument, NULL, OPT_DEVICE_ID},
    {"device-name", required_argument, NULL, OPT_DEVICE_NAME},
    {NULL, 0, NULL, 0},
};

static const struct option reactivate_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"mb-limit", required_argument, NULL, OPT_MB_LIMIT},
    {NULL, 0, NULL, 0},
};

static const struct option release_options[] = {
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"yes", no_argument, NULL, OPT_YES},
    {NULL, 0, NULL, 0},
};

static int sim_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    sim_opts *o = payload;
    int64_t n;
    switch (opt) {
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    case OPT_ICCID:
        o->iccid = arg;
        return 0;
    case OPT_DEVICE_ID:
        o->device_id = arg;
        return 0;
    case OPT_DEVICE_NAME:
        o->device_name = arg;
        return 0;
    case OPT_MB_LIMIT:
        if (pu_parse_int64(arg, 0, 1000000, &n) != 0) {
            return cli_usage(ctx->command, "bad --mb-limit '%s' (megabytes, 0 or more)", arg);
        }
        o->mb_limit = (long)n;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* Parses the arguments and gets the client; the request options carry --product. */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, sim_opts *o,
                 int min, int max, int *pos, particle_client **client,
                 particle_request_options *ropts)
{
    o->mb_limit = -1;
    int status = cli_resource_parse(ctx, argc, argv, opts, sim_option, o, min, max, pos);
    if (status == 0) {
        status = cli_client(ctx, client, true);
    }
    *ropts = (particle_request_options)PARTICLE_REQUEST_OPTIONS_INIT;
    ropts->product = o->product;
    return status;
}

static const char *const sim_fields[] = {"iccid",          "status",  "carrier", "last_device_name",
                                         "last_device_id", "mb_limit"};

int cli_cmd_sim_list(cli_ctx *ctx, int argc, char **argv)
{
    sim_opts o = {0};
    particle_client *client;
    particle_request_options ropts;
    int pos;
    int status = begin(ctx, argc, argv, list_options, &o, 0, 0, &pos, &client, &ropts);
    CLI_DONE_IF(status);
    particle_sim_list_options lopts = PARTICLE_SIM_LIST_OPTIONS_INIT;
    lopts.product = o.product;
    lopts.iccid = o.iccid;
    lopts.device_id = o.device_id;
    lopts.device_name = o.device_name;
    particle_sim_iter *it = NULL;
    int rc = particle_sim_iter_new(&it, client, &lopts);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(sim_fields, CLI_COUNT(sim_fields));
    if (out == NULL) {
        particle_sim_iter_free(it);
        return CLI_EXIT_API;
    }
    int bad = cli_output_set_empty_text(out, "No SIM cards found.");
    const particle_value *sim = NULL;
    while (!bad && (rc = particle_sim_iter_next(&sim, it)) == 0 && sim != NULL) {
        bad = cli_add_object(out, sim_fields, CLI_COUNT(sim_fields), sim);
    }
    particle_sim_iter_free(it);
    if (rc != 0) {
        cli_output_free(out);
        return cli_report(rc, NULL);
    }
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

/* Prints one SIM object: the short fields in the table, every field in the machine formats. */
static int emit_sim(cli_ctx *ctx, particle_doc *doc, const char *message)
{
    /* a change answers {"ok": true, "sim": {...}} (its shape is not documented) */
    const particle_value *sim = particle_value_get(particle_doc_root(doc), "sim");
    if (particle_value_type_of(sim) != PARTICLE_VALUE_OBJECT) {
        sim = particle_doc_root(doc);
    }
    cli_output *out = cli_output_or_fail(sim_fields, CLI_COUNT(sim_fields));
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    int bad = cli_add_object(out, sim_fields, CLI_COUNT(sim_fields), sim);
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return message != NULL ? cli_emit_message(ctx, out, "%s", message) : cli_emit(ctx, out);
}

int cli_cmd_sim_get(cli_ctx *ctx, int argc, char **argv)
{
    sim_opts o = {0};
    particle_client *client;
    particle_request_options ropts;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, product_options, &o, 1, 1, &pos, &client, &ropts);
    CLI_DONE_IF(status);
    int rc = particle_sim_get(&doc, client, argv[pos], &ropts);
    if (rc != 0) {
        return cli_report(rc, argv[pos]);
    }
    return emit_sim(ctx, doc, NULL);
}

/* The usage_by_day rows of a data usage answer. */
static int emit_usage_days(cli_ctx *ctx, const particle_value *usage)
{
    static const char *const fields[] = {"date", "mbs_used", "mbs_used_cumulative"};
    return cli_emit_objects(ctx, fields, CLI_COUNT(fields), particle_sim_usage_days(usage),
                            "No data used this month.");
}

int cli_cmd_sim_usage(cli_ctx *ctx, int argc, char **argv)
{
    sim_opts o = {0};
    particle_client *client;
    particle_request_options ropts;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, product_options, &o, 1, 1, &pos, &client, &ropts);
    CLI_DONE_IF(status);
    int rc = particle_sim_data_usage(&doc, client, argv[pos], &ropts);
    if (rc != 0) {
        return cli_report(rc, argv[pos]);
    }
    status = emit_usage_days(ctx, particle_doc_root(doc));
    particle_doc_free(doc);
    return status;
}

int cli_cmd_fleet_usage(cli_ctx *ctx, int argc, char **argv)
{
    sim_opts o = {0};
    particle_client *client;
    particle_request_options ropts;
    particle_doc *doc = NULL;
    int pos;
    int status = begin(ctx, argc, argv, product_options, &o, 0, 0, &pos, &client, &ropts);
    CLI_DONE_IF(status);
    if (o.product == NULL) {
        return cli_usage(ctx->command, "fleet-usage needs --product P");
    }
    int rc = particle_product_sims_data_usage(&doc, client, o.product);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *usage = particle_doc_root(doc);
    if (ctx->format == CLI_FORMAT_TABLE) {
        const particle_value *total = particle_value_get(usage, "total_mbs_used");
        const particle_value *sims = particle_value_get(usage, "total_active_sim_cards");
        printf("%.2f MB used this month by %lld active SIM cards.\n",
               particle_value_double(total, 0.0), particle_value_int(sims, 0));
    }
    /* json: the whole answer; the row formats: one row per day */
    static const char *const totals[] = {"total_mbs_used", "total_active_sim_cards"};
    status = ctx->format == CLI_FORMAT_JSON ? cli_emit_object(ctx, totals, CLI_COUNT(totals), usage)
                                            : emit_usage_days(ctx, usage);
    particle_doc_free(doc);
    return status;
}

/* activate, deactivate and reactivate: one call that answers with the SIM. */
typedef int sim_change_fn(particle_doc **out, particle_client *client, const char *iccid,
                          long mb_limit, const particle_request_options *opts);

static int activate(particle_doc **out, particle_client *client, const char *iccid, long mb_limit,
                    const particle_request_options *opts)
{
    (void)mb_limit;
    return particle_sim_activate(out, client, iccid, opts);
}

static int deactivate(particle_doc **out, particle_client *client, const char *iccid, long mb_limit,
                      const particle_request_options *opts)
{
    (void)mb_limit;
    return particle_sim_deactivate(out, client, iccid, opts);
}

static int change_sim(cli_ctx *ctx, int argc, char **argv, const struct option *opts,
                      sim_change_fn *fn, const char *done)
{
    sim_opts o = {0};
    particle_client *client;
    particle_request_options ropts;
    particle_doc *doc = NULL;
    char message[200];
    int pos;
    int status = begin(ctx, argc, argv, opts, &o, 1, 1, &pos, &client, &ropts);
    CLI_DONE_IF(status);
    int rc = fn(&doc, client, argv[pos], o.mb_limit, &ropts);
    if (rc != 0) {
        return cli_report(rc, argv[pos]);
    }
    snprintf(message, sizeof(message), "SIM %s %s.", argv[pos], done);
    return emit_sim(ctx, doc, message);
}

int cli_cmd_sim_activate(cli_ctx *ctx, int argc, char **argv)
{
    return change_sim(ctx, argc, argv, product_options, activate, "activated");
}

int cli_cmd_sim_deactivate(cli_ctx *ctx, int argc, char **argv)
{
    return change_sim(ctx, argc, argv, product_options, deactivate, "deactivated");
}

int cli_cmd_sim_reactivate(cli_ctx *ctx, int argc, char **argv)
{
    return change_sim(ctx, argc, argv, reactivate_options, particle_sim_reactivate, "reactivated");
}

int cli_cmd_sim_release(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"iccid", "pending", "released"};
    sim_opts o = {0};
    particle_client *client;
    particle_request_options ropts;
    char question[200];
    int pos;
    int status = begin(ctx, argc, argv, release_options, &o, 1, 1, &pos, &client, &ropts);
    CLI_DONE_IF(status);
    snprintf(question, sizeof(question), "Release SIM %s from the account?", argv[pos]);
    if ((status = cli_confirm(ctx, o.yes, "releasing a SIM card", question)) != 0) {
        return status;
    }
    int pending = 0;
    int rc = particle_sim_remove(&pending, client, argv[pos], &ropts);
    if (rc != 0) {
        return cli_report(rc, argv[pos]);
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_bool(out, 1, pending != 0) || cli_output_set_bool(out, 2, true)) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out,
                            pending ? "Release of SIM %s requested (pending)." : "SIM %s released.",
                            argv[pos]);
}
