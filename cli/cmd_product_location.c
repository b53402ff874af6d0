/* product location list|get: where a product's asset trackers are (cloud-api.md §13). */
#include <stdio.h>
#include <stdlib.h>

#include "particle/locations.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"
#include "resource_cmd.h"

enum {
    OPT_DATE_RANGE = 7200,
    OPT_RECT_BL,
    OPT_RECT_TR,
    OPT_DEVICE_ID,
    OPT_DEVICE_NAME,
    OPT_GROUPS,
    OPT_PAGE,
    OPT_PER_PAGE
};

static const struct option list_options[] = {
    {"date-range", required_argument, NULL, OPT_DATE_RANGE},
    {"rect-bl", required_argument, NULL, OPT_RECT_BL},
    {"rect-tr", required_argument, NULL, OPT_RECT_TR},
    {"device-id", required_argument, NULL, OPT_DEVICE_ID},
    {"device-name", required_argument, NULL, OPT_DEVICE_NAME},
    {"groups", required_argument, NULL, OPT_GROUPS},
    {"page", required_argument, NULL, OPT_PAGE},
    {"per-page", required_argument, NULL, OPT_PER_PAGE},
    {NULL, 0, NULL, 0},
};

static const struct option get_options[] = {
    {"date-range", required_argument, NULL, OPT_DATE_RANGE},
    {"rect-bl", required_argument, NULL, OPT_RECT_BL},
    {"rect-tr", required_argument, NULL, OPT_RECT_TR},
    {NULL, 0, NULL, 0},
};

static int location_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    particle_location_options *o = payload;
    int64_t n;
    switch (opt) {
    case OPT_DATE_RANGE:
        o->date_range = arg;
        return 0;
    case OPT_RECT_BL:
        o->rect_bl = arg;
        return 0;
    case OPT_RECT_TR:
        o->rect_tr = arg;
        return 0;
    case OPT_DEVICE_ID:
        o->device_id = arg;
        return 0;
    case OPT_DEVICE_NAME:
        o->device_name = arg;
        return 0;
    case OPT_GROUPS:
        o->groups = arg;
        return 0;
    case OPT_PAGE:
    case OPT_PER_PAGE:
        if (pu_parse_int64(arg, 1, opt == OPT_PAGE ? 1000000 : 100, &n) != 0) {
            return cli_usage(ctx->command, "--page is 1 or more, --per-page 1 to 100");
        }
        *(opt == OPT_PAGE ? &o->page : &o->per_page) = (unsigned int)n;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

static const char *const fields[] = {"device_id", "device_name", "online", "time", "lat", "lon"};

/* One record per position of @p loc (a location object: timestamps and a geometry). */
static int add_positions(cli_output *out, const particle_value *loc)
{
    const particle_value *times = particle_value_get(loc, "timestamps");
    const particle_value *geometry = particle_value_get(loc, "geometry");
    const particle_value *coords = particle_value_get(geometry, "coordinates");
    const char *type = particle_value_string(particle_value_get(geometry, "type"));
    bool point = type != NULL && type[0] == 'P';
    for (size_t i = 0; i < particle_value_count(times); i++) {
        const particle_value *c = point ? coords : particle_value_at(coords, i);
        if (cli_output_add_row(out) != 0 ||
            cli_output_set_str(out, 0,
                               particle_value_string(particle_value_get(loc, "device_id"))) != 0 ||
            cli_output_set_str(
                out, 1, particle_value_string(particle_value_get(loc, "device_name"))) != 0 ||
            cli_output_set_bool(out, 2,
                                particle_value_bool(particle_value_get(loc, "online"), 0)) != 0 ||
            cli_output_set_str(out, 3, particle_value_string(particle_value_at(times, i))) != 0 ||
            cli_output_set_real(out, 4, particle_value_double(particle_value_at(c, 1), 0)) != 0 ||
            cli_output_set_real(out, 5, particle_value_double(particle_value_at(c, 0), 0)) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Prints the positions of the location objects @p locs (@p count of them; @p one: a single
 * object rather than an array). */
static int emit_locations(cli_ctx *ctx, particle_doc *doc, const particle_value *locs, bool one)
{
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    int bad = out == NULL || cli_output_set_empty_text(out, "No locations found.") != 0;
    size_t n = one ? 1 : particle_value_count(locs);
    for (size_t i = 0; !bad && i < n; i++) {
        bad = add_positions(out, one ? locs : particle_value_at(locs, i)) != 0;
    }
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

int cli_cmd_product_location_list(cli_ctx *ctx, int argc, char **argv)
{
    particle_location_options o = PARTICLE_LOCATION_OPTIONS_INIT;
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, list_options, location_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    status = cli_client(ctx, &client, true);
    if (status != 0) {
        return status;
    }
    int rc = particle_location_list(&doc, client, argv[pos], &o);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    return emit_locations(ctx, doc, particle_value_get(particle_doc_root(doc), "locations"), false);
}

int cli_cmd_product_location_get(cli_ctx *ctx, int argc, char **argv)
{
    particle_location_options o = PARTICLE_LOCATION_OPTIONS_INIT;
    particle_client *client;
    particle_doc *doc = NULL;
    int pos;
    int status = cli_resource_parse(ctx, argc, argv, get_options, location_option, &o, 2, 2, &pos);
    CLI_DONE_IF(status);
    status = cli_client(ctx, &client, true);
    if (status != 0) {
        return status;
    }
    int rc = particle_location_get(&doc, client, argv[pos], argv[pos + 1], &o);
    if (rc != 0) {
        return cli_report(rc, argv[pos + 1]);
    }
    return emit_locations(ctx, doc, particle_value_get(particle_doc_root(doc), "location"), true);
}
