/* GET /livez, /readyz and /healthz, for Kubernetes probes and load balancers.
 *
 * /livez: the process works (its API thread answers); 200 always, so a restart is asked
 * for only when the process no longer answers at all.
 * /readyz (and /healthz, its alias): 200 when the bridge does its job, 503 when not, with
 * every check in the body: the store answers and the writer is not stuck retrying a batch,
 * every event stream is connected, and the last successful device sync is not older than
 * two sync intervals. */
#include <stdio.h>

#include "api/routes/routes.h"
#include "pu_time.h"

static json_t *check(bool ok, const char *detail)
{
    return json_pack("{s:b, s:s}", "ok", ok, "detail", detail);
}

static json_t *check_store(bridge_api *api)
{
    char detail[320];
    bridge_store_counts c;
    if (bridge_store_stats(api->store, &c) != 0) {
        snprintf(detail, sizeof detail, "database: %s", bridge_store_errmsg(api->store));
        return check(false, detail);
    }
    if (atomic_load(&api->metrics->writer_stalled) != 0) {
        snprintf(detail, sizeof detail,
                 "a batch write failed and waits to be retried (%llu retries so far); the "
                 "log says why",
                 (unsigned long long)atomic_load(&api->metrics->write_retries));
        return check(false, detail);
    }
    return check(true, "the database answers and the writer keeps up");
}

static json_t *check_streams(bridge_api *api)
{
    unsigned int configured = 0, connected = 0;
    bridge_metrics_stream_counts(api->metrics, &configured, &connected);
    char detail[160];
    if (configured == 0) {
        snprintf(detail, sizeof detail, "no event streams configured");
    } else {
        snprintf(detail, sizeof detail, "%u of %u event streams connected", connected, configured);
    }
    json_t *j = check(connected == configured, detail);
    json_object_set_new(j, "connected", json_integer(connected));
    json_object_set_new(j, "configured", json_integer(configured));
    return j;
}

static json_t *check_sync(bridge_api *api, int64_t now_ms)
{
    int64_t interval_ms = atomic_load(&api->metrics->sync_interval_ms);
    int64_t last_ms = atomic_load(&api->metrics->last_sync_ms);
    if (interval_ms <= 0) {
        return check(true, "no device sync configured");
    }
    if (last_ms <= 0) {
        return check(false, "no device sync has succeeded yet");
    }
    double age_s = (double)(now_ms - last_ms) / 1000.0;
    double limit_s = 2.0 * (double)interval_ms / 1000.0;
    char detail[160];
    bool ok = age_s <= limit_s;
    snprintf(detail, sizeof detail, "last successful sync %.0f s ago (%s two intervals, %.0f s)",
             age_s, ok ? "within" : "older than", limit_s);
    json_t *j = check(ok, detail);
    json_object_set_new(j, "age_seconds", json_integer((json_int_t)age_s));
    json_object_set_new(j, "limit_seconds", json_integer((json_int_t)limit_s));
    return j;
}

static void get_readyz(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p; /* /healthz declares the same (no) parameters */
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_READYZ, &p)) {
        return;
    }
    json_t *checks = json_pack("{s:o, s:o, s:o}", "store", check_store(api), "streams",
                               check_streams(api), "sync", check_sync(api, pu_time_now_ms()));
    bool ready = true;
    const char *name;
    json_t *c;
    json_object_foreach(checks, name, c)
    {
        ready = ready && json_is_true(json_object_get(c, "ok"));
    }
    httpd_response_json(res, ready ? 200 : 503,
                        json_pack("{s:b, s:o}", "ok", ready, "checks", checks));
}

static void get_livez(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_LIVEZ, &p)) {
        return;
    }
    int64_t started_ms = atomic_load(&api->metrics->started_ms);
    json_int_t uptime_s = started_ms > 0 ? (json_int_t)((pu_time_now_ms() - started_ms) / 1000) : 0;
    httpd_response_json(res, 200,
                        json_pack("{s:b, s:s, s:I}", "ok", 1, "detail", "the process answers",
                                  "uptime_seconds", uptime_s));
}

int bridge_routes_health(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    /* behind the API key unless [api] open_health: they tell a stranger about the fleet */
    unsigned int flags = api->open_health ? HTTPD_ROUTE_PUBLIC : 0;
    rc |= httpd_route_add(srv, "GET", "/livez", flags, get_livez, api);
    rc |= httpd_route_add(srv, "GET", "/readyz", flags, get_readyz, api);
    rc |= httpd_route_add(srv, "GET", "/healthz", flags, get_readyz, api);
    return rc == 0 ? 0 : -1;
}
