/*
 * The config keys about exposure and abuse (docs/BRIDGE.md, "Hardening"): connection
 * limits and the request deadline of the API server, the origins browsers may read it
 * from, whether the health and metrics routes need the API key, CSV formula escaping, and
 * the group that may read the database files. Kept apart from config.c, which dispatches
 * these keys here.
 */
#ifndef BRIDGE_CONFIG_HARDENING_H
#define BRIDGE_CONFIG_HARDENING_H

#include <stdbool.h>

#include "config.h"

/*
 * Parses [api] max_connections, max_connections_per_ip, request_deadline, cors_origins,
 * open_health, csv_formula_escape and [database] group, as bridge_config_webhook_entry
 * does: 1 when read, 0 for a bad value (then *expect says what was wanted), -1 when
 * @p section / @p name is none of them.
 */
int bridge_config_hardening_entry(bridge_config *cfg, const char *section, const char *name,
                                  const char *value, const char **expect);

#endif
