/*
 * What each route of the bridge API accepts and answers, declared once: the handlers parse
 * their query with these declarations (api/params.h) and GET /api/v1/openapi.json is written
 * from them (api/openapi.c), so the document and the parser cannot drift apart.
 */
#ifndef BRIDGE_API_CATALOG_H
#define BRIDGE_API_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "api/params.h"

#define BRIDGE_PAGE_DEFAULT 1000u /* rows of a list page when no limit is given */
#define BRIDGE_PAGE_MAX 10000u    /* the largest limit */

typedef enum bridge_route_id {
    BRIDGE_ROUTE_LIVEZ,
    BRIDGE_ROUTE_READYZ,
    BRIDGE_ROUTE_HEALTHZ,
    BRIDGE_ROUTE_METRICS,
    BRIDGE_ROUTE_DEVICES,
    BRIDGE_ROUTE_DEVICE,
    BRIDGE_ROUTE_DEVICE_PUT,
    BRIDGE_ROUTE_MEASUREMENTS,
    BRIDGE_ROUTE_STATUS_POSTS,
    BRIDGE_ROUTE_EVENTS,
    BRIDGE_ROUTE_CONNECTIVITY,
    BRIDGE_ROUTE_REPORT,
    BRIDGE_ROUTE_OPENAPI,
    BRIDGE_ROUTE_WEBHOOK,
    BRIDGE_ROUTE_EXPORTS,
    BRIDGE_ROUTE_REPORT_LIVE,
    BRIDGE_ROUTE_SESSION_OPEN,
    BRIDGE_ROUTE_SESSION_GET,
    BRIDGE_ROUTE_SESSION_CLOSE,
    BRIDGE_ROUTE_DASHBOARD_INDEX,
    BRIDGE_ROUTE_DASHBOARD_CHARTJS,
    BRIDGE_ROUTE_DASHBOARD_FILE,
    BRIDGE_ROUTE_DASHBOARD_SUBFILE,
    BRIDGE_ROUTE_FLEET, /* the dashboard's data routes (issue 16) */
    BRIDGE_ROUTE_STREAM,
    BRIDGE_ROUTE_BREAKER_RESET,
    BRIDGE_ROUTE_COUNT
} bridge_route_id;

typedef struct bridge_route_doc {
    const char *method;
    const char *path; /* as registered with httpd: ":name" for a path parameter */
    const char *summary;
    const bridge_param_spec *params;
    size_t param_count;
    unsigned int formats;   /* BRIDGE_FORMAT_* bits it answers in; 0 = JSON only, no choice */
    bool paged;             /* a list: limit, cursor, the Link header and `next` */
    bool strict_query;      /* unknown parameters are refused (all but the webhook) */
    const char *item_title; /* paged lists: what one row is, for the schema's title */
} bridge_route_doc;

/* The declaration of route @p id. */
const bridge_route_doc *bridge_route_doc_get(bridge_route_id id);

#endif
