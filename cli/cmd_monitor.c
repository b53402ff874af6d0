/* variable list, function list (particle-cli's names) and monitor DEVICE VARIABLE: what a
 * device offers, and one variable read on an interval. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "particle/devices.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"
#include "pu_time.h"
#include "resource_cmd.h"
#include "value_json.h"

/* ---- variable list / function list ---- */

/* Adds a row per variable (with its type) or function of @p dev. */
static int add_members(cli_output *out, const particle_value *dev, bool variables)
{
    const particle_value *members =
        variables ? particle_device_variables(dev) : particle_device_functions(dev);
    const char *id = particle_device_id(dev);
    const char *name = particle_device_name(dev);
    for (size_t i = 0; i < particle_value_count(members); i++) {
        const particle_value *m = particle_value_at(members, i);
        int bad = cli_output_add_row(out) || cli_output_set_str(out, 0, name) ||
                  cli_output_set_str(out, 1, id);
        if (variables) {
            bad = bad || cli_output_set_str(out, 2, particle_value_key_at(members, i)) ||
                  cli_output_set_value(out, 3, m);
        } else {
            bad = bad || cli_output_set_value(out, 2, m);
        }
        if (bad) {
            return -1;
        }
    }
    return 0;
}

/* Adds @p device's members, read with GET /v1/devices/DEVICE. Returns 0 or an exit status. */
static int add_device(cli_ctx *ctx, particle_client *client, cli_output *out, const char *device,
                      bool variables)
{
    particle_doc *doc = NULL;
    (void)ctx;
    int rc = particle_device_get(&doc, client, device, NULL);
    if (rc != 0) {
        return cli_report_about(rc, &(cli_subject){.device = device});
    }
    int bad = add_members(out, particle_doc_root(doc), variables);
    particle_doc_free(doc);
    return bad ? cli_fail(CLI_EXIT_API, "out of memory") : 0;
}

/* Without arguments: every online device, as particle-cli does (the list does not always
 * carry variables and functions, so each online device is read). */
static int add_online_devices(cli_ctx *ctx, particle_client *client, cli_output *out,
                              bool variables)
{
    particle_doc *doc = NULL;
    int rc = particle_device_list(&doc, client, NULL);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const particle_value *list = particle_doc_root(doc);
    int status = 0;
    for (size_t i = 0; status == 0 && i < particle_value_count(list); i++) {
        const particle_value *dev = particle_value_at(list, i);
        if (particle_device_online(dev) && particle_device_id(dev) != NULL) {
            status = add_device(ctx, client, out, particle_device_id(dev), variables);
        }
    }
    particle_doc_free(doc);
    return status;
}

