/* SenML packs filled from the store: kinds and units from the devices' variable settings,
 * and the pack of one device's latest values. */
#ifndef BRIDGE_SENML_STORE_H
#define BRIDGE_SENML_STORE_H

#include "api/senml.h"
#include "store/store.h"

/* Gives each number of @p pack its kind (a variable of type "bool" -> vb) and its unit (the
 * variable's Unit setting), loading each device once. Call it after the store query that
 * filled the pack (its callbacks must not use the store). 0, or a BRIDGE_STORE_* error. */
int bridge_senml_describe_from_store(bridge_senml_pack *pack, bridge_store *st);

/* The latest value of each of @p d's numbers (measurements) and string variables (their
 * newest status post), described, as JSON (cbor false) or CBOR. NULL with *error set to a
 * BRIDGE_STORE_* code (or -1 on OOM). */
void *bridge_senml_device_latest(bridge_store *st, const bridge_device *d, bool cbor,
                                 size_t *len_out, int *error);

#endif
