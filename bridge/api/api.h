/*
 * The bridge's REST API on the shared server layer (httpd/):
 *   GET  /api/v1/devices                          device summaries: JSON, CSV (paged, filtered)
 *   GET  /api/v1/devices/{deviceId}/particle      ParticleDeviceDetailsDto: JSON, XML or SenML
 *   PUT  /api/v1/devices/{deviceId}/particle      change settings (JSON body), validated
 *   GET  /api/v1/measurements                     JSON, CSV, SenML (paged, filtered)
 *   GET  /api/v1/status-posts                     JSON, CSV (paged, filtered)
 *   GET  /api/v1/events                           stored events: JSON, CSV (paged, filtered)
 *   GET  /api/v1/connectivity                     online/offline history: JSON, CSV (paged)
 *   GET  /api/v1/reports/{name}                   fleet reports: JSON, CSV
 *   GET  /api/v1/openapi.json                     this list as OpenAPI 3.1 (api/openapi.c)
 *   POST /api/v1/webhook                          Particle webhook receiver (shared secret;
 *                                                 the handler is ingest/webhook.c)
 *   GET  /api/v1/exports                          the scheduled report exports' status (JSON)
 *   GET  /api/v1/reports/variable-values/live     device, name: variables read now (JSON, CSV)
 *   GET  /api/v1/fleet                            the dashboard's fleet summary (JSON)
 *   GET  /api/v1/stream                           live events, readings, status posts and
 *                                                 online/offline changes once stored (SSE)
 *   POST /api/v1/devices/{deviceId}/breaker/reset closes a device's circuit breaker
 * GET /api/v1/measurements?bucket=DUR answers a series downsampled (min, max, avg, count).
 *   GET  /metrics                                 Prometheus text
 *   GET  /livez                                   liveness: the process answers
 *   GET  /readyz (and /healthz)                   readiness: store, streams, sync, with reasons
 *   POST|GET|DELETE /api/v1/session               the dashboard's session (api/session.h)
 *   GET  /, /ui/<file>, /ui/<dir>/<file>          the dashboard's files; /ui/vendor/chart.min.js
 * Every /api/v1/ route except the webhook and the session need "Authorization: Bearer <api
 * key>", the read-only key (GET and HEAD only: else 403 read_only) or the pb_session cookie
 * (with X-CSRF-Token on anything but GET and HEAD: else 403 csrf). The format
 * follows the Accept header, or ?format=json|xml|senml|senml-cbor|csv. Each route's query
 * parameters are declared in api/catalog.c and checked by api/params.c (400 bad_parameter);
 * the lists page with an opaque cursor (api/cursor.h). See docs/BRIDGE.md.
 *
 * Threads: handlers run on the server's worker threads; the store handle serialises its
 * own calls, the writer and the metrics are thread-safe.
 */
#ifndef BRIDGE_API_H
#define BRIDGE_API_H

#include "httpd.h"
#include "ingest/webhook.h"
#include "ingest/writer.h"
#include "metrics.h"
#include "store/store.h"

/* Called after a PUT changed a device's settings (e.g. to reload the scheduler). */
struct bridge_exporter;
struct bridge_live_reads;

typedef void bridge_settings_changed_fn(const char *device_id, void *payload);

/* The live stream's source (GET /api/v1/stream, api/routes/stream.c): the writer hands it
 * each committed batch (bridge_stream_feed_stored as its on_stored, with the feed as payload)
 * and it publishes the batch's new events, readings, status posts and online/offline changes
 * on @p hub. While nobody has listened for a minute it publishes nothing (no JSON is built
 * for an empty room); a client that reconnects within that minute still replays what it
 * missed (Last-Event-ID). */
#define BRIDGE_STREAM_KEEPALIVE_MS 15000 /* a ":" comment line on a quiet stream */
#define BRIDGE_STREAM_REPLAY_EVENTS 4096 /* messages kept for Last-Event-ID */

typedef struct bridge_stream_feed {
    httpd_sse_hub *hub;            /* owned by whoever made the feed */
    atomic_llong last_listener_ms; /* when a stream was last seen open (pu_time_mono_ms) */
} bridge_stream_feed;

/* A bridge_writer_stored_fn (ingest/writer.h): publishes @p recs on @p feed's hub. */
void bridge_stream_feed_stored(const bridge_record *recs, size_t count, void *feed);

typedef struct bridge_api {
    bridge_store *store;        /* borrowed; used by the handlers */
    bridge_writer *writer;      /* borrowed; settings changes (PUT) and webhook events go here */
    bridge_metrics *metrics;    /* borrowed */
    const char *api_key;        /* borrowed; required */
    const char *webhook_secret; /* borrowed; NULL or "" = receiver off */
    const char *cloud_url;      /* for the function links; NULL = https://api.particle.io */
    bridge_settings_changed_fn *on_settings_changed; /* may be NULL */
    void *on_settings_changed_payload;
    bridge_webhook webhook; /* the receiver's (ingest/webhook.h); filled by bridge_api_register */
    bool open_health;       /* /livez, /readyz, /healthz and /metrics without the key */
    bool csv_raw;           /* CSV cells as stored: no formula escaping (machine consumers) */
    struct bridge_exporter *exporter;     /* borrowed; NULL = no exports (export.h) */
    const struct bridge_live_reads *live; /* borrowed; NULL = no live reads (reports_live.h) */
    const char *read_only_key;            /* borrowed; NULL or "" = none */
    struct bridge_sessions *sessions;     /* borrowed; NULL = no sessions (api/session.h) */
    const char *dashboard_dir;            /* borrowed; NULL = no dashboard: / and /ui/ 404 */
    const char *chartjs_path;             /* borrowed; served at /ui/vendor/chart.min.js */
    bridge_stream_feed *stream;           /* borrowed; NULL = GET /api/v1/stream answers 503 */
} bridge_api;

/* The before hook to put into httpd_options (with @p api as before_payload). */
bool bridge_api_before(const httpd_request *req, httpd_response *res, unsigned int route_flags,
                       void *payload);

/* Adds the routes. @p api must outlive the server. 0, or -1 if a route was refused. */
int bridge_api_register(httpd_server *srv, bridge_api *api);

#endif
