/* What the concurrent calls (multi.c) share with variables.c. Not installed. */
#ifndef PARTICLE_VARIABLE_INTERNAL_H
#define PARTICLE_VARIABLE_INTERNAL_H

#include <jansson.h>

#include "particle/client.h"
#include "particle/devices.h"

/* The encoded path of a variable read (user or product scope), or NULL with the error set. */
char *particle__variable_path(const char *device, const char *name,
                              const particle_request_options *opts);

/* Makes a variable of a parsed answer, taking @p root (freed on failure too). Returns 0,
 * PARTICLE_EPROTO (no `result`) or PARTICLE_ENOMEM. */
int particle__variable_from_json(particle_variable **out, json_t *root);

#endif
