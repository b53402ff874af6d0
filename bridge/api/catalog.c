/* The bridge API's route declarations (catalog.h). */
#include "api/catalog.h"

#include "api/cursor.h"
#include "api/formats.h"
#include "store/store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const format_names[] = {"json", "xml", "senml", "senml-cbor", "csv", NULL};
static const char *const time_sorts[] = {"time", "-time", NULL};
static const char *const device_sorts[] = {"name", "last_heard", NULL};
static const char *const sources[] = {"poll", "sse", "webhook", NULL};
static const char *const post_kinds[] = {"variable", "event", "online", "offline", NULL};

#define P_FORMAT                                                                                   \
    {                                                                                              \
        .name = "format", .type = BRIDGE_PARAM_ENUM, .choices = format_names,                      \
        .doc = "the answer's format; wins over the Accept header (406 if the route has not it)"    \
    }
#define P_CSV_RAW                                                                                  \
    {                                                                                              \
        .name = "csv_raw", .type = BRIDGE_PARAM_BOOL,                                              \
        .doc = "CSV cells as stored, without formula escaping (default: [api] csv_formula_escape)" \
    }
#define P_LIMIT                                                                                    \
    {                                                                                              \
        .name = "limit", .type = BRIDGE_PARAM_INT, .min = 1, .max = BRIDGE_PAGE_MAX,               \
        .doc = "rows per page (default 1000)"                                                      \
    }
#define P_CURSOR                                                                                   \
    {                                                                                              \
        .name = "cursor", .type = BRIDGE_PARAM_CURSOR, .max = BRIDGE_CURSOR_SIZE - 1,              \
        .doc = "where the page starts: the cursor of the previous page's next link"                \
    }
#define P_DEVICE                                                                                   \
    {                                                                                              \
        .name = "device", .type = BRIDGE_PARAM_ID, .max = BRIDGE_ID_SIZE - 1,                      \
        .doc = "only this device (its Particle id)"                                                \
    }
#define P_FROM                                                                                     \
    {                                                                                              \
        .name = "from", .type = BRIDGE_PARAM_TIME,                                                 \
        .doc = "only rows at or after this time (RFC 3339 or epoch milliseconds)"                  \
    }
#define P_TO                                                                                       \
    {                                                                                              \
        .name = "to", .type = BRIDGE_PARAM_TIME,                                                   \
        .doc = "only rows at or before this time (RFC 3339 or epoch milliseconds)"                 \
    }
#define P_TIME_SORT                                                                                \
    {                                                                                              \
        .name = "sort", .type = BRIDGE_PARAM_ENUM, .choices = time_sorts,                          \
        .doc = "time: oldest first (default); -time: newest first"                                 \
    }
#define P_NAME(what)                                                                               \
    {                                                                                              \
        .name = "name", .type = BRIDGE_PARAM_STRING, .max = BRIDGE_NAME_SIZE - 1, .doc = what      \
    }
#define P_NAME_PREFIX(what)                                                                        \
    {                                                                                              \
        .name = "name_prefix", .type = BRIDGE_PARAM_STRING, .max = BRIDGE_NAME_SIZE - 1,           \
        .doc = what                                                                                \
    }
#define P_BOOL(n, what)                                                                            \
    {                                                                                              \
        .name = n, .type = BRIDGE_PARAM_BOOL, .doc = what                                          \
    }

static const bridge_param_spec no_params[] = {{.name = NULL}};

static const bridge_param_spec device_params[] = {P_FORMAT};

static const bridge_param_spec devices_params[] = {
    P_FORMAT,
    P_CSV_RAW,
    P_LIMIT,
    P_CURSOR,
    {.name = "product",
     .type = BRIDGE_PARAM_ID,
     .max = BRIDGE_ID_SIZE - 1,
     .doc = "only devices of this product (its id or slug)"},
    {.name = "group",
     .type = BRIDGE_PARAM_ID,
     .max = BRIDGE_ID_SIZE - 1,
     .doc = "only devices in this device group"},
    P_BOOL("connected", "only devices that are (true) or are not (false) connected"),
    P_BOOL("faulted", "only devices whose circuit breaker is (true) or is not (false) open"),
    P_BOOL("gone", "only devices the cloud no longer lists (true), or those it does (false)"),
    {.name = "platform",
     .type = BRIDGE_PARAM_INT,
     .min = 0,
     .max = 1000000,
     .doc = "only devices of this platform id"},
    P_NAME_PREFIX("only devices whose name starts with this"),
    {.name = "sort",
     .type = BRIDGE_PARAM_ENUM,
     .choices = device_sorts,
     .doc = "name: by name (default); last_heard: last heard, newest first"},
};

