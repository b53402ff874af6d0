/*
 * The one check an incoming event passes before it is queued, whichever way it came (the
 * event stream, ingest/sse.c, or a webhook post, ingest/webhook.c): a device id to key it
 * by, a name in UTF-8, data within Particle's size limit, a publication time after 1970.
 * Pure, thread-safe.
 */
#ifndef BRIDGE_EVENT_CHECK_H
#define BRIDGE_EVENT_CHECK_H

#include "ingest/normalise.h"

#define BRIDGE_EVENT_NAME_MAX 64          /* Particle's limit on an event name */
#define BRIDGE_EVENT_DATA_MAX (16 * 1024) /* and on its data */

/* Letters, digits, '-' and '_', 1 to BRIDGE_ID_SIZE - 1 of them: what the store keys a
 * device by (and what the API's paths and filters accept). */
bool bridge_device_id_valid(const char *id);

/* NULL when @p ev can be stored, else why not: a static sentence that starts with the field
 * Particle calls it by ("coreid: ...", "event: ...", "data: ...", "published_at: ..."). */
const char *bridge_event_check(const bridge_event_in *ev);

#endif
