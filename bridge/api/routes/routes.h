/*
 * The bridge API's route groups, one file each, the way sim/routes is laid out:
 *   devices.c   GET /api/v1/devices, GET /api/v1/devices/{deviceId}/particle
 *   settings.c  PUT /api/v1/devices/{deviceId}/particle and its body validator
 *   readings.c  GET /api/v1/measurements, GET /api/v1/status-posts
 *   reports.c   GET /api/v1/reports/{name}
 *   metrics.c   GET /metrics
 *   health.c    GET /livez, /readyz and /healthz
 *   exports.c   GET /api/v1/exports
 *   live.c      GET /api/v1/reports/variable-values/live
 * api/routes.c holds the route table (bridge_api_register) and the auth hook; common.c what
 * the groups share. Each bridge_routes_<group>() adds its routes: 0, or -1 if one was refused.
 */
#ifndef BRIDGE_API_ROUTES_H
#define BRIDGE_API_ROUTES_H

#include <stdbool.h>

#include "api/api.h"
#include "api/formats.h"
#include "httpd.h"
#include "store/store.h"

int bridge_routes_devices(httpd_server *srv, bridge_api *api);
int bridge_routes_settings(httpd_server *srv, bridge_api *api);
int bridge_routes_readings(httpd_server *srv, bridge_api *api);
int bridge_routes_reports(httpd_server *srv, bridge_api *api);
int bridge_routes_metrics(httpd_server *srv, bridge_api *api);
int bridge_routes_health(httpd_server *srv, bridge_api *api);
int bridge_routes_exports(httpd_server *srv, bridge_api *api);
int bridge_routes_live(httpd_server *srv, bridge_api *api);

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

/* Reads device/name/from/to/limit; false after answering 400. */
bool bridge_route_parse_query(const httpd_request *req, httpd_response *res, bridge_query *q);

/* Loads the device named in the path; false after answering 400/404/500. */
bool bridge_route_load_device(bridge_api *api, const httpd_request *req, httpd_response *res,
                              bridge_device *d);

/* Answers with the device's DTO in the format the client asked for. */
void bridge_route_answer_dto(bridge_api *api, const httpd_request *req, httpd_response *res,
                             unsigned int status, const bridge_device *d);

#endif
