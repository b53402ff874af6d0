/* Ledger definitions (cloud-api.md §13 "Ledger", particle-api-js.md §2.9): list, get,
 * create, update, archive, in the sandbox or an organization. */
#include "particle/ledgers.h"

#include <stdio.h>

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "ledger_internal.h"

int particle_ledger_list_options_init(particle_ledger_list_options *opts, unsigned int version)
{
    static const particle_ledger_list_options defaults = PARTICLE_LEDGER_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_LEDGER_LIST_OPTIONS_VERSION, "ledger list");
}

int particle_ledger_options_init(particle_ledger_options *ledger, unsigned int version)
{
    static const particle_ledger_options defaults = PARTICLE_LEDGER_OPTIONS_INIT;
    return particle__options_init(ledger, &defaults, sizeof(defaults), version,
                                  PARTICLE_LEDGER_OPTIONS_VERSION, "ledger");
}

/* Appends "key=<n>" when @p n is not 0. */
static void append_count(pu_buf *query, const char *key, unsigned int n)
{
    if (n != 0) {
        char text[16];
        snprintf(text, sizeof(text), "%u", n);
        pu_buf_append_param(query, key, text);
    }
}

int particle_ledger_list(particle_doc **out, particle_client *c, const char *org,
                         const particle_ledger_list_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (opts != NULL) {
        int error = particle__options_check(opts->version, PARTICLE_LEDGER_LIST_OPTIONS_VERSION,
                                            "ledger list");
        if (error < 0) {
            return error;
        }
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    if (opts != NULL) {
        if (opts->scope != NULL && opts->scope[0] != '\0') {
            pu_buf_append_param(&query, "scope", opts->scope);
        }
        append_count(&query, "page", opts->page);
        append_count(&query, "per_page", opts->per_page);
        if (opts->archived) {
            pu_buf_append_param(&query, "archived", "true");
        }
    }
    int error = 0;
    if (pu_buf_error(&query) != 0) {
        error = particle__error_set(particle__buf_code(&query), "cannot build the query string");
    }
    if (error == 0) {
        particle__ledger_at at = {.org = org};
        error = particle__ledger_get(out, c, &at, query.data, "ledger_definitions", "ledger list");
    }
    pu_buf_dispose(&query);
    return error;
}

int particle_ledger_get(particle_doc **out, particle_client *c, const char *org, const char *name)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(name, "ledger name");
    if (error < 0) {
        return error;
    }
    particle__ledger_at at = {.org = org, .name = name};
    return particle__ledger_get(out, c, &at, NULL, NULL, "ledger");
}

/* {"ledger": {the fields of @p l that are set}}; *count_out = how many. */
static int ledger_body(json_t **out, const particle_ledger_options *l, int *count_out)
{
    *out = NULL;
    *count_out = 0;
    if (l == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "ledger options are NULL");
    }
    int error = particle__options_check(l->version, PARTICLE_LEDGER_OPTIONS_VERSION, "ledger");
    if (error < 0) {
        return error;
    }
    const struct {
        const char *key, *value;
    } fields[] = {{"name", l->name},
                  {"description", l->description},
                  {"scope", l->scope},
                  {"direction", l->direction}};
    json_t *ledger = json_object();
    error = ledger == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    for (size_t i = 0; error == 0 && i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (fields[i].value == NULL) {
            continue;
        }
        if (fields[i].value[0] == '\0' && i != 1) { /* only the description may be "" */
            error = particle__error_set(PARTICLE_EINVAL, "ledger %s is empty", fields[i].key);
        } else {
            error = particle__json_add_text(ledger, fields[i].key, fields[i].value, fields[i].key);
            ++*count_out;
        }
    }
    json_t *body = error == 0 ? json_object() : NULL;
    if (error == 0) {
        error = particle__json_set(body, "ledger", ledger); /* takes ledger, also on failure */
        ledger = NULL;
    }
    json_decref(ledger);
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

int particle_ledger_create(particle_doc **out, particle_client *c, const char *org,
                           const particle_ledger_options *ledger)
{
    json_t *body = NULL;
    int count = 0;
    if (out != NULL) {
        *out = NULL;
    }
    int error = ledger_body(&body, ledger, &count);
    if (error == 0 &&
        (ledger->name == NULL || ledger->scope == NULL || ledger->direction == NULL)) {
        error = particle__error_set(PARTICLE_EINVAL, "a new ledger needs a name, a scope and a "
                                                     "direction");
    }
    if (error == 0) {
        particle__ledger_at at = {.org = org};
        error = particle__ledger_send(out, c, "POST", &at, NULL, body);
    }
    json_decref(body);
    return error;
}

int particle_ledger_update(particle_doc **out, particle_client *c, const char *org,
                           const char *name, const particle_ledger_options *changes)
{
    json_t *body = NULL;
    int count = 0;
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(name, "ledger name");
    if (error == 0) {
        error = ledger_body(&body, changes, &count);
    }
    if (error == 0 && count == 0) {
        error = particle__error_set(PARTICLE_EINVAL, "the ledger update sets no field");
    }
    if (error == 0) {
        particle__ledger_at at = {.org = org, .name = name};
        error = particle__ledger_send(out, c, "PUT", &at, NULL, body);
    }
    json_decref(body);
    return error;
}

int particle_ledger_archive(particle_client *c, const char *org, const char *name)
{
    int error = particle__require(name, "ledger name");
    if (error < 0) {
        return error;
    }
    particle__ledger_at at = {.org = org, .name = name};
    return particle__ledger_send(NULL, c, "DELETE", &at, NULL, NULL);
}
