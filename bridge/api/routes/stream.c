/* GET /api/v1/stream: what the bridge stores, live, as server-sent events. The writer calls
 * bridge_stream_feed_stored after each committed batch (ingest/writer.h), so a message names
 * only what a list route would now answer too. Four kinds, each a one-line JSON:
 *   event         {"device_id","name","data","published_at"}: a new stored event
 *   reading       a measurement, as GET /api/v1/measurements items
 *   status        a status post, as GET /api/v1/status-posts items
 *   connectivity  {"device_id","online","at"}: a device came online or went offline
 * Filters: ?device=<id>, ?kinds=<comma list> (default all). The hub (httpd/httpd_sse.c) gives
 * ids, the keep-alive comment and the Last-Event-ID replay of its ring. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "pu_log.h"
#include "pu_parse.h"
#include "pu_time.h"

/* How long the feed keeps publishing after the last stream closed, so a client that
 * reconnects (EventSource retries within seconds) replays what it missed. */
#define LISTENER_GRACE_MS 60000

enum {
    KIND_EVENT = 1u << 0,
    KIND_READING = 1u << 1,
    KIND_STATUS = 1u << 2,
    KIND_CONNECTIVITY = 1u << 3,
    KIND_ALL = KIND_EVENT | KIND_READING | KIND_STATUS | KIND_CONNECTIVITY,
};

static const struct {
    const char *name;
    unsigned int bit;
} kinds[] = {{"event", KIND_EVENT},
             {"reading", KIND_READING},
             {"status", KIND_STATUS},
             {"connectivity", KIND_CONNECTIVITY}};

/* What the hub keeps with each message, for the subscribers' filters. */
typedef struct message_ctx {
    unsigned int kind;
    char device_id[BRIDGE_ID_SIZE];
} message_ctx;

/* One subscriber's filter. */
typedef struct stream_filter {
    unsigned int kinds;
    char device_id[BRIDGE_ID_SIZE]; /* "" = every device */
} stream_filter;

static bool accepts(const void *event_ctx, void *sub_payload)
{
    const message_ctx *m = event_ctx;
    const stream_filter *f = sub_payload;
    return (f->kinds & m->kind) != 0 &&
           (f->device_id[0] == '\0' || strcmp(f->device_id, m->device_id) == 0);
}

static const char *kind_name(unsigned int bit)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].bit == bit) {
            return kinds[i].name;
        }
    }
    return "";
}

/* Publishes @p data (taken) as a message of @p kind about @p device_id. NULL @p data (json_pack
 * refused a stored string that is not UTF-8, such as a status text from a config file in
 * another encoding) sends nothing: the writer's thread must not end the process over it. */
