/*
 * cli_filter: the `list [FILTER]` rules of particle-cli and the platform names behind them.
 *
 * A filter is "online", "offline", a platform name ("photon", "boron", ...; any case), or
 * else a substring of the device name or ID (case-insensitive).
 */
#ifndef CLI_FILTER_H
#define CLI_FILTER_H

#include <stdbool.h>

/* @return the platform's lower-case name ("boron"), or NULL for an unknown id. */
const char *cli_platform_name(int platform_id);

/* @return the id of platform @p name (any case), or -1 when no platform has that name. */
int cli_platform_id(const char *name);

/* @return whether a device passes @p filter (NULL or "" passes everything). @p name may be
 * NULL (unnamed product devices). */
bool cli_filter_match(const char *filter, const char *name, const char *id, int platform_id,
                      bool online);

#endif
