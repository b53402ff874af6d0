/*
 * The OpenAPI 3.1 description of the bridge API, written from the route declarations of
 * api/catalog.c: each route's path, method, query parameters (types and limits as the
 * parser checks them), formats, paging headers and error answers.
 */
#ifndef BRIDGE_API_OPENAPI_H
#define BRIDGE_API_OPENAPI_H

#include <jansson.h>

/* A new document; NULL only on out of memory. */
json_t *bridge_openapi_document(void);

/* "/api/v1/devices/{deviceId}/particle" for "/api/v1/devices/:deviceId/particle" into @p out. */
void bridge_openapi_path(const char *pattern, char *out, size_t size);

#endif
