/* The parts of the integration calls (integrations.h): the typed answers read from the
 * API's JSON (integration_object.c) and the request bodies built from the options
 * (integration_body.c). Not installed. */
#ifndef PARTICLE_INTEGRATION_INTERNAL_H
#define PARTICLE_INTEGRATION_INTERNAL_H

#include <stdbool.h>

#include <jansson.h>

#include "particle/integrations.h"

/* Which route family a body is for: the integration routes send integration_type, the
 * legacy webhook routes do not. */
typedef enum particle__hook_route {
    PARTICLE__ROUTE_INTEGRATIONS,
    PARTICLE__ROUTE_WEBHOOKS
} particle__hook_route;

/*
 * The JSON body of a create (@p creating) or an edit from @p opts. A create needs an event
 * and, for a webhook, a url; it defaults requestType to POST. Returns 0 with *out a new
 * object, or a negative code with the error set.
 */
int particle__integration_body(json_t **out, const particle_integration_options *opts,
                               particle__hook_route route, bool creating);

/*
 * A typed integration from an answer @p root (the reference is stolen, also on failure):
 * the object itself, or its member "integration" or "webhook" when it has one. Returns 0,
 * PARTICLE_EPROTO (no object) or PARTICLE_ENOMEM, with the error set.
 */
int particle__integration_from_answer(particle_integration **out, json_t *root);

/*
 * A typed list from an answer @p root (stolen, also on failure): a bare array, or the
 * member "integrations" or "webhooks". Returns 0, PARTICLE_EPROTO or PARTICLE_ENOMEM.
 */
int particle__integrations_from_answer(particle_integrations **out, json_t *root);

#endif
