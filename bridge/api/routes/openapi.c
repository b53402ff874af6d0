/* GET /api/v1/openapi.json: the API's OpenAPI 3.1 description (api/openapi.c). */
#include "api/openapi.h"
#include "api/routes/routes.h"

static void get_openapi(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    bridge_params p;
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_OPENAPI, &p)) {
        return;
    }
    json_t *doc = bridge_openapi_document();
    if (doc == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_json(res, 200, doc);
}

int bridge_routes_openapi(httpd_server *srv, bridge_api *api)
{
    return httpd_route_add(srv, "GET", "/api/v1/openapi.json", 0, get_openapi, api) == 0 ? 0 : -1;
}
