/**
 * @file mesh.h
 * @brief Retired: Gen 3 mesh networks (particle-api-js createMeshNetwork ...
 *        listMeshNetworkDevices, removed in 12.0.2). Particle retired mesh networking in
 *        2020-2021 and the `/v1/networks` routes with it. The calls exist so that every
 *        method seed 002 lists has a libparticle function; against today's cloud (and
 *        particle-sim) each answers PARTICLE_ENOTFOUND (404). docs/COMPATIBILITY.md.
 *
 * A network is named by its id or name, percent-encoded into the path.
 */
#ifndef PARTICLE_MESH_H
#define PARTICLE_MESH_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** `POST /v1/networks` JSON `{name, device_id, iccid?}` (a cellular gateway gives its ICCID). */
PARTICLE_API int particle_mesh_network_create(particle_doc **out, particle_client *client,
                                              const char *name, const char *gateway_device,
                                              const char *iccid);
/** `DELETE /v1/networks/:network`. */
PARTICLE_API int particle_mesh_network_remove(particle_client *client, const char *network);
/** `GET /v1/networks[?page=&per_page=]` (0 = not sent). */
PARTICLE_API int particle_mesh_network_list(particle_doc **out, particle_client *client,
                                            unsigned int page, unsigned int per_page);
/** `GET /v1/networks/:network`. */
PARTICLE_API int particle_mesh_network_get(particle_doc **out, particle_client *client,
                                           const char *network);
/** `PUT /v1/networks/:network` JSON `{action, device_id}`; action "add-device",
 *  "remove-device", "gateway-enable" or "gateway-disable". */
PARTICLE_API int particle_mesh_network_update(particle_doc **out, particle_client *client,
                                              const char *network, const char *action,
                                              const char *device);
/** particle_mesh_network_update() with "add-device". */
PARTICLE_API int particle_mesh_network_add_device(particle_doc **out, particle_client *client,
                                                  const char *network, const char *device);
/** "remove-device"; with @p network NULL, `DELETE /v1/devices/:device/network`. */
PARTICLE_API int particle_mesh_network_remove_device(particle_client *client, const char *network,
                                                     const char *device);
/** `GET /v1/networks/:network/devices[?role=&page=&per_page=]` (NULL / 0 = not sent). */
PARTICLE_API int particle_mesh_network_list_devices(particle_doc **out, particle_client *client,
                                                    const char *network, const char *role,
                                                    unsigned int page, unsigned int per_page);

PARTICLE_END_DECL

#endif