static const bridge_param_spec measurements_params[] = {
    P_FORMAT,
    P_CSV_RAW,
    P_LIMIT,
    P_CURSOR,
    P_DEVICE,
    P_NAME("only this measurement (variable or event) name"),
    {.name = "source",
     .type = BRIDGE_PARAM_ENUM,
     .choices = sources,
     .doc = "only rows from this source"},
    P_FROM,
    P_TO,
    P_TIME_SORT,
    {.name = "bucket",
     .type = BRIDGE_PARAM_STRING,
     .max = 32,
     .doc = "downsample: min, max, avg and count per bucket of this duration (60s, 5m, 1h, "
            "1d; at least 1s, at most 10000 buckets in the range), one item per non-empty "
            "bucket, oldest first; needs device and name; JSON or CSV; not with limit, cursor "
            "or sort"},
};

static const bridge_param_spec status_posts_params[] = {
    P_FORMAT,
    P_CSV_RAW,
    P_LIMIT,
    P_CURSOR,
    P_DEVICE,
    P_NAME("only this variable or event name"),
    {.name = "kind", .type = BRIDGE_PARAM_ENUM, .choices = post_kinds, .doc = "only this kind"},
    P_FROM,
    P_TO,
    P_TIME_SORT,
};

static const bridge_param_spec events_params[] = {
    P_FORMAT, P_CSV_RAW, P_LIMIT,
    P_CURSOR, P_DEVICE,  P_NAME_PREFIX("only events whose name starts with this"),
    P_FROM,   P_TO,      P_TIME_SORT,
};

static const bridge_param_spec connectivity_params[] = {
    P_FORMAT, P_CSV_RAW, P_LIMIT, P_CURSOR, P_DEVICE, P_FROM, P_TO, P_TIME_SORT,
};

static const bridge_param_spec live_params[] = {
    P_FORMAT,
    P_CSV_RAW,
    {.name = "device",
     .type = BRIDGE_PARAM_ID,
     .max = BRIDGE_ID_SIZE - 1,
     .doc = "the device whose variables are read now (required)"},
    P_NAME("only this variable"),
};

static const bridge_param_spec report_params[] = {
    P_FORMAT,
    P_CSV_RAW,
    P_LIMIT,
    P_CURSOR,
    P_DEVICE,
    P_NAME("only this name (the reports that have names)"),
    P_FROM,
    P_TO,
    {.name = "product",
     .type = BRIDGE_PARAM_ID,
     .max = BRIDGE_ID_SIZE - 1,
     .doc = "fleet reports: only this product (its id or slug)"},
    {.name = "group",
     .type = BRIDGE_PARAM_ID,
     .max = BRIDGE_ID_SIZE - 1,
     .doc = "fleet reports: only this device group"},
};

static const bridge_param_spec stream_params[] = {
    P_DEVICE,
    {.name = "kinds",
     .type = BRIDGE_PARAM_STRING,
     .max = 64,
     .doc = "only these kinds, a comma list of event, reading, status and connectivity "
            "(default all)"},
};

#define LIST_FORMATS (BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV)
#define ROUTE(id_, method_, path_, summary_, params_, count_, formats_, paged_, strict_, item_)    \
    [id_] = {.method = method_,                                                                    \
             .path = path_,                                                                        \
             .summary = summary_,                                                                  \
             .params = params_,                                                                    \
             .param_count = count_,                                                                \
             .formats = formats_,                                                                  \
             .paged = paged_,                                                                      \
             .strict_query = strict_,                                                              \
             .item_title = item_}

