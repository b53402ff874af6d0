/* library list|search|view|versions|upload|publish|delete|download: firmware libraries in
 * particle-cli's naming (`library search`, `library view`, `library upload`, `library
 * publish`, `library delete`); list, versions and download are particlectl's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "particle/libraries.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"
#include "resource_cmd.h"
#include "transfer_ui.h"

enum {
    OPT_FILTER = 7600,
    OPT_SCOPE,
    OPT_SORT,
    OPT_CATEGORY,
    OPT_ARCHITECTURES,
    OPT_EXCLUDE_SCOPES,
    OPT_PAGE,
    OPT_LIMIT,
    OPT_VERSION,
    OPT_SAVE_TO,
    OPT_FORCE,
    OPT_YES
};

#define LIST_MAX 16 /* entries of a comma-separated option */

typedef struct library_opts {
    const char *filter, *scope, *sort, *category, *version, *save_to, *force;
    char *architectures_text, *exclude_text; /* strdup'd: split in place */
    const char *architectures[LIST_MAX];
    size_t architecture_count;
    const char *exclude_scopes[LIST_MAX];
    size_t exclude_count;
    int64_t page, limit;
    bool yes;
} library_opts;

#define OPTIONS_END                                                                                \
    {                                                                                              \
        NULL, 0, NULL, 0                                                                           \
    }

static const struct option list_options[] = {
    {"filter", required_argument, NULL, OPT_FILTER},
    {"scope", required_argument, NULL, OPT_SCOPE},
    {"sort", required_argument, NULL, OPT_SORT},
    {"category", required_argument, NULL, OPT_CATEGORY},
    {"architectures", required_argument, NULL, OPT_ARCHITECTURES},
    {"exclude-scopes", required_argument, NULL, OPT_EXCLUDE_SCOPES},
    {"page", required_argument, NULL, OPT_PAGE},
    {"limit", required_argument, NULL, OPT_LIMIT},
    OPTIONS_END,
};
static const struct option paging_options[] = {
    {"page", required_argument, NULL, OPT_PAGE},
    {"limit", required_argument, NULL, OPT_LIMIT},
    OPTIONS_END,
};
static const struct option view_options[] = {
    {"version", required_argument, NULL, OPT_VERSION},
    OPTIONS_END,
};
static const struct option download_options[] = {
    {"version", required_argument, NULL, OPT_VERSION},
    {"save-to", required_argument, NULL, OPT_SAVE_TO},
    OPTIONS_END,
};
static const struct option delete_options[] = {
    {"force", required_argument, NULL, OPT_FORCE},
    {"yes", no_argument, NULL, OPT_YES},
    OPTIONS_END,
};
static const struct option no_options[] = {OPTIONS_END};

/* Splits @p text (owned by the caller) at commas into @p items. Returns 0 or -1 (too many
 * or an empty entry). */
static int split(char *text, const char **items, size_t *count)
{
    *count = 0;
    for (char *p = text;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        if (*p == '\0' || *count == LIST_MAX) {
            return -1;
        }
        items[(*count)++] = p;
        if (comma == NULL) {
            return 0;
        }
        p = comma + 1;
    }
}

