/*
 * The bridge API's route groups, one file each, the way sim/routes is laid out:
 *   devices.c   GET /api/v1/devices, GET /api/v1/devices/{deviceId}/particle
 *   settings.c  PUT /api/v1/devices/{deviceId}/particle and its body validator
 *   readings.c  GET /api/v1/measurements, GET /api/v1/status-posts
 *   buckets.c   GET /api/v1/measurements?bucket= (downsampled for the dashboard's charts)
 *   events.c    GET /api/v1/events, GET /api/v1/connectivity
 *   reports.c   GET /api/v1/reports/{name}
 *   openapi.c   GET /api/v1/openapi.json
 *   metrics.c   GET /metrics
 *   health.c    GET /livez, /readyz and /healthz
 *   exports.c   GET /api/v1/exports
 *   live.c      GET /api/v1/reports/variable-values/live
 *   session.c   POST, GET and DELETE /api/v1/session (the dashboard's sign-in)
 *   dashboard.c GET /, /ui/<file>, /ui/<dir>/<file> and /ui/vendor/chart.min.js
 *   fleet.c     GET /api/v1/fleet (the dashboard's summary)
 *   stream.c    GET /api/v1/stream (live, once stored; SSE) and the writer's feed of it
 *   breaker.c   POST /api/v1/devices/{deviceId}/breaker/reset
 * api/routes.c holds the route table (bridge_api_register) and the auth hook; common.c what
 * the groups share; paging.c the declared query parameters (api/catalog.h), the
 * bad-parameter answer and the list routes' paging. Each bridge_routes_<group>() adds its routes:
 * 0, or -1 if one was refused.
 */
#ifndef BRIDGE_API_ROUTES_H
#define BRIDGE_API_ROUTES_H

#include <stdbool.h>

#include "api/api.h"
#include "api/catalog.h"
#include "api/cursor.h"
#include "api/formats.h"
#include "api/params.h"
#include "httpd.h"
#include "store/store.h"

int bridge_routes_devices(httpd_server *srv, bridge_api *api);
int bridge_routes_settings(httpd_server *srv, bridge_api *api);
int bridge_routes_readings(httpd_server *srv, bridge_api *api);
int bridge_routes_reports(httpd_server *srv, bridge_api *api);
int bridge_routes_metrics(httpd_server *srv, bridge_api *api);
int bridge_routes_health(httpd_server *srv, bridge_api *api);
int bridge_routes_events(httpd_server *srv, bridge_api *api);
int bridge_routes_openapi(httpd_server *srv, bridge_api *api);
int bridge_routes_exports(httpd_server *srv, bridge_api *api);
int bridge_routes_live(httpd_server *srv, bridge_api *api);
int bridge_routes_session(httpd_server *srv, bridge_api *api);
int bridge_routes_dashboard(httpd_server *srv, bridge_api *api);
int bridge_routes_fleet(httpd_server *srv, bridge_api *api);
int bridge_routes_stream(httpd_server *srv, bridge_api *api);
int bridge_routes_breaker(httpd_server *srv, bridge_api *api);

/* The format among @p allowed that the request asks for (Accept, ?format=); NONE after
 * answering 406 with the formats this resource @p offered. */
bridge_format bridge_route_negotiate(const httpd_request *req, httpd_response *res,
                                     unsigned int allowed, const char *offered,
                                     const char **xml_type);

/* Whether CSV cells go out raw (no formula escaping): ?csv_raw=true|false, else [api]
 * csv_formula_escape (api->csv_raw). A value that is not a boolean keeps the default. */
bool bridge_route_csv_raw(const httpd_request *req, const bridge_api *api);

/* Answers 500 with the store's last error. */
void bridge_route_store_error(httpd_response *res, bridge_store *st);

/* Loads the device named in the path; false after answering 400/404/500. */
bool bridge_route_load_device(bridge_api *api, const httpd_request *req, httpd_response *res,
                              bridge_device *d);

/* Answers with the device's DTO in the format the client asked for. */
void bridge_route_answer_dto(bridge_api *api, const httpd_request *req, httpd_response *res,
                             unsigned int status, const bridge_device *d);

/* Answers a change to device @p particle_id written through the writer (settings.c,
 * breaker.c), given the writer's @p rc and @p why: 503 with Retry-After when it was busy,
 * 500 on another error; else tells on_settings_changed and answers 200 with the device as
 * stored now. */
void bridge_route_answer_device_written(bridge_api *api, const httpd_request *req,
                                        httpd_response *res, int rc, const char *why,
                                        const char *particle_id);

/* ---- buckets.c ---- */

/* GET /api/v1/measurements with ?bucket= (parsed into @p p): the series' buckets. */
void bridge_route_measurement_buckets(const httpd_request *req, httpd_response *res,
                                      bridge_api *api, const bridge_params *p);

/* ---- paging.c ---- */

/* Answers 400 {"error":"bad_parameter","parameter":...,"message":...}. */
void bridge_route_bad_parameter(httpd_response *res, const char *parameter, const char *message);

/* Parses the query by route @p id's declarations; false after answering 400. */
bool bridge_route_params(const httpd_request *req, httpd_response *res, bridge_route_id id,
                         bridge_params *out);

/* from/to (0 when absent); false after answering 400 when to is before from. */
bool bridge_route_time_range(const bridge_params *p, httpd_response *res, int64_t *from_ms,
                             int64_t *to_ms);

/* A list request's page: where it starts, how many rows, and the last row's key. */
typedef struct bridge_route_page {
    const char *list; /* the cursor's list and sort, e.g. "measurements:time" */
    bool after;       /* a cursor was given: start after key */
    bridge_cursor_key key;
    unsigned int limit;
    unsigned int rows;
    bool more; /* a row beyond the page exists: there is a next page */
    bridge_cursor_key last;
} bridge_route_page;

/* Reads limit and cursor; false after answering 400 for a cursor of another list. Ask the
 * store for page->limit + 1 rows. */
bool bridge_route_page_start(const bridge_params *p, httpd_response *res, const char *list,
                             bridge_route_page *page);

/* Counts a row with key (n1, n2, s1, s2); false for the extra row (do not output it: stop). */
bool bridge_route_page_take(bridge_route_page *page, int64_t n1, int64_t n2, const char *s1,
                            const char *s2);

/* When there is a next page: sets the Link header and returns the next URL (the request's
 * path and parameters with the new cursor; free() it). NULL on the last page. */
char *bridge_route_page_finish(const httpd_request *req, httpd_response *res,
                               const bridge_route_page *page);

/* Sends a finished list page (readings.c): JSON in the {"items", "next"} envelope, CSV and
 * SenML as they are (their next page is in the Link header only). Takes @p text (NULL: 500). */
void bridge_route_send_list(const httpd_request *req, httpd_response *res,
                            const bridge_route_page *page, bridge_format f, char *text, size_t len,
                            const char *ctype);

/* {"items":<items_json>,"next":"<url>"|null}; free() it. */
char *bridge_route_envelope(const char *items_json, size_t items_len, const char *next,
                            size_t *len_out);

#endif