static const bridge_route_doc docs[BRIDGE_ROUTE_COUNT] = {
    ROUTE(BRIDGE_ROUTE_LIVEZ, "GET", "/livez", "Liveness: the process answers", no_params, 0, 0,
          false, true, NULL),
    ROUTE(BRIDGE_ROUTE_READYZ, "GET", "/readyz",
          "Readiness: store, streams and sync, with reasons (503 when not ready)", no_params, 0, 0,
          false, true, NULL),
    ROUTE(BRIDGE_ROUTE_HEALTHZ, "GET", "/healthz", "The same as /readyz", no_params, 0, 0, false,
          true, NULL),
    ROUTE(BRIDGE_ROUTE_METRICS, "GET", "/metrics", "Prometheus text metrics", no_params, 0, 0,
          false, true, NULL),
    ROUTE(BRIDGE_ROUTE_DEVICES, "GET", "/api/v1/devices", "The devices the bridge knows",
          devices_params, COUNT(devices_params), LIST_FORMATS, true, true, "Device"),
    ROUTE(BRIDGE_ROUTE_DEVICE, "GET", "/api/v1/devices/:deviceId/particle",
          "One device's details (ParticleDeviceDetailsDto)", device_params, COUNT(device_params),
          BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_XML | BRIDGE_FORMAT_SENML | BRIDGE_FORMAT_SENML_CBOR,
          false, true, NULL),
    ROUTE(BRIDGE_ROUTE_DEVICE_PUT, "PUT", "/api/v1/devices/:deviceId/particle",
          "Changes a device's settings (JSON body); answers the device's details", device_params,
          COUNT(device_params), BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_XML | BRIDGE_FORMAT_SENML, false,
          true, NULL),
    ROUTE(BRIDGE_ROUTE_MEASUREMENTS, "GET", "/api/v1/measurements",
          "Stored measurements (numeric readings)", measurements_params, COUNT(measurements_params),
          LIST_FORMATS | BRIDGE_FORMAT_SENML | BRIDGE_FORMAT_SENML_CBOR, true, true, "Measurement"),
    ROUTE(BRIDGE_ROUTE_STATUS_POSTS, "GET", "/api/v1/status-posts",
          "Stored status posts (text readings, online/offline notes)", status_posts_params,
          COUNT(status_posts_params), LIST_FORMATS | BRIDGE_FORMAT_SENML | BRIDGE_FORMAT_SENML_CBOR,
          true, true, "StatusPost"),
    ROUTE(BRIDGE_ROUTE_EVENTS, "GET", "/api/v1/events", "Stored events, as received", events_params,
          COUNT(events_params), LIST_FORMATS, true, true, "Event"),
    ROUTE(BRIDGE_ROUTE_CONNECTIVITY, "GET", "/api/v1/connectivity",
          "The devices' online/offline history", connectivity_params, COUNT(connectivity_params),
          LIST_FORMATS, true, true, "Connectivity"),
    ROUTE(BRIDGE_ROUTE_REPORT, "GET", "/api/v1/reports/:name", "A fleet report (docs/BRIDGE.md)",
          report_params, COUNT(report_params), LIST_FORMATS, true, true, "ReportRow"),
    ROUTE(BRIDGE_ROUTE_OPENAPI, "GET", "/api/v1/openapi.json", "This document (OpenAPI 3.1)",
          no_params, 0, 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_WEBHOOK, "POST", "/api/v1/webhook",
          "Particle webhook receiver (X-Webhook-Secret); registered when [webhook] secret is set",
          no_params, 0, 0, false, false, NULL),
    ROUTE(BRIDGE_ROUTE_EXPORTS, "GET", "/api/v1/exports",
          "The status of each scheduled report export ([export.<name>])", no_params, 0,
          BRIDGE_FORMAT_JSON, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_REPORT_LIVE, "GET", "/api/v1/reports/variable-values/live",
          "Get Variable Value: reads a device's variables now through the cloud", live_params,
          COUNT(live_params), LIST_FORMATS, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_SESSION_OPEN, "POST", "/api/v1/session",
          "Dashboard sign-in: trades {\"key\":...} for the pb_session cookie and a CSRF token",
          no_params, 0, 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_SESSION_GET, "GET", "/api/v1/session",
          "The session the pb_session cookie names (its CSRF token), 401 when none", no_params, 0,
          0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_SESSION_CLOSE, "DELETE", "/api/v1/session",
          "Dashboard sign-out: forgets the session and clears the cookie", no_params, 0, 0, false,
          true, NULL),
    ROUTE(BRIDGE_ROUTE_DASHBOARD_INDEX, "GET", "/", "The web dashboard (HTML; [api] dashboard)",
          no_params, 0, 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_DASHBOARD_CHARTJS, "GET", "/ui/vendor/chart.min.js",
          "Chart.js for the dashboard ([api] chartjs_path)", no_params, 0, 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_DASHBOARD_FILE, "GET", "/ui/:file", "A file of the web dashboard", no_params,
          0, 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_DASHBOARD_SUBFILE, "GET", "/ui/:dir/:file",
          "A file in a sub-folder of the web dashboard", no_params, 0, 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_FLEET, "GET", "/api/v1/fleet",
          "The fleet at a glance: devices online, offline, faulted and gone per product, the "
          "last sync and each event stream's state",
          no_params, 0, BRIDGE_FORMAT_JSON, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_STREAM, "GET", "/api/v1/stream",
          "Live, once stored: events, readings, status posts and online/offline changes as "
          "server-sent events (text/event-stream; Last-Event-ID replays the recent ones)",
          stream_params, COUNT(stream_params), 0, false, true, NULL),
    ROUTE(BRIDGE_ROUTE_BREAKER_RESET, "POST", "/api/v1/devices/:deviceId/breaker/reset",
          "Closes the device's circuit breaker now (FaultCount 0); answers the device's details",
          device_params, COUNT(device_params),
          BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_XML | BRIDGE_FORMAT_SENML, false, true, NULL),
};

const bridge_route_doc *bridge_route_doc_get(bridge_route_id id)
{
    return id < BRIDGE_ROUTE_COUNT ? &docs[id] : NULL;
}
