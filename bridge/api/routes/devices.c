/* GET /api/v1/devices (the list, JSON or CSV) and GET /api/v1/devices/{deviceId}/particle
 * (one device's DTO: JSON, XML or SenML). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/links.h"
#include "api/routes/routes.h"
#include "api/senml_store.h"
#include "ingest/event_check.h"
#include "pu_csv.h"
#include "timespan.h"

/* ---- GET /api/v1/devices ---- */

/* Writes the CSV list into @p c (initialised here; dispose it). */
static void devices_csv(pu_csv *c, const bridge_device *devs, size_t n, bool raw)
{
    pu_csv_init(c, PU_CSV_CRLF);
    pu_csv_set_raw(c, raw);
    static const char *const head[] = {"particle_id", "name",          "product_id",  "connected",
                                       "enabled",     "faulted",       "fault_count", "gone",
                                       "variables",   "check_interval"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
        pu_csv_field(c, head[i], i + 1 == sizeof head / sizeof head[0]);
    }
    for (size_t i = 0; i < n; i++) {
        const bridge_device *d = &devs[i];
        char product[16], faults[16], vars[16], interval[BRIDGE_TIMESPAN_SIZE];
        snprintf(product, sizeof product, "%d", d->product_id);
        snprintf(faults, sizeof faults, "%d", d->fault_count);
        snprintf(vars, sizeof vars, "%zu", d->variable_count);
        pu_csv_field(c, d->particle_id, false);
        pu_csv_field(c, d->name, false);
        pu_csv_field(c, product, false);
        pu_csv_field(c, d->connected ? "true" : "false", false);
        pu_csv_field(c, d->enabled ? "true" : "false", false);
        pu_csv_field(c, d->faulted ? "true" : "false", false);
        pu_csv_field(c, faults, false);
        pu_csv_field(c, d->gone ? "true" : "false", false);
        pu_csv_field(c, vars, false);
        pu_csv_field(c, bridge_timespan_format(d->check_interval_ms, interval), true);
    }
}

static int tristate(const bridge_params *p, const char *name)
{
    const bridge_param_value *v = bridge_params_get(p, name);
    return v->text == NULL ? -1 : (int)v->num;
}

/* The JSON list's items. */
static json_t *devices_json(const bridge_device *devs, size_t n)
{
    json_t *list = json_array();
    char href[BRIDGE_LINK_SIZE], date[BRIDGE_TIMESPAN_SIZE], interval[BRIDGE_TIMESPAN_SIZE];
    for (size_t i = 0; i < n; i++) {
        const bridge_device *d = &devs[i];
        bridge_link_device(href, sizeof href, d->particle_id);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:i, s:b, s:b, s:s, s:b, s:i, s:b, s:s, s:i, s:s}",
                            "ParticleDeviceId", d->particle_id, "Name", d->name, "ProductId",
                            d->product_id, "Connected", d->connected, "Enabled", d->enabled,
                            "CheckInterval", bridge_timespan_format(d->check_interval_ms, interval),
                            "Faulted", d->faulted, "FaultCount", d->fault_count, "Gone", d->gone,
                            "DateAdded", bridge_date_format(d->date_added_ms, date), "Variables",
                            (int)d->variable_count, "Href", href));
    }
    return list;
}

static void get_devices(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_DEVICES, &p)) {
        return;
    }
    const char *sort = bridge_params_text(&p, "sort");
    bool by_heard = sort != NULL && strcmp(sort, "last_heard") == 0;
    bridge_route_page page;
    if (!bridge_route_page_start(&p, res, by_heard ? "devices:last_heard" : "devices:name",
                                 &page)) {
        return;
    }
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                             "application/json, text/csv", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    const bridge_param_value *platform = bridge_params_get(&p, "platform");
    bridge_device_page_query q = {
        .product = bridge_params_text(&p, "product"),
        .group = bridge_params_text(&p, "group"),
        .connected = tristate(&p, "connected"),
        .faulted = tristate(&p, "faulted"),
        .gone = tristate(&p, "gone"),
        .platform_id = platform->text != NULL ? platform->num : -1,
        .name_prefix = bridge_params_text(&p, "name_prefix"),
        .by_last_heard = by_heard,
        .after = page.after,
        .key_name = page.key.s1,
        .key_last_heard = page.key.n1,
        .key_id = page.key.s2,
        .limit = page.limit + 1,
    };
    bridge_device *devs = NULL;
    size_t n = 0;
    if (bridge_store_devices_page(api->store, &q, &devs, &n) != 0) {
        bridge_route_store_error(res, api->store);
        return;
    }
    size_t shown = 0;
    while (shown < n && bridge_route_page_take(&page, devs[shown].last_heard_ms, 0,
                                               devs[shown].name, devs[shown].particle_id)) {
        shown++;
    }
    char *text = NULL;
    size_t len = 0;
    const char *ctype = "application/json; charset=utf-8";
    if (f == BRIDGE_FORMAT_CSV) {
        pu_csv c;
        devices_csv(&c, devs, shown, bridge_route_csv_raw(req, api));
        text = pu_buf_error(&c.buf) == 0 ? pu_buf_take(&c.buf, &len) : NULL;
        pu_csv_dispose(&c);
        ctype = "text/csv; charset=utf-8";
    } else {
        json_t *list = devices_json(devs, shown);
        text = json_dumps(list, JSON_COMPACT);
        len = text != NULL ? strlen(text) : 0;
        json_decref(list);
    }
    bridge_device_list_free(devs, n);
    bridge_route_send_list(req, res, &page, f, text, len, ctype);
}

