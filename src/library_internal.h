/* Shared by the library calls (libraries.c, library_iter.c, library_item.c). Not installed. */
#ifndef PARTICLE_LIBRARY_INTERNAL_H
#define PARTICLE_LIBRARY_INTERNAL_H

#include <jansson.h>

#include "particle/client.h"
#include "particle/libraries.h"

/* A typed library of JSON:API @p item (a reference is kept). 0, PARTICLE_EPROTO (no
 * attributes.name) or PARTICLE_ENOMEM, with the error set. */
int particle__library_from_json(particle_library **out, json_t *item);

/* GET /v1/libraries with @p opts (NULL = defaults) and @p page (0 = opts->page) into *out,
 * checked to hold a `data` array. 0 or a negative code with the error set. */
int particle__library_fetch_list(json_t **out, particle_client *c,
                                 const particle_library_list_options *opts, unsigned int page);

#endif
