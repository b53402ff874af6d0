/* Remote diagnostics (reference/cloud-api.md §7.1-7.5), user and product routes: refresh,
 * last known vitals, history and metadata of a simulated device's vitals. */
#include <string.h>

#include "model/sim_vitals.h"
#include "pu_time.h"
#include "routes/sim_routes.h"

#define HISTORY_KEEP_MS (30LL * 24 * 3600 * 1000) /* "records expire after 1 month" */

static void reply_bad_request(httpd_response *res, const char *description)
{
    /* §7.4 documents this body (shown with status 200, surely meant as 400). */
    httpd_response_json(
        res, 400, json_pack("{s:s, s:s}", "error", "bad_request", "description", description));
}

/* POST .../diagnostics/:device/update: an online device records and publishes its vitals;
 * an offline one times out like every device operation (UNVERIFIED, docs/SIM.md). */
static void handle_refresh(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev != SIM_NONE) {
        if (!ctx->model->devices[dev].online) {
            sim_reply_timed_out(ctx, res);
        } else {
            sim_vitals_refresh(ctx->model, dev);
            httpd_response_json(res, 202, json_pack("{s:b}", "ok", 1));
        }
    }
    sim_model_unlock(ctx->model);
}

static void handle_last(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev != SIM_NONE) {
        uint32_t rec = sim_vitals_last(ctx->model, dev);
        if (rec == SIM_NONE) {
            /* Never sent vitals: UNVERIFIED in the reference; a 404 is what clients expect
             * of "nothing there". */
            sim_reply_fail(res, 404, "No diagnostics found for this device");
        } else {
            httpd_response_json(
                res, 200,
                json_pack("{s:o}", "diagnostics", sim_vitals_record_json(ctx->model, rec)));
        }
    }
    sim_model_unlock(ctx->model);
}

/* Reads the optional date @p name into *out; false when present but not ISO 8601. */
static bool query_date(const httpd_request *req, const char *name, int64_t *out)
{
    const char *text = httpd_request_query(req, name);
    if (text == NULL) {
        return true;
    }
    return pu_time_parse_iso8601(text, out) == 0;
}

/* GET .../diagnostics/:device?start_date=&end_date=: the records in [start, end), oldest
 * first, of the last 30 days. Both dates are optional (UNVERIFIED): start defaults to 30
 * days ago, end to no limit. */
static void handle_history(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    uint32_t product;
    sim_model_lock(m);
    int64_t now = sim_model_now(m);
    int64_t oldest = now - HISTORY_KEEP_MS, start = oldest, end = INT64_MAX;
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev == SIM_NONE) {
        goto done;
    }
    if (!query_date(req, "start_date", &start) || !query_date(req, "end_date", &end)) {
        reply_bad_request(res, "start_date and end_date must be ISO8601 formatted");
        goto done;
    }
    if (start < oldest) {
        reply_bad_request(res, "start_date must not be more than than 30 days ago");
        goto done;
    }
    json_t *list = json_array();
    /* The device's chain runs newest first: insert each match at the front. */
    for (uint32_t rec = sim_vitals_last(m, dev); rec != SIM_NONE; rec = sim_vitals_prev(m, rec)) {
        int64_t at = sim_vitals_at(m, rec);
        if (at >= start && at < end) {
            json_array_insert_new(list, 0, sim_vitals_record_json(m, rec));
        }
    }
    httpd_response_json(res, 200, json_pack("{s:o}", "diagnostics", list));
done:
    sim_model_unlock(m);
}

static void handle_metadata(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    uint32_t product;
    sim_model_lock(ctx->model);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    sim_model_unlock(ctx->model);
    if (dev != SIM_NONE) {
        httpd_response_json(res, 200,
                            json_pack("{s:o}", "diagnostics_metadata", sim_vitals_metadata()));
    }
}

void sim_routes_diagnostics(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/diagnostics/:device/update", 0, handle_refresh, ctx);
    httpd_route_add(srv, "GET", "/v1/diagnostics/:device/last", 0, handle_last, ctx);
    httpd_route_add(srv, "GET", "/v1/diagnostics/:device/metadata", 0, handle_metadata, ctx);
    httpd_route_add(srv, "GET", "/v1/diagnostics/:device", 0, handle_history, ctx);
    httpd_route_add(srv, "POST", "/v1/products/:product/diagnostics/:device/update", 0,
                    handle_refresh, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/diagnostics/:device/last", 0, handle_last,
                    ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/diagnostics/:device/metadata", 0,
                    handle_metadata, ctx);
    httpd_route_add(srv, "GET", "/v1/products/:product/diagnostics/:device", 0, handle_history,
                    ctx);
}
