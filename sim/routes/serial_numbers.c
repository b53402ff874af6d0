/*
 * GET /v1/serial_numbers/:serial (reference/cloud-api.md §5.11): the device with that serial
 * number (any case), 200 {"ok":true,"deviceID","iccid"} (iccid for cellular devices only),
 * else 404 {"ok":false,"error"}. Any valid token may look a serial up: the serial number is
 * printed on the device, and the lookup is how an app finds the id to claim. The real
 * cloud's 50 lookups per hour per user are not enforced (docs/COMPATIBILITY.md).
 */
#include "routes/sim_routes.h"

static void handle_lookup(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t dev = sim_model_find_serial(m, httpd_request_param(req, "serial"));
    if (dev == SIM_NONE) {
        sim_reply_fail(res, 404, "Serial number not found");
    } else {
        const sim_device *d = &m->devices[dev];
        json_t *o = json_pack("{s:b, s:s}", "ok", 1, "deviceID", d->id);
        if (d->iccid[0])
            json_object_set_new(o, "iccid", json_string(d->iccid));
        httpd_response_json(res, 200, o);
    }
    sim_model_unlock(m);
}

void sim_routes_serial_numbers(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/serial_numbers/:serial", 0, handle_lookup, ctx);
}