static int split_option(cli_ctx *ctx, const char *name, const char *arg, char **text,
                        const char **items, size_t *count)
{
    free(*text);
    *text = strdup(arg);
    if (*text == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    if (split(*text, items, count) < 0) {
        return cli_usage(ctx->command, "bad --%s '%s' (up to %d names, comma-separated)", name, arg,
                         LIST_MAX);
    }
    return 0;
}

static int library_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    library_opts *o = payload;
    switch (opt) {
    case OPT_FILTER:
        o->filter = arg;
        return 0;
    case OPT_SCOPE:
        o->scope = arg;
        return 0;
    case OPT_SORT:
        o->sort = arg;
        return 0;
    case OPT_CATEGORY:
        o->category = arg;
        return 0;
    case OPT_ARCHITECTURES:
        return split_option(ctx, "architectures", arg, &o->architectures_text, o->architectures,
                            &o->architecture_count);
    case OPT_EXCLUDE_SCOPES:
        return split_option(ctx, "exclude-scopes", arg, &o->exclude_text, o->exclude_scopes,
                            &o->exclude_count);
    case OPT_PAGE:
    case OPT_LIMIT:
        if (pu_parse_int64(arg, 1, 100000, opt == OPT_PAGE ? &o->page : &o->limit) != 0) {
            return cli_usage(ctx->command, "bad --%s '%s' (a whole number from 1)",
                             opt == OPT_PAGE ? "page" : "limit", arg);
        }
        return 0;
    case OPT_VERSION:
        o->version = arg;
        return 0;
    case OPT_SAVE_TO:
        o->save_to = arg;
        return 0;
    case OPT_FORCE:
        o->force = arg;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

static void opts_dispose(library_opts *o)
{
    free(o->architectures_text);
    free(o->exclude_text);
}

/* The fields of a library record: a listing shows the first LIST_FIELDS, view all. */
static const char *const library_fields[] = {
    "name",       "version",       "visibility",   "installs",  "official",    "verified",
    "mine",       "sentence",      "author",       "category",  "license",     "url",
    "repository", "architectures", "dependencies", "paragraph", "download_url"};
#define LIST_FIELDS 8

/* Adds @p lib as a record of the first @p nfields fields. 0 or -1 (out of memory). */
static int add_library(cli_output *out, size_t nfields, const particle_library *lib)
{
    const char *strings[] = {lib->name,
                             lib->version,
                             lib->visibility,
                             NULL,
                             NULL,
                             NULL,
                             NULL,
                             lib->sentence,
                             lib->author,
                             lib->category,
                             lib->license,
                             lib->url,
                             lib->repository,
                             NULL,
                             NULL,
                             lib->paragraph,
                             lib->download_url};
    int bad = cli_output_add_row(out);
    for (size_t i = 0; !bad && i < nfields; i++) {
        if (strings[i] != NULL) {
            bad = cli_output_set_str(out, i, strings[i]);
        }
    }
    if (!bad && nfields > 3) {
        bad = cli_output_set_int(out, 3, lib->installs) ||
              cli_output_set_bool(out, 4, lib->official) ||
              cli_output_set_bool(out, 5, lib->verified) || cli_output_set_bool(out, 6, lib->mine);
    }
    if (!bad && nfields > 14) {
        json_t *archs = json_array();
        json_t *deps = json_object();
        for (size_t i = 0; archs != NULL && i < lib->architecture_count; i++) {
            json_array_append_new(archs, json_string(lib->architectures[i]));
        }
        for (size_t i = 0; deps != NULL && i < lib->dependency_count; i++) {
            json_object_set_new(deps, lib->dependencies[i].name,
                                json_string(lib->dependencies[i].version));
        }
        /* both steal their reference (NULL, out of memory, stores null) */
        bad = cli_output_set_json(out, 13, archs) | cli_output_set_json(out, 14, deps);
    }
    return bad ? -1 : 0;
}

/* Prints the JSON:API items of @p list as records, then frees @p doc. */
static int emit_items(cli_ctx *ctx, particle_doc *doc, const char *empty_text)
{
    cli_output *out = cli_output_or_fail(library_fields, LIST_FIELDS);
    if (out == NULL) {
        particle_doc_free(doc);
        return CLI_EXIT_API;
    }
    int bad = cli_output_set_empty_text(out, empty_text);
    const particle_value *data = particle_value_get(particle_doc_root(doc), "data");
    for (size_t i = 0; !bad && i < particle_value_count(data); i++) {
        particle_library *lib = NULL;
        int rc = particle_library_parse(&lib, particle_value_at(data, i));
        if (rc != 0) {
            cli_output_free(out);
            particle_doc_free(doc);
            return cli_report(rc, NULL);
        }
        bad = add_library(out, LIST_FIELDS, lib);
        particle_library_free(lib);
    }
    particle_doc_free(doc);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

/* Prints one library with every field, then frees it. */
static int emit_library(cli_ctx *ctx, particle_library *lib)
{
    cli_output *out = cli_output_or_fail(library_fields, CLI_COUNT(library_fields));
    if (out == NULL) {
        particle_library_free(lib);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    int bad = add_library(out, CLI_COUNT(library_fields), lib);
    particle_library_free(lib);
    if (bad) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit(ctx, out);
}

/* Parses the arguments, then gets the client. */
static int begin(cli_ctx *ctx, int argc, char **argv, const struct option *opts, library_opts *o,
                 int min, int max, int *pos, particle_client **client)
{
    int status = cli_resource_parse(ctx, argc, argv, opts, library_option, o, min, max, pos);
    return status != 0 ? status : cli_client(ctx, client, true);
}

/* One page of the listing with @p o's filters (and @p filter over --filter). */
static int list_page(cli_ctx *ctx, particle_client *client, const library_opts *o,
                     const char *filter)
{
    particle_library_list_options l = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    l.filter = filter != NULL ? filter : o->filter;
    l.scope = o->scope;
    l.sort = o->sort;
    l.category = o->category;
    l.architectures = o->architectures;
    l.architecture_count = o->architecture_count;
    l.exclude_scopes = o->exclude_scopes;
    l.exclude_scope_count = o->exclude_count;
    l.page = (unsigned int)o->page;
    l.limit = (unsigned int)o->limit;
    particle_doc *doc = NULL;
    int rc = particle_library_list(&doc, client, &l);
    return rc != 0 ? cli_report(rc, NULL) : emit_items(ctx, doc, "No libraries found.");
}

int cli_cmd_library_list(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, list_options, &o, 0, 0, &pos, &client);
    if (status == 0) {
        status = list_page(ctx, client, &o, NULL);
    }
    opts_dispose(&o);
    CLI_DONE_IF(status);
    return 0;
}

int cli_cmd_library_search(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, paging_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    return list_page(ctx, client, &o, argv[pos]);
}

int cli_cmd_library_view(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, view_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    particle_library *lib = NULL;
    int rc = particle_library_get(&lib, client, argv[pos], o.version);
    return rc != 0 ? cli_report(rc, NULL) : emit_library(ctx, lib);
}

int cli_cmd_library_versions(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, paging_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    particle_doc *doc = NULL;
    int rc = particle_library_versions(&doc, client, argv[pos], (unsigned int)o.page,
                                       (unsigned int)o.limit);
    return rc != 0 ? cli_report(rc, NULL) : emit_items(ctx, doc, "No versions found.");
}

int cli_cmd_library_upload(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, no_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    particle_library *lib = NULL;
    int rc = particle_library_contribute(&lib, client, argv[pos]);
    return rc != 0 ? cli_report(rc, NULL) : emit_library(ctx, lib);
}

int cli_cmd_library_publish(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, no_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    particle_library *lib = NULL;
    int rc = particle_library_publish(&lib, client, argv[pos]);
    return rc != 0 ? cli_report(rc, NULL) : emit_library(ctx, lib);
}

int cli_cmd_library_delete(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"library", "deleted"};
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status =
        cli_resource_parse(ctx, argc, argv, delete_options, library_option, &o, 1, 1, &pos);
    CLI_DONE_IF(status);
    char text[300];
    snprintf(text, sizeof(text), "Delete library %s and every version of it?", argv[pos]);
    if ((status = cli_confirm(ctx, o.yes, "deleting a library", text)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_library_delete(client, argv[pos], o.force);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    snprintf(text, sizeof(text), "Deleted library %s.", argv[pos]);
    const char *values[] = {argv[pos]};
    return cli_emit_done(ctx, fields, CLI_COUNT(fields), values, text);
}

int cli_cmd_library_download(cli_ctx *ctx, int argc, char **argv)
{
    library_opts o = {0};
    particle_client *client;
    int pos;
    int status = begin(ctx, argc, argv, download_options, &o, 1, 1, &pos, &client);
    CLI_DONE_IF(status);
    particle_library *lib = NULL;
    int rc = particle_library_get(&lib, client, argv[pos], o.version);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    char default_file[300];
    snprintf(default_file, sizeof(default_file), "%s-%s.tar.gz", lib->name, lib->version);
    const char *file = o.save_to != NULL ? o.save_to : default_file;
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = file;
    cli_transfer_progress bar;
    if (cli_transfer_progress_init(&bar, ctx, "Downloading", false)) {
        dl.progress = cli_transfer_progress_cb;
        dl.progress_payload = &bar;
    }
    particle_response *resp = NULL;
    rc = particle_library_download(&resp, client, lib, &dl);
    cli_transfer_progress_end(&bar);
    particle_library_free(lib);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    size_t size = particle_response_size(resp);
    particle_response_free(resp);
    return cli_emit_saved(ctx, file, size);
}