static void publish(httpd_sse_hub *hub, unsigned int kind, const char *device_id, json_t *data)
{
    if (data == NULL) {
        pu_log(PU_LOG_WARN, "stream", "the %s message about %s is not UTF-8: not sent",
               kind_name(kind), device_id);
        return;
    }
    char *text = json_dumps(data, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(data);
    message_ctx *ctx = calloc(1, sizeof *ctx);
    if (text == NULL || ctx == NULL) {
        abort(); /* the service's out-of-memory policy (as the writer's) */
    }
    ctx->kind = kind;
    snprintf(ctx->device_id, sizeof ctx->device_id, "%s", device_id);
    httpd_sse_publish(hub, kind_name(kind), text, ctx, free);
    free(text);
}

static json_t *time_json(int64_t ms)
{
    char when[PU_ISO8601_SIZE];
    return json_string(pu_time_iso8601(ms, when));
}

/* An event's messages: itself, its online/offline change, then what was derived from it. */
static void publish_event(httpd_sse_hub *hub, const bridge_record *r)
{
    publish(hub, KIND_EVENT, r->device_id,
            json_pack("{s:s, s:s, s:s?, s:o}", "device_id", r->device_id, "name", r->event_name,
                      "data", r->event_data, "published_at", time_json(r->published_at_ms)));
    if (r->online >= 0) {
        publish(hub, KIND_CONNECTIVITY, r->device_id,
                json_pack("{s:s, s:b, s:o}", "device_id", r->device_id, "online", r->online, "at",
                          time_json(r->published_at_ms)));
    }
}

static void publish_derived(httpd_sse_hub *hub, const bridge_record *r)
{
    for (size_t i = 0; i < r->measurement_count; i++) {
        const bridge_measurement *m = &r->measurements[i];
        publish(hub, KIND_READING, m->device_id,
                json_pack("{s:s, s:s, s:f, s:o, s:s}", "DeviceId", m->device_id, "Name", m->name,
                          "Value", m->value, "Date", time_json(m->ts_ms), "Source", m->source));
    }
    for (size_t i = 0; i < r->post_count; i++) {
        const bridge_status_post *p = &r->posts[i];
        publish(hub, KIND_STATUS, p->device_id,
                json_pack("{s:s, s:s, s:s, s:s, s:o}", "DeviceId", p->device_id, "Kind", p->kind,
                          "Name", p->name, "Message", p->message, "Date", time_json(p->ts_ms)));
    }
}

void bridge_stream_feed_stored(const bridge_record *recs, size_t count, void *payload)
{
    bridge_stream_feed *feed = payload;
    int64_t now = pu_time_mono_ms();
    if (httpd_sse_subscriber_count(feed->hub) > 0) {
        atomic_store(&feed->last_listener_ms, now);
    } else if (now - atomic_load(&feed->last_listener_ms) > LISTENER_GRACE_MS) {
        return; /* nobody listens, nobody will replay */
    }
    for (size_t i = 0; i < count; i++) {
        const bridge_record *r = &recs[i];
        if (r->kind == BRIDGE_RECORD_CURSOR ||
            (r->kind == BRIDGE_RECORD_EVENT && r->stored_out != NULL && !*r->stored_out)) {
            continue; /* a stream position, or a duplicate that wrote nothing */
        }
        if (r->kind == BRIDGE_RECORD_EVENT) {
            publish_event(feed->hub, r);
        }
        publish_derived(feed->hub, r);
    }
}

/* ?kinds=a,b,...: the bits named; false for an unknown or empty name. */
static bool parse_kinds(const char *text, unsigned int *out)
{
    *out = 0;
    const char *p = text;
    while (true) {
        size_t len = strcspn(p, ",");
        bool known = false;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            if (strlen(kinds[i].name) == len && strncmp(p, kinds[i].name, len) == 0) {
                *out |= kinds[i].bit;
                known = true;
            }
        }
        if (!known) {
            return false;
        }
        if (p[len] == '\0') {
            return true;
        }
        p += len + 1;
    }
}

static uint64_t last_event_id(const httpd_request *req)
{
    const char *h = httpd_request_header(req, "Last-Event-ID");
    int64_t v;
    return h != NULL && pu_parse_int64(h, 0, INT64_MAX, &v) == 0 ? (uint64_t)v : 0;
}

static void get_stream(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_STREAM, &p)) {
        return;
    }
    unsigned int wanted = KIND_ALL;
    const char *kinds_text = bridge_params_text(&p, "kinds");
    if (kinds_text != NULL && !parse_kinds(kinds_text, &wanted)) {
        bridge_route_bad_parameter(res, "kinds",
                                   "a comma list of event, reading, status, connectivity");
        return;
    }
    if (api->stream == NULL) {
        httpd_response_error(res, 503, "the live stream is not running in this process");
        return;
    }
    stream_filter *f = calloc(1, sizeof *f);
    if (f == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    f->kinds = wanted;
    const char *device = bridge_params_text(&p, "device");
    snprintf(f->device_id, sizeof f->device_id, "%s", device != NULL ? device : "");
    atomic_store(&api->stream->last_listener_ms, pu_time_mono_ms());
    httpd_response_sse(res, api->stream->hub, accepts, f, free, last_event_id(req));
}

int bridge_routes_stream(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/stream", 0, get_stream, api) == 0 ? 0 : -1;
}
