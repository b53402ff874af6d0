/* Device vitals of simulated devices: records and the payload rendered from them. */
#include "model/sim_vitals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_internal.h"
#include "pu_hash.h"
#include "pu_str.h"
#include "pu_time.h"

typedef struct vitals_rec {
    int64_t at_ms;
    int64_t boot_ms; /* when the device's current session started (uptime) */
    uint32_t device;
    uint32_t prev;     /* the device's previous record, or SIM_NONE */
    uint32_t connects; /* connects recorded for the device up to this record */
    uint32_t seq;      /* records of the device up to this one, from 1 */
} vitals_rec;

struct sim_vitals {
    vitals_rec *recs;
    uint32_t count, cap;
    uint32_t *last; /* per device index: newest record, SIM_NONE when none */
    uint32_t last_cap;
};

/* The slot of @p dev's oldest record when it has SIM_VITALS_KEPT of them: that slot is
 * taken for the new record (the one after it becomes the oldest), so a client that asks for
 * refresh after refresh cannot grow the simulator's memory. SIM_NONE otherwise. */
static uint32_t reuse_oldest(struct sim_vitals *v, uint32_t newest)
{
    uint32_t kept = 0, oldest = newest, after_oldest = SIM_NONE;
    for (uint32_t r = newest; r != SIM_NONE; r = v->recs[r].prev) {
        kept++;
        after_oldest = oldest;
        oldest = r;
    }
    if (kept < SIM_VITALS_KEPT)
        return SIM_NONE;
    v->recs[after_oldest].prev = SIM_NONE;
    return oldest;
}

uint32_t sim_vitals_record(sim_model *m, uint32_t dev, int64_t at_ms, bool connect)
{
    if (!m->vitals) {
        m->vitals = calloc(1, sizeof(*m->vitals));
        if (!m->vitals)
            abort();
    }
    struct sim_vitals *v = m->vitals;
    if (dev >= v->last_cap) {
        uint32_t old = v->last_cap;
        sim_model_reserve((void **)&v->last, dev + 1, &v->last_cap, sizeof(*v->last));
        for (uint32_t i = old; i < v->last_cap; i++)
            v->last[i] = SIM_NONE;
    }
    uint32_t prev = v->last[dev];
    uint32_t slot = prev != SIM_NONE ? reuse_oldest(v, prev) : SIM_NONE;
    if (slot == SIM_NONE) {
        if (v->count == UINT32_MAX - 1)
            abort();
        sim_model_reserve((void **)&v->recs, v->count + 1, &v->cap, sizeof(*v->recs));
        slot = v->count++;
    }
    const vitals_rec *p = prev != SIM_NONE ? &v->recs[prev] : NULL;
    vitals_rec *r = &v->recs[slot];
    r->at_ms = at_ms;
    r->device = dev;
    r->prev = prev;
    r->seq = p ? p->seq + 1 : 1;
    r->connects = (p ? p->connects : 0) + (connect ? 1 : 0);
    /* A connect starts a session a few seconds after boot; a refresh continues the last
     * one (a device first seen through a refresh booted a minute earlier). */
    if (connect || !p)
        r->boot_ms = at_ms - (connect ? 5000 : 60000);
    else
        r->boot_ms = p->boot_ms;
    v->last[dev] = slot;
    return slot;
}

uint32_t sim_vitals_last(const sim_model *m, uint32_t dev)
{
    const struct sim_vitals *v = m->vitals;
    return v && dev < v->last_cap ? v->last[dev] : SIM_NONE;
}

uint32_t sim_vitals_prev(const sim_model *m, uint32_t rec)
{
    return m->vitals->recs[rec].prev;
}

int64_t sim_vitals_at(const sim_model *m, uint32_t rec)
{
    return m->vitals->recs[rec].at_ms;
}

void sim_vitals_free(struct sim_vitals *v)
{
    if (!v)
        return;
    free(v->recs);
    free(v->last);
    free(v);
}

/* A value in [lo, hi] rounded to two decimals, as the cloud shows percentages. */
static double pct(uint64_t *rng, double lo, double hi)
{
    return round((lo + pu_rand_double(rng) * (hi - lo)) * 100.0) / 100.0;
}

static json_int_t between(uint64_t *rng, json_int_t lo, json_int_t hi)
{
    return lo + (json_int_t)(pu_rand_next(rng) % (uint64_t)(hi - lo + 1));
}

