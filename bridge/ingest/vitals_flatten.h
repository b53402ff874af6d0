/*
 * Flattening a device-vitals payload (cloud-api.md §7.2) into the values the vitals reports
 * show. Shared by the normaliser (vitals that arrive as spark/device/diagnostics/update
 * events) and the sync's collector (bridge/vitals.c, the last known vitals). Pure,
 * thread-safe; knows nothing of the SDK.
 */
#ifndef BRIDGE_VITALS_FLATTEN_H
#define BRIDGE_VITALS_FLATTEN_H

#include <stdint.h>

#include "store/store.h"

/*
 * Fills @p out for device @p device_id at @p updated_at_ms from @p payload, the §7.2 object
 * as JSON text (borrowed: out->payload points at it, as do device_id and source). Values
 * the payload lacks are NAN / -1. Returns 0, or -1 when @p payload is not a JSON object.
 */
int bridge_vitals_flatten(bridge_vitals *out, const char *device_id, int64_t updated_at_ms,
                          const char *source, const char *payload);

#endif
