#include "sim_card_sync.h"

#include <particle/error.h>
#include <particle/sims.h>
#include <particle/value.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"
#include "pu_time.h"

#define MAX_USAGE_DAYS 62 /* a billing period is at most a month; leave room */

static const char *text_at(const particle_value *o, const char *key)
{
    const char *s = particle_value_string(particle_value_get(o, key));
    return s != NULL ? s : "";
}

static int64_t time_at(const particle_value *o, const char *key)
{
    int64_t ms;
    const char *s = particle_value_string(particle_value_get(o, key));
    return s != NULL && pu_time_parse_iso8601(s, &ms) == 0 ? ms : 0;
}

/* "YYYY-MM-DD" (the usage dates) as midnight UTC; -1 when it is not such a date. */
static int64_t day_ms(const char *date)
{
    char iso[32];
    int64_t ms;
    if (date == NULL || strlen(date) != 10) {
        return -1;
    }
    snprintf(iso, sizeof iso, "%sT00:00:00Z", date);
    return pu_time_parse_iso8601(iso, &ms) == 0 ? ms : -1;
}

/* The SIM object's fields into @p out (texts truncated to the store's sizes). */
static void fill_sim(bridge_sim *out, const particle_value *s, const char *iccid,
                     const char *device_id)
{
    pu_strlcpy(out->iccid, iccid, sizeof out->iccid);
    pu_strlcpy(out->device_id, device_id, sizeof out->device_id);
    pu_strlcpy(out->base_country_code, text_at(s, "base_country_code"),
               sizeof out->base_country_code);
    out->base_monthly_rate = particle_value_double(particle_value_get(s, "base_monthly_rate"), 0);
    out->overage_monthly_rate =
        particle_value_double(particle_value_get(s, "overage_monthly_rate"), 0);
    out->first_activated_on_ms = time_at(s, "first_activated_on");
    out->last_activated_on_ms = time_at(s, "last_activated_on");
    pu_strlcpy(out->imsi, text_at(s, "imsi"), sizeof out->imsi);
    long long limit = particle_sim_mb_limit(s);
    out->limit_mb = limit > 0 ? (double)limit : 0;
    pu_strlcpy(out->status, text_at(s, "status"), sizeof out->status);
    pu_strlcpy(out->carrier, text_at(s, "carrier"), sizeof out->carrier);
    pu_strlcpy(out->last_status_change_action, text_at(s, "last_status_change_action"),
               sizeof out->last_status_change_action);
    pu_strlcpy(out->last_status_change_action_error, text_at(s, "last_status_change_action_error"),
               sizeof out->last_status_change_action_error);
    out->last_updated_ms = time_at(s, "updated_at");
}

/* usage_by_day into out->usage (owned by @p out), days with a malformed date skipped.
 * Returns 0 or -1 (out of memory). */
static int fill_usage(bridge_sim *out, const particle_value *usage)
{
    const particle_value *days = particle_sim_usage_days(usage);
    size_t n = particle_value_count(days);
    if (n > MAX_USAGE_DAYS) {
        n = MAX_USAGE_DAYS; /* the oldest days of an oversized answer are kept */
    }
    out->usage = calloc(n ? n : 1, sizeof *out->usage);
    if (out->usage == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const particle_value *d = particle_value_at(days, i);
        int64_t date = day_ms(particle_value_string(particle_value_get(d, "date")));
        if (date < 0) {
            continue;
        }
        bridge_sim_usage *u = &out->usage[out->usage_count++];
        u->date_ms = date;
        u->used_mb = particle_value_double(particle_value_get(d, "mbs_used"), 0);
        u->cumulative_mb = particle_value_double(particle_value_get(d, "mbs_used_cumulative"), 0);
    }
    return 0;
}

static int fail(char *err, size_t err_size, const char *what, const char *iccid)
{
    const particle_error *e = particle_error_last();
    if (e->http_status > 0) {
        snprintf(err, err_size, "%s of SIM %s: %s (HTTP %d)", what, iccid, e->message,
                 e->http_status);
    } else {
        snprintf(err, err_size, "%s of SIM %s: %s", what, iccid, e->message);
    }
    return -1;
}