static json_t *network_json(const sim_device *d, const vitals_rec *r, uint64_t id_hash,
                            uint64_t *rng)
{
    static const char *const operators[] = {"AT&T Wireless Inc.", "T-Mobile USA", "Vodafone"};
    json_t *net = json_object();
    json_t *signal;
    if (d->cellular) {
        json_object_set_new(
            net, "cellular",
            json_pack("{s:s, s:s, s:{s:i, s:s, s:I, s:I}}", "radio_access_technology", "LTE",
                      "operator", operators[id_hash % 3], "cell_global_identity",
                      "mobile_country_code", 310, "mobile_network_code", "410",
                      "location_area_code", (json_int_t)(45000 + id_hash % 1000), "cell_id",
                      (json_int_t)(20160000 + (id_hash >> 10) % 100000)));
        signal =
            json_pack("{s:s, s:f, s:s, s:I, s:s, s:s, s:f, s:s, s:I, s:s, s:s}", "at", "LTE Cat-M1",
                      "strength", pct(rng, 40, 95), "strength_units", "%", "strengthv",
                      between(rng, -110, -70), "strengthv_units", "dBm", "strengthv_type", "RSRP",
                      "quality", pct(rng, 30, 90), "quality_units", "%", "qualityv",
                      between(rng, -15, -3), "qualityv_units", "dB", "qualityv_type", "RSRQ");
    } else {
        signal = json_pack("{s:s, s:f, s:s, s:I, s:s, s:s, s:f, s:s, s:I, s:s, s:s}", "at", "Wi-Fi",
                           "strength", pct(rng, 50, 100), "strength_units", "%", "strengthv",
                           between(rng, -80, -40), "strengthv_units", "dBm", "strengthv_type",
                           "RSSI", "quality", pct(rng, 40, 100), "quality_units", "%", "qualityv",
                           between(rng, 10, 40), "qualityv_units", "dB", "qualityv_type", "SNR");
    }
    json_object_set_new(net, "signal", signal);
    json_object_set_new(net, "connection",
                        json_pack("{s:s, s:i, s:I, s:I, s:s}", "status", "connected", "error", 0,
                                  "disconnects", (json_int_t)(r->connects ? r->connects - 1 : 0),
                                  "attempts", (json_int_t)(r->connects ? r->connects : 1),
                                  "disconnect_reason", r->connects > 1 ? "reset" : "none"));
    return net;
}

json_t *sim_vitals_payload(const sim_model *m, uint32_t rec)
{
    const vitals_rec *r = &m->vitals->recs[rec];
    const sim_device *d = &m->devices[r->device];
    const sim_template *t = &m->templates[d->tmpl];
    uint64_t id_hash = pu_fnv1a64(d->id);
    uint64_t rng = m->seed ^ id_hash ^ (0x9e3779b97f4a7c15ull * r->seq);
    json_int_t uptime_s = (json_int_t)((r->at_ms - r->boot_ms) / 1000);
    json_int_t disconnects = (json_int_t)(r->connects ? r->connects - 1 : 0);
    json_int_t sent = 0;
    for (uint32_t p = 0; p < t->pub_count; p++)
        sent += d->pubs[p].counter;
    json_int_t transmit = 20 + uptime_s / 30 + sent;
    json_int_t round_trip = between(&rng, 150, 1500);

    json_t *device = json_object();
    json_object_set_new(device, "network", network_json(d, r, id_hash, &rng));
    json_object_set_new(device, "cloud",
                        json_pack("{s:{s:s, s:i, s:I, s:I, s:s}, s:{s:I, s:I, s:i, s:I}, s:{s:i}}",
                                  "connection", "status", "connected", "error", 0, "attempts",
                                  (json_int_t)(r->connects ? r->connects : 1), "disconnects",
                                  disconnects, "disconnect_reason", disconnects ? "error" : "none",
                                  "coap", "transmit", transmit, "retransmit", between(&rng, 0, 5),
                                  "unack", 0, "round_trip", round_trip, "publish", "rate_limited",
                                  0));
    if (d->cellular) {
        double charge = pct(&rng, 20, 100);
        json_object_set_new(device, "power",
                            json_pack("{s:{s:f, s:s}, s:s}", "battery", "charge", charge, "state",
                                      charge > 95 ? "charged" : "discharging", "source", "VIN"));
    }
    json_int_t total = d->cellular ? 113664 : 83680;
    json_object_set_new(device, "system",
                        json_pack("{s:I, s:{s:I, s:I}}", "uptime", uptime_s, "memory", "used",
                                  between(&rng, 30000, 60000), "total", total));
    return json_pack("{s:o, s:{s:{s:s}, s:{s:I, s:{s:I}}, s:{s:I}}}", "device", device, "service",
                     "device", "status", "ok", "cloud", "uptime", uptime_s, "publish", "sent", sent,
                     "coap", "round_trip", round_trip - 10);
}