/* ---- GET /api/v1/devices/:id/particle ---- */

/* Answers with the device's DTO in the format the client asked for. */
void bridge_route_answer_dto(bridge_api *api, const httpd_request *req, httpd_response *res,
                             unsigned int status, const bridge_device *d)
{
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(
        req, res,
        BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_XML | BRIDGE_FORMAT_SENML | BRIDGE_FORMAT_SENML_CBOR,
        "application/json, text/json, application/xml, text/xml, "
        "application/senml+json, application/senml+cbor",
        &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    if (f == BRIDGE_FORMAT_SENML || f == BRIDGE_FORMAT_SENML_CBOR) {
        bool cbor = f == BRIDGE_FORMAT_SENML_CBOR;
        size_t len = 0;
        int error = 0;
        void *pack = bridge_senml_device_latest(api->store, d, cbor, &len, &error);
        if (pack == NULL) {
            if (error == -1) {
                httpd_response_error(res, 500, "out of memory");
            } else {
                bridge_route_store_error(res, api->store);
            }
            return;
        }
        httpd_response_text(res, status, cbor ? BRIDGE_SENML_CBOR_TYPE : BRIDGE_SENML_TYPE, pack,
                            len);
        free(pack);
        return;
    }
    bridge_sim sim;
    bool has_sim = d->iccid[0] != '\0' && bridge_store_sim_get(api->store, d->iccid, &sim) == 0;
    bridge_dto dto = {d, has_sim ? &sim : NULL, api->cloud_url};
    if (f == BRIDGE_FORMAT_XML) {
        char *xml = bridge_dto_to_xml(&dto);
        char type[64];
        snprintf(type, sizeof type, "%s; charset=utf-8", xml_type);
        if (xml == NULL) {
            httpd_response_error(res, 500, "could not write XML");
        } else {
            httpd_response_text(res, status, type, xml, strlen(xml));
        }
        free(xml);
    } else {
        json_t *body = bridge_dto_to_json(&dto);
        if (body == NULL) {
            httpd_response_error(res, 500, "could not write JSON");
        } else {
            httpd_response_json(res, status, body);
        }
    }
    if (has_sim) {
        bridge_sim_dispose(&sim);
    }
}

/* Loads the device named in the path; false after answering 400/404/500. */
bool bridge_route_load_device(bridge_api *api, const httpd_request *req, httpd_response *res,
                              bridge_device *d)
{
    const char *id = httpd_request_param(req, "deviceId");
    if (id == NULL || !bridge_device_id_valid(id)) {
        httpd_response_error(res, 400, "deviceId: expected a device id (letters and digits)");
        return false;
    }
    int rc = bridge_store_device_get(api->store, id, d);
    if (rc == BRIDGE_STORE_NOTFOUND) {
        char msg[160];
        snprintf(msg, sizeof msg, "device %s is not known to this bridge", id);
        httpd_response_error(res, 404, msg);
        return false;
    }
    if (rc != 0) {
        bridge_route_store_error(res, api->store);
        return false;
    }
    return true;
}

static void get_device(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_DEVICE, &p)) {
        return;
    }
    bridge_device d;
    if (bridge_route_load_device(api, req, res, &d)) {
        bridge_route_answer_dto(api, req, res, 200, &d);
        bridge_device_dispose(&d);
    }
}

int bridge_routes_devices(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= httpd_route_add(srv, "GET", "/api/v1/devices", 0, get_devices, api);
    rc |= httpd_route_add(srv, "GET", "/api/v1/devices/:deviceId/particle", 0, get_device, api);
    return rc == 0 ? 0 : -1;
}