static int list_members(cli_ctx *ctx, int argc, char **argv, bool variables)
{
    static const char *const variable_fields[] = {"device", "device_id", "variable", "type"};
    static const char *const function_fields[] = {"device", "device_id", "function"};
    particle_client *client;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, NULL, NULL, NULL, 0, 64, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    cli_output *out = variables ? cli_output_or_fail(variable_fields, CLI_COUNT(variable_fields))
                                : cli_output_or_fail(function_fields, CLI_COUNT(function_fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    status =
        cli_output_set_empty_text(out, variables ? "No variables found." : "No functions found.")
            ? cli_fail(CLI_EXIT_API, "out of memory")
            : 0;
    if (status == 0 && pos == argc) {
        status = add_online_devices(ctx, client, out, variables);
    }
    for (int i = pos; status == 0 && i < argc; i++) {
        status = add_device(ctx, client, out, argv[i], variables);
    }
    if (status != 0) {
        cli_output_free(out);
        return status;
    }
    return cli_emit(ctx, out);
}

int cli_cmd_variable_list(cli_ctx *ctx, int argc, char **argv)
{
    return list_members(ctx, argc, argv, true);
}

int cli_cmd_function_list(cli_ctx *ctx, int argc, char **argv)
{
    return list_members(ctx, argc, argv, false);
}

/* ---- monitor ---- */

enum { OPT_DELAY = 7800, OPT_MAX, OPT_PRODUCT };

typedef struct monitor_opts {
    int64_t delay_ms;
    int64_t max;
    const char *product;
} monitor_opts;

static const struct option monitor_options[] = {
    {"delay", required_argument, NULL, OPT_DELAY},
    {"max", required_argument, NULL, OPT_MAX},
    {"product", required_argument, NULL, OPT_PRODUCT},
    {NULL, 0, NULL, 0},
};

/* The shortest interval: a variable read is a round trip to the device, so faster reads
 * only queue up behind each other. */
#define MONITOR_MIN_DELAY_MS 100
#define MONITOR_DEFAULT_DELAY_MS 1000

static int monitor_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    monitor_opts *o = payload;
    switch (opt) {
    case OPT_DELAY:
        if (pu_parse_duration_ms(arg, &o->delay_ms) != 0 || o->delay_ms < MONITOR_MIN_DELAY_MS ||
            o->delay_ms > 86400000LL) {
            return cli_usage(ctx->command, "bad --delay '%s' (at least 100ms; e.g. 500ms, 5s)",
                             arg);
        }
        return 0;
    case OPT_MAX:
        if (pu_parse_int64(arg, 1, INT64_MAX, &o->max) != 0) {
            return cli_usage(ctx->command, "bad --max '%s' (a count of 1 or more)", arg);
        }
        return 0;
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* Set by SIGINT/SIGTERM: monitor finishes the read under way and stops, with status 0 if
 * every read succeeded, else the status of the last one that failed. */
static volatile sig_atomic_t monitor_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    monitor_stop = 1;
}

/* Sleeps @p ms unless a stop signal comes first (no SA_RESTART: the signal ends the sleep). */
static void sleep_unless_stopped(int64_t ms)
{
    struct timespec left = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (!monitor_stop && nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

/* Prints one read as a record time/device/variable/value on stdout, flushed. */
static int print_read(cli_ctx *ctx, cli_output *out, const char *device, const char *name,
                      const particle_variable *var)
{
    char now[PU_ISO8601_SIZE];
    pu_time_iso8601(pu_time_now_ms(), now);
    cli_output_clear_rows(out);
    int bad = cli_output_add_row(out) || cli_output_set_str(out, 0, now) ||
              cli_output_set_str(out, 1, device) || cli_output_set_str(out, 2, name) ||
              cli_output_set_value(out, 3, particle_variable_result(var));
    if (bad) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    if (cli_output_render_row(out, 0, ctx->format, stdout) != 0) {
        return cli_fail(CLI_EXIT_API, "cannot write the output");
    }
    return 0;
}

int cli_cmd_monitor(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"time", "device", "variable", "value"};
    monitor_opts o = {MONITOR_DEFAULT_DELAY_MS, 0, NULL};
    particle_client *client;
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, monitor_options, monitor_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = o.product;
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (cli_output_render_header(out, ctx->format, stdout) != 0) {
        status = cli_fail(CLI_EXIT_API, "cannot write the output");
    }
    /* A failed read (offline device, network, a missing variable) is reported and the next
     * one tried, as a device may come back; only a refused token stops the monitor. */
    int failed = 0;
    const char *device = argv[pos];
    const char *name = argv[pos + 1];
    for (int64_t n = 0; status == 0 && !monitor_stop && (o.max == 0 || n < o.max); n++) {
        if (n > 0) {
            sleep_unless_stopped(o.delay_ms);
            if (monitor_stop) {
                break;
            }
        }
        particle_variable *var = NULL;
        int rc = particle_variable_get(&var, client, device, name, &ropts);
        if (rc != 0) {
            failed = cli_report_about(rc, &(cli_subject){.device = device, .variable = name});
            status = failed == CLI_EXIT_AUTH ? failed : 0;
            continue;
        }
        status = print_read(ctx, out, device, name, var);
        particle_variable_free(var);
    }
    cli_output_free(out);
    return status != 0 ? status : failed;
}
