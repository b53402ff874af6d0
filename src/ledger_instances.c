/* Ledger instances and their versions (cloud-api.md §13 "Ledger", particle-api-js.md
 * §2.9): list, get, set (Replace or Merge), delete, versions list and one version. */
#include <stdio.h>

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "ledger_internal.h"

int particle_ledger_instance_list(particle_doc **out, particle_client *c, const char *org,
                                  const char *name, unsigned int page, unsigned int per_page)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(name, "ledger name");
    if (error < 0) {
        return error;
    }
    char query[64];
    size_t used = 0;
    query[0] = '\0';
    if (page != 0) {
        used += (size_t)snprintf(query, sizeof(query), "page=%u", page);
    }
    if (per_page != 0) {
        snprintf(query + used, sizeof(query) - used, "%sper_page=%u", used != 0 ? "&" : "",
                 per_page);
    }
    particle__ledger_at at = {.org = org, .name = name, .instances = true};
    return particle__ledger_get(out, c, &at, query[0] != '\0' ? query : NULL, "instances",
                                "ledger instance list");
}

int particle_ledger_instance_get(particle_doc **out, particle_client *c, const char *org,
                                 const char *name, const char *scope_value)
{
    if (out != NULL) {
        *out = NULL;
    }
    particle__ledger_at at = {.org = org, .name = name, .scope_value = scope_value};
    int error = particle__require(scope_value, "scope value");
    return error < 0 ? error : particle__ledger_get(out, c, &at, NULL, NULL, "ledger instance");
}

/* {"instance": {"data": <data_json parsed>}}, the data a JSON object. */
static int instance_body(json_t **out, const char *data_json)
{
    *out = NULL;
    if (data_json == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "ledger data is NULL");
    }
    json_error_t jerr;
    json_t *data = json_loads(data_json, JSON_REJECT_DUPLICATES, &jerr);
    if (data == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "ledger data is not JSON: %s", jerr.text);
    }
    if (!json_is_object(data)) {
        json_decref(data);
        return particle__error_set(PARTICLE_EINVAL, "ledger data is not a JSON object");
    }
    json_t *instance = json_object();
    json_t *body = json_object();
    int error = particle__json_set(instance, "data", data); /* takes data, also on failure */
    if (error == 0) {
        error = particle__json_set(body, "instance", instance);
    } else {
        json_decref(instance);
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

int particle_ledger_instance_set(particle_doc **out, particle_client *c, const char *org,
                                 const char *name, const char *scope_value, const char *data_json,
                                 particle_ledger_set_mode mode)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (mode != PARTICLE_LEDGER_SET_REPLACE && mode != PARTICLE_LEDGER_SET_MERGE) {
        return particle__error_set(PARTICLE_EINVAL, "unknown ledger set mode %d", (int)mode);
    }
    int error = particle__require(name, "ledger name");
    if (error == 0) {
        error = particle__require(scope_value, "scope value");
    }
    json_t *body = NULL;
    if (error == 0) {
        error = instance_body(&body, data_json);
    }
    if (error == 0) {
        particle__ledger_at at = {.org = org, .name = name, .scope_value = scope_value};
        const char *query =
            mode == PARTICLE_LEDGER_SET_MERGE ? "set_mode=Merge" : "set_mode=Replace";
        error = particle__ledger_send(out, c, "PUT", &at, query, body);
    }
    json_decref(body);
    return error;
}

int particle_ledger_instance_delete(particle_client *c, const char *org, const char *name,
                                    const char *scope_value)
{
    int error = particle__require(scope_value, "scope value");
    if (error < 0) {
        return error;
    }
    particle__ledger_at at = {.org = org, .name = name, .scope_value = scope_value};
    return particle__ledger_send(NULL, c, "DELETE", &at, NULL, NULL);
}

int particle_ledger_version_list(particle_doc **out, particle_client *c, const char *org,
                                 const char *name, const char *scope_value,
                                 const char *replaced_before, const char *replaced_after)
{
    if (out != NULL) {
        *out = NULL;
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    if (replaced_before != NULL && replaced_before[0] != '\0') {
        pu_buf_append_param(&query, "replaced_before", replaced_before);
    }
    if (replaced_after != NULL && replaced_after[0] != '\0') {
        pu_buf_append_param(&query, "replaced_after", replaced_after);
    }
    int error = 0;
    if (pu_buf_error(&query) != 0) {
        error = particle__error_set(particle__buf_code(&query), "cannot build the query string");
    }
    if (error == 0) {
        error = particle__require(scope_value, "scope value");
    }
    if (error == 0) {
        particle__ledger_at at = {
            .org = org, .name = name, .scope_value = scope_value, .versions = true};
        error = particle__ledger_get(out, c, &at, query.data, "versions", "ledger version list");
    }
    pu_buf_dispose(&query);
    return error;
}

int particle_ledger_version_get(particle_doc **out, particle_client *c, const char *org,
                                const char *name, const char *scope_value, const char *version)
{
    if (out != NULL) {
        *out = NULL;
    }
    particle__ledger_at at = {
        .org = org, .name = name, .scope_value = scope_value, .version = version};
    int error = particle__require(version, "version");
    if (error == 0) {
        error = particle__require(scope_value, "scope value");
    }
    return error < 0 ? error
                     : particle__ledger_get(out, c, &at, NULL, NULL, "ledger instance version");
}
