/* Retired mesh network calls (particle/mesh.h): the requests particle-api-js 11 made. */
#include <stdio.h>

#include "alloc.h"
#include "http.h"
#include "particle/mesh.h"
#include "value_internal.h"

/* {key: value, ...} of the non-NULL values, sent with @p method to @p path. */
static int send_fields(particle_doc **out, particle_client *c, const char *method, const char *path,
                       const char *const *pairs, size_t n)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    for (size_t i = 0; error == 0 && i + 1 < n; i += 2) {
        if (pairs[i + 1] != NULL) {
            error = particle__json_add_text(body, pairs[i], pairs[i + 1], pairs[i]);
        }
    }
    if (error == 0) {
        error = particle__http_json_doc(out, c, method, path, body, false);
    }
    json_decref(body);
    return error;
}

/* "/v1/networks[/<network>][/<suffix>]"; NULL with the error set. */
static char *network_path(const char *network, const char *suffix)
{
    return particle__api_path(NULL, "networks", network, suffix);
}

int particle_mesh_network_create(particle_doc **out, particle_client *c, const char *name,
                                 const char *gateway_device, const char *iccid)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error;
    if ((error = particle__require(name, "network name")) < 0 ||
        (error = particle__require(gateway_device, "gateway device id")) < 0) {
        return error;
    }
    const char *pairs[] = {"name", name, "device_id", gateway_device, "iccid", iccid};
    return send_fields(out, c, "POST", "/v1/networks", pairs, 6);
}

int particle_mesh_network_remove(particle_client *c, const char *network)
{
    int error = particle__require(network, "network");
    char *path = error == 0 ? network_path(network, NULL) : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    particle__request req = {.method = "DELETE", .path = path};
    error = particle__http_doc(NULL, c, &req);
    particle__free(path);
    return error;
}

/* "page=P&per_page=N" (the parts that are set) into @p q. */
static void paging(char *q, size_t size, const char *role, unsigned int page, unsigned int per_page)
{
    int n = 0;
    q[0] = '\0';
    if (role != NULL) {
        n = snprintf(q, size, "role=%s&", role);
    }
    if (page > 0 && n >= 0 && (size_t)n < size) {
        n += snprintf(q + n, size - (size_t)n, "page=%u&", page);
    }
    if (per_page > 0 && n >= 0 && (size_t)n < size) {
        n += snprintf(q + n, size - (size_t)n, "per_page=%u&", per_page);
    }
    if (n > 0 && (size_t)n < size) {
        q[n - 1] = '\0'; /* the last '&' */
    }
}

int particle_mesh_network_list(particle_doc **out, particle_client *c, unsigned int page,
                               unsigned int per_page)
{
    char query[64];
    paging(query, sizeof(query), NULL, page, per_page);
    particle__request req = {.method = "GET", .path = "/v1/networks", .query = query};
    return particle__http_doc(out, c, &req);
}

int particle_mesh_network_get(particle_doc **out, particle_client *c, const char *network)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(network, "network");
    char *path = error == 0 ? network_path(network, NULL) : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    particle__request req = {.method = "GET", .path = path};
    error = particle__http_doc(out, c, &req);
    particle__free(path);
    return error;
}

int particle_mesh_network_update(particle_doc **out, particle_client *c, const char *network,
                                 const char *action, const char *device)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error;
    if ((error = particle__require(network, "network")) < 0 ||
        (error = particle__require(action, "action")) < 0 ||
        (error = particle__require(device, "device id")) < 0) {
        return error;
    }
    char *path = network_path(network, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    const char *pairs[] = {"action", action, "device_id", device};
    error = send_fields(out, c, "PUT", path, pairs, 4);
    particle__free(path);
    return error;
}

int particle_mesh_network_add_device(particle_doc **out, particle_client *c, const char *network,
                                     const char *device)
{
    return particle_mesh_network_update(out, c, network, "add-device", device);
}

int particle_mesh_network_remove_device(particle_client *c, const char *network, const char *device)
{
    if (network != NULL) {
        return particle_mesh_network_update(NULL, c, network, "remove-device", device);
    }
    int error = particle__require(device, "device id");
    char *path = error == 0 ? particle__device_path(NULL, device, "network") : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    particle__request req = {.method = "DELETE", .path = path};
    error = particle__http_doc(NULL, c, &req);
    particle__free(path);
    return error;
}

int particle_mesh_network_list_devices(particle_doc **out, particle_client *c, const char *network,
                                       const char *role, unsigned int page, unsigned int per_page)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(network, "network");
    if (error == 0 && role != NULL) {
        error = particle__require(role, "role");
    }
    char *path = error == 0 ? network_path(network, "devices") : NULL;
    if (path == NULL) {
        return error < 0 ? error : particle_error_last()->code;
    }
    char *role_enc = role != NULL ? particle__encode(role) : NULL;
    if (role != NULL && role_enc == NULL) {
        particle__free(path);
        return PARTICLE_ENOMEM;
    }
    char query[128];
    paging(query, sizeof(query), role_enc, page, per_page);
    particle__request req = {.method = "GET", .path = path, .query = query};
    error = particle__http_doc(out, c, &req);
    particle__free(role_enc);
    particle__free(path);
    return error;
}
