#include "vitals.h"

#include "ingest/vitals_flatten.h"

#include <jansson.h>
#include <particle/diagnostics.h>
#include <particle/error.h>
#include <particle/value.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void describe(char *err, size_t err_size, const char *device_id, const char *what)
{
    const particle_error *e = particle_error_last();
    if (what != NULL) {
        snprintf(err, err_size, "vitals of %s: %s", device_id, what);
    } else if (e->http_status > 0) {
        snprintf(err, err_size, "vitals of %s: %s (HTTP %d)", device_id, e->message,
                 e->http_status);
    } else {
        snprintf(err, err_size, "vitals of %s: %s", device_id, e->message);
    }
}

/* Flattens and stores one diagnostics record of @p device_id: 0 with *stored_out, or -1
 * with @p err. */
static int store_record(bridge_writer *writer, const char *device_id, const particle_value *rec,
                        const char *source, bool *stored_out, char *err, size_t err_size)
{
    long long updated = particle_diagnostics_updated_at_ms(rec);
    const particle_value *payload = particle_diagnostics_payload(rec);
    char *text = NULL;
    bridge_vitals v;
    char why[256];
    int result = -1;
    if (updated <= 0 || payload == NULL) {
        describe(err, err_size, device_id, "the answer has no updated_at or payload");
    } else if (particle_value_to_json(&text, payload, 0) != 0) {
        describe(err, err_size, device_id, NULL);
    } else if (bridge_vitals_flatten(&v, device_id, updated, source, text) != 0) {
        describe(err, err_size, device_id, "the payload is not a JSON object");
    } else if (bridge_writer_vitals_put(writer, &v, stored_out, why, sizeof why) != 0) {
        describe(err, err_size, device_id, why);
    } else {
        result = 0;
    }
    particle_free(text);
    return result;
}

int bridge_vitals_collect(particle_client *client, bridge_writer *writer, const char *device_id,
                          const char *product, bridge_vitals_outcome *outcome_out, char *err,
                          size_t err_size)
{
    particle_request_options opts = PARTICLE_REQUEST_OPTIONS_INIT;
    opts.product = product;
    particle_doc *doc = NULL;
    int rc = particle_diagnostics_last(&doc, client, device_id, &opts);
    if (rc == PARTICLE_ENOTFOUND) {
        *outcome_out = BRIDGE_VITALS_NONE; /* never sent vitals: nothing to store yet */
        return 0;
    }
    if (rc != 0) {
        describe(err, err_size, device_id, NULL);
        return -1;
    }
    bool stored = false;
    int result = store_record(writer, device_id, particle_diagnostics_record(doc), "sync", &stored,
                              err, err_size);
    if (result == 0) {
        *outcome_out = stored ? BRIDGE_VITALS_STORED : BRIDGE_VITALS_DUPLICATE;
    }
    particle_doc_free(doc);
    return result;
}

int bridge_vitals_backfill(particle_client *client, bridge_writer *writer, const char *device_id,
                           const char *product, size_t *stored_out, char *err, size_t err_size)
{
    particle_diagnostics_history_options opts = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    opts.product = product;
    particle_doc *doc = NULL;
    if (particle_diagnostics_history(&doc, client, device_id, &opts) != 0) {
        describe(err, err_size, device_id, NULL);
        return -1;
    }
    const particle_value *list = particle_value_get(particle_doc_root(doc), "diagnostics");
    int result = 0;
    *stored_out = 0;
    for (size_t i = 0; result == 0 && i < particle_value_count(list); i++) {
        bool stored = false;
        result = store_record(writer, device_id, particle_value_at(list, i), "history", &stored,
                              err, err_size);
        *stored_out += stored;
    }
    particle_doc_free(doc);
    return result;
}
