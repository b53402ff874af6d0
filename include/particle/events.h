/**
 * @file events.h
 * @brief Publishing events (cloud-api.md §6.4-6.5). Subscribing is in stream.h.
 *
 * Thread safety: as for the client the call is made on.
 */
#ifndef PARTICLE_EVENTS_H
#define PARTICLE_EVENTS_H

#include "particle/client.h"

PARTICLE_BEGIN_DECL

/** What to publish. Strings are copied into the request; none is kept. */
typedef struct particle_publish_options {
    unsigned int version;     /**< PARTICLE_PUBLISH_OPTIONS_VERSION */
    const char *name;         /**< event name (required) */
    const char *data;         /**< payload; NULL = none */
    long ttl;                 /**< seconds; 0 = not sent (the cloud uses 60) */
    int is_public;            /**< 0 = private (the default), non-zero = public */
    const char *product;      /**< product id or slug: POST /v1/products/:product/events */
    const char *as_device_id; /**< product publish only: send as this product device */
    unsigned int flags;       /**< PARTICLE_REQUEST_RETRY: retry on 5xx/network errors */
} particle_publish_options;

#define PARTICLE_PUBLISH_OPTIONS_VERSION 1
#define PARTICLE_PUBLISH_OPTIONS_INIT                                                              \
    {                                                                                              \
        PARTICLE_PUBLISH_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, NULL, 0u                         \
    }

/** Fills @p opts with PARTICLE_PUBLISH_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_publish_options_init(particle_publish_options *opts,
                                               unsigned int version);

/**
 * Publishes an event: `POST /v1/devices/events` (or `/v1/products/:product/events`) with
 * JSON {name, data, private, ttl, as_device_id}. Not retried on 5xx or network errors
 * unless opts->flags has PARTICLE_REQUEST_RETRY (the event might be published twice).
 * @return 0; PARTICLE_EINVAL (no name, as_device_id without product, text that is not
 *         UTF-8), the HTTP and transport codes of error.h.
 */
PARTICLE_API int particle_event_publish(particle_client *client,
                                        const particle_publish_options *opts);

PARTICLE_END_DECL

#endif
