/*
 * Calls Particle retired that older particle-api-js versions (and seed 002's method list)
 * still make: the Gen 3 mesh network routes (mesh was retired in 2020-2021; particle-api-js
 * dropped its mesh methods in 12.0.2) and POST /v1/user/verify (dropped with the "invalid
 * routes" clean-up). The simulator answers them as the cloud does for a route it no longer
 * has: after authentication, 404 with a JSON error naming the retirement, and no change.
 * docs/COMPATIBILITY.md records this choice (the real body is UNVERIFIED).
 */
#include "routes/sim_routes.h"

static void handle_mesh(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json(res, 404,
                        json_pack("{s:b, s:s, s:s}", "ok", 0, "error", "Not Found", "info",
                                  "Mesh networks were retired by Particle; /v1/networks "
                                  "is no longer served"));
}

static void handle_verify(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    httpd_response_json(res, 404,
                        json_pack("{s:b, s:s, s:s}", "ok", 0, "error", "Not Found", "info",
                                  "Account verification through the API was retired; the "
                                  "verification email's link verifies an account"));
}

void sim_routes_retired(httpd_server *srv, sim_ctx *ctx)
{
    static const struct {
        const char *method, *path;
    } mesh[] = {
        {"GET", "/v1/networks"},
        {"POST", "/v1/networks"},
        {"GET", "/v1/networks/:network"},
        {"PUT", "/v1/networks/:network"},
        {"DELETE", "/v1/networks/:network"},
        {"GET", "/v1/networks/:network/devices"},
        {"DELETE", "/v1/devices/:device/network"},
    };
    for (size_t i = 0; i < sizeof(mesh) / sizeof(mesh[0]); i++)
        httpd_route_add(srv, mesh[i].method, mesh[i].path, 0, handle_mesh, ctx);
    httpd_route_add(srv, "POST", "/v1/user/verify", HTTPD_ROUTE_PUBLIC | SIM_ROUTE_RL_AUTH,
                    handle_verify, ctx);
}