/* A flag of sim_status: 1, 0, or -1 when null or absent (the task is not complete). */
static int network_flag(const particle_value *status, const char *key)
{
    const particle_value *v = particle_value_get(status, key);
    if (v == NULL || particle_value_type_of(v) != PARTICLE_VALUE_BOOL) {
        return -1;
    }
    return particle_value_bool(v, 0) ? 1 : 0;
}

/* One poll of the SIM's cellular status task (§7.6): a complete answer replaces @p net; a
 * pending one (202, the task just started or still running) leaves it, and a later sync
 * reads the result. Returns the request's code. */
static int read_network(particle_client *client, const char *iccid,
                        const particle_request_options *ro, int64_t now_ms, bridge_sim_network *net)
{
    particle_doc *doc = NULL;
    int complete = 0;
    int rc = particle_sim_status(&doc, &complete, client, iccid, ro);
    if (rc == 0 && complete) {
        const particle_value *status = particle_value_get(particle_doc_root(doc), "sim_status");
        *net = (bridge_sim_network){network_flag(status, "connected"),
                                    network_flag(status, "gsm_connection"),
                                    network_flag(status, "data_connection"), now_ms};
    }
    particle_doc_free(doc);
    return rc;
}

static bool not_ours(int rc)
{
    return rc == PARTICLE_ENOTFOUND || rc == PARTICLE_EFORBIDDEN;
}

int bridge_sim_card_sync(particle_client *client, bridge_store *store, bridge_writer *writer,
                         const char *iccid, const char *device_id, const char *product,
                         int64_t now_ms, bridge_sim_card_outcome *outcome_out, char *err,
                         size_t err_size)
{
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = product;
    particle_doc *sim = NULL, *usage = NULL;
    bridge_sim stored = {0}, fresh = {0};
    int result = -1;

    int rc = particle_sim_get(&sim, client, iccid, &ro);
    if (not_ours(rc)) {
        *outcome_out = BRIDGE_SIM_CARD_NOT_OURS;
        return 0;
    }
    if (rc != 0) {
        return fail(err, err_size, "getting", iccid);
    }
    rc = particle_sim_data_usage(&usage, client, iccid, &ro);
    if (not_ours(rc)) {
        *outcome_out = BRIDGE_SIM_CARD_NOT_OURS;
        result = 0;
        goto done;
    }
    if (rc != 0) {
        fail(err, err_size, "getting the data usage", iccid);
        goto done;
    }
    fill_sim(&fresh, particle_doc_root(sim), iccid, device_id);
    /* DateAdded is when the bridge first saw the SIM */
    int got = bridge_store_sim_get(store, iccid, &stored);
    fresh.date_added_ms = got == 0 && stored.date_added_ms > 0 ? stored.date_added_ms : now_ms;
    fresh.network = got == 0 ? stored.network : BRIDGE_SIM_NETWORK_UNKNOWN;
    int network_rc = read_network(client, iccid, &ro, now_ms, &fresh.network);
    if (fill_usage(&fresh, particle_doc_root(usage)) != 0) {
        snprintf(err, err_size, "SIM %s: out of memory", iccid);
        goto done;
    }
    char why[256];
    if (bridge_writer_sim_upsert(writer, &fresh, why, sizeof why) != 0) {
        snprintf(err, err_size, "storing SIM %s: %s", iccid, why);
        goto done;
    }
    *outcome_out = BRIDGE_SIM_CARD_STORED;
    result = 0;
    /* the SIM is stored; a rate limit on the status poll still has to reach the caller, who
     * pauses the budget. Other status failures only leave the last known status. */
    if (network_rc == PARTICLE_ERATELIMIT) {
        fail(err, err_size, "getting the network status", iccid);
        result = -1;
    }
done:
    bridge_sim_dispose(&stored);
    bridge_sim_dispose(&fresh);
    particle_doc_free(sim);
    particle_doc_free(usage);
    return result;
}