json_t *sim_vitals_record_json(const sim_model *m, uint32_t rec)
{
    const vitals_rec *r = &m->vitals->recs[rec];
    char at[PU_ISO8601_SIZE];
    return json_pack("{s:s, s:s, s:o}", "updated_at", pu_time_iso8601(r->at_ms, at), "deviceID",
                     m->devices[r->device].id, "payload", sim_vitals_payload(m, rec));
}

void sim_vitals_refresh(sim_model *m, uint32_t dev)
{
    /* One reading of the (running) clock: the event's published_at is the record's
     * updated_at, so a client can match the two. */
    int64_t now = sim_model_now(m);
    uint32_t rec = sim_vitals_record(m, dev, now, false);
    json_t *payload = sim_vitals_payload(m, rec);
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    if (!text)
        abort();
    sim_model_emit_device_event_at(m, dev, "spark/device/diagnostics/update", text, true, now);
    free(text);
}

/* One metadata leaf in the shape of §7.5. */
static json_t *leaf(const char *title, const char *type, int priority, const char *units)
{
    json_t *o = json_pack("{s:s, s:s, s:i}", "title", title, "type", type, "priority", priority);
    if (units)
        json_object_set_new(o, "units", json_string(units));
    return o;
}

json_t *sim_vitals_metadata(void)
{
    json_t *strength = leaf("Signal strength", "number", 1, "%");
    json_object_set_new(strength, "ranges",
                        json_pack("{s:s, s:i}", "type", "below", "warning", 20));
    json_object_set_new(strength, "messages",
                        json_pack("{s:s, s:s, s:s}", "description",
                                  "The strength of the device's connection to the network",
                                  "healthy", "The signal is strong", "warning",
                                  "The signal is weak"));
    json_t *used = leaf("Memory used", "number", 2, NULL);
    json_object_set_new(
        used, "units",
        json_pack("{s:s, s:{s:s, s:i}}", "title", "kB", "convert", "type", "divide", "by", 1024));
    json_object_set_new(used, "ranges",
                        json_pack("{s:s, s:f, s:s, s:s}", "type", "ratio_above", "ratio", 0.9,
                                  "param1", "device.system.memory.used", "param2",
                                  "device.system.memory.total"));
    json_t *total = leaf("Total memory", "number", 3, NULL);
    json_object_set_new(total, "describes", json_string("device.system.memory.used"));
    json_t *status = leaf("Device status", "string", 1, NULL);
    json_object_set_new(status, "values",
                        json_pack("{s:[s,s], s:[s], s:[s]}", "all", "ok", "error", "healthy", "ok",
                                  "warning", "error"));
    json_t *device =
        json_pack("{s:{s:{s:o, s:o}, s:{s:o, s:o}}, s:{s:{s:o}, s:{s:o}}, s:{s:{s:o}}, s:{s:o, "
                  "s:{s:o, s:o}}}",
                  "network", "signal", "strength", strength, "quality",
                  leaf("Signal quality", "number", 2, "%"), "connection", "status",
                  leaf("Network status", "string", 3, NULL), "disconnects",
                  leaf("Network disconnects", "number", 3, NULL), "cloud", "connection",
                  "disconnects", leaf("Cloud disconnects", "number", 2, NULL), "coap", "round_trip",
                  leaf("Round-trip time", "number", 3, "ms"), "power", "battery", "charge",
                  leaf("Battery charge", "number", 1, "%"), "system", "uptime",
                  leaf("Uptime", "number", 3, "s"), "memory", "used", used, "total", total);
    json_t *service = json_pack("{s:{s:o}, s:{s:o, s:{s:o}}}", "device", "status", status, "cloud",
                                "uptime", leaf("Cloud session uptime", "number", 3, "s"), "publish",
                                "sent", leaf("Events sent", "number", 3, NULL));
    return json_pack("{s:o, s:o}", "device", device, "service", service);
}
