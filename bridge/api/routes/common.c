/* What the route groups share: format negotiation, store errors, ids and list queries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "ingest/event_check.h"
#include "pu_parse.h"
#include "pu_time.h"

#define MAX_LIMIT 10000u

/* The format among @p allowed that the request asks for (Accept, ?format=); NONE after
 * answering 406 with the formats this resource @p offered. */
bridge_format bridge_route_negotiate(const httpd_request *req, httpd_response *res,
                                     unsigned int allowed, const char *offered,
                                     const char **xml_type)
{
    bridge_format f = bridge_format_choose(httpd_request_header(req, "Accept"),
                                           httpd_request_query(req, "format"), allowed, xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot answer in the requested format; this resource offers %s",
                 offered);
        httpd_response_error(res, 406, msg);
    }
    return f;
}

void bridge_route_store_error(httpd_response *res, bridge_store *st)
{
    char msg[320];
    snprintf(msg, sizeof msg, "database error: %s", bridge_store_errmsg(st));
    httpd_response_error(res, 500, msg);
}

/* ISO 8601 or epoch milliseconds. */
static bool parse_time(const char *text, int64_t *out)
{
    if (pu_time_parse_iso8601(text, out) == 0) {
        return true;
    }
    return pu_parse_int64(text, 0, INT64_MAX, out) == 0;
}

/* Reads device/name/from/to/limit; false after answering 400. */
bool bridge_route_parse_query(const httpd_request *req, httpd_response *res, bridge_query *q)
{
    memset(q, 0, sizeof *q);
    char msg[256];
    q->device_id = httpd_request_query(req, "device");
    q->name = httpd_request_query(req, "name");
    const char *from = httpd_request_query(req, "from");
    const char *to = httpd_request_query(req, "to");
    const char *limit = httpd_request_query(req, "limit");
    if (q->device_id != NULL && !bridge_device_id_valid(q->device_id)) {
        httpd_response_error(res, 400, "device: expected a device id (letters and digits)");
        return false;
    }
    if (q->name != NULL && (q->name[0] == '\0' || strlen(q->name) >= BRIDGE_NAME_SIZE)) {
        httpd_response_error(res, 400, "name: expected 1 to 127 characters");
        return false;
    }
    if (from != NULL && !parse_time(from, &q->from_ms)) {
        httpd_response_error(res, 400,
                             "from: expected an ISO 8601 time (2025-01-31T12:00:00Z) or epoch ms");
        return false;
    }
    if (to != NULL && !parse_time(to, &q->to_ms)) {
        httpd_response_error(res, 400,
                             "to: expected an ISO 8601 time (2025-01-31T12:00:00Z) or epoch ms");
        return false;
    }
    if (from != NULL && to != NULL && q->to_ms < q->from_ms) {
        httpd_response_error(res, 400, "to is before from");
        return false;
    }
    if (limit != NULL) {
        int64_t n;
        if (pu_parse_int64(limit, 1, MAX_LIMIT, &n) != 0) {
            snprintf(msg, sizeof msg, "limit: expected a whole number from 1 to %u", MAX_LIMIT);
            httpd_response_error(res, 400, msg);
            return false;
        }
        q->limit = (unsigned int)n;
    }
    return true;
}

bool bridge_route_csv_raw(const httpd_request *req, const bridge_api *api)
{
    const char *asked = httpd_request_query(req, "csv_raw");
    bool raw;
    if (asked != NULL && pu_parse_bool(asked, &raw) == 0) {
        return raw;
    }
    return api->csv_raw;
}
