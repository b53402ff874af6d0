/* Remote diagnostics (cloud-api.md §7.1-7.5): refresh, last known vitals, history,
 * metadata; and getters on a diagnostics record. */
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "particle/diagnostics.h"
#include "pu_time.h"
#include "value_internal.h"

/* "/v1/diagnostics/<device>[/<suffix>]" or, with a product,
 * "/v1/products/<product>/diagnostics/<device>[/<suffix>]"; NULL with the error set. */
static char *diagnostics_path(const char *product, const char *device, const char *suffix)
{
    if (particle__require(device, "device id") < 0 ||
        (product != NULL && particle__require(product, "product id or slug") < 0)) {
        return NULL;
    }
    return particle__api_path(product, "diagnostics", device, suffix);
}

/* Performs one diagnostics call; a 2xx answer whose root lacks @p member of JSON type
 * @p type (0 = no check) is PARTICLE_EPROTO. */
static int diagnostics_call(particle_doc **out, particle_client *c, const char *method,
                            const char *product, const char *device, const char *suffix,
                            const char *query, bool retry_unsafe, const char *member,
                            json_type type)
{
    char *path = NULL;
    json_t *root = NULL;
    int error;
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        error = particle__error_set(PARTICLE_EINVAL, "client is NULL");
        goto done;
    }
    if ((path = diagnostics_path(product, device, suffix)) == NULL) {
        error = particle_error_last()->code;
        goto done;
    }
    particle__request req = {
        .method = method, .path = path, .query = query, .retry_unsafe = retry_unsafe};
    if ((error = particle__http_perform(c, &req, &root)) < 0) {
        goto done;
    }
    json_t *m = member != NULL ? json_object_get(root, member) : NULL;
    if (member != NULL && (m == NULL || json_typeof(m) != type)) {
        error = particle__error_set(PARTICLE_EPROTO, "the diagnostics answer has no %s %s", member,
                                    type == JSON_ARRAY ? "array" : "object");
        goto done;
    }
    error = 0;
    if (out != NULL) {
        error = particle__doc_wrap(out, root); /* takes root, also on failure */
        root = NULL;
    }
done:
    json_decref(root);
    particle__free(path);
    return error;
}

int particle_diagnostics_refresh(particle_doc **out, particle_client *c, const char *device,
                                 const particle_request_options *opts)
{
    bool retry = opts != NULL && (opts->flags & PARTICLE_REQUEST_RETRY) != 0;
    return diagnostics_call(out, c, "POST", particle__request_product(opts), device, "update", NULL,
                            retry, NULL, JSON_NULL);
}

int particle_diagnostics_last(particle_doc **out, particle_client *c, const char *device,
                              const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    return diagnostics_call(out, c, "GET", particle__request_product(opts), device, "last", NULL,
                            false, "diagnostics", JSON_OBJECT);
}

int particle_diagnostics_metadata(particle_doc **out, particle_client *c, const char *device,
                                  const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    return diagnostics_call(out, c, "GET", particle__request_product(opts), device, "metadata",
                            NULL, false, "diagnostics_metadata", JSON_OBJECT);
}

int particle_diagnostics_history_options_init(particle_diagnostics_history_options *opts,
                                              unsigned int version)
{
    static const particle_diagnostics_history_options defaults =
        PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_VERSION, "history");
}

/* "start_date=...&end_date=..." with the dates the options set (ISO 8601, UTC). */
static int history_query(pu_buf *q, const particle_diagnostics_history_options *o)
{
    char iso[PU_ISO8601_SIZE];
    if (o->start_ms < 0 || o->end_ms < 0) {
        return particle__error_set(PARTICLE_EINVAL, "a history date is before 1970");
    }
    if (o->start_ms > 0 && o->end_ms > 0 && o->end_ms < o->start_ms) {
        return particle__error_set(PARTICLE_EINVAL, "the history ends before it starts");
    }
    int rc = 0;
    if (o->start_ms > 0) {
        rc |= pu_buf_append_param(q, "start_date", pu_time_iso8601(o->start_ms, iso));
    }
    if (o->end_ms > 0) {
        rc |= pu_buf_append_param(q, "end_date", pu_time_iso8601(o->end_ms, iso));
    }
    if (rc != 0) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    return 0;
}

int particle_diagnostics_history(particle_doc **out, particle_client *c, const char *device,
                                 const particle_diagnostics_history_options *opts)
{
    particle_diagnostics_history_options defaults = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    int error;
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (opts == NULL) {
        opts = &defaults;
    } else if ((error = particle__options_check(
                    opts->version, PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_VERSION, "history")) < 0) {
        return error;
    }
    if ((error = history_query(&query, opts)) == 0) {
        error = diagnostics_call(out, c, "GET", opts->product, device, NULL, query.data, false,
                                 "diagnostics", JSON_ARRAY);
    }
    pu_buf_dispose(&query);
    return error;
}

/* ---- getters ---- */

const particle_value *particle_diagnostics_record(const particle_doc *doc)
{
    const particle_value *rec = particle_value_get(particle_doc_root(doc), "diagnostics");
    return particle_value_type_of(rec) == PARTICLE_VALUE_OBJECT ? rec : NULL;
}

const char *particle_diagnostics_device_id(const particle_value *record)
{
    return particle_value_string(particle_value_get(record, "deviceID"));
}

long long particle_diagnostics_updated_at_ms(const particle_value *record)
{
    const char *text = particle_value_string(particle_value_get(record, "updated_at"));
    int64_t ms;
    if (text == NULL || pu_time_parse_iso8601(text, &ms) != 0) {
        return -1;
    }
    return (long long)ms;
}

const particle_value *particle_diagnostics_payload(const particle_value *record)
{
    const particle_value *p = particle_value_get(record, "payload");
    return particle_value_type_of(p) == PARTICLE_VALUE_OBJECT ? p : NULL;
}
