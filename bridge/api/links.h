/*
 * The links the bridge API puts in its answers (Href), built in one place so every id and
 * name in them is percent-encoded: a device or function name may hold '/', '?', '#', '%',
 * spaces or quotes, and must stay one path segment or query value.
 * A link that does not fit in @p size is written empty.
 */
#ifndef BRIDGE_API_LINKS_H
#define BRIDGE_API_LINKS_H

#include <stddef.h>

#define BRIDGE_LINK_SIZE 1024

/* "<cloud>/v1/devices/<device>/<function>": where a function is called. */
char *bridge_link_function(char *out, size_t size, const char *cloud, const char *device,
                           const char *function);
/* "/api/v1/devices/<device>/particle" */
char *bridge_link_device(char *out, size_t size, const char *device);
/* "/api/v1/<list>?device=<device>", @p list "measurements" or "status-posts" */
char *bridge_link_readings(char *out, size_t size, const char *list, const char *device);

#endif
