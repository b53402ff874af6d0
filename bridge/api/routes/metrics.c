/* GET /metrics: the bridge's counters, gauges and histograms (bridge/metrics.c) and the
 * store's row counts, in the Prometheus text format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "pu_time.h"

static void get_metrics(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_api *api = payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_METRICS, &p)) {
        return;
    }
    bridge_store_counts c;
    char extra[1024] = "";
    if (bridge_store_stats(api->store, &c) == 0) {
        snprintf(extra, sizeof extra,
                 "# HELP particle_bridge_devices Devices known to the bridge.\n"
                 "# TYPE particle_bridge_devices gauge\nparticle_bridge_devices %llu\n"
                 "# HELP particle_bridge_devices_faulted Devices whose circuit breaker is open.\n"
                 "# TYPE particle_bridge_devices_faulted gauge\n"
                 "particle_bridge_devices_faulted %llu\n"
                 "# HELP particle_bridge_devices_gone Devices no longer listed by the cloud.\n"
                 "# TYPE particle_bridge_devices_gone gauge\nparticle_bridge_devices_gone %llu\n"
                 "# HELP particle_bridge_rows Rows stored, by table.\n"
                 "# TYPE particle_bridge_rows gauge\n"
                 "particle_bridge_rows{table=\"events\"} %llu\n"
                 "particle_bridge_rows{table=\"measurements\"} %llu\n"
                 "particle_bridge_rows{table=\"status_posts\"} %llu\n",
                 (unsigned long long)c.devices, (unsigned long long)c.devices_faulted,
                 (unsigned long long)c.devices_gone, (unsigned long long)c.events,
                 (unsigned long long)c.measurements, (unsigned long long)c.status_posts);
    }
    char *text = bridge_metrics_render(api->metrics, extra, pu_time_now_ms());
    if (text == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_text(res, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
}

int bridge_routes_metrics(httpd_server *srv, bridge_api *api)
{
    /* behind the API key unless [api] open_health */
    unsigned int flags = api->open_health ? HTTPD_ROUTE_PUBLIC : 0;
    return httpd_route_add(srv, "GET", "/metrics", flags, get_metrics, api) == 0 ? 0 : -1;
}
