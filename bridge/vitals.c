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

int bridge_vitals_collect(particle_client *client, bridge_writer *writer, const char *device_id,
                          const char *product, bridge_vitals_outcome *outcome_out, char *err,
                          size_t err_size)
{
    particle_request_options opts = PARTICLE_REQUEST_OPTIONS_INIT;
    opts.product = product;
    particle_doc *doc = NULL;
    char *text = NULL;
    int result = -1;
    int rc = particle_diagnostics_last(&doc, client, device_id, &opts);
    if (rc == PARTICLE_ENOTFOUND) {
        *outcome_out = BRIDGE_VITALS_NONE; /* never sent vitals: nothing to store yet */
        return 0;
    }
    if (rc != 0) {
        describe(err, err_size, device_id, NULL);
        return -1;
    }
    const particle_value *rec = particle_diagnostics_record(doc);
    long long updated = particle_diagnostics_updated_at_ms(rec);
    const particle_value *payload = particle_diagnostics_payload(rec);
    bridge_vitals v;
    bool stored = false;
    char why[256];
    if (updated <= 0 || payload == NULL) {
        describe(err, err_size, device_id, "the answer has no updated_at or payload");
    } else if (particle_value_to_json(&text, payload, 0) != 0) {
        describe(err, err_size, device_id, NULL);
    } else if (bridge_vitals_flatten(&v, device_id, updated, "sync", text) != 0) {
        describe(err, err_size, device_id, "the payload is not a JSON object");
    } else if (bridge_writer_vitals_put(writer, &v, &stored, why, sizeof why) != 0) {
        describe(err, err_size, device_id, why);
    } else {
        *outcome_out = stored ? BRIDGE_VITALS_STORED : BRIDGE_VITALS_DUPLICATE;
        result = 0;
    }
    particle_free(text);
    particle_doc_free(doc);
    return result;
}
