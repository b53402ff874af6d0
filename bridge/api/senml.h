/* SenML (RFC 8428) records for measurements. */
#ifndef BRIDGE_SENML_H
#define BRIDGE_SENML_H

#include <jansson.h>

#include "store/store.h"

/* One SenML record; carries "bn" when @p prev_device (the previous record's device, NULL
 * for the first) differs. New reference, NULL on OOM. */
json_t *bridge_senml_record(const bridge_measurement *m, const char *prev_device);

#define BRIDGE_SENML_TYPE "application/senml+json"

#endif
